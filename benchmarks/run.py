"""Scale benchmarks: ``python -m benchmarks.run [--sizes 100,1000,5000] [--repeat 20] [--json PATH]``.

For each size: empty the benchmark database, seed N apprentices (``benchmarks/seed.py``), then request every
target in ``benchmarks/targets/`` as its person: 2 warm-up requests, then ``--repeat`` timed ones. Reports the
median and p95 latency, the queries per request (which must not change between repeats) and the median as a
ratio to the floor target's median in the same run. Prints a table per size and a summary, and writes JSON.

The database is never the development one. Without ``DATABASE_URL`` it is a fresh SQLite file in the temporary
directory; with ``DATABASE_URL`` (e.g. ``postgres://postgres@127.0.0.1:5432/bench``) it is that database, which
is migrated and FLUSHED for every size, so its name must contain "bench".
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "tripartite-bench.sqlite3"


class BenchmarkError(Exception):
    pass


@dataclass
class Measurement:
    kind: str
    user: str | None
    url: str
    status: int
    queries: int
    kb: float
    median_ms: float
    p95_ms: float
    min_ms: float
    ratio: float = 0.0
    peak_kb: float = 0.0  # peak Python memory of one request (tracemalloc), for targets marked ``memory``


class QueryCounter:
    """Counts queries with an execute wrapper: unlike CaptureQueriesContext it adds no logging to the timing."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def configure() -> None:
    """Point Django at the benchmark database and set up with production-like (DEBUG off) behaviour."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # WhiteNoise notes that collectstatic has not run; the benchmarks never serve static files.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    if not os.environ.get("DATABASE_URL"):
        DEFAULT_SQLITE.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_SQLITE}"
    import django
    from django.conf import settings

    django.setup()
    # DEBUG off before anything renders a template or opens a cursor: no query log, no template debug info.
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    name = Path(str(settings.DATABASES["default"]["NAME"])).name
    if "bench" not in name:
        raise BenchmarkError(
            f"Refusing to flush database {name!r}: the benchmarks empty their database for every size, so its "
            "name must contain 'bench' (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench)."
        )


def database_description() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    return {
        "vendor": connection.vendor,
        "version": str(version),
        "name": str(connection.settings_dict["NAME"]),
    }


def code_version() -> str:
    """The commit measured, and whether the working tree had uncommitted changes."""
    top = str(Path(__file__).resolve().parent.parent)

    def git(*args: str) -> str:
        run = subprocess.run(["git", "-C", top, *args], capture_output=True, text=True, check=True)  # noqa: S603, S607
        return run.stdout.strip()

    try:
        return git("rev-parse", "--short", "HEAD") + (
            " with uncommitted changes" if git("status", "--porcelain") else ""
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def reset_database() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    # Flushing also empties the reference rows a data migration loaded; put them back as the migration does.
    from portfolios.otj.activity_types import ensure_activity_types
    from portfolios.otj.models import OTJActivityType

    ensure_activity_types(OTJActivityType)


def analyse() -> None:
    """PostgreSQL plans from statistics; autovacuum would gather them in production, so gather them now."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Series:
    """One target's client, URL and the timings and query counts of its requests."""

    def __init__(self, world, target) -> None:
        from benchmarks.targets import client_for

        self.target = target
        self.world = world
        self.client = client_for(world, target)
        self.url = target.url(world)
        self.timings: list[float] = []
        self.counts: list[int] = []
        self.size = 0

    def get(self):
        if self.target.before is not None:
            self.target.before(self.world)
        response = self.client.get(self.url)
        if response.status_code != 200:
            raise BenchmarkError(
                f"{self.target.name}: GET {self.url} as {self.target.user or 'a signed-out visitor'} gave "
                f"{response.status_code}, not 200.\n{response.content[:800].decode(errors='replace')}"
            )
        return response

    def timed(self) -> None:
        from django.db import connection

        if self.target.before is not None:
            self.target.before(self.world)
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            response = self.client.get(self.url)
            if response.status_code != 200:
                raise BenchmarkError(
                    f"{self.target.name}: GET {self.url} as {self.target.user} gave {response.status_code}"
                )
            self.timings.append((time.perf_counter() - start) * 1000)
        self.counts.append(counter.count)
        self.size = (
            sum(len(chunk) for chunk in response.streaming_content)
            if response.streaming
            else len(response.content)
        )

    def result(self) -> Measurement:
        if len(set(self.counts)) != 1:
            raise BenchmarkError(
                f"{self.target.name}: the query count changed between identical requests: {self.counts}"
            )
        timings = self.timings
        return Measurement(
            kind=self.target.kind,
            user=self.target.user,
            url=self.url,
            status=200,
            queries=self.counts[0],
            kb=round(self.size / 1024, 1),
            median_ms=statistics.median(timings),
            p95_ms=statistics.quantiles(timings, n=20, method="inclusive")[-1]
            if len(timings) > 1
            else timings[0],
            min_ms=min(timings),
        )


