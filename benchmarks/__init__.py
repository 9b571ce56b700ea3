"""Scale benchmarks: seed a large world, then time every key page and API endpoint (``python -m benchmarks.run``).

``targets.py`` is the table of what is measured; ``seed.py`` builds the world; ``tests/test_query_scaling.py``
checks that every target runs the same number of queries at N and at 10×N apprentices.
"""
