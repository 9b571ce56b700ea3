"""The two ways the seeder writes rows: ``create_rows`` (``bulk_create`` of model instances) and ``insert_rows``
(tuples through ``cursor.executemany``, for the biggest tables); both count what they wrote in ``World.rows``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from benchmarks.seeding.world import World

BATCH_SIZE = 1000
INSERT_CHUNK = 20_000  # rows per executemany call of ``insert_rows``


def create_rows(w: World, model: type[models.Model], objs: list) -> list:
    created = model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
    if created and created[0].pk is None:  # pragma: no cover - every supported backend returns primary keys
        raise RuntimeError(f"{model.__name__}.bulk_create did not return primary keys on this database.")
    w.rows[model._meta.label] = w.rows.get(model._meta.label, 0) + len(created)
    return created


def next_pk(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def insert_rows(
    w: World, model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple], *, pks: bool = False
) -> range | None:
    """Insert ``rows`` (tuples of values for ``fields``, by name or attname) with ``cursor.executemany``: what
    ``bulk_create`` does, without a model instance per row, for the biggest tables.

    Values are adapted by the database backend exactly as the ORM adapts them (dates, datetimes, decimals, JSON;
    a repeated date or time is adapted once); the fields left out get their default, as a new instance would
    (a callable default is refused: one value would be shared by every row). With ``pks`` the rows get explicit
    primary keys after the table's largest, returned as a range in row order; with ``pks`` or an explicit ``id``
    among ``fields``, the table's sequence is then moved past them (PostgreSQL; SQLite follows explicit keys
    itself). The same SQL on SQLite and PostgreSQL.
    """
    opts = model._meta
    ops = connection.ops
    given = [opts.get_field(name) for name in fields]
    rest = [f for f in opts.concrete_fields if f not in given and not f.primary_key]
    for f in rest:
        if f.has_default() and callable(f.default):
            raise ValueError(f"{model.__name__}.{f.name} has a callable default: give its values.")

    def adapter(f: models.Field) -> Callable | None:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            return functools.lru_cache(maxsize=1 << 16)(ops.adapt_datetimefield_value)
        if kind == "DateField":
            return functools.lru_cache(maxsize=1 << 16)(ops.adapt_datefield_value)
        if kind == "DecimalField":
            return functools.lru_cache(maxsize=1 << 10)(
                functools.partial(
                    ops.adapt_decimalfield_value, max_digits=f.max_digits, decimal_places=f.decimal_places
                )
            )
        if kind == "JSONField":
            return functools.partial(f.get_db_prep_save, connection=connection)
        return None

    adapters = [(n, a) for n, a in ((n, adapter(f)) for n, f in enumerate(given)) if a is not None]
    fixed = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    columns = [f.column for f in (*given, *rest)]
    start = 0
    if pks:
        start = next_pk(model)
        columns.insert(0, opts.pk.column)
    qn = ops.quote_name
    sql = (
        f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608 - quoted names from the model
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for first in range(0, len(rows), INSERT_CHUNK):
            chunk = []
            for n, row in enumerate(rows[first : first + INSERT_CHUNK], start + first):
                if adapters:
                    row = list(row)
                    for k, adapt in adapters:
                        row[k] = adapt(row[k])
                chunk.append((n, *row, *fixed) if pks else (*row, *fixed))
            cursor.executemany(sql, chunk)
        if pks or opts.pk in given:
            for statement in ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)
    w.rows[opts.label] = w.rows.get(opts.label, 0) + len(rows)
    return range(start, start + len(rows)) if pks else None
