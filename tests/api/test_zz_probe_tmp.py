def test_probe(api, world, cast):
    api.as_user(cast.director)
    for q in [f"cohort={world.other_enrolment.cohort.pk}", "cohort=99999", "cohort=abc", f"programme={world.other_programme.pk}", "programme=9999", f"employer={world.other_employer.pk}", "employer=9999"]:
        r = api.get("/api/v1/enrolments/?"+q); print(q, r.status_code, r.content[:150])
