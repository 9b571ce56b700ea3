"""Moving models between apps loses nothing.

The one-house restructuring moved models into apps of their own (``otj``, ``epa``, ``training_plans``) with
``SeparateDatabaseAndState``: the tables stay, only Django's idea of which app owns them changes. This test
proves it on the engine under test (SQLite in ``make test``, PostgreSQL in ``make test-pg``): a scratch database
is migrated and filled by the demo **with the code of the commit before the move**, then migrated forward with
today's code, and every table keeps every row (a count and a checksum per table).

Two tables may differ, and how is checked too: ``django_migrations`` only gains rows, and
``django_content_type`` keeps every row and id (a data migration renames the moved models' app labels, so
permissions and anything pointing at a content type still do).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.engine

REPO = Path(__file__).resolve().parents[2]
# The last commit before any model moved between apps.
BEFORE_THE_MOVE = "eb0c2ad"
GROWS_ONLY = {"django_migrations"}
RELABELLED = {"django_content_type"}
# Later migrations that change rows on purpose, and how each old row is found again: the one role vocabulary
# for signatures (tutors 0002 renames review roles), and the gateway sign-off's content hash (epa 0003 adds a
# column, blank on the old rows).
ROLES_RENAMED = {
    table: {"employer": "line_manager", "provider": "tutor"}
    for table in ("tutors_reviewsignature", "tutors_reviewdecline")
}
COLUMNS_ADDED = {"assessments_gatewaysignoff": {"content_hash"}}


def _checkout(commit: str, into: Path) -> Path:
    """The files of ``commit`` (from git's object store, so the working tree is untouched)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=REPO, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


class Scratch:
    """A scratch database on the engine under test, with a DATABASE_URL and plain DB-API access."""

    def __init__(self, tmp_path: Path):
        db = settings.DATABASES["default"]
        self.postgres = db["ENGINE"].endswith("postgresql")
        if self.postgres:
            self.name = f"move_check_{uuid.uuid4().hex[:10]}"
            self.params = {
                "host": db["HOST"] or "127.0.0.1",
                "port": db["PORT"] or 5432,
                "user": db["USER"],
                "password": db["PASSWORD"],
            }
            self._admin(f'CREATE DATABASE "{self.name}"')
            auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
            self.url = f"postgres://{auth}{self.params['host']}:{self.params['port']}/{self.name}"
        else:
            self.path = tmp_path / "moves.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as conn:
            conn.execute(sql)

    def connect(self):
        if self.postgres:
            import psycopg

            return psycopg.connect(dbname=self.name, **self.params)
        import sqlite3

        return sqlite3.connect(self.path)

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def tables(self) -> dict[str, tuple[int, str]]:
        """Every table's row count and a checksum of its rows in a stable order."""
        with self.connect() as conn:
            cur = conn.cursor()
            if self.postgres:
                cur.execute("select tablename from pg_tables where schemaname = 'public'")
            else:
                cur.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
            names = sorted(row[0] for row in cur.fetchall())
            result = {}
            for name in names:
                cur.execute(f'select * from "{name}"')  # noqa: S608 - table names come from the catalogue
                rows = sorted(repr(_as_before(name, cur.description, row)) for row in cur.fetchall())
                result[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
            return result

    def rows(self, sql: str) -> set[tuple]:
        with self.connect() as conn:
            cur = conn.cursor()
            cur.execute(sql)
            return {tuple(row) for row in cur.fetchall()}


def _as_before(table: str, description, row) -> tuple:
    """A row as it was before the later, deliberate changes (``ROLES_RENAMED``, ``COLUMNS_ADDED``), by column
    name (a table SQLite rebuilt for a changed column may list its columns in another order)."""
    names = [column[0] for column in description]
    added, renamed = COLUMNS_ADDED.get(table, set()), ROLES_RENAMED.get(table, {})
    values = {
        name: renamed.get(value, value) if name == "role" else value
        for name, value in zip(names, row, strict=True)
        if name not in added
    }
    return tuple(sorted(values.items(), key=lambda item: item[0]))


def _manage(tree: Path, scratch: Scratch, media: Path, *args: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": scratch.url,
        "PRIVATE_MEDIA_ROOT": str(media),
        "DJANGO_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": "",
        "PYTHONPATH": str(tree),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=tree, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} in {tree} failed:\n{result.stderr[-3000:]}"


@pytest.fixture
def scratch(tmp_path):
    db = Scratch(tmp_path)
    yield db
    db.drop()


def test_a_demo_database_from_before_the_move_keeps_every_row_of_every_table(tmp_path, scratch):
    before_tree = _checkout(BEFORE_THE_MOVE, tmp_path / "before")
    media = tmp_path / "media"
    _manage(before_tree, scratch, media, "migrate", "--noinput", "-v0")
    _manage(before_tree, scratch, media, "seed_demo")
    before = scratch.tables()
    content_types_before = scratch.rows("select id from django_content_type")
    migrations_before = scratch.rows("select app, name from django_migrations")
    assert before["programmes_enrolment"][0] > 0, "the demo filled the database"

    _manage(REPO, scratch, media, "migrate", "--noinput", "-v0")
    after = scratch.tables()

    lost = sorted(set(before) - set(after))
    assert not lost, f"tables dropped by the move: {lost}"
    changed = {
        name: (before[name], after[name])
        for name in before
        if name not in GROWS_ONLY | RELABELLED and before[name] != after[name]
    }
    assert not changed, f"tables whose rows changed (count, checksum before → after): {changed}"
    assert migrations_before <= scratch.rows("select app, name from django_migrations")
    assert scratch.rows("select id from django_content_type") == content_types_before
    # The moved models' content types now carry their new app labels, not a second row each.
    labels = scratch.rows("select app_label, model from django_content_type")
    assert len(labels) == len(content_types_before)
