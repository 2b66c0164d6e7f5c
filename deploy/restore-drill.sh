#!/usr/bin/env bash
# Restore drill: prove that a base backup plus the WAL archive restore the database to a point
# in time, into a fresh server, with exactly what was written before that moment.
#
#   1. a full base backup of the cluster (pgBackRest, from the Patroni primary);
#   2. batch A of audit-log rows written through the primary; the moment T noted after it;
#   3. batch B written after T (must not come back);
#   4. the WAL switched and archived; the backup restored to T into a new data directory;
#   5. a fresh PostgreSQL started on it; counts and the newest rows compared with batch A.
#
# Starts the database part of the cluster when it is not running (and stops it again then).
# Bounded in time; loopback only. Prints a report and exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VAR=${CLUSTER_VAR:-$ROOT/var/cluster}
BASE=${CLUSTER_PORT_BASE:-15400}
PRIMARY_PORT=$((BASE + 100))
DRILL_PORT=$((BASE + 34))
DRILL=$VAR/drill
ROWS_A=${DRILL_ROWS_A:-500}
ROWS_B=${DRILL_ROWS_B:-200}
PG_BIN=/usr/lib/postgresql/15/bin
started=$SECONDS

# From a folder postgres may enter (the checkout may be one it cannot).
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
primary() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -X -qtA -d burgerlink "$@"; }
restored() { psql -h 127.0.0.1 -p "$DRILL_PORT" -U postgres -X -qtA -d burgerlink "$@"; }
pgbackrest_() {
  as_postgres timeout 600 pgbackrest --config="$VAR/pgbackrest.conf" --stanza=burgerlink \
    --log-level-console=warn "$@"
}

we_started=0
if ! deploy/cluster.sh status 2>/dev/null | grep -c "haproxy: running" >/dev/null; then
  deploy/cluster.sh start db
  we_started=1
fi
# var/cluster may point elsewhere (see cluster.sh): PostgreSQL needs the real path.
VAR=$(readlink -f "$VAR")
DRILL=$VAR/drill
stop_drill() {
  if [ -f "$DRILL/data/postmaster.pid" ]; then
    as_postgres $PG_BIN/pg_ctl -D "$DRILL/data" -m immediate -t 20 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DRILL"
  if [ "$we_started" = 1 ]; then deploy/cluster.sh stop >/dev/null; fi
}
trap stop_drill EXIT

# The platform's tables, on the primary (idempotent).
set -a; . "$VAR/app.env"; set +a
DATABASE_URL=$DATABASE_DIRECT_URL timeout 600 .venv/bin/burgerlink migrate --noinput -v 0

echo "== full base backup"
pgbackrest_ --type=full backup

write_batch() {  # batch name, rows
  primary -c "INSERT INTO core_auditevent (action, actor_label, object_type, object_id, summary, at)
    SELECT 'restore-drill', 'drill', 'batch', '$1-' || g, 'restore drill batch $1', clock_timestamp()
    FROM generate_series(1, $2) AS g"
}
run=$(date +%s)
write_batch "A$run" "$ROWS_A"
expected_count=$(primary -c "SELECT count(*) FROM core_auditevent")
expected_newest=$(primary -c "SELECT id || ' ' || object_id FROM core_auditevent ORDER BY id DESC LIMIT 1")
sleep 1
target=$(primary -c "SELECT to_char(clock_timestamp(), 'YYYY-MM-DD HH24:MI:SS.US+00')")
sleep 1
write_batch "B$run" "$ROWS_B"
written_after=$ROWS_B

# Make sure the WAL that holds T is in the archive before restoring.
segment=$(primary -c "SELECT pg_walfile_name(pg_switch_wal())")
deadline=$((SECONDS + 90))
until [ "$(primary -c "SELECT last_archived_wal >= '$segment' FROM pg_stat_archiver")" = t ]; do
  ((SECONDS < deadline)) || { echo "WAL $segment was not archived within 90 s" >&2; exit 1; }
  primary -c "SELECT pg_switch_wal()" >/dev/null
  sleep 1
done

echo "== restoring to $target into a fresh server"
rm -rf "$DRILL"
mkdir -p "$DRILL/data"
chown -R postgres:postgres "$DRILL"
chmod 700 "$DRILL/data"
restore_started=$SECONDS
pgbackrest_ --pg1-path="$DRILL/data" --type=time "--target=$target" --target-action=promote \
  restore
# A fresh server of its own: its own port and socket, and no archiving into the repository.
as_postgres $PG_BIN/pg_ctl -D "$DRILL/data" -l "$DRILL/server.log" -t 120 -w start \
  -o "-p $DRILL_PORT -k $DRILL -c listen_addresses=127.0.0.1 -c archive_mode=off -c hot_standby=on" >/dev/null
deadline=$((SECONDS + 120))
until [ "$(restored -c "SELECT NOT pg_is_in_recovery()" 2>/dev/null)" = t ]; do
  ((SECONDS < deadline)) || { echo "the restored server did not finish recovery" >&2; exit 1; }
  sleep 0.5
done
restore_seconds=$((SECONDS - restore_started))

found_count=$(restored -c "SELECT count(*) FROM core_auditevent")
found_newest=$(restored -c "SELECT id || ' ' || object_id FROM core_auditevent ORDER BY id DESC LIMIT 1")
found_after=$(restored -c "SELECT count(*) FROM core_auditevent WHERE object_id LIKE 'B$run-%'")
found_a=$(restored -c "SELECT count(*) FROM core_auditevent WHERE object_id LIKE 'A$run-%'")

echo "== restore drill report"
printf '%-44s %s\n' "point in time" "$target" \
  "rows in the audit log at that time (primary)" "$expected_count" \
  "rows in the audit log after restore" "$found_count" \
  "batch A rows expected / found" "$ROWS_A / $found_a" \
  "newest row before T (primary)" "$expected_newest" \
  "newest row after restore" "$found_newest" \
  "rows written after T / found after restore" "$written_after / $found_after" \
  "restore and recovery" "${restore_seconds} s" \
  "whole drill" "$((SECONDS - started)) s"
if [ "$found_count" = "$expected_count" ] && [ "$found_newest" = "$expected_newest" ] &&
  [ "$found_after" = 0 ] && [ "$found_a" = "$ROWS_A" ]; then
  echo "restore drill: passed"
else
  echo "restore drill: FAILED" >&2
  exit 1
fi