def peak_memory_kb(world, target) -> float:
    """One more request, under tracemalloc, reading a streamed body chunk by chunk and dropping each chunk as a
    browser saving a download would: the peak says whether the response streams or builds everything first.
    Measured apart from the timed rounds (tracemalloc slows every allocation)."""
    import tracemalloc

    from django.test import Client
    from rest_framework.authtoken.models import Token

    from benchmarks.targets import API

    user = world.user(target.user)
    client = Client()
    if target.kind == API and user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client = Client(headers={"authorization": f"Token {token.key}", "accept": "application/json"})
    elif user is not None:
        client.force_login(user)
    url = target.url(world)
    gc.collect()
    tracemalloc.start()
    try:
        response = client.get(url)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        response.close()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 1024, 1)


def measure(world, targets, *, repeat: int, warmup: int) -> dict[str, Measurement]:
    """Warm every target up, then time them in rounds (one request each per round), so that whatever else the
    machine is doing slows the floor and the targets alike rather than whichever target ran at the time."""
    series = [Series(world, target) for target in targets]
    for one in series:
        for _ in range(warmup):
            one.get()
    gc.collect()
    for _ in range(repeat):
        for one in series:
            one.timed()
    results = {one.target.name: one.result() for one in series}
    for one in series:
        if getattr(one.target, "memory", False):
            results[one.target.name].peak_kb = peak_memory_kb(world, one.target)
    return results


WORLD_COUNTS = (
    # key, label, model
    ("enrolments", "enrolments", "programmes.Enrolment"),
    ("cohorts", "cohorts", "programmes.Cohort"),
    ("otj_entries", "OTJ entries", "otj.OffTheJobEntry"),
    ("progress_reviews", "progress reviews", "tutors.ProgressReview"),
    ("evidence", "evidence", "portfolios.Evidence"),
)


def world_counts() -> dict[str, int]:
    """The seeded world's headline rows, each counted with one COUNT query (the database holds one world: it is
    emptied for every size)."""
    from django.apps import apps

    return {key: apps.get_model(model)._default_manager.count() for key, _label, model in WORLD_COUNTS}


def world_line(n: int, counts: dict[str, int]) -> str:
    """``world @5000: 5,000 enrolments, 25 cohorts, 1,014,275 OTJ entries, …``"""
    return f"world @{n}: " + ", ".join(f"{counts[key]:,} {label}" for key, label, _model in WORLD_COUNTS)


