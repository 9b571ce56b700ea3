"""A real Celery worker process on a real broker, sharing the test database (CI lane 3, `make test-worker`).

The lane runs with ``DATABASE_URL`` pointing at PostgreSQL and ``CELERY_BROKER_URL`` / ``CELERY_RESULT_BACKEND``
at Redis, so the test process publishes real messages and a separate ``celery -A config worker`` process
consumes them against the same test database.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
LOG_DIR = ROOT / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.worker)


def _require_production_shape() -> None:
    if not settings.CELERY_BROKER_URL or settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.fail(
            "The worker lane needs CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/15); see `make test-worker`."
        )
    if connection.vendor != "postgresql":
        pytest.fail(
            "The worker lane needs DATABASE_URL to PostgreSQL so the worker shares the test database."
        )
    if not settings.CELERY_RESULT_BACKEND:
        pytest.fail("The worker lane needs CELERY_RESULT_BACKEND so tests can wait for task results.")


class Worker:
    """Start and stop ``celery -A config worker`` against the test database."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.log_path = LOG_DIR / "celery-worker.log"

    def environment(self) -> dict[str, str]:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        if db.get("PASSWORD"):
            url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        return os.environ | {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}

    def start(self) -> None:
        if self.process is not None:
            return
        LOG_DIR.mkdir(exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                f"--hostname=ci-worker-{os.getpid()}@%h",
            ],  # fmt: skip
            cwd=ROOT,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"The Celery worker exited early; see {self.log_path}")
            replies = app.control.ping(timeout=1.0)
            if any(name.startswith(f"ci-worker-{os.getpid()}@") for reply in replies for name in reply):
                return
        pytest.fail(f"The Celery worker did not answer a ping within 60 s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    """A worker controller; tests start it when they want messages consumed. Stopped before the DB is dropped."""
    with django_db_blocker.unblock():
        _require_production_shape()
    controller = Worker()
    app.control.purge()
    yield controller
    controller.stop()
    app.control.purge()


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    """Poll until ``predicate()`` is truthy; returns its value or fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout} s waiting for {predicate.__doc__ or predicate}")


@pytest.fixture
def world(transactional_db):
    """The worker commits for real, so each test builds (and flushes) its own world."""
    from tests.conftest import build_world

    return build_world()
