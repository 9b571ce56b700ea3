"""The demo portfolios: evidence a council or NHS trust senior leader would add, and who has which."""

from dataclasses import dataclass

from portfolios.models import Evidence

# ---- Portfolio evidence -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A piece of portfolio evidence a public-sector senior leader might add, and the demo KSBs it claims."""

    title: str
    kind: str
    ksbs: tuple[str, ...]
    reflection: str
    week: int  # weeks after the start of the apprenticeship when the activity happened
    files: tuple[str, ...] = ()  # .pdf or .png names; the content comes from demo.files
    rework: str = (
        "A good start. Say more about what you did yourself, rather than the team, and what you would do "
        "differently next time."
    )
    revision: str = (
        "Revised after feedback: I have separated my own contribution from the team's and added what I would "
        "do differently, which is to bring finance and front-line staff into the room earlier."
    )


Kind = Evidence.Kind
COUNCIL_PIECES = {
    "away_day": Piece(
        "Team away day: our values and how we work together",
        Kind.PRESENTATION,
        ("K6", "S3", "B1"),
        "I planned and led an away day for the 14 managers in adult services after two teams merged. I used a "
        "short culture survey beforehand and opened with its results, then ran small-group sessions on what "
        "'good' looks like for us. We agreed four shared values and a team charter that I now use in "
        "one-to-ones. I learned that I talk too much in plenary sessions; the best ideas came from the groups.",
        4,
        ("away-day-slides.pdf", "values-flipchart.png"),
    ),
    "risk_register": Piece(
        "Risk register review for the audit and governance committee",
        Kind.WORK_PRODUCT,
        ("K3", "K8", "S7"),
        "I reviewed the directorate risk register with the risk owners before the audit and governance "
        "committee. Six risks had not been re-scored for a year. I introduced a monthly review, merged "
        "duplicate risks and wrote the covering report, which the committee accepted with one challenge on "
        "our market-sustainability risk. It showed me how accountability works in practice: members wanted "
        "evidence that controls work, not just that they exist.",
        8,
        ("risk-register-report.pdf",),
    ),
    "partnership_workshop": Piece(
        "Stakeholder workshop on the community health partnership",
        Kind.PRESENTATION,
        ("K7", "S4", "B1"),
        "I designed and facilitated a workshop for the council, the NHS trust, two housing associations and "
        "the voluntary sector on discharge delays. Partners came with different definitions of a delay, so "
        "I started with a shared case study instead of data. We agreed three joint actions and a single "
        "weekly huddle. Influencing without authority meant listening first and naming shared benefits.",
        12,
        ("workshop-notes.pdf", "workshop-photo.png"),
    ),
    "scrutiny_briefing": Piece(
        "Scrutiny committee briefing: winter pressures in adult social care",
        Kind.WORK_PRODUCT,
        ("K3", "S1", "B2"),
        "I wrote and presented the briefing to the health and adult social care scrutiny committee on our "
        "winter plan. I was open about the two areas where we were behind plan and what we were doing about "
        "them. Councillors asked for monthly updates, which I now send. Being candid in a public meeting was "
        "uncomfortable, but it built trust with the committee chair.",
        16,
        ("scrutiny-briefing.pdf",),
    ),
    "restructure_reflection": Piece(
        "Reflective account: leading my service through a restructure",
        Kind.REFLECTIVE_ACCOUNT,
        ("K6", "S2", "S3", "B4"),
        "This account covers the four months in which I led the restructure of the reablement service, "
        "including formal consultation with 38 staff and the unions. I used Kotter's model to plan the "
        "communication but found that Bridges' transitions model explained the feelings people brought to "
        "one-to-ones far better. Two experienced staff chose to leave; I supported them and kept the service "
        "running. I learned to make time for my own resilience as well as the team's.",
        20,
    ),
    "recovery_board_paper": Piece(
        "Board paper: adult social care recovery plan 2025/26",
        Kind.WORK_PRODUCT,
        ("K1", "K4", "S1", "S5"),
        "I wrote the recovery plan that went to the council's corporate leadership team and cabinet. It sets "
        "out how we will reduce reliance on residential care over three years, the savings it releases and "
        "the risks. I tested the financial model with the finance business partner and changed the "
        "assumptions twice after challenge. The plan was approved with an amendment on the timetable.",
        30,
        ("recovery-plan-board-paper.pdf",),
    ),
    "waiting_times_dashboard": Piece(
        "Waiting-times dashboard presented to the executive team",
        Kind.PRESENTATION,
        ("K5", "S6", "B3"),
        "Assessment waiting times were reported as a single average that hid long waits. I worked with the "
        "business intelligence team to build a dashboard showing the distribution by locality and need. It "
        "showed that one locality held 60% of the long waits, and the executive team moved two social "
        "workers there. I learned to ask what decision a chart is meant to support before designing it.",
        36,
        ("waiting-times-dashboard.pdf",),
    ),
    "front_door_redesign": Piece(
        "Service redesign: an integrated front door for adult social care",
        Kind.WORK_PRODUCT,
        ("K2", "S2", "S6", "B3"),
        "I led the redesign of how residents first contact adult social care, bringing the contact centre, "
        "occupational therapy and the voluntary-sector information service into one team. I mapped the "
        "current journey with staff and residents, ran a six-week test in one locality and evaluated it. "
        "Contacts resolved at first point rose from 41% to 58%. Resistance came mostly from managers who "
        "feared losing their teams, and I spent more time with them than I had planned.",
        44,
        ("front-door-business-case.pdf",),
        rework=(
            "The evaluation is convincing, but I cannot see the evidence for S2: how did you anticipate and "
            "handle the managers' resistance? Add a short account of what you did and the outcome."
        ),
        revision=(
            "Revised after feedback: I met each of the four managers individually before the test, agreed "
            "what each would keep responsibility for, and invited two of them to co-lead the evaluation. One "
            "stayed sceptical; I escalated a staffing concern of his to the director, which resolved it."
        ),
    ),
    "budget_recovery": Piece(
        "Budget recovery plan: closing a £1.2m overspend",
        Kind.WORK_PRODUCT,
        ("K4", "S5", "S7", "B4"),
        "At month four the service forecast a £1.2m overspend, mostly on agency staff and out-of-area "
        "placements. I produced a recovery plan with twelve actions, owners and monthly milestones, and "
        "presented it to the director and the finance business partner. By year end the overspend was "
        "£310k. The pressure was real, and I learned to keep the team focused on residents as well as money.",
        52,
        ("budget-recovery-plan.pdf",),
        rework=(
            "The plan is strong but reads as the finance team's work. Show which decisions were yours, how "
            "you weighed the risk to residents, and how you tracked the actions month by month."
        ),
        revision=(
            "Revised after feedback: I have added the decision log for the three actions I owned (agency "
            "caps, a placement review panel and a vacancy freeze outside front-line roles), the equality "
            "impact assessment I wrote for the panel, and the monthly tracker I presented to the director."
        ),
    ),
    "digital_inclusion": Piece(
        "Digital inclusion pilot: evaluation report",
        Kind.WORK_PRODUCT,
        ("K5", "K2", "B3"),
        "I sponsored a pilot lending tablets with support to 60 residents who use day services. I set the "
        "evaluation questions at the start and commissioned the library service to run sessions. Usage "
        "data and interviews showed most value came from the volunteers, not the devices, so the scaled "
        "version funds volunteer time. I learned to design an evaluation before a pilot, not after.",
        58,
        ("digital-inclusion-evaluation.pdf",),
    ),
    "home_care_procurement": Piece(
        "Procurement strategy for the home care framework",
        Kind.WORK_PRODUCT,
        ("K3", "K4", "S4"),
        "I led the strategy for re-procuring the £14m home care framework with the commissioning and "
        "procurement teams. I negotiated with the cabinet member to move from lowest price to a price and "
        "quality split, and held market engagement events with providers. I learned how the procurement "
        "rules shape what is possible and how much early engagement with the market matters.",
        64,
        ("home-care-procurement-strategy.pdf",),
    ),
    "coaching_programme": Piece(
        "Coaching programme for first-line managers",
        Kind.REFLECTIVE_ACCOUNT,
        ("S8", "B1", "K6"),
        "I set up and ran a coaching programme for eight first-line managers, three of them from groups "
        "under-represented in senior roles. I coached two myself and matched the others with coaches from "
        "partner organisations. Two have since been promoted. Coaching rather than advising did not come "
        "naturally; recording my sessions (with consent) helped me hear how often I offered solutions.",
        70,
    ),
    "safeguarding_reflection": Piece(
        "Reflective account: responding openly to a safeguarding complaint",
        Kind.REFLECTIVE_ACCOUNT,
        ("K8", "B2", "B4"),
        "A family complained that we had missed signs of financial abuse. I led our response, met the family "
        "with the safeguarding lead and acknowledged where we had fallen short before the review concluded. "
        "The review confirmed two practice failures, and I made sure the lessons reached every team. Doing "
        "the right thing before knowing the outcome felt risky, but it was the ethical choice.",
        74,
    ),
    "cmi_certificate": Piece(
        "CMI Level 7 certificate in Strategic Management and Leadership",
        Kind.CERTIFICATE,
        ("K6", "B5"),
        "My Chartered Management Institute Level 7 certificate, awarded alongside the programme's leadership "
        "modules. The assignments made me read more widely on leadership theory than I would have, and I "
        "now keep a reflective log after difficult meetings.",
        80,
        ("cmi-level-7-certificate.pdf",),
    ),
    "workforce_strategy": Piece(
        "Five-year workforce strategy for adult services: consultation and final draft",
        Kind.WORK_PRODUCT,
        ("K1", "S1", "K7"),
        "I led the workforce strategy, setting out how we will recruit and grow social workers and "
        "occupational therapists over five years in a tight labour market. I consulted staff, the unions, "
        "the university and the care provider forum, and changed the draft after each. The strategy was "
        "adopted by the corporate leadership team and I present progress to it twice a year.",
        84,
        ("workforce-strategy.pdf",),
    ),
    "director_witness": Piece(
        "Witness statement from the Director of Adult Services",
        Kind.WITNESS_STATEMENT,
        ("S3", "S8", "B2", "B5"),
        "A witness statement from my director describing how I lead my teams, develop my managers and "
        "handle difficult decisions, with examples from the last two years. We discussed it afterwards; the "
        "point she made about delegating earlier is now one of my development objectives.",
        90,
        ("witness-statement-director.pdf",),
    ),
}
NHS_PIECES = {
    "first_quarter": Piece(
        "Reflective account: my first quarter as a senior leader",
        Kind.REFLECTIVE_ACCOUNT,
        ("K6", "B5"),
        "I took on the clinical services manager role for outpatients a month before the programme began. "
        "This account reflects on my first quarter using the leadership styles we studied: I defaulted to a "
        "pacesetting style under pressure, which worked for the backlog and not for the team. I have agreed "
        "three development objectives with my line manager.",
        12,
    ),
    "icb_workshop": Piece(
        "Stakeholder workshop with the integrated care board on outpatient follow-ups",
        Kind.PRESENTATION,
        ("K7", "S4", "B1"),
        "I facilitated a workshop with the integrated care board, two GP federations and our consultants on "
        "patient-initiated follow-up. I had to hold a room in which the consultants were sceptical and the "
        "commissioners impatient. We agreed a pilot in two specialties and a shared measure of success.",
        16,
        ("icb-workshop-slides.pdf", "workshop-flipchart.png"),
    ),
    "clinic_redesign": Piece(
        "Outpatient transformation: redesigning clinic templates in three specialties",
        Kind.WORK_PRODUCT,
        ("K2", "S2", "S6"),
        "I led the redesign of clinic templates in dermatology, rheumatology and ENT to release capacity for "
        "new patients. I analysed twelve months of activity data with the information team and agreed the "
        "changes specialty by specialty with the clinical leads. Capacity for new patients rose by 9%.",
        20,
        ("clinic-template-options-appraisal.pdf",),
    ),
    "theatre_dashboard": Piece(
        "Theatre utilisation dashboard for the divisional board",
        Kind.WORK_PRODUCT,
        ("K5", "S6", "B3"),
        "I worked with the information team on a dashboard that shows late starts, early finishes and "
        "cancellations on the day by cause, rather than a single utilisation figure. The divisional board "
        "now reviews it monthly and it led to a change in how lists are booked.",
        24,
        ("theatre-utilisation-dashboard.pdf",),
    ),
    "elective_board_paper": Piece(
        "Board paper: elective recovery trajectory for the surgical division",
        Kind.WORK_PRODUCT,
        ("K1", "S1", "K3"),
        "I drafted the division's paper to the trust board's finance and performance committee on the "
        "elective recovery trajectory, including the national targets, our assumptions and the risks.",
        59,
        ("elective-recovery-board-paper.pdf",),
    ),
    "cost_improvement": Piece(
        "Cost improvement plan for the surgical division",
        Kind.WORK_PRODUCT,
        ("K4", "S5", "S7"),
        "I led the division's cost improvement plan for this year: £850k from theatre productivity, "
        "procurement of consumables and reducing agency spend, with a quality impact assessment for each "
        "scheme signed off by the medical and nursing directors.",
        58,
        ("cost-improvement-plan.pdf",),
    ),
    "huddle_redesign": Piece(
        "Reflective account: redesigning the daily huddle on the acute medical unit",
        Kind.REFLECTIVE_ACCOUNT,
        ("S3", "S8", "B1"),
        "I worked with the ward manager to redesign the daily safety huddle so that healthcare assistants "
        "and therapists speak as well as nurses and doctors. I coached the ward manager to lead it herself "
        "after two weeks. Staff survey scores for 'my voice counts' on the unit rose over the quarter.",
        60,
    ),
    "ops_director_witness": Piece(
        "Witness statement from the Director of Operations",
        Kind.WITNESS_STATEMENT,
        ("S3", "B2", "B4"),
        "A witness statement from the Director of Operations on how I led the outpatients team through the "
        "winter, including the decision to pause a service improvement to protect staff wellbeing.",
        61,
        ("witness-statement-director-of-operations.pdf",),
    ),
}

