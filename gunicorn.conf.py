"""
gunicorn for `make serve` and production. Every value can be overridden from
the environment (GUNICORN_CMD_ARGS also works), so one file serves a laptop
and a fleet of machines behind a load balancer.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Django is synchronous: sync workers, about two per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Load the app once in the master: settings errors (a missing SECRET_KEY) stop
# the server at start instead of crashing workers in a loop, and a killed
# worker is replaced in milliseconds.
preload_app = True
# A request that takes longer than this is stuck; the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Slightly longer than a typical load balancer's idle timeout is wrong; shorter is right.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Recycle workers now and then so that a slow leak can never take a machine down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Logs to stdout/stderr for the process manager; the access log includes the
# time taken in microseconds (%(D)s) for latency hunting.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sµs "%(a)s"'

# The request line and headers a client may send; bodies are capped by the
# proxy in front (deploy/nginx.conf), which gunicorn has no setting for.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", 4094))
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", 50))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", 8190))

# Only the proxy may tell us the client's scheme (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "magazine"

# gunicorn 25+ opens a control socket at one path per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl), shared by every
# instance on the machine: a second instance takes it over and stopping either
# deletes it. Off, unless GUNICORN_CONTROL_SOCKET gives this instance its own.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
