#!/usr/bin/env bash
# The multi-node Burgerlink cluster on this machine, on loopback ports only (docs/operations.md):
#   etcd -> Patroni (PostgreSQL 15 primary + streaming replica) -> HAProxy (primary / replica
#   ports) -> PgBouncer (transaction mode) -> two app servers and two workers behind HAProxy.
#
#   deploy/cluster.sh start [db|all]   start what is not running (idempotent, bounded in time)
#   deploy/cluster.sh stop             stop every process this script started (by pid file)
#   deploy/cluster.sh status           which parts answer
#   deploy/cluster.sh env              print the environment of the app servers
#
# Data, logs and pid files live under var/cluster/. The system PostgreSQL on 5432 is never
# touched. Ports can be moved with the variables below (CLUSTER_PORT_BASE shifts them all).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VAR=${CLUSTER_VAR:-$ROOT/var/cluster}
if [ -z "${CLUSTER_VAR:-}" ] && [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 &&
  ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
  # PostgreSQL runs as postgres, which cannot enter this folder (a home directory, say): the
  # data lives where it can, and var/cluster points there.
  real=/var/lib/burgerlink/cluster-$(printf %s "$ROOT" | md5sum | cut -c1-12)
  mkdir -p "$real" "$ROOT/var"
  chmod 755 /var/lib/burgerlink "$real"
  if [ ! -L "$ROOT/var/cluster" ]; then rm -rf "$ROOT/var/cluster"; ln -s "$real" "$ROOT/var/cluster"; fi
fi
VAR=$(readlink -f "$VAR" 2>/dev/null || echo "$VAR")
BASE=${CLUSTER_PORT_BASE:-15400}
ETCD_PORT=$((BASE + 79)) ETCD_PEER_PORT=$((BASE + 80))
PG1_PORT=$((BASE + 32)) PG2_PORT=$((BASE + 33))
REST1_PORT=$((BASE + 8)) REST2_PORT=$((BASE + 9))
PRIMARY_PORT=$((BASE + 100)) REPLICA_PORT=$((BASE + 101))
PGBOUNCER_PORT=$((BASE + 200))
WEB_PORT=$((BASE + 43)) STATS_PORT=$((BASE + 4))
APP1_PORT=$((BASE + 81)) APP2_PORT=$((BASE + 82))
APP_WORKERS=${CLUSTER_APP_WORKERS:-1}  # two app servers share this machine's CPUs
DEMO_SCALE=${CLUSTER_DEMO_SCALE:-0.1}
APP_ENV=${CLUSTER_BURGERLINK_ENV:-production}
HEALTH_PATH=${CLUSTER_HEALTH_PATH:-/gezond/live}
VENV=${VENV:-$ROOT/.venv}
BL=$VENV/bin/burgerlink
PG_BIN=/usr/lib/postgresql/15/bin

log() { printf '== %s\n' "$*"; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }
# From a folder postgres may enter (the checkout may be one it cannot).
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# Wait up to $1 seconds for the command after it to succeed.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what did not come up within ${limit}s (logs: $VAR/log)"
    sleep 0.5
  done
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stop the process of pid file $1: TERM, then KILL after $2 seconds.
stop_pid() {
  local file=$1 grace=${2:-20}
  alive "$file" || { rm -f "$file"; return 0; }
  local pid; pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.3; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

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

ensure_packages() {
  local missing=()
  command -v etcd >/dev/null || missing+=(etcd-server etcd-client)
  command -v patroni >/dev/null || missing+=(patroni)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v pgbouncer >/dev/null || missing+=(pgbouncer)
  command -v pgbackrest >/dev/null || missing+=(pgbackrest)
  [ -x $PG_BIN/postgres ] || missing+=(postgresql-15)
  command -v openssl >/dev/null || missing+=(openssl)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} from Debian"
    apt_install "${missing[@]}"
  fi
  if [ "${1:-all}" != db ] && [ ! -x "$VENV/bin/locust" ]; then
    log "installing locust into $VENV"
    timeout 600 "$VENV/bin/pip" install --quiet -e "$ROOT[cluster]"
  fi
}

render() {  # template -> file, filling in the @NAME@ placeholders from the environment above
  sed -e "s|@VAR@|$VAR|g" -e "s|@ETCD_PORT@|$ETCD_PORT|g" -e "s|@PG1_PORT@|$PG1_PORT|g" \
    -e "s|@PG2_PORT@|$PG2_PORT|g" -e "s|@REST1_PORT@|$REST1_PORT|g" -e "s|@REST2_PORT@|$REST2_PORT|g" \
    -e "s|@PRIMARY_PORT@|$PRIMARY_PORT|g" -e "s|@REPLICA_PORT@|$REPLICA_PORT|g" \
    -e "s|@PGBOUNCER_PORT@|$PGBOUNCER_PORT|g" -e "s|@WEB_PORT@|$WEB_PORT|g" \
    -e "s|@STATS_PORT@|$STATS_PORT|g" -e "s|@APP1_PORT@|$APP1_PORT|g" -e "s|@APP2_PORT@|$APP2_PORT|g" \
    -e "s|@HEALTH_PATH@|$HEALTH_PATH|g" -e "s|@NAME@|${NAME:-}|g" -e "s|@PG_PORT@|${PG_PORT:-}|g" \
    -e "s|@REST_PORT@|${REST_PORT:-}|g" "$1" >"$2"
}

prepare() {
  mkdir -p "$VAR"/{log,run,etcd,node1,node2,pgbouncer,backup,tls,data,static,mail}
  chown postgres:postgres "$VAR"/{node1,node2,pgbouncer,backup,log}
  chmod 700 "$VAR"/node1 "$VAR"/node2
  chmod 777 "$VAR/log"
  [ -s "$VAR/secret_key" ] || (umask 077; openssl rand -hex 32 >"$VAR/secret_key")
  if [ ! -s "$VAR/tls/cluster.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "$VAR/tls/key.pem" -out "$VAR/tls/cert.pem" 2>/dev/null
    cat "$VAR/tls/cert.pem" "$VAR/tls/key.pem" >"$VAR/tls/cluster.pem"
  fi
  for n in 1 2; do
    NAME=node$n PG_PORT=$((BASE + 31 + n)) REST_PORT=$((BASE + 7 + n)) \
      render deploy/templates/patroni.yml "$VAR/node$n.yml"
  done
  render deploy/templates/haproxy.cfg "$VAR/haproxy.cfg"
  render deploy/templates/pgbouncer.ini "$VAR/pgbouncer/pgbouncer.ini"
  render deploy/templates/pgbackrest.conf "$VAR/pgbackrest.conf"
  echo '"postgres" ""' >"$VAR/pgbouncer/userlist.txt"
  chown postgres:postgres "$VAR/pgbouncer"/* "$VAR/pgbackrest.conf" "$VAR"/node?.yml
  app_env >"$VAR/app.env"
}

app_env() {
  cat <<EOF
BURGERLINK_ENV=$APP_ENV
DEBUG=0
SECRET_KEY=$(cat "$VAR/secret_key")
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$WEB_PORT
SITE_URL=https://127.0.0.1:$WEB_PORT
DATABASE_URL=postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/burgerlink
DATABASE_POOL_MODE=transaction
DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/burgerlink_ro
DATABASE_DIRECT_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/burgerlink
BURGERLINK_DATA_DIR=$VAR/data
STATIC_ROOT=$VAR/static
TASKS_BACKEND=database
EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
EMAIL_FILE_PATH=$VAR/mail
REQUIRE_STAFF_TOTP=0
WORKER_HEARTBEAT_INTERVAL=3
WORKER_HEARTBEAT_MAX_AGE=10
SECURE_HSTS_SECONDS=0
EOF
}

etcd_up() { ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:$ETCD_PORT endpoint health; }
rest() { curl -fsS -o /dev/null "http://127.0.0.1:$1$2"; }
has_primary() { rest "$REST1_PORT" /primary || rest "$REST2_PORT" /primary; }
has_replica() { rest "$REST1_PORT" /replica || rest "$REST2_PORT" /replica; }
primary_psql() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -X -q "$@"; }

start_db() {
  if ! alive "$VAR/run/etcd.pid"; then
    log "etcd on 127.0.0.1:$ETCD_PORT"
    nohup etcd --name burgerlink --data-dir "$VAR/etcd" \
      --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
      --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
      --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
      --initial-cluster "burgerlink=http://127.0.0.1:$ETCD_PEER_PORT" \
      --log-level warn >>"$VAR/log/etcd.log" 2>&1 &
    echo $! >"$VAR/run/etcd.pid"
  fi
  wait_for 30 etcd etcd_up
  for n in 1 2; do
    if ! alive "$VAR/run/patroni$n.pid"; then
      log "Patroni node$n (PostgreSQL on 127.0.0.1:$((BASE + 31 + n)))"
      as_postgres bash -c "nohup patroni '$VAR/node$n.yml' >>'$VAR/log/patroni$n.out' 2>&1 & echo \$!" \
        >"$VAR/run/patroni$n.pid"
    fi
  done
  wait_for 90 "a Patroni primary" has_primary
  if ! alive "$VAR/run/haproxy.pid"; then
    log "HAProxy: web https://127.0.0.1:$WEB_PORT, primary :$PRIMARY_PORT, replica :$REPLICA_PORT"
    haproxy -q -D -f "$VAR/haproxy.cfg" -p "$VAR/run/haproxy.pid"
  fi
  wait_for 30 "the primary through HAProxy" primary_psql -c "SELECT 1"
  primary_psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'burgerlink'" | grep -q 1 ||
    primary_psql -c "CREATE DATABASE burgerlink"
  if ! alive "$VAR/pgbouncer/pgbouncer.pid"; then
    log "PgBouncer (transaction mode) on 127.0.0.1:$PGBOUNCER_PORT"
    as_postgres pgbouncer -d -q "$VAR/pgbouncer/pgbouncer.ini"
  fi
  wait_for 20 PgBouncer psql -h 127.0.0.1 -p "$PGBOUNCER_PORT" -U postgres -X -c "SELECT 1" burgerlink
  # The archive's stanza, once the primary exists (idempotent).
  as_postgres timeout 60 pgbackrest --config="$VAR/pgbackrest.conf" --stanza=burgerlink \
    --log-level-console=warn stanza-create
  wait_for 120 "a streaming replica" has_replica
}

app_up() { curl -fsS -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$1$HEALTH_PATH"; }

# The platform's tables and the demo world (both idempotent), written past the pooler.
prepare_data() {
  (
    set -a; . "$VAR/app.env"; set +a
    log "migrations and demo data (DEMO_RECORDS_SCALE=$DEMO_SCALE)"
    export DATABASE_URL=$DATABASE_DIRECT_URL
    timeout 600 "$BL" migrate --noinput -v 0
    if [ "${CLUSTER_DEMO:-1}" = 1 ]; then
      DEMO_RECORDS_SCALE=$DEMO_SCALE timeout 900 "$BL" demo --skip-checks >"$VAR/log/demo.log" 2>&1
    fi
  )
}

start_app() {
  set -a; . "$VAR/app.env"; set +a
  if [ "$APP_ENV" = production ] &&
    ! timeout 300 "$BL" collectstatic --noinput -v 0 >"$VAR/log/collectstatic.log" 2>&1; then
    # Production settings serve hashed static files, which collectstatic must have written.
    log "collectstatic failed (see $VAR/log/collectstatic.log): the app servers run with"
    log "development settings and DEBUG off instead (no static files, no HTTPS-only cookies)"
    APP_ENV=development
    app_env >"$VAR/app.env"
    set -a; . "$VAR/app.env"; set +a
  fi
  for n in 1 2; do
    local port=$((BASE + 80 + n))
    if ! alive "$VAR/run/app$n.pid"; then
      log "app server $n on 127.0.0.1:$port ($APP_WORKERS workers)"
      # burgerlink serve execs granian: the pid is the server's; setsid gives it a process
      # group of its own, so a fault test can kill the server with its workers.
      PORT=$port setsid nohup "$BL" serve --host 127.0.0.1 --port "$port" --workers "$APP_WORKERS" \
        >>"$VAR/log/app$n.log" 2>&1 </dev/null &
      echo $! >"$VAR/run/app$n.pid"
    fi
    if ! alive "$VAR/run/worker$n.pid"; then
      log "worker $n"
      nohup "$BL" db_worker --no-reload --interval 1 >>"$VAR/log/worker$n.log" 2>&1 &
      echo $! >"$VAR/run/worker$n.pid"
    fi
  done
  wait_for 60 "app server 1" app_up "$APP1_PORT"
  wait_for 60 "app server 2" app_up "$APP2_PORT"
  wait_for 20 "the web front end" curl -kfsS -o /dev/null "https://127.0.0.1:$WEB_PORT$HEALTH_PATH"
  log "Burgerlink: https://127.0.0.1:$WEB_PORT/ (self-signed certificate; HAProxy stats http://127.0.0.1:$STATS_PORT/)"
}

stop_all() {
  for n in 1 2; do stop_pid "$VAR/run/worker$n.pid" 15; done
  for n in 1 2; do stop_pid "$VAR/run/app$n.pid" 15; done
  stop_pid "$VAR/run/haproxy.pid" 5
  stop_pid "$VAR/pgbouncer/pgbouncer.pid" 5
  # The replica first, so the primary does not wait for it; Patroni stops its PostgreSQL.
  for n in 2 1; do stop_pid "$VAR/run/patroni$n.pid" 40; done
  stop_pid "$VAR/run/etcd.pid" 10
  # A PostgreSQL that outlived a killed Patroni (fault tests) is stopped by its own pid file.
  for n in 1 2; do
    if [ -f "$VAR/node$n/data/postmaster.pid" ] && as_postgres $PG_BIN/pg_ctl -D "$VAR/node$n/data" status >/dev/null 2>&1; then
      as_postgres $PG_BIN/pg_ctl -D "$VAR/node$n/data" -m fast -t 30 stop >/dev/null || true
    fi
  done
  log "cluster stopped"
}

status() {
  local part
  for part in etcd patroni1 patroni2 haproxy app1 app2 worker1 worker2; do
    if alive "$VAR/run/$part.pid"; then echo "$part: running"; else echo "$part: down"; fi
  done
  alive "$VAR/pgbouncer/pgbouncer.pid" && echo "pgbouncer: running" || echo "pgbouncer: down"
  for n in 1 2; do
    local role; role=$(curl -fsS "http://127.0.0.1:$((BASE + 7 + n))/patroni" 2>/dev/null |
      python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("role"), d.get("state"))' 2>/dev/null || echo down)
    echo "node$n: $role"
  done
}

case "${1:-}" in
  start)
    [ "$(id -u)" -eq 0 ] || die "run as root (PostgreSQL and PgBouncer run as the postgres user)"
    started=$SECONDS
    ensure_packages "${2:-all}"
    prepare
    start_db
    prepare_data
    [ "${2:-all}" = db ] || start_app
    log "cluster up in $((SECONDS - started)) s"
    ;;
  stop) stop_all ;;
  status) status ;;
  env) prepare >/dev/null; cat "$VAR/app.env" ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
