# The two commands: `make run` and `make test`. Both create the virtual environment on first use, from the lock.
#
# Installs cannot drift: every direct and indirect dependency is pinned, with hashes, in uv.lock, and `make run`,
# `make test` and CI install exactly that (`uv sync --locked` also fails if pyproject.toml changed without a new
# lock). `make lock` is the one deliberate way to move to newer releases. uv itself is pinned here and installed
# from PyPI into .tools/ (a virtual environment of its own, so syncing .venv never removes it).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.10
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_ENV := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON=$(PYTHON) UV_NO_PROGRESS=1

.PHONY: run test install lock lint types migrate demo clean test-pg test-worker test-browser bench ci

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet uv==$(UV_VERSION)

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV_ENV) $(UV) sync --locked --extra dev --quiet
	touch $(STAMP)

# Upgrade every pinned dependency to the newest release pyproject.toml allows, then review and commit uv.lock.
lock: $(UV)
	$(UV_ENV) $(UV) lock --upgrade

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

types: install
	$(VENV)/bin/mypy

# The suite on the embedded default, in parallel on every core (pytest-xdist; each worker migrates its own test
# database once). Tests of one module go to one worker, so a world built once per module is built once; the
# modules in SPREAD (tests/conftest.py) are shared out test by test.
# The browser and worker lanes need Chromium, PostgreSQL and Redis; they have their own targets below and run in
# CI (.ci/run). Every run prints its 15 slowest tests (pyproject.toml's addopts).
UNIT := -m "not browser and not worker"
XDIST ?= -n auto --dist loadscope
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_URL ?= redis://127.0.0.1:6379/15

test: lint types
	$(VENV)/bin/pytest -q $(XDIST) $(UNIT)

# On PostgreSQL: every test whose outcome can depend on the database (db_agnostic ones ran on SQLite above).
test-pg: install
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q -p no:cacheprovider $(XDIST) \
		-m "not browser and not worker and not db_agnostic"

# Celery integration: a real `celery -A config worker` process on a Redis broker, PostgreSQL database.
test-worker: install
	DATABASE_URL=$(PG_URL) CELERY_BROKER_URL=$(REDIS_URL) CELERY_RESULT_BACKEND=$(REDIS_URL) \
		$(VENV)/bin/pytest -q -p no:cacheprovider -m worker tests/integration

# Browser journeys and accessibility checks in the system Chromium (apt-get install -y chromium).
# Two browsers in parallel; the demo is seeded once per worker and copied back before each journey.
test-browser: install
	$(VENV)/bin/pytest -q -p no:cacheprovider -n auto --dist load -m browser tests/e2e

# Scale benchmarks (not part of the test run): SIZES=100,1000,5000 make bench
SIZES ?= 100,1000,5000
bench: install
	$(PY) -m benchmarks.run --sizes $(SIZES) --json benchmarks/results.json

ci:
	./.ci/run

clean:
	rm -rf $(VENV) $(TOOLS) db.sqlite3 media-private test-artifacts
