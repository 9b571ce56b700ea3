"""factory_boy factories for the test cast and their world."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accounts.models import Organisation, User
from programmes.models import KSB, Cohort, Enrolment, Module, ModuleRun, Programme, Standard

PASSWORD = "correct-horse-battery"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Employer {n}")
    kind = Organisation.Kind.EMPLOYER


class ProviderFactory(OrganisationFactory):
    name = "University of Testing"
    kind = Organisation.Kind.PROVIDER


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class StandardFactory(DjangoModelFactory):
    class Meta:
        model = Standard
        django_get_or_create = ("code", "version")

    code = "ST0480"
    version = "1.2"
    title = "Senior leader"
    level = 7


class KSBFactory(DjangoModelFactory):
    class Meta:
        model = KSB

    standard = factory.SubFactory(StandardFactory)
    code = factory.Sequence(lambda n: f"K{n + 1}")
    kind = "K"
    statement = factory.Sequence(lambda n: f"Knowledge statement {n + 1}")


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    provider = factory.SubFactory(ProviderFactory)
    standard = factory.SubFactory(StandardFactory)


class ModuleFactory(DjangoModelFactory):
    class Meta:
        model = Module

    programme = factory.SubFactory(ProgrammeFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Module {n + 1}")
    year = 1
    term = "autumn"


class CohortFactory(DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = date(2025, 9, 15)


class ModuleRunFactory(DjangoModelFactory):
    class Meta:
        model = ModuleRun

    module = factory.SubFactory(ModuleFactory)
    cohort = factory.SubFactory(CohortFactory)
    online_start = date(2025, 9, 22)
    campus_start = factory.LazyAttribute(lambda o: o.online_start + timedelta(weeks=6))


class EnrolmentFactory(DjangoModelFactory):
    """An enrolment built directly (for fixtures); tests of the rules go through services.enrolment_create."""

    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    programme = factory.LazyAttribute(lambda o: o.cohort.programme)
    employer = factory.SubFactory(OrganisationFactory)
    apprentice = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..employer"))
    line_manager = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..employer"))
    practice_tutor = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..cohort.programme.provider")
    )
    start_date = date(2025, 9, 15)
    planned_end_date = date(2027, 9, 13)
    contracted_weekly_hours = Decimal("37")
    status = Enrolment.Status.ACTIVE
