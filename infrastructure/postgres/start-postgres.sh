#!/usr/bin/env bash
# Gives the tests a running PostgreSQL with a role and database of their own, and prints its URL
# (postgres://user:password@host:port/database) as the last line of its output. Safe to run any
# number of times.
#
# - POSTGRES_URL set: that server is used as it is (its owner created the role); nothing is installed.
# - otherwise: installs Debian's postgresql when missing (needs root), creates a cluster of its own
#   ("integrationhub", port IH_POSTGRES_PORT, default 5433, so that a cluster already on 5432 is left
#   alone), starts it with pg_ctlcluster (no systemd needed), and creates the role and the database.
#   The role may create databases: each hub test works in a database of its own and drops it after.
#   The password (IH_POSTGRES_PASSWORD) is a development one; the cluster listens on loopback only.
set -euo pipefail

if [[ -n "${POSTGRES_URL:-}" ]]; then
  echo "postgres: using POSTGRES_URL (not installing or starting a local server)" >&2
  echo "$POSTGRES_URL"
  exit 0
fi

export PATH="$PATH:/usr/sbin:/sbin"
port="${IH_POSTGRES_PORT:-5433}"
cluster=integrationhub
role=integrationhub
database=integrationhub
password="${IH_POSTGRES_PASSWORD:-integrationhub-development}"

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  if [[ "$(id -u)" != "0" ]]; then
    echo "postgres: postgresql is not installed and installing it needs root" >&2
    exit 1
  fi
  echo "postgres: installing Debian's postgresql" >&2
  if ! apt-cache show postgresql >/dev/null 2>&1; then apt-get update -qq; fi
  # The package may create and try to start its default cluster; ours is separate and started below.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"

if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
  echo "postgres: creating cluster $version/$cluster on port $port" >&2
  pg_createcluster "$version" "$cluster" --port "$port" -- --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  # Loopback only: the tests are the only clients.
  echo "listen_addresses = '127.0.0.1'" >"/etc/postgresql/$version/$cluster/conf.d/integrationhub.conf"
fi
port="$(pg_conftool -s "$version" "$cluster" show port)"

if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c && $4 == "online" { found = 1 } END { exit !found }'; then
  echo "postgres: starting cluster $version/$cluster" >&2
  # The server outlives this script: it must not inherit our open files, such as a lock the caller
  # holds (flock on a shared lock file), or that lock is held until the server stops.
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      if (( fd > 2 && fd != 255 )); then eval "exec ${fd}>&-"; fi
    done
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
  )
fi

for _ in $(seq 1 30); do
  if su postgres -c "psql -p $port -qtAc 'SELECT 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done

sql() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtA" <<<"$1"; }
if [[ "$(sql "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != "1" ]]; then
  echo "postgres: creating role $role" >&2
  sql "CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password'"
else
  sql "ALTER ROLE $role LOGIN CREATEDB PASSWORD '$password'"
fi
if [[ "$(sql "SELECT 1 FROM pg_database WHERE datname = '$database'")" != "1" ]]; then
  echo "postgres: creating database $database" >&2
  sql "CREATE DATABASE $database OWNER $role"
fi

echo "postgres://$role:$password@127.0.0.1:$port/$database"
