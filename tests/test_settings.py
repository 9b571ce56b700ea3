"""Settings come from the environment; production refuses to start unsafely and passes the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7Hq-2vLp9Zr_mN4sT8wYb3KcF6jD1gA5eUoRiQ0lVhXnPzCyE-tested-key",
    "DJANGO_ALLOWED_HOSTS": "apprenticeships.example.ac.uk",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.ac.uk:587",
}
CLEAN_ENV = {
    k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "EMAIL_"))
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed argument list
        [sys.executable, *args],
        cwd=ROOT,
        env={**CLEAN_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name: str, **env: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = run(["-c", code], DJANGO_SETTINGS_MODULE="config.settings", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_deploy_check_passes_without_warnings_under_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
        ("EMAIL_URL", "EMAIL_URL"),
    ],
)
def test_production_refuses_to_start_without_required_setting(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_a_misspelt_boolean_is_an_error_not_false():
    result = run(["manage.py", "check"], DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("file-secret-" + "k" * 50 + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    assert setting("SECRET_KEY", DJANGO_SECRET_KEY_FILE=str(secret_file), **env) == "file-secret-" + "k" * 50


def test_development_defaults_are_sqlite_eager_celery_and_the_outbox():
    assert setting("DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert setting("CELERY_TASK_ALWAYS_EAGER") == "True"
    assert setting("EMAIL_BACKEND") == "accounts.mail.OutboxEmailBackend"
    assert setting("TIME_ZONE") == "Europe/London"


def test_database_url_switches_to_postgresql_and_a_broker_turns_off_eager_mode():
    env = {
        "DATABASE_URL": "postgres://app@db.internal:5432/tripartite",
        "CELERY_BROKER_URL": "redis://r:6379/0",
    }
    assert setting("DATABASES['default']['ENGINE']", **env) == "django.db.backends.postgresql"
    assert setting("CELERY_TASK_ALWAYS_EAGER", **env) == "False"


def test_smtp_comes_from_email_url_in_production():
    assert setting("EMAIL_BACKEND", **PRODUCTION) == "django.core.mail.backends.smtp.EmailBackend"
    assert setting("EMAIL_HOST", **PRODUCTION) == "smtp.example.ac.uk"
