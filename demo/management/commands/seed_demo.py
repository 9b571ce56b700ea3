"""Load the demo described in api.md. Idempotent: running it again changes nothing."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from assessments.epa.models import EndPointAssessment
from demo.assessments import seed_module_assessment
from demo.files import sample_pdf, sample_png
from demo.ksbs import DEMO_KSBS, DEMO_SOURCE, MODULE_KSBS
from demo.otj import seed_otj
from demo.reviews import seed_reviews
from portfolios import services as evidence_services
from portfolios.models import Evidence, EvidenceFile, EvidenceVersion, Feedback
from programmes import services
from programmes.models import (
    KSB,
    Cohort,
    Enrolment,
    Module,
    ModuleRun,
    Programme,
    Standard,
)
from programmes.services import KSBRow
from programmes.training_plans import models as plan_models
from programmes.training_plans import services as plan_services
from programmes.training_plans.models import PlanSignature, TrainingPlan

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


class Command(BaseCommand):
    help = (
        "Load the demo data (accounts, employers, ST0480 programme, cohorts, enrolments). Safe to run twice."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            created = self._seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready ({created} new records). Sign in at {settings.SITE_URL}/ with any @demo.test account, "
                f"password '{PASSWORD}'."
            )
        )

    def _user(
        self,
        email: str,
        full_name: str,
        organisation: Organisation,
        job_title: str = "",
        superuser: bool = False,
    ) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            self.created += 1
            factory = User.objects.create_superuser if superuser else User.objects.create_user
            user = factory(
                email=email,
                password=PASSWORD,
                full_name=full_name,
                organisation=organisation,
                job_title=job_title,
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _get_or_create(self, model, defaults=None, **lookup):
        obj, was_created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += int(was_created)
        return obj

    def _seed(self) -> int:
        self.created = 0
        university = self._get_or_create(
            Organisation,
            name=settings.INSTITUTION_NAME,
            defaults={"kind": Organisation.Kind.PROVIDER, "ukprn": "10099999"},
        )
        council = self._get_or_create(
            Organisation, name="Northshire County Council", defaults={"kind": Organisation.Kind.EMPLOYER}
        )
        trust = self._get_or_create(
            Organisation, name="Riverside NHS Foundation Trust", defaults={"kind": Organisation.Kind.EMPLOYER}
        )
        epao = self._get_or_create(
            Organisation, name="Independent Assessment Partners", defaults={"kind": Organisation.Kind.EPAO}
        )

        self._user("admin@demo.test", "Alex Admin", university, "Platform administrator", superuser=True)
        director = self._user("director@demo.test", "Dr Priya Sharma", university, "Programme Director")
        tutor1 = self._user("tutor1@demo.test", "Tom Bennett", university, "Practice Tutor")
        tutor2 = self._user("tutor2@demo.test", "Rachel Evans", university, "Practice Tutor")
        lead = self._user("lead@demo.test", "Prof. Martin Clarke", university, "Module Lead")
        assessor = self._user(
            "assessor@demo.test", "Sandra Whitfield", epao, "Independent End-Point Assessor"
        )
        manager1 = self._user(
            "manager1@demo.test", "Helen Morris", council, "Assistant Director, Adult Services"
        )
        manager2 = self._user("manager2@demo.test", "David Osei", trust, "Director of Operations")
        apprentices = {
            n: self._user(
                f"apprentice{n}@demo.test",
                APPRENTICE_NAMES[n - 1],
                council if n <= 6 else trust,
                "Service Manager" if n <= 6 else "Clinical Services Manager",
            )
            for n in range(1, 13)
        }

        standard = self._get_or_create(
            Standard,
            code="ST0480",
            version="1.2",
            defaults={"title": "Senior leader", "level": 7, "ksb_source": DEMO_SOURCE},
        )
        if standard.otj_minimum_hours is None:
            # A demo figure so the 2025 cohort's plans can be drafted; replace it with the published minimum.
            standard.otj_minimum_hours = DEMO_OTJ_MINIMUM
            standard.save(update_fields=["otj_minimum_hours"])
        if not standard.ksbs.exists():
            services.ksb_import(
                standard=standard,
                rows=[KSBRow(line=i, code=c, statement=s) for i, (c, s) in enumerate(DEMO_KSBS, 1)],
            )
            self.created += len(DEMO_KSBS)
        ksbs = {ksb.code: ksb for ksb in KSB.objects.filter(standard=standard)}

        programme = self._get_or_create(
            Programme,
            provider=university,
            name="Senior Leader Apprenticeship (Public Management and Leadership)",
            defaults={
                "standard": standard,
                "professional_award": "Chartered Manager (CMI) eligibility",
                "academic_award": "Postgraduate Diploma in Public Management and Leadership",
            },
        )
        if not programme.directors.filter(pk=director.pk).exists():
            programme.directors.add(director)
        modules = {}
        for order, title, year, term in MODULES:
            module = self._get_or_create(
                Module,
                programme=programme,
                order=order,
                defaults={"title": title, "year": year, "term": term},
            )
            if not module.ksbs.exists():
                module.ksbs.set([ksbs[code] for code in MODULE_KSBS[order]])
            modules[order] = module

        cohorts = {
            2024: self._get_or_create(
                Cohort, programme=programme, name="2024 cohort", defaults={"start_date": date(2024, 9, 16)}
            ),
            2025: self._get_or_create(
                Cohort, programme=programme, name="2025 cohort", defaults={"start_date": date(2025, 9, 15)}
            ),
        }
        for cohort in cohorts.values():
            for order, module in modules.items():
                online_start = cohort.start_date + timedelta(weeks=MODULE_START_WEEKS[order])
                campus_start = online_start + timedelta(
                    weeks=module.weeks_online
                )  # a Monday after the online weeks
                self._get_or_create(
                    ModuleRun,
                    module=module,
                    cohort=cohort,
                    defaults={"online_start": online_start, "campus_start": campus_start, "lead": lead},
                )

        plan = [
            (n, cohorts[2024], council, manager1, tutor1, steps) for n, steps in COHORT_2024_STEPS.items()
        ]
        plan += [(n, cohorts[2025], trust, manager2, tutor2, steps) for n, steps in COHORT_2025_STEPS.items()]
        for n, cohort, employer, manager, tutor, (hours, weeks, steps) in plan:
            apprentice = apprentices[n]
            if Enrolment.objects.filter(apprentice=apprentice, programme=programme).exists():
                continue
            enrolment = services.enrolment_create(
                created_by=director,
                apprentice=apprentice,
                cohort=cohort,
                employer=employer,
                line_manager=manager,
                practice_tutor=tutor,
                start_date=cohort.start_date,
                planned_end_date=cohort.start_date + timedelta(weeks=weeks),
                contracted_weekly_hours=hours,
                prior_learning_hours=Decimal("20") if n == 8 else Decimal("0"),
                prior_learning_notes="ILM Level 5 certificate in leadership (2021)." if n == 8 else "",
            )
            self.created += 1
            self._seed_plan(n, enrolment, director, epao.name)
            for status, effective_on, reason in steps:
                services.enrolment_change_status(
                    enrolment=enrolment,
                    to_status=status,
                    by=director,
                    effective_on=effective_on,
                    reason=reason,
                    withdrawal_reason_code="44" if status == Status.WITHDRAWN else "",
                )
                if status == Status.EPA:
                    EndPointAssessment.objects.create(
                        enrolment=enrolment,
                        assessor=assessor,
                        assigned_at=timezone.make_aware(datetime.combine(effective_on, datetime.min.time())),
                    )
        for n, pieces in PORTFOLIOS.items():
            enrolment = Enrolment.objects.get(apprentice=apprentices[n], programme=programme)
            self._seed_portfolio(enrolment, pieces, COUNCIL_PIECES if n <= 6 else NHS_PIECES)
        self.created += seed_module_assessment(programme=programme)
        self.created += seed_reviews(apprentices)  # demo.reviews: progress reviews in every state
        self.created += seed_otj(apprentices)  # demo.otj: OTJ ledgers at every status
        from demo.epa import seed_epa

        # demo.epa: gateway, EPA, and a completed apprentice with a certificate
        self.created += seed_epa(programme=programme)
        from demo.reporting import seed_reporting

        self.created += seed_reporting()  # demo.reporting: a director's RAG override with its reason
        return self.created

    def _seed_plan(self, n: int, enrolment: Enrolment, director: User, epao_name: str) -> None:
        """Training plans in every state: signed, revised (major and minor), awaiting signatures, draft."""
        values = plan_services.fields_from_records(enrolment)
        values.epao_name = epao_name
        sent = timezone.make_aware(datetime.combine(enrolment.start_date - timedelta(days=10), time(10)))
        if n == 12:  # a draft the director has not sent yet
            plan_services.plan_save_draft(enrolment=enrolment, by=director, values=values)
            return
        if n == 11:  # sent ten days ago; the apprentice has signed, the manager and director have not
            plan = self._plan(enrolment, director, 1, values, timezone.now() - timedelta(days=10))
            plan.status = TrainingPlan.Status.AWAITING
            plan.save(update_fields=["status"])
            self._signature(plan, "apprentice", enrolment.apprentice, plan.sent_at + timedelta(days=1))
            return
        first_values = values
        if n == 4:  # planned end extended after a break: the first version said 104 weeks
            first_values = replace(values, planned_end_date=enrolment.start_date + timedelta(weeks=104))
        plan = self._plan(enrolment, director, 1, first_values, sent)
        if n == 3:  # a module was rescheduled: the first version had Leadership a week later
            plan.content["schedule"][1]["campus"] = [
                (date.fromisoformat(day) + timedelta(weeks=1)).isoformat()
                for day in plan.content["schedule"][1]["campus"]
            ]
            plan.content_hash = plan_models.content_hash(plan.content)
        self._sign_all(plan, enrolment, director, sent + timedelta(days=2))
        if n == 4:
            self._revise(
                plan,
                enrolment,
                director,
                values,
                "Planned end extended by 16 weeks after a break in learning.",
                timezone.make_aware(datetime(2025, 6, 20, 11)),
                major=True,
            )
        if n == 3:
            self._revise(
                plan,
                enrolment,
                director,
                values,
                "Leadership campus days moved a week earlier.",
                timezone.make_aware(datetime(2025, 1, 6, 9)),
                major=False,
            )

    def _plan(
        self, enrolment, director, version, values, sent_at, previous=None, revision="initial", summary=""
    ):
        content = plan_services.build_content(enrolment, values)
        self.created += 1
        return TrainingPlan.objects.create(
            enrolment=enrolment,
            version=version,
            status=TrainingPlan.Status.SIGNED,
            revision=revision,
            previous=previous,
            change_summary=summary,
            content=content,
            content_hash=plan_models.content_hash(content),
            created_by=director,
            created_at=sent_at - timedelta(hours=2),
            sent_at=sent_at,
            requests_sent_at=sent_at,
            last_reminded_at=sent_at,
        )

    def _signature(self, plan, role, user, at) -> None:
        PlanSignature.objects.create(
            plan=plan,
            role=role,
            signed_by=user,
            typed_name=user.full_name,
            signed_at=at,
            ip_address="192.0.2.10",
            user_agent="Demo data",
            content_hash=plan.content_hash,
        )
        self.created += 1

    def _sign_all(self, plan, enrolment, director, at) -> None:
        plan.save()
        self._signature(plan, "apprentice", enrolment.apprentice, at)
        self._signature(plan, "employer", enrolment.line_manager, at + timedelta(hours=3))
        self._signature(plan, "provider", director, at + timedelta(days=1))
        plan.signed_at = at + timedelta(days=1)
        plan.save(update_fields=["signed_at"])

    def _revise(self, old, enrolment, director, values, summary, at, *, major: bool) -> None:
        old.status = TrainingPlan.Status.SUPERSEDED
        old.superseded_at = at
        old.save(update_fields=["status", "superseded_at"])
        new = self._plan(
            enrolment, director, old.version + 1, values, at, previous=old,
            revision="major" if major else "minor", summary=summary,
        )  # fmt: skip
        if major:
            self._sign_all(new, enrolment, director, at + timedelta(days=1))
        else:
            new.signed_at = at
            new.save(update_fields=["signed_at"])

    # ---- portfolios ---------------------------------------------------------------------------------------

    def _seed_portfolio(self, enrolment: Enrolment, pieces, catalogue: dict[str, Piece]) -> None:
        """Evidence through the portfolio services, as the apprentice and their tutor would have added and
        reviewed it, then dated back to when it happened. Skipped once the enrolment has any evidence."""
        if enrolment.evidence.exists() or not enrolment.is_live:
            return
        enrolment = Enrolment.objects.select_related("apprentice", "practice_tutor", "employer").get(
            pk=enrolment.pk
        )
        ksbs = dict(KSB.objects.filter(standard_id=enrolment.programme.standard_id).values_list("code", "pk"))
        breaks = list(enrolment.breaks.all())
        gateway = (
            enrolment.status_changes.filter(to_status=Status.GATEWAY)
            .values_list("effective_on", flat=True)
            .first()
        )
        for number, (key, outcome, week) in enumerate(pieces):
            piece = catalogue[key]
            if not set(piece.ksbs) <= set(ksbs):  # the standard's KSBs were replaced by an official import
                continue
            when = piece.week if week is None else week
            occurred_on = self._activity_date(enrolment, breaks, gateway, when, number)
            self._seed_evidence(enrolment, piece, outcome, occurred_on, ksbs, number)

    @staticmethod
    def _activity_date(enrolment: Enrolment, breaks, gateway: date | None, week: int, number: int) -> date:
        """A day ``week`` weeks into the apprenticeship, outside any break, before gateway, not in the future."""
        on = enrolment.start_date + timedelta(weeks=week, days=number % 4)
        for pause in breaks:
            if pause.start_date <= on and (pause.end_date is None or on < pause.end_date):
                after = pause.end_date is not None
                on = pause.end_date + timedelta(days=7) if after else pause.start_date - timedelta(days=10)
        if gateway is not None and on >= gateway:
            on = gateway - timedelta(days=7)
        return min(on, timezone.localdate() - timedelta(days=3))

    def _files(self, enrolment: Enrolment, piece: Piece, occurred_on: date) -> list[SimpleUploadedFile]:
        files = []
        for name in piece.files:
            if name.endswith(".png"):
                files.append(SimpleUploadedFile(name, sample_png(), content_type="image/png"))
                continue
            lines = [
                f"{enrolment.apprentice.full_name}, {enrolment.apprentice.job_title}",
                enrolment.employer.name,
                f"{occurred_on.day} {occurred_on:%B %Y}",
                "",
                "Demo file: a stand-in for the real document in the Tripartite demo data.",
            ]
            files.append(
                SimpleUploadedFile(name, sample_pdf(piece.title, lines), content_type="application/pdf")
            )
        return files

    def _seed_evidence(
        self, enrolment, piece: Piece, outcome: str, occurred_on: date, ksbs, number: int
    ) -> None:
        apprentice, tutor = enrolment.apprentice, enrolment.practice_tutor
        fields = evidence_services.EvidenceFields(
            title=piece.title,
            kind=piece.kind,
            occurred_on=occurred_on,
            reflection=piece.reflection,
            ksb_ids=[ksbs[code] for code in piece.ksbs],
        )
        evidence = evidence_services.evidence_create(
            enrolment=enrolment,
            by=apprentice,
            fields=fields,
            files=self._files(enrolment, piece, occurred_on),
            submit=outcome != DRAFT,
        )
        self.created += 1
        if outcome in (REWORKED, NEEDS_WORK):
            evidence_services.evidence_feedback(
                evidence=evidence,
                by=tutor,
                decision=Feedback.Decision.NEEDS_WORK,
                comment=piece.rework,
                judgements=[
                    evidence_services.Judgement(ksbs[code], agreed=i < len(piece.ksbs) - 1)
                    for i, code in enumerate(piece.ksbs)
                ],
            )
        if outcome == REWORKED:
            fields.reflection = f"{piece.reflection}\n\n{piece.revision}"
            evidence_services.evidence_update(evidence=evidence, by=apprentice, fields=fields)
            evidence_services.evidence_submit(evidence=evidence, by=apprentice)
        if outcome in (ACCEPTED, REWORKED, PARTLY):
            last = ksbs[piece.ksbs[-1]]
            evidence_services.evidence_feedback(
                evidence=evidence,
                by=tutor,
                decision=Feedback.Decision.ACCEPTED,
                comment=ACCEPT_COMMENTS[number % len(ACCEPT_COMMENTS)],
                judgements=[evidence_services.Judgement(last, agreed=False, comment=NOT_SHOWN)]
                if outcome == PARTLY
                else [],
            )
        self._date_back(evidence.pk, occurred_on)

    def _date_back(self, evidence_id: int, occurred_on: date) -> None:
        """Give the evidence, its versions, files and feedback the times they would have had: added the day
        after the activity, submitted the next day, reviewed within a week, revised within a few days."""
        versions = list(EvidenceVersion.objects.filter(evidence_id=evidence_id).order_by("number"))
        feedback = {f.version_id: f for f in Feedback.objects.filter(version__evidence_id=evidence_id)}
        moments = []  # (object, attribute) in the order they happened
        for version in versions:
            moments.append((version, "created_at"))
            if version.submitted_at:
                moments.append((version, "submitted_at"))
            if version.pk in feedback:
                moments.append((feedback[version.pk], "created_at"))
        gaps = {"created_at": timedelta(days=3), "submitted_at": timedelta(days=1, hours=2)}
        at = timezone.make_aware(datetime.combine(occurred_on + timedelta(days=1), time(9, 30)))
        latest = timezone.now() - timedelta(hours=len(moments) + 1)
        for k, (obj, attribute) in enumerate(moments):
            if k:
                at += timedelta(days=5, hours=3) if isinstance(obj, Feedback) else gaps[attribute]
            setattr(obj, attribute, min(at, latest + timedelta(hours=k)))
        EvidenceVersion.objects.bulk_update(versions, ["created_at", "submitted_at"])
        Feedback.objects.bulk_update(feedback.values(), ["created_at"])
        created = {version.pk: version.created_at for version in versions}
        files = list(
            EvidenceFile.objects.filter(version__evidence_id=evidence_id).order_by("version__number")
        )
        uploaded: dict[str, datetime] = {}  # a file carried over to a later version keeps its upload time
        for stored in files:
            stored.uploaded_at = uploaded.setdefault(stored.sha256, created[stored.version_id])
        EvidenceFile.objects.bulk_update(files, ["uploaded_at"])
        current = versions[-1]
        accepted = feedback.get(current.pk)
        Evidence.objects.filter(pk=evidence_id).update(
            created_at=versions[0].created_at,
            submitted_at=current.submitted_at,
            accepted_at=accepted.created_at
            if accepted and accepted.decision == Feedback.Decision.ACCEPTED
            else None,
        )
