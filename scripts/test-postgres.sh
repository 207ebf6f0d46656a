#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on 127.0.0.1 (installing Debian's package when it is
# missing) and prints the DATABASE_URL to reach it. Usage: eval "$(scripts/test-postgres.sh start)";
# scripts/test-postgres.sh stop.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGDATA="$(realpath -m "${PGDATA_DIR:-/tmp/sms-gateway-pg}")"

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ]; then
    echo "installing PostgreSQL from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

# From /, which the postgres user can always enter (the caller's folder may be private to root).
as_pg() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "cd / && $*"; else bash -c "$*"; fi
}

case "${1:-start}" in
  start)
    BIN=$(pg_bin)
    if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then useradd -r -m postgres; fi
    if [ -f "$PGDATA/postmaster.pid" ]; then as_pg "$BIN/pg_ctl -D $PGDATA -m immediate stop" >&2 || true; fi
    rm -rf "$PGDATA"
    mkdir -p "$PGDATA"
    [ "$(id -u)" = "0" ] && chown postgres "$PGDATA"
    as_pg "$BIN/initdb -D $PGDATA -U postgres --auth=trust -E UTF8 >/dev/null"
    # The port can be held for a moment as the local end of some client's connection: try again.
    for attempt in 1 2 3 4 5; do
      if as_pg "$BIN/pg_ctl -D $PGDATA -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300' -l $PGDATA/server.log -w start >/dev/null"; then
        break
      fi
      if [ "$attempt" = 5 ]; then
        tail -n 5 "$PGDATA/server.log" >&2
        exit 1
      fi
      sleep 2
    done
    echo "export DATABASE_URL=postgres://postgres:postgres@127.0.0.1:$PGPORT/postgres"
    echo "export PG_BIN=$BIN PG_DATA=$PGDATA"
    ;;
  stop)
    BIN=$(pg_bin)
    as_pg "$BIN/pg_ctl -D $PGDATA -m fast stop >/dev/null" || true
    ;;
esac
