#!/usr/bin/env bash
# `make serve`: nginx on HOST:PORT in front of gunicorn on a private unix
# socket (see deploy/nginx.conf for why), and the background task worker
# (`manage.py tasks_worker`: mail, edge purges). With EDGE=varnish, Varnish
# listens on HOST:PORT in front of nginx, which moves to a private socket
# (deploy/varnish.vcl), and the app purges it (EDGE_URL). Runs in the
# foreground; stopping it (Ctrl-C, SIGTERM) stops them all, and any one
# exiting stops the others.
#
#   HOST, PORT   where readers connect (127.0.0.1:8000)
#   RUN_DIR      sockets, configs, pids, buffers, Varnish's work dir (a new temporary directory)
#   NGINX        the nginx binary (found on PATH or in /usr/sbin)
#   EDGE         "varnish" to put Varnish in front; empty for none
#   VARNISHD     the varnishd binary (found on PATH or in /usr/sbin)
#   VARNISH_MEMORY  Varnish's cache size (256m)
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
if [ ! -x "$NGINX" ]; then
  echo "make serve puts nginx in front of gunicorn, and nginx was not found." >&2
  echo "Install it: 'apt-get install nginx-light' (Debian, Ubuntu) or 'brew install nginx'." >&2
  exit 1
fi
EDGE=${EDGE:-}
if [ "$EDGE" = varnish ]; then
  VARNISHD=${VARNISHD:-$(command -v varnishd || echo /usr/sbin/varnishd)}
  if [ ! -x "$VARNISHD" ]; then
    echo "EDGE=varnish puts Varnish in front of nginx, and varnishd was not found." >&2
    echo "Install it with its modules (vmod_xkey): 'apt-get install varnish varnish-modules'." >&2
    exit 1
  fi
elif [ -n "$EDGE" ]; then
  echo "EDGE=$EDGE: make serve can start EDGE=varnish; for a CDN, set EDGE_URL (see the README)." >&2
  exit 1
fi
own_run_dir=false
if [ -z "${RUN_DIR:-}" ]; then RUN_DIR=$(mktemp -d -t magazine-serve.XXXXXX); own_run_dir=true; fi
mkdir -p "$RUN_DIR/tmp"

MEDIA_ROOT=$(.venv/bin/python -c 'import django; django.setup(); from django.conf import settings; print(settings.MEDIA_ROOT)')
mkdir -p "$MEDIA_ROOT"
SOCKET="$RUN_DIR/gunicorn.sock"
# As root (a container), nginx's workers would drop to `nobody`, who cannot
# reach the private socket; on a server, run `make serve` as a plain user.
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root;"
nginx_listen="$HOST:$PORT"
client_addr='$remote_addr'
if [ "$EDGE" = varnish ]; then
  nginx_listen="unix:$RUN_DIR/nginx.sock"
  client_addr='$http_x_forwarded_for'  # set by Varnish to the reader's address
  sed -e "s|@ORIGIN@|.path = \"$RUN_DIR/nginx.sock\";|" deploy/varnish.vcl >"$RUN_DIR/varnish.vcl"
  # The app purges Varnish from this machine; the VCL accepts purges from localhost only.
  varnish_listen=(-a "$HOST:$PORT")
  case "$HOST" in
    127.0.0.1|localhost|0.0.0.0) purge_addr="127.0.0.1:$PORT" ;;
    *) purge_addr="127.0.0.1:$PORT"; varnish_listen+=(-a "$purge_addr") ;;
  esac
  export EDGE_URL=${EDGE_URL:-varnish://$purge_addr}
fi
sed -e "s|@LISTEN@|$nginx_listen|" -e "s|@UPSTREAM@|unix:$SOCKET|" \
    -e "s|@MEDIA_ROOT@|$MEDIA_ROOT|" -e "s|@USER@|$user_line|" -e "s|@CLIENT_ADDR@|$client_addr|" \
    deploy/nginx.conf >"$RUN_DIR/nginx.conf"
"$NGINX" -t -q -p "$RUN_DIR/" -c "$RUN_DIR/nginx.conf" -e stderr

# nginx sets X-Forwarded-For to the client's address: one trusted proxy.
export TRUSTED_PROXIES=${TRUSTED_PROXIES:-1}
GUNICORN_BIND="unix:$SOCKET" .venv/bin/gunicorn -c gunicorn.conf.py magazine.wsgi &
gunicorn_pid=$!
"$NGINX" -p "$RUN_DIR/" -c "$RUN_DIR/nginx.conf" -e stderr &
nginx_pid=$!
# Mail and edge purges, from the queue in the database. SIGTERM lets it finish
# the task in hand; a task cut short anyway is run again (core/background.py).
# A worker that dies is started again after 5 s, and readers never notice:
# the site does not stop for it, its tasks wait in the queue.
(
  child=""
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait; exit 0' TERM INT
  while true; do
    .venv/bin/python manage.py tasks_worker --no-reload &
    child=$!
    wait "$child" || true
    echo "tasks_worker stopped; starting it again in 5 s" >&2
    sleep 5 & wait $! || true
  done
) &
worker_pid=$!
pids=("$gunicorn_pid" "$nginx_pid" "$worker_pid")
if [ "$EDGE" = varnish ]; then
  # -j none: as root (a container), the jail would run Varnish's compiler as
  # a user who cannot read the private RUN_DIR; on a server, run as a plain user.
  "$VARNISHD" -F -j none -n "$RUN_DIR/varnish" "${varnish_listen[@]}" -f "$RUN_DIR/varnish.vcl" \
    -s "malloc,${VARNISH_MEMORY:-256m}" &
  pids+=("$!")
  echo "Varnish on http://$HOST:$PORT/ → nginx on $RUN_DIR/nginx.sock → gunicorn on $SOCKET; purged at $EDGE_URL"
else
  echo "nginx on http://$HOST:$PORT/ → gunicorn on $SOCKET; media from $MEDIA_ROOT"
fi
echo "Background tasks: tasks_worker (pid $worker_pid); the queue is in the admin under Task results"

stop() {
  trap - EXIT INT TERM
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  if $own_run_dir; then rm -rf "$RUN_DIR"; fi
}
trap stop EXIT INT TERM
wait -n "${pids[@]}" || true
