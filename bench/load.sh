#!/usr/bin/env bash
# Load test (`make bench`, never part of `make test`): serves the site with
# `make serve` (production settings, gunicorn, whitenoise) on 127.0.0.1, drives
# the pages below with wrk, then does it again while one worker is killed, then
# holds half-sent requests open ("slowloris", one per worker) and times
# /healthz through nginx and, for comparison, straight on gunicorn's socket.
#
# Pages driven, round robin. A page that does not answer 200 before the run
# (e.g. /search/ on a branch where search is not built yet) is left out with a
# note, so the list can name pages before they exist.
URLS=(
  "/"
  "/articles/top-20-sad-romance-anime-movies/"
  "/films/your-name/"
  "/search/?q=shinkai"
)
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=127.0.0.1
PORT=${BENCH_PORT:-8103}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
DURATION=${BENCH_DURATION:-30}
THREADS=${BENCH_THREADS:-4}
WORK=$(mktemp -d)

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk"
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi

# Production settings, minus TLS: on the loopback there is no proxy to end
# it, so the HTTPS redirect is off for the bench only.
export DJANGO_SETTINGS_MODULE=bench.settings
export SECRET_KEY=${SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}
export SECURE_SSL_REDIRECT=false
export DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/bench/bench.sqlite3}
export GUNICORN_ACCESSLOG=${GUNICORN_ACCESSLOG:-/dev/null}  # 100k access lines would drown the figures
export GUNICORN_CMD_ARGS="--pid $WORK/gunicorn.pid ${GUNICORN_CMD_ARGS:-}"
export RUN_DIR="$WORK/run"  # deploy/serve.sh puts gunicorn's socket there

echo "== database: ${DATABASE_URL%%@*}…  cache: ${REDIS_URL:-${CACHE_URL:-local memory}}"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_demo

echo "== make serve on http://$HOST:$PORT/ (log: $WORK/serve.log)"
setsid make --no-print-directory serve HOST=$HOST PORT=$PORT >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
cleanup() { kill -TERM -- "-$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -fs "http://$HOST:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://$HOST:$PORT/healthz" >/dev/null || { echo "server did not start:"; tail -30 "$WORK/serve.log"; exit 1; }
MASTER=$(cat "$WORK/gunicorn.pid")
echo "   gunicorn master $MASTER, workers: $(pgrep -P "$MASTER" | tr '\n' ' ')"

PATHS=()
for url in "${URLS[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$PORT$url")
  if [ "$code" = 200 ]; then PATHS+=("$url"); else echo "   skipped $url (answers $code on this branch)"; fi
done
echo "   driving: ${PATHS[*]}"

LUA="$WORK/paths.lua"
{
  printf 'local paths = {'; printf '"%s",' "${PATHS[@]}"; printf '}\n'
  cat <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
non2xx = 0
response = function(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f non2xx=%d socket_errors=%d error_pct=%.3f\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    bad, socket, 100 * (bad + socket) / math.max(summary.requests, 1)))
end
LUA
} >"$LUA"

run_wrk() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s "$LUA" "http://$HOST:$PORT" | grep '^RESULT' | sed 's/^RESULT //'; }

echo "== run 1: $CONNECTIONS connections, ${DURATION}s"
ONE=$(run_wrk); echo "   $ONE"

echo "== run 2: same, one worker killed (SIGKILL) half-way"
run_wrk >"$WORK/two" &
WRK=$!
sleep $((DURATION / 2))
VICTIM=$(pgrep -P "$MASTER" | head -1)
kill -KILL "$VICTIM" && echo "   killed worker $VICTIM at ${DURATION}/2 s"
wait "$WRK"
TWO=$(cat "$WORK/two"); echo "   $TWO"
echo "   workers now: $(pgrep -P "$MASTER" | tr '\n' ' ')"

echo "== run 3: slow clients, one half-sent request per worker, then time /healthz"
slowloris() {  # $1: tcp:HOST:PORT or unix:PATH; $2: connections to hold
  .venv/bin/python - "$1" "$2" <<'PY'
import http.client, socket, sys, time
kind, address = sys.argv[1].split(":", 1)
def connect():
    if kind == "unix":
        sock = socket.socket(socket.AF_UNIX); sock.connect(address); return sock
    host, port = address.rsplit(":", 1); return socket.create_connection((host, int(port)))
held = [connect() for _ in range(int(sys.argv[2]))]
for sock in held:
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
time.sleep(0.5)
probe = connect(); probe.settimeout(120)
started = time.monotonic()
probe.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
status = probe.recv(12).decode().split(" ")[-1] or "none"
print(f"status={status} healthz_ms={(time.monotonic() - started) * 1000:.0f}")
PY
}
WORKERS=$(pgrep -P "$MASTER" | wc -l)
VIA_NGINX=$(slowloris "tcp:$HOST:$PORT" "$WORKERS"); echo "   through nginx:        $VIA_NGINX"
DIRECT=$(slowloris "unix:$RUN_DIR/gunicorn.sock" "$WORKERS"); echo "   straight to gunicorn: $DIRECT (what \`make serve\` exposed before nginx)"

value() { echo "$1" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
status=0
if [ "$(value "$ONE" non2xx)" != 0 ] || [ "$(value "$ONE" socket_errors)" != 0 ]; then
  echo "FAIL: run 1 had non-2xx answers or socket errors"; status=1
fi
if ! awk -v p="$(value "$TWO" error_pct)" 'BEGIN { exit !(p < 1) }'; then
  echo "FAIL: run 2 errors are not under 1%"; status=1
fi
if [ "$(value "$VIA_NGINX" status)" != 200 ] || [ "$(value "$VIA_NGINX" healthz_ms)" -ge 1000 ]; then
  echo "FAIL: slow clients delayed /healthz through nginx by a second or more"; status=1
fi
[ $status = 0 ] && echo "== bench passed: no non-2xx answers; errors with a killed worker under 1%; slow clients do not delay /healthz"
exit $status
