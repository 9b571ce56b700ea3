"""The single access policy (programmes.access): what each member of the cast may see and do."""

import pytest
from django.contrib.auth.models import AnonymousUser

from programmes import access
from programmes.models import Enrolment
from tests.contract import CAST_ROLES
from tests.factories import EnrolmentFactory, ModuleFactory, ModuleRunFactory, UserFactory

EVERYONE = [
    "apprentice",
    "line_manager",
    "tutor",
    "other_apprentice",
    "other_manager",
    "other_tutor",
    "director",
    "other_director",
    "module_lead",
    "assessor",
    "admin",
    "anonymous",
    "anonymous_user",
]

# Who sees what, by the names of the objects in the test world.
VISIBLE_ENROLMENTS = {
    "apprentice": {"enrolment"},
    "line_manager": {"enrolment"},
    "tutor": {"enrolment"},
    "other_apprentice": {"other_enrolment"},
    "other_manager": {"other_enrolment"},
    "other_tutor": {"other_enrolment"},
    "director": {"enrolment"},
    "other_director": {"other_enrolment"},
    "module_lead": {"enrolment"},
    "assessor": {"enrolment"},
    "admin": {"enrolment", "other_enrolment"},
    "anonymous": set(),
    "anonymous_user": set(),
}
VISIBLE_PROGRAMMES = {
    "apprentice": {"programme"},
    "line_manager": {"programme"},
    "tutor": {"programme"},
    "other_apprentice": {"other_programme"},
    "other_manager": {"other_programme"},
    "other_tutor": {"other_programme"},
    "director": {"programme"},
    "other_director": {"other_programme"},
    "module_lead": {"programme"},
    "assessor": {"programme"},
    "admin": {"programme", "other_programme"},
    "anonymous": set(),
    "anonymous_user": set(),
}
# Cohorts are for staff roles only: apprentices and line managers see none.
VISIBLE_COHORTS = {
    "apprentice": set(),
    "line_manager": set(),
    "tutor": {"cohort"},
    "other_apprentice": set(),
    "other_manager": set(),
    "other_tutor": {"other_cohort"},
    "director": {"cohort"},
    "other_director": {"other_cohort"},
    "module_lead": {"cohort"},
    "assessor": {"cohort"},
    "admin": {"cohort", "other_cohort"},
    "anonymous": set(),
    "anonymous_user": set(),
}
ROLES = {**CAST_ROLES, "anonymous": [], "anonymous_user": []}
MANAGERS_OF_ENROLMENT = {"director", "admin"}
MANAGERS_OF_OTHER_ENROLMENT = {"other_director", "admin"}
INVITERS = {"director", "other_director", "admin"}


def person(cast, name):
    """A cast member by name; the two anonymous forms are None and Django's AnonymousUser."""
    if name == "anonymous":
        return None
    if name == "anonymous_user":
        return AnonymousUser()
    return getattr(cast, name)


def world_objects(world, names):
    objects = {
        "enrolment": world.enrolment,
        "other_enrolment": world.other_enrolment,
        "programme": world.programme,
        "other_programme": world.other_programme,
        "cohort": world.cohort,
        "other_cohort": world.other_enrolment.cohort,
    }
    return {objects[name].pk for name in names}


def pks(queryset):
    rows = list(queryset.values_list("pk", flat=True))
    assert len(rows) == len(set(rows)), "the queryset returned duplicate rows"
    return set(rows)


@pytest.mark.parametrize("name", EVERYONE)
def test_each_person_sees_exactly_their_enrolments(world, cast, name):
    user = person(cast, name)
    expected = world_objects(world, VISIBLE_ENROLMENTS[name])
    assert pks(access.enrolments_visible_to(user)) == expected
    assert pks(Enrolment.objects.visible_to(user)) == expected


@pytest.mark.parametrize("name", EVERYONE)
def test_each_person_sees_exactly_their_programmes(world, cast, name):
    user = person(cast, name)
    assert pks(access.programmes_visible_to(user)) == world_objects(world, VISIBLE_PROGRAMMES[name])


@pytest.mark.parametrize("name", EVERYONE)
def test_each_person_sees_exactly_their_cohorts_and_only_staff_see_any(world, cast, name):
    user = person(cast, name)
    assert pks(access.cohorts_visible_to(user)) == world_objects(world, VISIBLE_COHORTS[name])


