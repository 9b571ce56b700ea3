"""The demo's cast and calendar: who the people are, the modules, and each apprentice's lifecycle."""

from datetime import date
from decimal import Decimal

from programmes.models import (
    Enrolment,
)

PASSWORD = "tripartite-demo"
DEMO_OTJ_MINIMUM = Decimal("500")  # demo figure, not the published ST0480 minimum
Status = Enrolment.Status

MODULES = [
    # order, title, year, term
    (1, "Public Management and Governance", 1, "autumn"),
    (2, "Leadership", 1, "spring"),
    (3, "Digital Era Public Policy", 1, "summer"),
    (4, "Evidence and Policy", 2, "autumn"),
    (5, "Performance, Strategy and Challenge", 2, "spring"),
    (6, "Commercialisation", 2, "summer"),
]

# Week offsets from the cohort start at which each module's six online weeks begin.
MODULE_START_WEEKS = {1: 1, 2: 17, 3: 31, 4: 53, 5: 69, 6: 83}

# apprentice number → (contracted hours, planned-end offset in weeks, lifecycle steps after enrolment)
# Each step: (status, date, reason).
COHORT_2024_STEPS = {
    1: (
        Decimal("37"),
        104,
        [
            (Status.ACTIVE, date(2024, 9, 16), ""),
            (Status.GATEWAY, date(2026, 9, 14), ""),
            (Status.EPA, date(2026, 9, 28), "Gateway signed off by employer and university."),
        ],
    ),
    2: (
        Decimal("37"),
        104,
        [
            (Status.ACTIVE, date(2024, 9, 16), ""),
            (Status.GATEWAY, date(2026, 9, 14), ""),
            (Status.EPA, date(2026, 10, 5), "Gateway signed off by employer and university."),
        ],
    ),
    3: (
        Decimal("36"),
        104,
        [(Status.ACTIVE, date(2024, 9, 16), ""), (Status.GATEWAY, date(2026, 11, 2), "")],
    ),
    4: (
        Decimal("37"),
        120,
        [
            (Status.ACTIVE, date(2024, 9, 16), ""),
            (Status.BREAK_IN_LEARNING, date(2025, 3, 3), "Extended sick leave."),
            (Status.ACTIVE, date(2025, 6, 23), "Returned to work; planned end extended."),
        ],
    ),
    5: (
        Decimal("30"),
        104,
        [
            (Status.ACTIVE, date(2024, 9, 16), ""),
            (Status.BREAK_IN_LEARNING, date(2026, 6, 1), "Parental leave."),
        ],
    ),
    6: (
        Decimal("37"),
        104,
        [
            (Status.ACTIVE, date(2024, 9, 16), ""),
            (Status.WITHDRAWN, date(2025, 11, 28), "Left the council for a private-sector role."),
        ],
    ),
}
COHORT_2025_STEPS = {
    7: (Decimal("37"), 104, [(Status.ACTIVE, date(2025, 9, 15), "")]),
    8: (Decimal("37"), 104, [(Status.ACTIVE, date(2025, 9, 15), "")]),
    9: (Decimal("22.5"), 139, [(Status.ACTIVE, date(2025, 9, 15), "")]),
    10: (Decimal("37.5"), 104, [(Status.ACTIVE, date(2025, 9, 22), "")]),
    11: (Decimal("37.5"), 104, []),
    12: (Decimal("37"), 104, []),
}

APPRENTICE_NAMES = [
    "Amelia Hughes",
    "Ben Okafor",
    "Chloe Patel",
    "Daniel Fraser",
    "Eleanor Walsh",
    "Farhan Ali",
    "Grace Thompson",
    "Harry Nowak",
    "Isla Campbell",
    "Jacob Mensah",
    "Katie O'Brien",
    "Liam Davies",
]
