# Galeri: `make run` to try it, `make test` to prove it. Every target is safe to re-run.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12+. The machine's `python3` may be older (pip then silently installs
# Django 5.2), so look for 3.13/3.12 by name, then in pyenv's versions when its shims are not active.
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[23]*/bin/python3.1[23] 2>/dev/null); do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

.PHONY: help install install-dev run serve test test-browser lint format migrate messages demo clean check-deploy bench audit screenshots outage-check backup-check

help:
	@echo "make run       install, migrate, load demo data once, serve at http://$(HOST):$(PORT)/"
	@echo "make test      install with dev tools and run every test (SQLite, or DATABASE_URL)"
	@echo "make lint      ruff check, ruff format --check, makemigrations --check"
	@echo "make serve     gunicorn with production-like settings (DEBUG off, whitenoise)"
	@echo "make audit     Lighthouse (mobile) on the seven public pages of make serve; fails below the floors"
	@echo "make screenshots  PNGs of every key page at 375 and 1280 px, both languages, in docs/screenshots/"
	@echo "make messages  update locale/*.po after changing user-facing strings"
	@echo "make backup-check  back up a demo database and media, restore into fresh ones, compare (docs/operations.md)"
	@echo "make outage-check  stop the machine's PostgreSQL for seconds under gunicorn: 503, then recovery"

$(VENV)/pyvenv.cfg:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Galeri needs Python 3.12 or newer (Django 6). Install python3.13 or python3.12, or run: make PYTHON=/path/to/python3.12 ..." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/pyvenv.cfg requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=.venv --locale=$* >/dev/null

install: $(VENV)/.installed $(MO_FILES)

install-dev: $(VENV)/.installed-dev $(MO_FILES)

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo --if-empty

run: demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-dev
	@if [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null; then \
		echo "NOTE: Chromium is missing, so browser tests are skipped. Install it: sudo apt-get install -y chromium"; fi
	$(BIN)/pytest $(PYTEST_ARGS)

test-browser: install-dev
	$(BIN)/pytest tests/browser $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(MANAGE) makemessages --locale=id --ignore=.venv --ignore=staticfiles --ignore=var --no-obsolete --add-location=file

# Production-like: DEBUG off, static files collected and served by whitenoise, gunicorn.
# Two sync workers per core is gunicorn's advice for CPU-bound Django on a 2-core machine.
PROD_ENV = DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/dev-secret-key 2>/dev/null || echo local-serve-only-not-secret)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 \
	SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 MAILER="$${MAILER:-console}" SERVE_MEDIA=1
serve: demo
	$(PROD_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	$(PROD_ENV) $(BIN)/gunicorn galeri.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-4} --access-logfile -

# What production will say: `manage.py check --deploy` with the documented production variables.
check-deploy: install
	DEBUG=0 SECRET_KEY="$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" ALLOWED_HOSTS=galeri.example.id \
		SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Performance: seeds PostgreSQL once (50,000 products), serves under gunicorn, loads every public page.
# BENCH_DB=sqlite|both for SQLite too; SOAK=300 for a 5-minute soak at 16 clients (docs/performance.md).
bench: install
	$(BIN)/python bench/run.py

# Page quality (docs/quality.md): Lighthouse 12.2.3 from audit/package-lock.json (npm ci into audit/node_modules),
# and screenshots; both start `make serve` on a spare port with their own demo database under var/.
audit: install
	$(BIN)/python scripts/audit.py $(AUDIT_ARGS)

screenshots: install-dev
	$(BIN)/python scripts/screenshots.py $(SCREENSHOT_ARGS)

# Operations (docs/operations.md). backup-check uses the databases galeri_restore_src/_dst on the local server;
# outage-check STOPS the machine's PostgreSQL cluster for a few seconds (never run it where others need it).
backup-check: install
	$(BIN)/python scripts/backup_restore_check.py

outage-check: install
	$(BIN)/python scripts/db_outage_check.py
