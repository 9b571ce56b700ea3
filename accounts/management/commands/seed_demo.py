"""Load the demo described in api.md. Idempotent: running it again changes nothing."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from assessments.models import EndPointAssessment
from programmes import plan_models, plan_services, services
from programmes.demo_ksbs import DEMO_KSBS, DEMO_SOURCE, MODULE_KSBS
from programmes.models import (
    KSB,
    Cohort,
    Enrolment,
    Module,
    ModuleRun,
    PlanSignature,
    Programme,
    Standard,
    TrainingPlan,
)
from programmes.services import KSBRow

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
