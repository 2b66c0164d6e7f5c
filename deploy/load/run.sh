#!/usr/bin/env bash
# Load test of a mixed municipal workload against the cluster (docs/operations.md, "Capacity").
#   deploy/load/run.sh            both app servers
#   LOAD_APP_SERVERS=1 deploy/load/run.sh   one app server (the other disabled in HAProxy)
# LOAD_SECONDS (default 60) and LOAD_USERS (default 60) bound the run; a records import of
# LOAD_IMPORT_ROWS contacts runs again and again beside it. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
VAR=${CLUSTER_VAR:-$ROOT/var/cluster}
BASE=${CLUSTER_PORT_BASE:-15400}
SECONDS_=${LOAD_SECONDS:-60}
USERS=${LOAD_USERS:-60}
SERVERS=${LOAD_APP_SERVERS:-2}
ROWS=${LOAD_IMPORT_ROWS:-50000}
OUT=$VAR/load
RUN=$(date +%Y%m%d-%H%M%S)-${SERVERS}app
mkdir -p "$OUT"

deploy/cluster.sh start all
set -a; . "$VAR/app.env"; set +a
BL=$ROOT/.venv/bin/burgerlink

# An open wave with an open link for the respondents (idempotent).
"$BL" shell -c "
import datetime as dt
from django.utils import timezone
from burgerlink.surveys.models import Wave
wave = Wave.objects.filter(organisation__slug='amstelstad').order_by('-pk').first()
now = timezone.now()
Wave.objects.filter(pk=wave.pk).update(open_link='loadtest', opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=30))
"

# The records import beside the load: the same file again and again (idempotent).
csv=$OUT/import.csv
"$ROOT/.venv/bin/python" - "$csv" "$ROWS" <<'PY'
import sys
rows = int(sys.argv[2])
with open(sys.argv[1], "w") as out:
    out.write("source_id,channel,received_at,handled_at,wait_seconds,answered\n")
    for i in range(rows):
        day, second = 1 + i % 28, i % 36000
        out.write(f"L{i},phone,2026-02-{day:02d}T08:{second // 600 % 60:02d}:{second % 60:02d}+01:00,"
                  f"2026-02-{day:02d}T09:00:00+01:00,{30 + i % 300},ja\n")
PY
deadline=$((SECONDS + SECONDS_))
(
  imports=0
  while ((SECONDS < deadline)); do
    timeout $((SECONDS_ + 120)) "$BL" import-records "$csv" --organisation rijnwaard --kind contacts \
      --no-progress >>"$OUT/$RUN-import.log" 2>&1 && imports=$((imports + 1))
  done
  echo "$imports" >"$OUT/$RUN-imports"
) &
importer=$!

haproxy_admin() { echo "$1" | socat stdio "unix-connect:$VAR/haproxy.sock" >/dev/null 2>&1 || python3 - "$VAR/haproxy.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode() + b"\n"); s.recv(4096)
PY
}
if [ "$SERVERS" = 1 ]; then haproxy_admin "disable server app/app2"; fi
trap 'haproxy_admin "enable server app/app2"' EXIT

echo "== load: $USERS users for $SECONDS_ s against $SERVERS app server(s), imports of $ROWS rows beside it"
timeout $((SECONDS_ + 120)) "$ROOT/.venv/bin/locust" -f deploy/load/locustfile.py --headless \
  --host "https://127.0.0.1:$((BASE + 43))" -u "$USERS" -r "$USERS" -t "${SECONDS_}s" \
  --csv "$OUT/$RUN" --only-summary --loglevel WARNING >"$OUT/$RUN-locust.log" 2>&1 || true
wait "$importer" || true
echo "== $RUN: imports finished beside the load: $(cat "$OUT/$RUN-imports" 2>/dev/null || echo 0)"
"$ROOT/.venv/bin/python" deploy/load/summary.py "$OUT/${RUN}_stats.csv" "$SECONDS_" | tee "$OUT/$RUN-summary.txt"
