#!/usr/bin/env bash
# `make serve`: nginx on HOST:PORT in front of gunicorn on a private unix
# socket (see deploy/nginx.conf for why). Runs in the foreground; stopping
# it (Ctrl-C, SIGTERM) stops both, and either one exiting stops the other.
#
#   HOST, PORT   where nginx listens (127.0.0.1:8000)
#   RUN_DIR      the socket, nginx's config, pid and buffers (a new temporary directory)
#   NGINX        the nginx binary (found on PATH or in /usr/sbin)
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
sed -e "s|@LISTEN@|$HOST:$PORT|" -e "s|@UPSTREAM@|unix:$SOCKET|" \
    -e "s|@MEDIA_ROOT@|$MEDIA_ROOT|" -e "s|@USER@|$user_line|" \
    deploy/nginx.conf >"$RUN_DIR/nginx.conf"
"$NGINX" -t -q -p "$RUN_DIR/" -c "$RUN_DIR/nginx.conf" -e stderr

# nginx sets X-Forwarded-For to the client's address: one trusted proxy.
export TRUSTED_PROXIES=${TRUSTED_PROXIES:-1}
GUNICORN_BIND="unix:$SOCKET" .venv/bin/gunicorn -c gunicorn.conf.py magazine.wsgi &
gunicorn_pid=$!
"$NGINX" -p "$RUN_DIR/" -c "$RUN_DIR/nginx.conf" -e stderr &
nginx_pid=$!
echo "nginx on http://$HOST:$PORT/ → gunicorn on $SOCKET; media from $MEDIA_ROOT"

stop() {
  trap - EXIT INT TERM
  kill -TERM "$gunicorn_pid" "$nginx_pid" 2>/dev/null || true
  wait "$gunicorn_pid" "$nginx_pid" 2>/dev/null || true
  if $own_run_dir; then rm -rf "$RUN_DIR"; fi
}
trap stop EXIT INT TERM
wait -n "$gunicorn_pid" "$nginx_pid" || true
