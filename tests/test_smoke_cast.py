from programmes import access


def test_the_apprentice_sees_only_their_own_enrolment(world, cast):
    assert list(access.enrolments_visible_to(cast.apprentice)) == [world.enrolment]