def run_size(n: int, targets, *, repeat: int, warmup: int) -> dict:
    from benchmarks.seed import seed

    reset_database()
    print(f"\n· seeding {n:,} apprentices …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    world = seed(n)
    analyse()
    seeded = time.perf_counter() - started
    counts = world_counts()
    print(f"· seeded in {seeded:.1f} s; {world_line(n, counts)}", file=sys.stderr, flush=True)
    print(f"· measuring {len(targets)} targets …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    results = measure(world, targets, repeat=repeat, warmup=warmup)
    measured = time.perf_counter() - started
    floor = next(results[t.name] for t in targets if t.floor)
    for result in results.values():
        result.ratio = result.median_ms / floor.median_ms
    return {
        "apprentices": n,
        "seed_seconds": round(seeded, 2),
        "measure_seconds": round(measured, 2),
        "world": counts,
        "rows": world.rows,
        "targets": results,
    }


def _table(header: list[str], rows: list[list[str]], text_columns: int = 1) -> str:
    """A Markdown table with aligned columns: the first ``text_columns`` left, the numbers right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells):
        return (
            "| "
            + " | ".join(
                c.ljust(w) if i < text_columns else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join(("-" * (w + 1)) + (":" if i >= text_columns else "-") for i, w in enumerate(widths))
        + "|"
    )
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def _label(name: str, floor_name: str) -> str:
    return f"{name} (floor)" if name == floor_name else name


def size_table(size: dict, floor_name: str) -> str:
    rows = [
        [
            _label(name, floor_name),
            m.user or "signed out",
            str(m.queries),
            f"{m.kb:.1f}",
            f"{m.min_ms:.1f}",
            f"{m.median_ms:.1f}",
            f"{m.p95_ms:.1f}",
            f"{m.ratio:.2f}",
        ]
        for name, m in size["targets"].items()
    ]
    header = ["target", "as", "queries", "KB", "min ms", "median ms", "p95 ms", "× floor"]
    return _table(header, rows, text_columns=2)


def memory_table(sizes: list[dict]) -> str:
    """Targets measured for memory: the body size and the request's peak Python memory, per size."""
    names = [name for name, m in sizes[0]["targets"].items() if m.peak_kb]
    if not names:
        return ""
    labels = [f"{s['apprentices']:,}" for s in sizes]
    header = ["target"] + [f"KB @{label}" for label in labels] + [f"peak KB @{label}" for label in labels]
    rows = [
        [name]
        + [f"{s['targets'][name].kb:.1f}" for s in sizes]
        + [f"{s['targets'][name].peak_kb:.1f}" for s in sizes]
        for name in names
    ]
    return _table(header, rows)


def summary_table(sizes: list[dict], floor_name: str) -> str:
    """One row per target across sizes: the query count (flagged if it changed) and the median and ratio per size."""
    labels = [f"{s['apprentices']:,}" for s in sizes]
    header = (
        ["target", "queries"]
        + [f"ms @{label}" for label in labels]
        + [f"×floor @{label}" for label in labels]
    )
    rows = []
    for name in sizes[0]["targets"]:
        ms = [s["targets"][name] for s in sizes]
        counts = sorted({m.queries for m in ms})
        queries = str(counts[0]) if len(counts) == 1 else " → ".join(str(m.queries) for m in ms) + " !"
        rows.append(
            [_label(name, floor_name), queries]
            + [f"{m.median_ms:.1f}" for m in ms]
            + [f"{m.ratio:.2f}" for m in ms]
        )
    return _table(header, rows)


def rows_line(rows: dict[str, int]) -> str:
    """The seeded rows, biggest tables first: ``13,000 EnrolmentStatusChange, 5,811 User, …``."""
    ordered = sorted(rows.items(), key=lambda item: -item[1])
    return ", ".join(f"{count:,} {label.split('.')[-1]}" for label, count in ordered)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="apprentice counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per target (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests first (default 2)")
    parser.add_argument(
        "--only",
        default="",
        help="measure only targets whose name contains this, or any of several separated by commas (and the floor)",
    )
    parser.add_argument("--json", default="benchmarks/results.json", help="where to write the results")
    args = parser.parse_args(argv)
    sizes = [int(s.strip().replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.repeat < 1 or not sizes:
        parser.error("need at least one size and --repeat of 1 or more")

    try:
        configure()
        from django import get_version

        from benchmarks.targets import TARGETS, floor_target

        floor = floor_target()
        wanted = [part.strip() for part in args.only.split(",")] if args.only else [""]
        targets = [t for t in TARGETS if t.floor or any(part in t.name for part in wanted)]
        database = database_description()
        print(
            f"Benchmarking {len(targets)} targets on {database['vendor']} {database['version']}",
            file=sys.stderr,
        )
        results = [run_size(n, targets, repeat=args.repeat, warmup=args.warmup) for n in sizes]
    except BenchmarkError as error:
        print(f"\nBENCHMARK FAILED: {error}", file=sys.stderr)
        return 1

    for size in results:
        print(
            f"\n### {size['apprentices']:,} apprentices — {database['vendor']} — seeded in {size['seed_seconds']} s, "
            f"measured in {size['measure_seconds']} s\n"
        )
        print(f"{world_line(size['apprentices'], size['world'])}\n")
        print(f"Rows: {rows_line(size['rows'])}\n")
        print(size_table(size, floor.name))
    if len(results) > 1:
        print(f"\n### Summary — median ms and ratio to the floor ({floor.name})\n")
        print(summary_table(results, floor.name))
    memory = memory_table(results)
    if memory:
        print("\n### Peak memory of one request (tracemalloc) — exports and summaries must stream\n")
        print(memory)

    output = {
        "metadata": {
            "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "code": code_version(),
            "database": database,
            "python": platform.python_version(),
            "django": get_version(),
            "machine": f"{platform.platform()}, {os.cpu_count()} CPUs",
            "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
            "repeat": args.repeat,
            "warmup": args.warmup,
            "floor": floor.name,
        },
        "sizes": {
            str(size["apprentices"]): {
                **{key: value for key, value in size.items() if key != "targets"},
                "targets": {name: asdict(m) for name, m in size["targets"].items()},
            }
            for size in results
        },
    }
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(output, indent=2) + "\n")
    print(f"\nWrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
