from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value, yield_hotp_counters_from_time, format_hotp_value
from allauth.account.models import EmailAddress


def test_explore(client, cast, password):
    r = client.get("/accounts/signup/")
    print("signup", r.status_code, [t.name for t in r.templates][:3])
    r = client.post("/accounts/signup/", {"email": "x@example.test", "password1": "abcdefghijkl9", "password2": "abcdefghijkl9"})
    print("signup post", r.status_code, [t.name for t in r.templates][:3])
    r = client.post("/accounts/login/", {"login": cast.apprentice.email, "password": "wrong"})
    print("wrong", r.status_code, r.context["form"].errors)
    for i in range(6):
        r = client.post("/accounts/login/", {"login": cast.tutor.email, "password": "wrong"})
        print(i, r.status_code, r.context and r.context["form"].errors)
    r = client.post("/accounts/login/", {"login": cast.tutor.email, "password": password})
    print("right after", r.status_code, r.context and r.context["form"].errors)
    r = client.post("/accounts/login/", {"login": cast.apprentice.email, "password": password})
    print("ok", r.status_code, r.get("Location"))
    client.logout()
    EmailAddress.objects.filter(user=cast.line_manager).update(verified=False)
    r = client.post("/accounts/login/", {"login": cast.line_manager.email, "password": password})
    print("unverified", r.status_code, r.get("Location"), "_auth_user_id" in client.session)
    client.logout()
    secret = generate_totp_secret()
    TOTP.activate(cast.director, secret)
    r = client.post("/accounts/login/", {"login": cast.director.email, "password": password})
    print("mfa", r.status_code, r.get("Location"), "_auth_user_id" in client.session)
    r = client.get("/accounts/2fa/authenticate/")
    print("mfa get", r.status_code, r.context["form"].fields.keys())
    r = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    print("mfa wrong", r.status_code, r.context["form"].errors, "_auth_user_id" in client.session)
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    r = client.post("/accounts/2fa/authenticate/", {"code": code})
    print("mfa ok", r.status_code, r.get("Location"), "_auth_user_id" in client.session)


def test_explore_activate(client, cast, password):
    client.force_login(cast.apprentice)
    r = client.get("/accounts/2fa/")
    print("2fa", r.status_code)
    r = client.get("/accounts/2fa/totp/activate/")
    print("activate", r.status_code, r.get("Location"))
    r = client.post("/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/", {"password": password, "next": "/accounts/2fa/totp/activate/"})
    print("reauth", r.status_code, r.get("Location"))
    r = client.get("/accounts/2fa/totp/activate/")
    print("activate", r.status_code, r.get("Location"), client.session.get("mfa.totp.secret"), r.context["form"].secret)
