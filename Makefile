# PPID Desk. Two commands do everything on a fresh machine:
#   make run    set up, migrate, seed demo data, serve on http://127.0.0.1:5000
#               (with a random session secret and data key written once into instance/)
#   make test   set up, then the whole suite (SQLite, then PostgreSQL when installed)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app ppid_desk
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 5000
SMTP_PORT ?= 8025

# Some machines set PYTHONDONTWRITEBYTECODE: every process would then compile ppid_desk afresh
# and every test worker would redo pytest's assertion rewriting (13 s of collecting instead of 4).
# The caches (__pycache__/) are git-ignored.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup secrets run test test-sqlite test-postgres chromium poppler redis db lint bench bench-load messages clean

# Compiled message catalogues (*.mo are built here, never committed).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

setup: $(VENV)/.installed static/vendor/htmx.min.js $(MO_FILES) db

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -i $< -o $@ -l $*

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

static/vendor/htmx.min.js: scripts/fetch_htmx.py scripts/npm_vendor.py
	$(PY) scripts/fetch_htmx.py

# axe-core for the browser accessibility tests only (git-ignored, never served).
AXE_JS := test-artifacts/vendor/axe.min.js
$(AXE_JS): scripts/fetch_axe.py scripts/npm_vendor.py $(VENV)/.installed
	$(PY) scripts/fetch_axe.py

# Development secrets: instance/secret.key (SECRET_KEY) and instance/data.key (DATA_KEY), written
# once, mode 0600. The app reads them; without a real secret it refuses to start outside debug/testing.
secrets: $(VENV)/.installed
	$(PY) scripts/instance_secrets.py

db: $(VENV)/.installed secrets
	$(FLASK) db upgrade
	$(FLASK) ppid calendar import $$(date +%Y) $$(( $$(date +%Y) + 1 ))

run: setup redis
	$(FLASK) ppid seed-demo
	HOST=$(HOST) PORT=$(PORT) SMTP_PORT=$(SMTP_PORT) VENV=$(VENV) bash scripts/with_redis.sh bash scripts/run_demo.sh

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Poppler's pdfinfo, pdftotext and pdftoppm: the browser journeys read the PDFs they print and
# render them to images in test-artifacts/, as a person would open them.
poppler:
	@command -v pdftoppm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

# Redis: the rate-limit storage every worker shares. `make run` and the suite each start a
# private one (scripts/with_redis.sh: a free port, a temporary folder, stopped at the end).
redis:
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

# The browser journeys test the pages in a real browser, not the database (every query they
# reach is tested on both databases by the rest of the suite): with PostgreSQL installed they run
# once, in its half (production's database); without it, on SQLite. `make test-sqlite` alone runs
# everything on SQLite.
# PostgreSQL's cluster tool when it is installed (empty otherwise): it decides both halves below.
PG_CTLCLUSTER := $(shell command -v pg_ctlcluster 2>/dev/null)
SQLITE_HALF_ARGS := $(if $(PG_CTLCLUSTER),-m "not browser")

test: setup chromium poppler redis $(AXE_JS)
	$(MAKE) --no-print-directory test-sqlite PYTEST_ARGS='$(SQLITE_HALF_ARGS) $(PYTEST_ARGS)'
	$(MAKE) --no-print-directory test-postgres

test-sqlite: redis
	@echo "== test suite on SQLite =="
	bash scripts/with_redis.sh $(PY) -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

test-postgres: redis
ifdef PG_CTLCLUSTER
	@echo "== test suite on PostgreSQL =="
	url=$$(bash scripts/postgres_test_server.sh) && \
	  PPID_TEST_DATABASE_URL=$$url bash scripts/with_redis.sh $(PY) -m pytest -n auto --dist worksteal $(PYTEST_ARGS)
else
	@echo "PostgreSQL is not installed: suite ran on SQLite only"
endif

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check ppid_desk tests bench scripts

# One table of every figure of issue 17 beside its baseline, measured in the same run: gunicorn
# (2 sync workers) with wrk (apt-get installs it when missing), memory, page weight, the outbox
# sender and monev (bench/README.md). The other benches in bench/ run by hand.
bench: setup
	$(PY) bench/run.py

# Load: gunicorn (2 workers) under concurrent citizens and officers, SQLite then PostgreSQL (bench/README.md).
BENCH_LOAD_ARGS ?=
bench-load: setup
	$(PY) bench/load.py --database sqlite $(BENCH_LOAD_ARGS)
	@if command -v pg_ctlcluster >/dev/null; then \
	  url=$$(bash scripts/postgres_test_server.sh) && \
	  DATABASE_URL=$${DATABASE_URL:-$$url} $(PY) bench/load.py --database postgresql $(BENCH_LOAD_ARGS); \
	else echo "PostgreSQL is not installed: load benchmark ran on SQLite only"; fi

# Extract the strings and merge them into every catalogue: translate the new (empty) and fuzzy
# entries, then `make setup` compiles; tests/test_i18n.py fails while any is left.
messages: $(VENV)/.installed
	mkdir -p translations && $(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 --add-location=file \
	  --sort-output --project="PPID Desk" -w 100 -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations -w 100 --previous --ignore-obsolete

clean:
	rm -rf $(VENV) static/vendor test-artifacts .pytest_cache
