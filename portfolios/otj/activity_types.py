"""The activity types of domain.md §4: what counts towards the OTJ minimum, and what is recorded but never counts.

Data, not code: the data migration loads them, and the demo loader makes sure they exist (a test database flushed
between browser tests loses rows that migrations made).
"""

TYPES = [
    # code, name, counts, guidance
    (
        "online_learning",
        "Online learning and lectures",
        True,
        "Module course pages, papers, webinars, discussion.",
    ),
    ("campus_day", "Campus day or workshop", True, "Timetabled teaching days; link the module."),
    ("reading", "Reading and research", True, "Reading that teaches something new in the standard."),
    ("assignment", "Writing an assignment", True, "Time researching and writing module assignments."),
    ("shadowing", "Shadowing", True, "Shadowing a senior leader to learn a new skill."),
    ("mentoring", "Mentoring or coaching", True, "Being mentored or coached on the standard's KSBs."),
    ("visit", "Industry visit", True, "Visits to other organisations to learn practice."),
    ("conference", "Conference or seminar", True, "Relevant to the standard."),
    ("project", "Project work developing new KSBs", True, "New work that develops the standard's KSBs."),
    (
        "portfolio",
        "Portfolio and reflective writing",
        True,
        "Writing evidence and reflection for the portfolio.",
    ),
    (
        "progress_review",
        "Progress review",
        False,
        "Progress reviews are recorded for the audit trail but never count towards OTJ.",
    ),
    (
        "assessment",
        "On-programme assessment or exam",
        False,
        "Assessments and exams are not training and never count.",
    ),
    (
        "english_maths",
        "English and maths (up to Level 2)",
        False,
        "English and maths up to Level 2 never count towards OTJ.",
    ),
]


def ensure_activity_types(model) -> int:
    """Create or update the standard activity types on ``model`` (the real one, or a migration's historical one)."""
    created = 0
    for order, (code, name, counts, guidance) in enumerate(TYPES, 1):
        _, was_created = model.objects.update_or_create(
            code=code,
            defaults={"name": name, "counts_towards_otj": counts, "guidance": guidance, "order": order},
        )
        created += int(was_created)
    return created
