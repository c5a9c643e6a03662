#!/usr/bin/env bash
# Serve Tumaini for a benchmark the way the design notes ask: gunicorn, ONE sync worker, DEBUG off,
# on 127.0.0.1:8000 (BENCH_BIND overrides), static files not served. Runs in the foreground.
# No control socket: its default path is per machine user, shared by every gunicorn started as us.
#
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tumaini_bench \
#   TUMAINI_DATA_DIR=/tmp/tumaini-bench bench/serve.sh
#
# Demo mode (TUMAINI_DEMO=1) lets the bench sign in as the demo case manager without a second factor;
# TUMAINI_DEBUG=0 keeps production code paths (cached templates, no query log). Each response says
# how many SQL queries it ran (X-Bench-Queries, see bench/counted_wsgi.py); BENCH_PLAIN=1 serves
# tumaini.wsgi:application alone instead, without the header.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TUMAINI_DEMO="${TUMAINI_DEMO:-1}" TUMAINI_DEBUG=0 TUMAINI_SECURE_SSL_REDIRECT=0
if [[ -z "${DATABASE_URL:-}" ]]; then
    echo "Set DATABASE_URL (the benchmark runs on PostgreSQL, see bench/README.md)." >&2
    exit 2
fi
APP="counted_wsgi:application"
if [[ "${BENCH_PLAIN:-0}" == 1 ]]; then
    APP="tumaini.wsgi:application"
fi
exec "$ROOT/.venv/bin/gunicorn" "$APP" \
    --chdir "$ROOT" --pythonpath "$ROOT/bench" \
    --bind "${BENCH_BIND:-127.0.0.1:8000}" \
    --workers 1 --worker-class sync --timeout 120 \
    --no-control-socket
