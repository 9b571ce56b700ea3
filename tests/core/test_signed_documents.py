"""Every signed document signs the same way, through its page and through the API (one suite, parametrised by
document: the training plan, a progress review, the gateway sign-off).

What each document's adapter decides (noun, version, hash, roles, open or closed) is wired into
``core.signatures``; ``tests/core/test_signature_mechanism.py`` checks the mechanism on its own. Here each
document's pages and endpoints are checked end to end: a signature records who, for which role, when, from where,
in which browser, for which content and how they proved it; what the signer read travels with the signature and a
stale read is a 409 naming the current version; a wrong password or name is a 400; an outsider gets 404, a visible
non-signer 403, a second signature 409; an authenticator code signs for an MFA account. Every refused request is
also checked by the suite's refused-writes guard (``tests/conftest.py``): it changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from assessments.epa import services as epa_services
from assessments.epa.models import GatewaySignOff
from assessments.epa.signing import GatewayDocument
from programmes.training_plans import services as plan_services
from programmes.training_plans.models import PlanSignature
from programmes.training_plans.signing import PlanDocument
from tests.assessments.epa.epa_helpers import make_ready
from tests.factories import PASSWORD
from tests.signing import posted
from tests.tutors.helpers import complete_fields, signed_review, submitted_review
from tutors import services as review_services
from tutors.models import ReviewSignature
from tutors.signing import ReviewDocument

ADDRESS, BROWSER = "203.0.113.7", "Signing-suite browser/1.0"
CHANNELS = ["page", "api"]


@dataclass
class Case:
    """One signed document, ready for signature, and how to reach it."""

    now: datetime
    signer: Any
    role: str
    non_signer: Any  # sees the document, signs nothing on it
    outsider: Any  # does not see it
    page_url: str
    api_url: str
    read_url: str  # the API GET that returns its version and content hash
    document: Callable[[], Any]  # the document as it stands now
    signatures: Callable[[], Any]
    move_on: Callable[[], None]  # the document changes after the signer read it


def _plan_case(world, cast) -> Case:
    standard = world.programme.standard
    standard.otj_minimum_hours = Decimal("460")
    standard.save()
    enrolment = world.enrolment

    def issue(**changes):
        values = replace(plan_services.fields_from_records(enrolment), **changes)
        draft = plan_services.plan_save_draft(
            enrolment=enrolment, by=cast.director, values=values, change_summary="Agreed at the review."
        )
        return plan_services.plan_send(plan=draft, by=cast.director)

    issue()
    return Case(
        now=datetime(2025, 10, 1, 11, tzinfo=UTC),
        signer=cast.apprentice,
        role="apprentice",
        non_signer=cast.tutor,
        outsider=cast.other_manager,
        page_url=f"/enrolments/{enrolment.pk}/training-plan/sign/",
        api_url=f"/api/v1/enrolments/{enrolment.pk}/training-plan/sign/",
        read_url=f"/api/v1/enrolments/{enrolment.pk}/training-plan/",
        document=lambda: PlanDocument(plan_services.current_plan(enrolment)),
        signatures=lambda: PlanSignature.objects.all(),
        move_on=lambda: issue(contracted_weekly_hours=Decimal("30")) and None,
    )


def _review_case(world, cast) -> Case:
    enrolment = world.enrolment
    signed_review(enrolment, cast, held_on=date(2026, 3, 2))
    review = submitted_review(enrolment, cast.tutor, held_on=date(2026, 6, 29))

    def declined_and_resubmitted():
        review_services.review_decline(review=review, by=cast.line_manager, comment="Action 1 is mine.")
        values = complete_fields(
            enrolment, held_on=date(2026, 6, 29), progress="Corrected after the decline."
        )
        review_services.review_save_draft(enrolment=enrolment, by=cast.tutor, values=values)
        review_services.review_submit(review=review, by=cast.tutor)

    def current():
        review.refresh_from_db()
        return ReviewDocument(review)

    return Case(
        now=datetime(2026, 7, 1, 10, tzinfo=UTC),
        signer=cast.apprentice,
        role="apprentice",
        non_signer=cast.director,
        outsider=cast.other_manager,
        page_url=f"/reviews/{review.pk}/sign/",
        api_url=f"/api/v1/reviews/{review.pk}/sign/",
        read_url=f"/api/v1/reviews/{review.pk}/",
        document=current,
        signatures=lambda: ReviewSignature.objects.filter(review=review),
        move_on=declined_and_resubmitted,
    )


def _gateway_case(world, cast) -> Case:
    enrolment = world.enrolment
    make_ready(world, cast)

    def current():
        enrolment.refresh_from_db()
        return GatewayDocument(enrolment)

    return Case(
        now=datetime(2026, 3, 10, 10, tzinfo=UTC),
        signer=cast.line_manager,
        role="employer",
        non_signer=cast.apprentice,
        outsider=cast.other_manager,
        page_url=f"/enrolments/{enrolment.pk}/gateway/sign/",
        api_url=f"/api/v1/enrolments/{enrolment.pk}/gateway/sign/",
        read_url=f"/api/v1/enrolments/{enrolment.pk}/gateway/",
        document=current,
        signatures=lambda: GatewaySignOff.objects.filter(enrolment=enrolment),
        move_on=lambda: (
            epa_services.english_maths_record(
                enrolment=enrolment,
                by=cast.tutor,
                kind="exemption",
                details="Exempt: a Level 3 qualification held.",
            )
            and None
        ),
    )


CASES = {
    "plan": (_plan_case, 2025, 10, 1),
    "review": (_review_case, 2026, 7, 1),
    "gateway": (_gateway_case, 2026, 3, 10),
}


@pytest.fixture(params=list(CASES))
def case(request, world, cast):
    build, year, month, day = CASES[request.param]
    with time_machine.travel(datetime(year, month, day, 10, tzinfo=UTC), tick=False):
        built = build(world, cast)
    with time_machine.travel(built.now, tick=False):
        yield built


def send(client, api, case: Case, channel: str, user, body: dict):
    """Post ``body`` to the document's sign page or endpoint as ``user``, from a known address and browser."""
    if channel == "page":
        client.force_login(user)
        return client.post(case.page_url, body, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)
    return api.as_user(user).post(
        case.api_url, body, format="json", REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER
    )


