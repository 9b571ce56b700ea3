def test_explore(api, cast, password):
    r = api.get("/api/v1/me/")
    print("anon", r.status_code, r.json(), r.get("WWW-Authenticate"))
    r = api.post("/api/v1/auth/token/", {"email": cast.apprentice.email, "password": password}, format="json")
    print("ok", r.status_code, r.json())
    tok = r.json()["token"]
    r = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {tok}")
    print("me", r.status_code, r.json())
    r = api.post("/api/v1/auth/token/", {}, format="json")
    print("missing", r.status_code, r.json())
    r = api.post("/api/v1/auth/token/", {"email": "nobody@example.test", "password": password}, format="json")
    print("unknown", r.status_code, r.json())
    cast.tutor.is_active = False
    cast.tutor.save()
    r = api.post("/api/v1/auth/token/", {"email": cast.tutor.email, "password": password}, format="json")
    print("inactive", r.status_code, r.json())
    r = api.post("/api/v1/auth/token/", {"email": cast.apprentice.email.upper(), "password": password}, format="json")
    print("upper", r.status_code, r.json())
