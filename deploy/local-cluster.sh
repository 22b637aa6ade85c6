#!/usr/bin/env bash
# The scale-out topology of Bali One Data, for real, on this machine's loopback:
#
#   nginx :8080 ──► app 1 :8101, app 2 :8102, … (gunicorn, `onedata serve`)
#                      │
#        PostgreSQL 127.0.0.1:5432 (database onedata_cluster) · Redis 127.0.0.1:6379/2
#        (cache, sessions, rate limits, RQ queue) · task workers 1…M (`onedata worker`,
#        RQ) · files in one shared folder (MEDIA_ROOT) · a mail sink standing in for the
#        SMTP relay (EMAIL_URL)
#
#   deploy/local-cluster.sh start      # migrate, then start everything (idempotent)
#   deploy/local-cluster.sh revive     # start what is down (after a crash), no migration
#   deploy/local-cluster.sh stop       # stop everything it started
#   deploy/local-cluster.sh status     # each process, and /readyz through nginx
#   deploy/local-cluster.sh env        # the environment the processes run with
#
# Knobs: CLUSTER_APPS (2), CLUSTER_WORKERS (2), CLUSTER_PORT (8080), CLUSTER_DIR
# (var/cluster), CLUSTER_DATABASE_URL, CLUSTER_REDIS_URL, WEB_CONCURRENCY (2 per app),
# WEB_THREADS (4). PostgreSQL and Redis are the machine's own services (or any named by
# CLUSTER_DATABASE_URL / CLUSTER_REDIS_URL, e.g. throwaway ones for tests/faults); nginx is
# Debian's (installed with apt-get when missing). docs/deploy.md maps every piece to
# separate hosts.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
APPS=${CLUSTER_APPS:-2}
WORKERS=${CLUSTER_WORKERS:-2}
PORT=${CLUSTER_PORT:-8080}
DIR=$(realpath -m "${CLUSTER_DIR:-var/cluster}")
RUN=$DIR/run
LOG=$DIR/log
PY=${PYTHON:-$ROOT/.venv/bin/python}
DATABASE_URL_CLUSTER=${CLUSTER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/onedata_cluster}
REDIS_URL_CLUSTER=${CLUSTER_REDIS_URL:-redis://127.0.0.1:6379/2}
MAIL_PORT=$((PORT + 25))
APP_PORT0=$((PORT + 20))  # app i listens on APP_PORT0 + i

say() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

cluster_env() {
    # One environment for every process: production mode, shared state outside processes.
    local secret
    secret=$(cat "$DIR/secret_key")
    cat <<EOF
ONEDATA_MODE=production
SECRET_KEY=$secret
ONEDATA_VAR_DIR=$DIR
DATABASE_URL=$DATABASE_URL_CLUSTER
REDIS_URL=$REDIS_URL_CLUSTER
EMAIL_URL=smtp://127.0.0.1:$MAIL_PORT
MEDIA_ROOT=$DIR/media
STATIC_ROOT=$DIR/static
SITE_URL=http://127.0.0.1:$PORT
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$PORT,http://localhost:$PORT
TRUSTED_PROXY_COUNT=1
PROMETHEUS_MULTIPROC_DIR=$DIR/prometheus
LOG_FORMAT=json
GUNICORN_CMD_ARGS=--keep-alive=75
EOF
}

# shellcheck disable=SC2046 # the values hold no spaces: one word per VAR=value
with_env() { env $(cluster_env | xargs) "$@"; }

# Alive and not a zombie (a killed process nobody has reaped yet still answers kill -0).
pid_alive() {
    [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null \
        && ! grep -qE '^[0-9]+ \(.*\) Z' "/proc/$(cat "$1")/stat" 2>/dev/null
}

# Start "$@" in its own session, output to $LOG/$name.log, pid in $RUN/$name.pid.
spawn() {
    local name=$1
    shift
    if pid_alive "$RUN/$name.pid"; then
        say "$name already running (pid $(cat "$RUN/$name.pid"))"
        return
    fi
    # shellcheck disable=SC2046
    setsid env $(cluster_env | xargs) "$@" >>"$LOG/$name.log" 2>&1 </dev/null &
    echo $! >"$RUN/$name.pid"
    say "$name started (pid $!)"
}

wait_http() {
    local url=$1 seconds=$2 i
    for ((i = 0; i < seconds * 2; i++)); do
        if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
        sleep 0.5
    done
    return 1
}

need_nginx() {
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && return 0
    say "installing Debian's nginx ..."
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light \
        || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx
}

write_nginx_conf() {
    local upstreams="" i
    for ((i = 1; i <= APPS; i++)); do
        # max_fails/fail_timeout: a dead app server is skipped for 5 s after one failure;
        # proxy_next_upstream retries the request on the next one (see below).
        upstreams+="        server 127.0.0.1:$((APP_PORT0 + i)) max_fails=1 fail_timeout=5s;"$'\n'
    done
    cat >"$DIR/nginx.conf" <<EOF
worker_processes 1;
pid $RUN/nginx.pid;
error_log $LOG/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log $LOG/nginx-access.log;
    client_body_temp_path $DIR/nginx-tmp/body;
    proxy_temp_path $DIR/nginx-tmp/proxy;
    fastcgi_temp_path $DIR/nginx-tmp/fastcgi;
    uwsgi_temp_path $DIR/nginx-tmp/uwsgi;
    scgi_temp_path $DIR/nginx-tmp/scgi;
    client_max_body_size 60m;
    upstream onedata {
$upstreams        keepalive 32;
        # Close idle connections to the app before gunicorn does (--keep-alive=75 above):
        # otherwise nginx may reuse one gunicorn is closing, and a POST on it gets a 502.
        keepalive_timeout 60s;
    }
    server {
        listen 127.0.0.1:$PORT;
        location /static/ { alias $DIR/static/; expires 7d; }
        location / {
            proxy_pass http://onedata;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            # An app server that refuses the connection: try the next one. A POST that
            # reached a server which then died is NOT sent again (no non_idempotent):
            # the client gets a 502 and no write can happen twice.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries $APPS;
        }
    }
}
EOF
}

cmd_start() {
    mkdir -p "$RUN" "$LOG" "$DIR/media" "$DIR/static" "$DIR/prometheus" "$DIR/nginx-tmp"
    [ -f "$DIR/secret_key" ] || (umask 077 && "$PY" -c \
        'import secrets; print(secrets.token_urlsafe(50))' >"$DIR/secret_key")
    [ -x "$PY" ] || die "no Python at $PY (run make test or make demo once to build .venv)"
    need_nginx
    local server=${DATABASE_URL_CLUSTER%/*} db=${DATABASE_URL_CLUSTER##*/}
    pg_isready -q -d "$server/postgres" || die "PostgreSQL is not answering at ${server#*@}"
    [ "$(redis-cli -u "$REDIS_URL_CLUSTER" ping 2>/dev/null)" = PONG ] \
        || die "Redis is not answering at $REDIS_URL_CLUSTER"
    if ! psql "$server/postgres" -Atc \
        "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
        psql "$server/postgres" -qc "CREATE DATABASE \"$db\""
        say "created database $db"
    fi
    say "migrating and collecting static files ..."
    with_env "$PY" -m onedata.cli manage migrate --no-input -v 0
    with_env "$PY" -m onedata.cli manage collectstatic --no-input -v 0
    rm -f "$DIR"/prometheus/*.db
    spawn_all
}

# Start whatever is not running (after a crash, or to add app servers), without migrating.
spawn_all() {
    spawn mailsink "$PY" -m onedata.cli mailsink --port "$MAIL_PORT"
    local i
    for ((i = 1; i <= APPS; i++)); do
        spawn "app$i" "$PY" -m onedata.cli serve --bind "127.0.0.1:$((APP_PORT0 + i))"
    done
    for ((i = 1; i <= WORKERS; i++)); do
        spawn "worker$i" "$PY" -m onedata.cli worker
    done
    # Periodic tasks (One Data refreshes, alerts, no-shows…); more than one is safe.
    spawn scheduler "$PY" -m onedata.cli scheduler
    write_nginx_conf
    if pid_alive "$RUN/nginx.pid"; then
        nginx -c "$DIR/nginx.conf" -s reload
    else
        nginx -c "$DIR/nginx.conf"
        say "nginx started on 127.0.0.1:$PORT"
    fi
    for ((i = 1; i <= APPS; i++)); do
        wait_http "http://127.0.0.1:$((APP_PORT0 + i))/healthz" 60 \
            || die "app$i did not answer /healthz (see $LOG/app$i.log)"
    done
    wait_http "http://127.0.0.1:$PORT/readyz" 30 || die "nginx did not pass /readyz through"
    say "ready: http://127.0.0.1:$PORT/  ($APPS app servers, $WORKERS workers)"
}

stop_one() {
    local name=$1 pidfile=$RUN/$1.pid pid
    pid_alive "$pidfile" || { rm -f "$pidfile"; return; }
    pid=$(cat "$pidfile")
    # An RQ work horse runs in a session of its own: not reached through the group.
    local kids
    kids=$(pgrep -P "$pid" 2>/dev/null || true)
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    # shellcheck disable=SC2086 # one pid per word
    [ -z "$kids" ] || kill -KILL $kids 2>/dev/null || true
    rm -f "$pidfile"
    say "$name stopped"
}

cmd_stop() {
    if pid_alive "$RUN/nginx.pid"; then
        nginx -c "$DIR/nginx.conf" -s quit 2>/dev/null || kill "$(cat "$RUN/nginx.pid")"
        say "nginx stopped"
    fi
    local pidfile
    for pidfile in "$RUN"/*.pid; do
        [ -e "$pidfile" ] || continue
        [ "$(basename "$pidfile")" = nginx.pid ] && continue
        stop_one "$(basename "$pidfile" .pid)"
    done
}

cmd_status() {
    local pidfile name state=0
    for pidfile in "$RUN"/*.pid; do
        [ -e "$pidfile" ] || continue
        name=$(basename "$pidfile" .pid)
        if pid_alive "$pidfile"; then
            printf '%-10s up    pid %s\n' "$name" "$(cat "$pidfile")"
        else
            printf '%-10s DOWN\n' "$name"
            state=1
        fi
    done
    if curl -fsS "http://127.0.0.1:$PORT/readyz" 2>/dev/null; then
        echo
    else
        echo "readyz through nginx: not answering"
        state=1
    fi
    return $state
}

case "${1:-}" in
start) cmd_start ;;
revive) [ -f "$DIR/secret_key" ] || die "not set up: run start first"; spawn_all ;;
stop) cmd_stop ;;
status) cmd_status ;;
env) cluster_env ;;
*) echo "usage: $0 start|revive|stop|status|env" >&2; exit 2 ;;
esac
