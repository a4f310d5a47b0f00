# The two commands a newcomer needs: `make run` and `make test`.
# Everything else (venv, install, migrations, demo content) happens on the way.

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python of 3.12 or newer on PATH (pyenv's shims included).
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 python; do \
	command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$c; break; }; done)

.PHONY: run test venv install migrate demo serve bench check clean help

help:
	@echo "make run    – set up everything and serve the site on http://$(HOST):$(PORT)/"
	@echo "make test   – the whole test suite (browser tests where Chromium is found)"
	@echo "make serve  – production settings: nginx in front of gunicorn and the task worker (needs nginx, SECRET_KEY,"
	@echo "              ALLOWED_HOSTS, SITE_URL …); EDGE=varnish puts Varnish in front (varnish, varnish-modules)"
	@echo "make bench  – load test: gunicorn on $(HOST):8103, 64 connections, 30 s (bench/load.sh),"
	@echo "              then the page-cache ratios at demo size and at scale (bench/ratios.py → bench/results.md),"
	@echo "              what each kind of change retires (bench/invalidation.py → bench/invalidation.md)"
	@echo "              and readers while an editor saves every 10 s (bench/writes.py → bench/writes.md)"

$(VENV)/.installed: requirements.txt requirements-test.txt
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is needed and none was found on PATH."; \
		echo "Install one: 'pyenv install 3.13' (then this folder's .python-version picks it),"; \
		echo "or your system's package, e.g. 'apt install python3.13 python3.13-venv'."; \
		exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-test.txt
	@touch $@

venv install: $(VENV)/.installed

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_editor

# Background tasks run at once in the server's process, unless
# TASKS_BACKEND=database: then a worker runs beside it, as under `make serve`.
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ — the admin is at http://$(HOST):$(PORT)/admin/"
	@if [ "$${TASKS_BACKEND:-}" = database ]; then \
		$(PY) manage.py tasks_worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
		echo "Background tasks: a worker (pid $$worker) runs them from the database"; \
	fi; \
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed lint
	$(PY) manage.py makemigrations --check --dry-run --settings=magazine.settings.test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Lint and format checks (ruff.toml), template indentation (djhtml); `make format` applies them.
.PHONY: lint format
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

# Production settings, as on a server: static files collected (compressed,
# fingerprinted), migrations applied, then nginx on $(HOST):$(PORT) in front of
# gunicorn on a private socket and the task worker (deploy/serve.sh,
# deploy/nginx.conf); EDGE=varnish puts Varnish in front (deploy/varnish.vcl).
EDGE ?=
PROD := DJANGO_SETTINGS_MODULE=magazine.settings.prod
serve: $(VENV)/.installed
	$(PROD) $(PY) manage.py check --deploy --fail-level ERROR
	$(PROD) $(PY) manage.py collectstatic --noinput -v 0
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) HOST=$(HOST) PORT=$(PORT) EDGE=$(EDGE) deploy/serve.sh

# BENCH_SCALE=lists,films,comments (10000,50000,200000; "none" skips the
# scale run); the scale database is seeded once (bench/scale.sqlite3) and
# reused. BENCH_CACHE_URL=redis://127.0.0.1:6379/N measures with Redis.
bench: migrate
	$(PY) manage.py bench_import
	bench/load.sh
	$(PY) bench/ratios.py
	$(PY) bench/invalidation.py | tee bench/invalidation.md
	$(PY) bench/writes.py

# Peak memory of a worker accepting the worst poster uploads (bench/poster_memory.py).
.PHONY: bench-posters
bench-posters: $(VENV)/.installed
	$(PY) bench/poster_memory.py

check: $(VENV)/.installed
	$(PY) manage.py check

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Browser audits against the demo magazine on 127.0.0.1:8115 (a throwaway
# SQLite file). Not part of `make test`. Needs Chromium (apt-get install
# chromium), Java (for the Nu HTML Checker) and npm; no browser is downloaded.
.PHONY: audit screenshots

# --ignore-scripts: vnu-jar's postinstall would download a JDK; the system Java runs vnu.jar.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

audit: $(VENV)/.installed node_modules/.installed
	$(PY) -m tools.audit

screenshots: $(VENV)/.installed
	$(PY) -m tools.screenshots
