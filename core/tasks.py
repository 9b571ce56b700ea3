"""One way to declare a background task.

Tasks are thin: they take primary keys, load the rows and call a service. They are enqueued with
``task.delay_on_commit(...)`` (Celery's Django task class, set in ``config/celery.py``), so a task never runs
for a transaction that rolled back. Every task shares one retry policy: only transient failures (the network,
the broker, the mail server) are retried, with exponential backoff and jitter, at most five times; a task is
acknowledged only once it has run, so a worker lost mid-task hands it to another (every task is safe to run
twice); and every task has a time limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.db import OperationalError

# The network, the broker or the mail server (OSError covers SMTP and sockets), and a lost or locked database.
TRANSIENT_ERRORS = (ConnectionError, TimeoutError, OSError, OperationalError)

RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "retry_kwargs": {"max_retries": 5},
    "acks_late": True,
    "soft_time_limit": 240,
    "time_limit": 300,
}


def task(**options: Any) -> Callable:
    """``@task()`` declares a Celery task with the shared retry policy; ``options`` override it (e.g. a longer
    time limit for a batch)."""
    return shared_task(**{**RETRY_POLICY, **options})
