#!/bin/sh
# Serve Tumaini with gunicorn (sync workers) for the benchmarks: production settings, PostgreSQL.
#
#   bench/serve_gunicorn.sh [WORKERS] [PORT]
#
# Needs DATABASE_URL (PostgreSQL) and TUMAINI_AT_CALLBACK_SECRET in the environment; TUMAINI_DATA_DIR
# should be the data folder the database was seeded with (it holds the encryption keys).
# Requests are expected behind a TLS proxy: the benchmark sends X-Forwarded-Proto: https.
set -eu
WORKERS="${1:-1}"
PORT="${2:-8000}"
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database}"
: "${TUMAINI_AT_CALLBACK_SECRET:?set TUMAINI_AT_CALLBACK_SECRET (the benchmark sends it in the URL)}"
export TUMAINI_DEBUG=0 TUMAINI_DEMO=0
export TUMAINI_ALLOWED_HOSTS="${TUMAINI_ALLOWED_HOSTS:-127.0.0.1,localhost}"
exec .venv/bin/gunicorn tumaini.wsgi:application \
    --bind "127.0.0.1:${PORT}" \
    --workers "${WORKERS}" \
    --worker-class sync \
    --backlog 2048 \
    --timeout 30 \
    --log-level warning
