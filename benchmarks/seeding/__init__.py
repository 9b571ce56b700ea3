"""The benchmark seeder's steps, one module for each part of the world it seeds (``benchmarks/seed.py`` runs them).

``world.py`` holds what a seed makes (``World``, ``Sizing``); ``rows.py`` the two ways rows are written
(``create_rows``, ``insert_rows``); ``files.py`` the one stored PDF every file row names. Then, in the order of
``seed.STEPS``: ``people.py`` (organisations, accounts, invitations), ``programme.py`` (the standard, programmes,
modules, cohorts and module runs), ``enrolments.py`` (enrolments and their history), ``plans.py`` (training plans),
``portfolios.py`` (evidence), ``assessments.py`` (module assessment), ``reviews.py`` (progress reviews),
``otj.py`` (off-the-job entries), ``reporting.py`` (RAG overrides, an audit pack) and ``epa.py`` (gateway, EPA and
completion).
"""
