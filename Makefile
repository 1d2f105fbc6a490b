# Two commands for a newcomer: `make demo` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist), each with its own test database; `make test PYTEST_WORKERS=0` runs in one.
PYTEST_WORKERS ?= auto

.PHONY: demo test install install-dev frontend messages lint typecheck security audit checks pytest rehearse clean

# The server, a task worker (PDFs, e-mail) and the scheduler (reminders, deadlines, ingest), stopped together.
demo: install frontend messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Serving Kommunedialog on http://$(HOST):$(PORT)/ with a task worker and the task scheduler"
	@$(PY) manage.py task_worker --no-reload & worker=$$!; \
	  $(PY) manage.py task_scheduler & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT; \
	  trap 'exit 0' INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite: linters, type checks, Django checks and every test (PostgreSQL when DATABASE_URL
# says so or a local server answers; the browser tests in headless Chromium).
test: install-dev frontend messages checks pytest rehearse

$(PY):
	@python=$$(scripts/find-python) && echo "Using $$python" && $$python -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.installed: pyproject.toml requirements/constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements/constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the Designsystemet CSS and htmx packages" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

frontend: node_modules/.installed

messages: install
	$(PY) manage.py compile_translations

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint kommunedialog --lint
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy

# Static security analysis; fails on any high-severity finding.
security: install-dev
	$(BIN)/bandit -q -r kommunedialog config -x '*/migrations/*' --severity-level high

# Known-vulnerability audit of the pinned set. Needs a vulnerability database (PyPI's JSON API or OSV)
# that CI's network does not reach, so it is run by hand, not in `make test`.
audit: install-dev
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/pip-audit -r requirements/constraints.txt --no-deps --disable-pip --strict

checks: lint typecheck security
	$(PY) manage.py makemigrations --check --dry-run
	@# Migrations that would break the running version during an upgrade (docs/deployment.md).
	$(PY) manage.py lint_migrations
	DJANGO_ENV=production DEBUG=false ALLOWED_HOSTS=kommunedialog.example EMAIL_URL=smtp+tls://localhost:587 \
	  REDIS_URL=redis://127.0.0.1:6379/5 \
	  SECRET_KEY=ci-only-check-deploy-key-9f8e7d6c5b4a39281706f5e4d3c2b1a0 \
	  $(PY) manage.py check --deploy --fail-level WARNING

pytest: install-dev
	@# In CI the strings are re-extracted first, so an untranslated new string fails the translation test.
	@if [ "$$CI" = "true" ]; then $(PY) manage.py makemessages -l nb -l nn -l en -e html,txt,py,svg --no-obsolete \
	  --ignore=node_modules --ignore=.venv --ignore=tests >/dev/null && $(PY) manage.py compile_translations; fi
	@if [ -z "$$DATABASE_URL" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then \
	  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kommunedialog; \
	  echo "Testing on the local PostgreSQL"; fi; \
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

# The production layout (docs/deployment.md) on this machine: gunicorn, a task worker, the scheduler and
# nginx (installed when missing) in production mode on PostgreSQL and Redis, driven through nginx only, then
# each process stopped to show the drive fails without it. Stops all it started; about 30 seconds.
rehearse: install frontend
	@if [ -z "$$DATABASE_URL" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then \
	  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kommunedialog; fi; \
	$(PY) deploy/rehearse.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
