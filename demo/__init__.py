"""The demo: `manage.py seed_demo` (run by `make run`) and the seeders the benchmarks reuse.

Nothing outside ``demo``, ``benchmarks`` and ``tests`` imports from here.
"""
