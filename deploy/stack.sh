#!/usr/bin/env bash
# The team server on this machine: PostgreSQL + PostGIS, N `streamlit run serve.py` replicas, nginx in front.
#
#   deploy/stack.sh start RUN [--replicas N] [--port PORT] [--db URL] [--demo]
#   deploy/stack.sh stop RUN
#
# RUN is a folder for the stack's files (logs, pid files, nginx's config, and PostgreSQL's data when no
# --db is given). Without --db a PostgreSQL cluster is started in RUN/pg (deploy/postgres.sh) on PORT+1000.
# The database is upgraded (python -m geo db upgrade); --demo loads the demo events into an empty one.
# Replicas listen on 127.0.0.1:PORT+1, PORT+2, ...; nginx on 127.0.0.1:PORT (default 8080).
# `start` prints the app's URL and returns once every replica answers its health check; `stop` stops
# nginx, the replicas and (if this script started it) PostgreSQL, by their pid files.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
action=${1:?usage: stack.sh start|stop RUN [options]}
run=${2:?usage: stack.sh start|stop RUN [options]}
shift 2
replicas=2 port=8080 db="" demo=0
while [ $# -gt 0 ]; do
    case "$1" in
        --replicas) replicas=$2; shift 2 ;;
        --port) port=$2; shift 2 ;;
        --db) db=$2; shift 2 ;;
        --demo) demo=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
PYTHON=${PYTHON:-python}
NGINX=${NGINX:-/usr/sbin/nginx}

stop_pid() {  # stop the process in a pid file: TERM, then KILL after 15 s
    local file=$1 pid
    pid=$(cat "$file" 2>/dev/null) || return 0  # gone already (nginx removes its own on quit)
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

stop() {
    if [ -f "$run/nginx/nginx.pid" ]; then "$NGINX" -c "$run/nginx/nginx.conf" -p "$run/nginx" -s quit 2>/dev/null || true; fi
    stop_pid "$run/nginx/nginx.pid"
    for f in "$run"/replica-*.pid; do [ -e "$f" ] && stop_pid "$f"; done
    if [ -d "$run/pg" ]; then "$here/postgres.sh" stop "$run/pg"; fi
    return 0
}

case "$action" in
    stop) stop; exit 0 ;;
    start) ;;
    *) echo "unknown action $action (start, stop)" >&2; exit 2 ;;
esac

mkdir -p "$run"
run=$(cd "$run" && pwd)
trap 'stop; exit 1' ERR
if [ -z "$db" ]; then
    [ "$(id -u)" = 0 ] && chmod o+x "$run"  # the server runs as user postgres
    db=$("$here/postgres.sh" start "$run/pg" $((port + 1000)))
fi
export CONFLICTMAP_DB=$db
(cd "$root" && "$PYTHON" -m geo db upgrade >/dev/null)
if [ "$demo" = 1 ]; then
    (cd "$root" && "$PYTHON" -c "
from geo.io.demo import load_demo_events, load_demo_zones
from geo.storage import Store
store = Store()
if store.count() == 0:
    store.save(events=load_demo_events(), zones=load_demo_zones(), author='demo')
")
fi

# bytecode for the app's modules before the replicas start, so no replica's first page compiles them (Python
# would write it on first import, but not where PYTHONDONTWRITEBYTECODE is set or the tree is read-only)
(cd "$root" && "$PYTHON" -m compileall -q app.py serve.py geo pages >/dev/null)

upstreams=""
for i in $(seq "$replicas"); do
    p=$((port + i))
    (cd "$root" && exec "$PYTHON" -m streamlit run serve.py --server.port "$p" --server.address 127.0.0.1 \
        --server.headless true --browser.gatherUsageStats false) >"$run/replica-$i.log" 2>&1 &
    echo $! >"$run/replica-$i.pid"
    upstreams="$upstreams server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"
done

mkdir -p "$run/nginx/tmp"
chmod -R a+rwx "$run/nginx/tmp"  # nginx's workers run as an unprivileged user when started as root
sed -e "s|@PREFIX@|$run/nginx|g" -e "s|@PORT@|$port|g" -e "s|@UPSTREAMS@|$upstreams|" \
    "$here/nginx.conf" >"$run/nginx/nginx.conf"
"$NGINX" -t -q -c "$run/nginx/nginx.conf" -p "$run/nginx"
"$NGINX" -c "$run/nginx/nginx.conf" -p "$run/nginx"

for i in $(seq "$replicas"); do  # each replica answers its health check (60 s at most)
    p=$((port + i))
    for _ in $(seq 600); do
        "$PYTHON" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$p/_stcore/health', timeout=1)" \
            2>/dev/null && break
        kill -0 "$(cat "$run/replica-$i.pid")" 2>/dev/null || { cat "$run/replica-$i.log" >&2; false; }
        sleep 0.1
    done
done
trap - ERR
echo "http://127.0.0.1:$port/"
