#!/usr/bin/env bash
# PgBouncer in transaction mode on 127.0.0.1:${PGBOUNCER_PORT:-6432} in front of the system
# PostgreSQL on 127.0.0.1:5432, for running the test suite through a pooler (CI does).
#   deploy/pgbouncer-local.sh start | stop
# Any database name is passed through, so pytest's test databases work; the system PostgreSQL
# itself is not touched. State lives in /var/tmp/burgerlink-pgbouncer-PORT (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PGBOUNCER_PORT:-6432}
# PgBouncer runs as postgres when started by root: its files live where postgres can read them,
# whatever folder the checkout is in.
if [ "$(id -u)" -eq 0 ]; then DEFAULT_DIR=/var/tmp/burgerlink-pgbouncer-$PORT; else DEFAULT_DIR=$(pwd)/var/pgbouncer-local; fi
DIR=${PGBOUNCER_DIR:-$DEFAULT_DIR}
PID=$DIR/pgbouncer.pid

as_postgres() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# Install Debian packages without letting them start their own services on default ports
# (a policy-rc.d that says no, for the length of the install, where none is in place).
apt_install() {
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    guard=/usr/sbin/policy-rc.d
  fi
  local status=0
  timeout 600 apt-get update -qq || status=$?
  if [ "$status" -eq 0 ]; then
    timeout 600 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || status=$?
  fi
  [ -z "$guard" ] || rm -f "$guard"
  return "$status"
}

case "${1:-}" in
  start)
    if ! command -v pgbouncer >/dev/null; then
      echo "== installing Debian pgbouncer"
      apt_install pgbouncer
    fi
    mkdir -p "$DIR"
    if [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; then exit 0; fi
    cat >"$DIR/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
max_client_conn = 200
default_pool_size = 10
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = $DIR/pgbouncer.log
pidfile = $PID
EOF
    echo '"postgres" ""' >"$DIR/userlist.txt"
    [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$DIR"
    as_postgres pgbouncer -d -q "$DIR/pgbouncer.ini"
    for _ in $(seq 1 40); do
      psql -h 127.0.0.1 -p "$PORT" -U postgres -X -qtAc "SELECT 1" postgres >/dev/null 2>&1 && exit 0
      sleep 0.25
    done
    echo "PgBouncer did not answer on 127.0.0.1:$PORT (log: $DIR/pgbouncer.log)" >&2
    exit 1
    ;;
  stop)
    if [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; then
      kill -INT "$(cat "$PID")"  # PgBouncer's "safe shutdown"
      for _ in $(seq 1 40); do kill -0 "$(cat "$PID")" 2>/dev/null || break; sleep 0.25; done
    fi
    ;;
  *) sed -n '2,6p' "$0"; exit 2 ;;
esac
