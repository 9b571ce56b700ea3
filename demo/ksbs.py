"""A short paraphrase of the ST0480 Senior Leader KSBs for the demo — NOT the official statements.

Import the published file with ``manage.py import_ksbs`` to replace it.
"""

DEMO_SOURCE = "Demo text — a short paraphrase, not the official Skills England statements"

DEMO_KSBS = [
    ("K1", "How to shape organisational strategy in a changing political, economic and social context."),
    ("K2", "Approaches to leading change and innovation across complex organisations."),
    ("K3", "Governance, accountability and the regulatory environment of public services."),
    ("K4", "Financial strategy, budgeting and commercial models, including procurement."),
    ("K5", "How to use evidence, data and digital technology to inform decisions."),
    ("K6", "Leadership theories and styles, and how culture is built and sustained."),
    ("K7", "Stakeholder relationships, partnerships and collaborative working across sectors."),
    ("K8", "Risk management, resilience and ethical leadership."),
    ("S1", "Develop and communicate a strategy that others understand and commit to."),
    ("S2", "Lead and manage change, anticipating and overcoming resistance."),
    ("S3", "Build and lead high-performing, inclusive teams."),
    ("S4", "Negotiate and influence at a senior level, inside and outside the organisation."),
    ("S5", "Manage budgets and resources to deliver value for money."),
    ("S6", "Analyse complex information and evidence to make sound decisions."),
    ("S7", "Manage risk and build organisational resilience."),
    ("S8", "Coach and mentor others and develop talent."),
    ("B1", "Works collaboratively, valuing diversity and different perspectives."),
    ("B2", "Acts with integrity, openness and honesty; sets an ethical example."),
    ("B3", "Is curious and innovative, open to new ideas and evidence."),
    ("B4", "Shows resilience and adaptability under pressure."),
    ("B5", "Takes responsibility for their own development and reflects on practice."),
]

# Which demo KSBs each of the six modules develops (by module order).
MODULE_KSBS = {
    1: ["K3", "K7", "S4", "B2"],
    2: ["K6", "S3", "S8", "B1", "B5"],
    3: ["K5", "S6", "B3"],
    4: ["K5", "K1", "S6", "S1"],
    5: ["K1", "K8", "S2", "S7", "B4"],
    6: ["K4", "S5", "S4"],
}
