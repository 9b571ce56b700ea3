"""The demo loader: builds the demo described in api.md, idempotently (running it again changes nothing).

``manage.py seed_demo`` (run by ``make run``) calls ``DemoLoader().run()``. It seeds people and organisations,
the programme, cohorts and module runs, enrolments with their plans and lifecycles, portfolios, then each
capability's own demo module (demo/assessments.py, reviews.py, otj.py, epa.py, reporting.py).
"""

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from assessments.epa.models import EndPointAssessment
from demo.assessments import seed_module_assessment
from demo.catalogue import (
    APPRENTICE_NAMES,
    COHORT_2024_STEPS,
    COHORT_2025_STEPS,
    DEMO_OTJ_MINIMUM,
    MODULE_START_WEEKS,
    MODULES,
    PASSWORD,
    Status,
)
from demo.epa import seed_epa
from demo.ksbs import DEMO_KSBS, DEMO_SOURCE, MODULE_KSBS
from demo.otj import seed_otj
from demo.pieces import (
    COUNCIL_PIECES,
    NHS_PIECES,
    PORTFOLIOS,
)
from demo.portfolios import PortfolioSeeder
from demo.reporting import seed_reporting
from demo.reviews import seed_reviews
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


class DemoLoader(PortfolioSeeder):
    def __init__(self) -> None:
        self.created = 0

    def run(self) -> int:
        with transaction.atomic():
            return self._seed()

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
        self._organisations_and_people()
        self._programme()
        self._cohorts()
        self._enrolments()
        for n, pieces in PORTFOLIOS.items():
            enrolment = Enrolment.objects.get(apprentice=self.apprentices[n], programme=self.programme)
            self._seed_portfolio(enrolment, pieces, COUNCIL_PIECES if n <= 6 else NHS_PIECES)
        self.created += seed_module_assessment(programme=self.programme)
        self.created += seed_reviews(self.apprentices)  # demo.reviews: progress reviews in every state
        self.created += seed_otj(self.apprentices)  # demo.otj: OTJ ledgers at every status
        # demo.epa: gateway, EPA, and a completed apprentice with a certificate
        self.created += seed_epa(programme=self.programme)
        self.created += seed_reporting()  # demo.reporting: a director's RAG override with its reason
        return self.created

    def _organisations_and_people(self) -> None:
        self.university = university = self._get_or_create(
            Organisation,
            name=settings.INSTITUTION_NAME,
            defaults={"kind": Organisation.Kind.PROVIDER, "ukprn": "10099999"},
        )
        self.council = council = self._get_or_create(
            Organisation, name="Northshire County Council", defaults={"kind": Organisation.Kind.EMPLOYER}
        )
        self.trust = trust = self._get_or_create(
            Organisation, name="Riverside NHS Foundation Trust", defaults={"kind": Organisation.Kind.EMPLOYER}
        )
        self.epao = epao = self._get_or_create(
            Organisation, name="Independent Assessment Partners", defaults={"kind": Organisation.Kind.EPAO}
        )
        self._user("admin@demo.test", "Alex Admin", university, "Platform administrator", superuser=True)
        self.director = self._user("director@demo.test", "Dr Priya Sharma", university, "Programme Director")
        self.tutor1 = self._user("tutor1@demo.test", "Tom Bennett", university, "Practice Tutor")
        self.tutor2 = self._user("tutor2@demo.test", "Rachel Evans", university, "Practice Tutor")
        self.lead = self._user("lead@demo.test", "Prof. Martin Clarke", university, "Module Lead")
        self.assessor = self._user(
            "assessor@demo.test", "Sandra Whitfield", epao, "Independent End-Point Assessor"
        )
        self.manager1 = self._user(
            "manager1@demo.test", "Helen Morris", council, "Assistant Director, Adult Services"
        )
        self.manager2 = self._user("manager2@demo.test", "David Osei", trust, "Director of Operations")
        self.apprentices = {
            n: self._user(
                f"apprentice{n}@demo.test",
                APPRENTICE_NAMES[n - 1],
                council if n <= 6 else trust,
                "Service Manager" if n <= 6 else "Clinical Services Manager",
            )
            for n in range(1, 13)
        }

    def _programme(self) -> None:
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
        self.programme = programme = self._get_or_create(
            Programme,
            provider=self.university,
            name="Senior Leader Apprenticeship (Public Management and Leadership)",
            defaults={
                "standard": standard,
                "professional_award": "Chartered Manager (CMI) eligibility",
                "academic_award": "Postgraduate Diploma in Public Management and Leadership",
            },
        )
        if not programme.directors.filter(pk=self.director.pk).exists():
            programme.directors.add(self.director)
        self.modules = {}
        for order, title, year, term in MODULES:
            module = self._get_or_create(
                Module,
                programme=programme,
                order=order,
                defaults={"title": title, "year": year, "term": term},
            )
            if not module.ksbs.exists():
                module.ksbs.set([ksbs[code] for code in MODULE_KSBS[order]])
            self.modules[order] = module

    def _cohorts(self) -> None:
        programme = self.programme
        self.cohorts = {
            2024: self._get_or_create(
                Cohort, programme=programme, name="2024 cohort", defaults={"start_date": date(2024, 9, 16)}
            ),
            2025: self._get_or_create(
                Cohort, programme=programme, name="2025 cohort", defaults={"start_date": date(2025, 9, 15)}
            ),
        }
        for cohort in self.cohorts.values():
            for order, module in self.modules.items():
                online_start = cohort.start_date + timedelta(weeks=MODULE_START_WEEKS[order])
                campus_start = online_start + timedelta(
                    weeks=module.weeks_online
                )  # a Monday after the online weeks
                self._get_or_create(
                    ModuleRun,
                    module=module,
                    cohort=cohort,
                    defaults={"online_start": online_start, "campus_start": campus_start, "lead": self.lead},
                )

    def _enrolments(self) -> None:
        """Each apprentice's enrolment, training plan and lifecycle (COHORT_*_STEPS), once."""
        cohorts, director = self.cohorts, self.director
        plan = [
            (n, cohorts[2024], self.council, self.manager1, self.tutor1, steps)
            for n, steps in COHORT_2024_STEPS.items()
        ]
        plan += [
            (n, cohorts[2025], self.trust, self.manager2, self.tutor2, steps)
            for n, steps in COHORT_2025_STEPS.items()
        ]
        for n, cohort, employer, manager, tutor, (hours, weeks, steps) in plan:
            apprentice = self.apprentices[n]
            if Enrolment.objects.filter(apprentice=apprentice, programme=self.programme).exists():
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
            self._seed_plan(n, enrolment, director, self.epao.name)
            for status, effective_on, reason in steps:
                self._change_status(enrolment, status, effective_on, reason)

    def _change_status(self, enrolment: Enrolment, status, effective_on: date, reason: str) -> None:
        services.enrolment_change_status(
            enrolment=enrolment,
            to_status=status,
            by=self.director,
            effective_on=effective_on,
            reason=reason,
            withdrawal_reason_code="44" if status == Status.WITHDRAWN else "",
        )
        if status == Status.EPA:
            EndPointAssessment.objects.create(
                enrolment=enrolment,
                assessor=self.assessor,
                assigned_at=timezone.make_aware(datetime.combine(effective_on, datetime.min.time())),
            )

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
