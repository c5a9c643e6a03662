#!/bin/sh
# Serve Tumaini with gunicorn for the benchmarks: production settings, PostgreSQL.
#
#   bench/serve_gunicorn.sh [WORKERS] [PORT] [THREADS]
#
# THREADS above 1 uses gthread workers (which keep connections alive); without, sync workers.
# Needs DATABASE_URL (PostgreSQL) and TUMAINI_AT_CALLBACK_SECRET in the environment; TUMAINI_DATA_DIR
# should be the data folder the database was seeded with (it holds the encryption keys).
# Requests are expected behind a TLS proxy: the benchmark sends X-Forwarded-Proto: https.
set -eu
WORKERS="${1:-1}"
PORT="${2:-8000}"
THREADS="${3:-1}"
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database}"
: "${TUMAINI_AT_CALLBACK_SECRET:?set TUMAINI_AT_CALLBACK_SECRET (the benchmark sends it in the URL)}"
export TUMAINI_DEBUG=0 TUMAINI_DEMO=0
export TUMAINI_ALLOWED_HOSTS="${TUMAINI_ALLOWED_HOSTS:-127.0.0.1,localhost}"
if [ "${THREADS}" -gt 1 ]; then
    WORKER_CLASS="gthread"
else
    WORKER_CLASS="sync"
fi
# --backlog: the listen queue; an overflow would make clients retry their SYN after a second.
exec .venv/bin/gunicorn tumaini.wsgi:application \
    --bind "127.0.0.1:${PORT}" \
    --workers "${WORKERS}" \
    --worker-class "${WORKER_CLASS}" \
    --threads "${THREADS}" \
    --backlog 2048 \
    --timeout 30 \
    --log-level warning
