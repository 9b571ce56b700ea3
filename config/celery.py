"""The Celery application; tasks are discovered in each app's tasks.py.

Tasks use Celery's Django task class, so services enqueue them with ``task.delay_on_commit(...)``: a task is
sent only when the transaction that asked for it commits. ``core.tasks.task`` declares them with one retry policy.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tripartite", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
