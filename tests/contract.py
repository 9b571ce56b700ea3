"""Expectations shared by several test files, each taken from api.md once."""

# The roles each member of the test cast holds (GET /api/v1/me/ and programmes.access.roles_for).
CAST_ROLES = {
    "apprentice": ["apprentice"],
    "line_manager": ["line_manager"],
    "tutor": ["practice_tutor"],
    "other_apprentice": ["apprentice"],
    "other_manager": ["line_manager"],
    "other_tutor": ["practice_tutor"],
    "director": ["programme_director"],
    "other_director": ["programme_director"],
    "module_lead": ["module_lead"],
    "assessor": ["assessor"],
    "admin": ["admin"],
}

# The enrolment fields api.md promises to integrations.
ENROLMENT_CONTRACT_FIELDS = {
    "id",
    "apprentice",
    "programme",
    "cohort",
    "employer",
    "line_manager",
    "practice_tutor",
    "status",
    "start_date",
    "planned_end_date",
    "contracted_weekly_hours",
}
