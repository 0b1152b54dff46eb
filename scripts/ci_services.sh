#!/usr/bin/env bash
# Make PostgreSQL and Redis reachable on 127.0.0.1 for the `services` tests. Safe to run again:
# it only installs, starts or changes what is missing, and says what it did.
#
# Afterwards DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/mikromerit and
# CELERY_BROKER_URL=redis://127.0.0.1:6379/0 work, under trust as well as password authentication.
set -euo pipefail

say() { printf 'ci_services: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
  # From /, so psql does not complain that it cannot read the caller's working directory.
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else (cd / && sudo -u postgres "$@"); fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  say "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

wait_for() {  # wait_for <what> <command…>: up to 30 s
  local what=$1; shift
  for _ in $(seq 150); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  say "$what did not come up within 30 s" >&2
  return 1
}

# --- PostgreSQL ------------------------------------------------------------------------------------
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }

if pg_up; then
  say "PostgreSQL already accepting connections on 127.0.0.1:5432"
else
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    apt_install postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for "PostgreSQL" pg_up
fi

# Over the Unix socket as the postgres OS user: works whatever the TCP authentication method is.
psql_admin() { as_postgres psql -X -q -tA -v ON_ERROR_STOP=1 -d postgres -c "$1"; }

# Harmless to repeat; makes the URL's password right where TCP connections need one.
psql_admin "alter user postgres with password 'postgres'"
say "role postgres has the password 'postgres'"

if [ "$(psql_admin "select 1 from pg_database where datname = 'mikromerit'")" = 1 ]; then
  say "database mikromerit already exists"
else
  psql_admin "create database mikromerit"
  say "created database mikromerit"
fi

if PGPASSWORD=postgres psql -X -q -w -h 127.0.0.1 -U postgres -d mikromerit -c 'select 1' >/dev/null; then
  say "postgres://postgres:postgres@127.0.0.1:5432/mikromerit accepts connections"
else
  say "cannot connect to postgres://postgres:postgres@127.0.0.1:5432/mikromerit" >&2
  exit 1
fi

# --- Redis -----------------------------------------------------------------------------------------
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG; }

if command -v redis-cli >/dev/null && redis_up; then
  say "Redis already answering on 127.0.0.1:6379"
else
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
  wait_for "Redis" redis_up
fi

say "ready: PostgreSQL $(psql_admin 'show server_version'), $(redis-cli -h 127.0.0.1 info server | grep -m1 redis_version | tr -d '\r')"
