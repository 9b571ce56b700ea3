# The two commands: `make run` and `make test`. Both create the virtual environment on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint types migrate demo clean test-pg test-worker test-browser bench ci

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

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

types: install
	$(VENV)/bin/mypy

# The suite on the embedded default. The browser and worker lanes need Chromium, PostgreSQL and Redis;
# they have their own targets below and run in CI (.ci/run).
UNIT := -m "not browser and not worker"
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_URL ?= redis://127.0.0.1:6379/15

test: lint types
	$(VENV)/bin/pytest -q $(UNIT)

# The same suite on PostgreSQL.
test-pg: install
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q -p no:cacheprovider $(UNIT)

# Celery integration: a real `celery -A config worker` process on a Redis broker, PostgreSQL database.
test-worker: install
	DATABASE_URL=$(PG_URL) CELERY_BROKER_URL=$(REDIS_URL) CELERY_RESULT_BACKEND=$(REDIS_URL) \
		$(VENV)/bin/pytest -q -p no:cacheprovider -m worker tests/integration

# Browser journeys and accessibility checks in the system Chromium (apt-get install -y chromium).
test-browser: install
	$(VENV)/bin/pytest -q -p no:cacheprovider -m browser tests/e2e

# Scale benchmarks (not part of the test run): SIZES=100,1000,5000 make bench
SIZES ?= 100,1000,5000
bench: install
	$(PY) -m benchmarks.run --sizes $(SIZES) --json benchmarks/results.json

ci:
	./.ci/run

clean:
	rm -rf $(VENV) db.sqlite3 media-private test-artifacts
