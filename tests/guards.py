"""Refused writes prove nothing changed: one snapshot of the database, one assertion, used by every test.

``database_snapshot()`` reads every table of the test database (row count and a digest of every row).
``assert_unchanged()`` takes one before and one after a block and fails, naming the tables, if any differ.

The test client is wrapped once for the whole suite (``guard_refused_writes`` in ``tests/conftest.py``): every
POST/PUT/PATCH/DELETE a test sends that comes back 400, 403, 404 or 409 is checked this way, so a view that saves
and then refuses cannot pass any test — the access matrix's thousands of refused writes included.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import connection

REFUSED = frozenset({400, 403, 404, 409})
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Tables a refused request may legitimately change, each with the reason.
MAY_CHANGE = {
    # Signing in (force_login) and the messages framework keep per-browser state in the session row.
    "django_session",
    # A cache of derived figures, not data: any page that shows an apprentice's progress may (re)compute it.
    "reporting_progresssnapshot",
}

_allowed: list[str] = []


@contextmanager
def refused_write_may_save(reason: str) -> Iterator[None]:
    """Let the requests in this block be refused and still save (say why): a kept draft, an audited attempt."""
    assert reason.strip(), "say why this refused write may save"
    _allowed.append(reason)
    try:
        yield
    finally:
        _allowed.pop()


def refused_writes_are_checked() -> bool:
    return not _allowed


@functools.cache
def _tables() -> tuple[str, ...]:
    names = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            names.add(meta.db_table)
    return tuple(sorted(names - MAY_CHANGE))


def database_snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows (in primary-key order), outside any query capture.

    One query counts the rows of every table; only the tables that have rows are then read in full (most are
    empty in a test), so a snapshot costs a few milliseconds and the suite can take one around every write.
    """
    quote = connection.ops.quote_name
    tables = _tables()
    forced = connection.force_debug_cursor
    connection.force_debug_cursor = (
        False  # never counted by django_assert_num_queries / CaptureQueriesContext
    )
    try:
        with connection.cursor() as cursor:
            # Table names come from model metadata, quoted by the backend: nothing here comes from a request.
            counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
            cursor.execute(f"SELECT {counts}")  # noqa: S608
            snapshot = {table: (count, "") for table, count in zip(tables, cursor.fetchone(), strict=True)}
            for table, (count, _digest) in snapshot.items():
                if count:
                    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608
                    digest = hashlib.blake2b(repr(cursor.fetchall()).encode(), digest_size=16).hexdigest()
                    snapshot[table] = (count, digest)
        return snapshot
    finally:
        connection.force_debug_cursor = forced


def changed_tables(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> dict:
    """The tables whose rows differ, with (rows before, rows after)."""
    return {
        table: (before.get(table, (0, ""))[0], after.get(table, (0, ""))[0])
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    }


@contextmanager
def assert_unchanged(what: str = "the refused request") -> Iterator[None]:
    """Fail if any table changed inside the block."""
    before = database_snapshot()
    yield
    changed = changed_tables(before, database_snapshot())
    assert not changed, f"{what} changed the database (table: rows before, after): {changed}"