def read(client, api, case: Case, channel: str, user) -> dict:
    """What ``user`` read: the version and hash the page's form carries, or the API's document returns."""
    if channel == "page":
        client.force_login(user)
        page = client.get(case.page_url).content.decode()
        document = case.document()
        assert f'name="version" value="{document.version}"' in page
        assert f'name="content_hash" value="{document.content_hash}"' in page
        return {"version": document.version, "content_hash": document.content_hash}
    body = api.as_user(user).get(case.read_url).json()
    return {"version": body["version"], "content_hash": body["content_hash"]}


def signed_by(user, proof: dict, **extra) -> dict:
    return {**proof, "full_name": user.full_name, "password": PASSWORD, **extra}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_signature_records_who_role_when_where_browser_hash_and_method(client, api, case, channel):
    what = read(client, api, case, channel, case.signer)

    response = send(client, api, case, channel, case.signer, signed_by(case.signer, what))

    assert response.status_code == (302 if channel == "page" else 201)
    signature = case.signatures().get()
    assert (signature.signed_by, signature.role, signature.typed_name) == (
        case.signer,
        case.role,
        case.signer.full_name,
    )
    assert signature.signed_at == case.now
    assert (signature.ip_address, signature.user_agent) == (ADDRESS, BROWSER)
    assert signature.content_hash == what["content_hash"] == case.document().content_hash
    assert signature.method == "password"


@pytest.mark.parametrize("how", ["moved_on", "other_hash"])
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_stale_read_is_a_409_naming_the_current_version_and_records_nothing(
    client, api, case, channel, how
):
    what = read(client, api, case, channel, case.signer)
    if how == "moved_on":
        case.move_on()
    else:
        what["content_hash"] = "0" * 64
    current = case.document()

    response = send(client, api, case, channel, case.signer, signed_by(case.signer, what))

    assert response.status_code == 409
    text = response.content.decode() if channel == "page" else response.json()["detail"]
    assert f"changed since you opened it — read version {current.version} before signing" in text
    if channel == "page":  # the form now carries what the page shows, to be read and signed again
        assert f'name="content_hash" value="{current.content_hash}"' in text
        assert 'class="error-summary"' in text
    assert not case.signatures().exists()
    # Having read what is there now, the signer signs it.
    now_read = read(client, api, case, channel, case.signer)
    assert now_read["version"] == current.version
    signed = send(client, api, case, channel, case.signer, signed_by(case.signer, now_read))
    assert signed.status_code == (302 if channel == "page" else 201)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_signature_that_names_no_version_is_a_400(client, api, case, channel):
    response = send(client, api, case, channel, case.signer, signed_by(case.signer, {}))

    assert response.status_code == 400
    assert not case.signatures().exists()


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        ({"password": "not-my-password"}, "The password is not correct."),
        ({"full_name": "Somebody Else"}, "exactly as it appears"),
    ],
)
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_wrong_password_or_name_is_a_400_and_records_nothing(client, api, case, channel, wrong, message):
    what = read(client, api, case, channel, case.signer)

    response = send(client, api, case, channel, case.signer, signed_by(case.signer, what, **wrong))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not case.signatures().exists()


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_outsider_gets_404(client, api, case, channel):
    what = posted(case.document(), case.outsider)

    assert send(client, api, case, channel, case.outsider, what).status_code == 404
    assert not case.signatures().exists()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_visible_non_signer_gets_403(client, api, case, channel):
    what = posted(case.document(), case.non_signer)

    assert send(client, api, case, channel, case.non_signer, what).status_code == 403
    assert not case.signatures().exists()


@pytest.mark.parametrize("channel", CHANNELS)
def test_signing_again_is_a_409(client, api, case, channel):
    what = read(client, api, case, channel, case.signer)
    send(client, api, case, "api", case.signer, signed_by(case.signer, what))

    again = send(client, api, case, "api", case.signer, signed_by(case.signer, what))

    assert again.status_code == 409
    if channel == "page":  # nothing left to sign: the page says so rather than show a form
        client.force_login(case.signer)
        assert client.post(case.page_url, signed_by(case.signer, what)).status_code == 302
    assert case.signatures().count() == 1


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_authenticator_code_signs_for_an_mfa_account(client, api, case, channel):
    secret = generate_totp_secret()
    TOTP.activate(case.signer, secret)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    what = read(client, api, case, channel, case.signer)
    field = "code" if channel == "page" else "otp"

    response = send(
        client, api, case, channel, case.signer, signed_by(case.signer, what, password="", **{field: code})
    )

    assert response.status_code == (302 if channel == "page" else 201)
    assert case.signatures().get().method == "mfa"