ACCEPTED, REWORKED, PARTLY, NEEDS_WORK, SUBMITTED, DRAFT = (
    "accepted",  # accepted, every claimed KSB agreed
    "reworked",  # more work asked for, revised (version 2), then accepted
    "partly",  # accepted, but the tutor did not agree the last KSB it claims
    "needs_work",  # more work asked for, not yet revised
    "submitted",  # awaiting the tutor's review
    "draft",  # never submitted
)
_ALL_COUNCIL = list(COUNCIL_PIECES)
# apprentice number → [(piece, outcome, week override or None)]; apprentice 6 (withdrawn), 11 and 12 (pending)
# have none. Dates are clamped to the enrolment's time so far and moved out of breaks in learning.
PORTFOLIOS: dict[int, list[tuple[str, str, int | None]]] = {
    1: [
        (
            key,
            REWORKED if key == "budget_recovery" else PARTLY if key == "scrutiny_briefing" else ACCEPTED,
            None,
        )
        for key in _ALL_COUNCIL
    ],
    2: [
        (
            key,
            REWORKED
            if key == "front_door_redesign"
            else PARTLY
            if key == "waiting_times_dashboard"
            else ACCEPTED,
            None,
        )
        for key in _ALL_COUNCIL
        if key != "digital_inclusion"
    ],
    3: [
        *(
            (key, REWORKED if key == "risk_register" else ACCEPTED, None)
            for key in _ALL_COUNCIL
            if key
            not in ("digital_inclusion", "coaching_programme", "workforce_strategy", "director_witness")
        ),
        ("director_witness", SUBMITTED, 110),
    ],
    4: [
        ("away_day", ACCEPTED, None),
        ("risk_register", ACCEPTED, None),
        ("partnership_workshop", ACCEPTED, None),
        ("scrutiny_briefing", PARTLY, None),
        ("restructure_reflection", ACCEPTED, 44),
        ("front_door_redesign", ACCEPTED, 60),
        ("budget_recovery", NEEDS_WORK, 100),
        ("waiting_times_dashboard", SUBMITTED, 108),
        ("home_care_procurement", DRAFT, 111),
    ],
    5: [
        ("away_day", ACCEPTED, None),
        ("partnership_workshop", ACCEPTED, None),
        ("restructure_reflection", ACCEPTED, None),
        ("recovery_board_paper", ACCEPTED, None),
        ("budget_recovery", REWORKED, None),
        ("coaching_programme", ACCEPTED, None),
    ],
    7: [
        ("first_quarter", ACCEPTED, None),
        ("clinic_redesign", SUBMITTED, 59),
        ("icb_workshop", SUBMITTED, 60),
        ("elective_board_paper", DRAFT, 61),
    ],
    8: [
        ("icb_workshop", ACCEPTED, 14),
        ("theatre_dashboard", SUBMITTED, 60),
        ("ops_director_witness", DRAFT, 61),
    ],
    9: [
        ("clinic_redesign", ACCEPTED, 18),
        ("cost_improvement", SUBMITTED, 58),
        ("huddle_redesign", SUBMITTED, 60),
        ("first_quarter", DRAFT, 61),
    ],
    10: [
        ("theatre_dashboard", ACCEPTED, None),
        ("elective_board_paper", SUBMITTED, 60),
        ("icb_workshop", DRAFT, 61),
    ],
}
ACCEPT_COMMENTS = [
    "Accepted. Clear evidence of your own leadership, and the reflection is honest about what you learned.",
    "Accepted: well chosen and well mapped to the KSBs.",
    "Accepted. A strong piece; you could use it as an example in your EPA interview.",
    "Accepted. Good to see the outcome measured, not just the activity.",
]
NOT_SHOWN = "Not shown by this piece on its own; look for a better example of this one."
