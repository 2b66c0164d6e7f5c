#!/usr/bin/env bash
# A base backup of the cluster's database into the pgBackRest repository (var/cluster/backup).
#   deploy/backup.sh [full|diff|incr]     (default: full when none exists yet, else incr)
# WAL is archived continuously by the primary (archive_command); together with a base backup
# it restores the database to any moment since that backup (deploy/restore-drill.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
VAR=$(readlink -f "${CLUSTER_VAR:-$(pwd)/var/cluster}")
TYPE=${1:-incr}
cd / && exec runuser -u postgres -- timeout 900 pgbackrest --config="$VAR/pgbackrest.conf" \
  --stanza=burgerlink --log-level-console=warn --type="$TYPE" backup
