"""Scale benchmarks: seed a large world, then time every key page and API endpoint (``python -m benchmarks.run``).

``targets/`` is the table of what is measured (a module for each area); ``seed.py`` builds the world (its steps in
``seeding/``); ``tests/test_query_scaling.py`` checks that every target runs the same number of queries at N and
at 10×N apprentices.
"""
