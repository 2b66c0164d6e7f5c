#!/usr/bin/env bash
# Every fault script against the local cluster, one after the other; exits non-zero when one
# fails. Each script starts what it needs (idempotently) and reports its own figures.
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
for fault in app_server_killed worker_killed postgres_restarted primary_killed_during_import; do
  started=$SECONDS
  timeout 900 .venv/bin/python "deploy/faults/$fault.py" || status=1
  echo "   ($fault: $((SECONDS - started)) s)"
done
exit $status