@pytest.mark.parametrize("name", EVERYONE)
def test_each_person_has_the_roles_their_relationships_give_them(cast, name):
    assert access.roles_for(person(cast, name)) == ROLES[name]


def test_roles_are_worked_out_in_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        access.roles_for(cast.tutor)


@pytest.mark.parametrize("name", EVERYONE)
def test_only_the_programme_director_and_an_admin_can_manage_an_enrolment(world, cast, name):
    user = person(cast, name)
    assert access.can_manage_enrolment(user, world.enrolment) is (name in MANAGERS_OF_ENROLMENT)
    assert access.can_manage_enrolment(user, world.other_enrolment) is (name in MANAGERS_OF_OTHER_ENROLMENT)


@pytest.mark.parametrize("name", EVERYONE)
def test_only_programme_directors_and_admins_can_invite(cast, name):
    assert access.can_invite(person(cast, name)) is (name in INVITERS)


def test_a_tutor_on_one_programme_who_directs_another_holds_both_roles(world, cast):
    tutored = EnrolmentFactory(cohort=world.cohort, practice_tutor=cast.other_director)

    assert access.roles_for(cast.other_director) == ["practice_tutor", "programme_director"]
    assert pks(access.enrolments_visible_to(cast.other_director)) == {tutored.pk, world.other_enrolment.pk}
    assert pks(access.programmes_visible_to(cast.other_director)) == {
        world.programme.pk,
        world.other_programme.pk,
    }
    assert pks(access.cohorts_visible_to(cast.other_director)) == {
        world.cohort.pk,
        world.other_enrolment.cohort.pk,
    }
    # Tutoring gives no power over the enrolment; only directing does.
    assert access.can_manage_enrolment(cast.other_director, tutored) is False
    assert access.can_manage_enrolment(cast.other_director, world.other_enrolment) is True


def test_someone_with_every_relationship_holds_every_role_in_order(world, cast):
    everything = UserFactory(is_superuser=True, is_staff=True)
    world.programme.directors.add(everything)
    EnrolmentFactory(cohort=world.cohort, apprentice=everything)
    EnrolmentFactory(cohort=world.other_enrolment.cohort, line_manager=everything, practice_tutor=everything)
    ModuleRunFactory(
        module=ModuleFactory(programme=world.programme, order=99), cohort=world.cohort, lead=everything
    )
    world.epa.assessor = everything
    world.epa.save()

    assert access.roles_for(everything) == list(access.ALL_ROLES)


@pytest.mark.parametrize(
    "name", ["apprentice", "line_manager", "tutor", "director", "module_lead", "assessor", "admin"]
)
def test_an_inactive_user_sees_nothing_and_may_do_nothing(world, cast, name):
    user = person(cast, name)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert pks(access.enrolments_visible_to(user)) == set()
    assert pks(access.programmes_visible_to(user)) == set()
    assert pks(access.cohorts_visible_to(user)) == set()
    assert access.roles_for(user) == []
    assert access.can_manage_enrolment(user, world.enrolment) is False
    assert access.can_invite(user) is False


def test_visible_rows_are_not_duplicated_by_several_directors_and_module_runs(world, cast):
    # The director also leads several module runs of the same cohort and tutors an apprentice in it;
    # the programme has several directors. Each row must still appear once.
    second_director = UserFactory()
    world.programme.directors.add(second_director)
    for order in (2, 3, 4):
        module = ModuleFactory(programme=world.programme, order=order)
        ModuleRunFactory(module=module, cohort=world.cohort, lead=cast.module_lead)
        ModuleRunFactory(
            module=ModuleFactory(programme=world.programme, order=order + 10),
            cohort=world.cohort,
            lead=cast.director,
        )
    extra = [EnrolmentFactory(cohort=world.cohort, practice_tutor=cast.director) for _ in range(3)]
    expected = {world.enrolment.pk} | {enrolment.pk for enrolment in extra}

    for user in (cast.director, second_director, cast.module_lead):
        assert pks(access.enrolments_visible_to(user)) == expected
        assert access.enrolments_visible_to(user).count() == len(expected)
        assert pks(access.programmes_visible_to(user)) == {world.programme.pk}
        assert access.programmes_visible_to(user).count() == 1
        assert pks(access.cohorts_visible_to(user)) == {world.cohort.pk}
        assert access.cohorts_visible_to(user).count() == 1
