#!/usr/bin/env bash
# A PostgreSQL 15 + PostGIS 3 cluster in a data directory of its own (Debian's postgresql-15 packages).
#
#   deploy/postgres.sh start DIR [PORT]   create DIR if new (initdb), start the server, create the database
#   deploy/postgres.sh stop DIR           stop it (fast shutdown)
#   deploy/postgres.sh url DIR [PORT]     print the CONFLICTMAP_DB URL for it
#
# The server listens on 127.0.0.1:PORT (default 55432) and on a socket in DIR; local connections are
# trusted (a cluster for one machine: tests, a laptop, the deploy/stack.sh stack). The database is
# "conflictmap", owned by the superuser "postgres", with PostGIS installed. PostgreSQL refuses to run
# as root: run as root, the server runs as the "postgres" system user (Debian's package creates it).
set -euo pipefail

BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
action=${1:?usage: postgres.sh start|stop|url DIR [PORT]}
dir=${2:?usage: postgres.sh start|stop|url DIR [PORT]}
port=${3:-55432}
db=conflictmap

url() { echo "postgresql+psycopg://postgres@127.0.0.1:${port}/${db}"; }

as_pg() {  # run a command as the cluster's owner
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
    url) url ;;
    start)
        [ -x "$BIN/pg_ctl" ] || { echo "no PostgreSQL 15 at $BIN: apt-get install -y postgresql-15 postgresql-15-postgis-3" >&2; exit 1; }
        mkdir -p "$dir"
        if [ "$(id -u)" = 0 ]; then
            chown postgres: "$dir"
            runuser -u postgres -- test -x "$dir" \
                || { echo "user postgres cannot reach $dir: its parent folders must be searchable (chmod o+x)" >&2; exit 1; }
        fi
        chmod 700 "$dir"
        if [ ! -f "$dir/PG_VERSION" ]; then
            log=$(mktemp)
            as_pg "$BIN/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$log" 2>&1 \
                || { cat "$log" >&2; rm -f "$log"; exit 1; }
            rm -f "$log"
        fi
        as_pg "$BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=${PG_FSYNC:-on}" start >/dev/null \
            || { tail -20 "$dir/server.log" >&2; exit 1; }
        if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1; then
            as_pg "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
        fi
        as_pg "$BIN/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
        url
        ;;
    stop)
        if [ -f "$dir/postmaster.pid" ]; then as_pg "$BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
        ;;
    *) echo "unknown action $action (start, stop, url)" >&2; exit 2 ;;
esac
