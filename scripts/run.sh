#!/usr/bin/env bash
# Serve the demo on http://127.0.0.1:8000 together with the task worker; Ctrl-C stops both.
set -euo pipefail
PY=${PY:-.venv/bin/python}
export SOIN_ENV=${SOIN_ENV:-development}
"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo
# The vectors for similar ideas by meaning: computed by the worker, in the background.
"$PY" manage.py embed_missing --queue
# Tasks a killed worker left running are queued again before the worker starts.
"$PY" manage.py recover_tasks
# The nightly retention run queues itself again; this queues the first one (once).
"$PY" manage.py apply_retention --schedule
"$PY" manage.py db_worker --queue-name default --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
"$PY" manage.py runserver 127.0.0.1:8000 --noreload
