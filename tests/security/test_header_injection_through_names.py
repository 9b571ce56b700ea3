"""Issue 18, item 7: header injection through names.

A full name such as ``Zed"; filename*=UTF-8''ledger.html; x="`` made the OTJ CSV download as ``ledger.html``, and
a newline in a name gave a 500. Every ``Content-Disposition`` is now built with Django's own RFC 6266 encoding
(``core.exports.attachment``), so whatever a name holds, the download keeps the name and type the platform chose.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils.http import content_disposition_header

from core.exports import attachment

HOSTILE_NAMES = [
    "Zed\"; filename*=UTF-8''ledger.html; x=\"",
    "Line\nBreak",
    "Carriage\r\nSet-Cookie: a=b",
    'Back\\slash "quoted"',
    "Zoë Ångström",
]


def _params(header: str) -> dict[str, str]:
    """The parameters of a Content-Disposition header, read as a browser does: ``;`` separates parameters only
    outside a quoted string, and a quoted string's backslashes escape the next character."""
    params, name, value, quoted, escaped, in_value = {}, "", "", False, False, False
    for char in header.split(";", 1)[1] + ";":
        if in_value and quoted:
            if escaped:
                value, escaped = value + char, False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
            else:
                value += char
        elif char == ";":
            if name.strip():
                params[name.strip().lower()] = value.strip() if not in_value or value else value
            name, value, in_value = "", "", False
        elif char == "=" and not in_value:
            in_value = True
        elif in_value:
            if char == '"' and not value.strip():
                quoted, value = True, ""
            else:
                value += char
        else:
            name += char
    return params


def _filename(header: str) -> str:
    """The file name a browser takes: ``filename*`` (RFC 6266 says it wins) when present, else ``filename``."""
    params = _params(header)
    if "filename*" in params:
        charset, _, encoded = params["filename*"].partition("''")
        assert charset.lower() == "utf-8", header
        return unquote(encoded)
    return params["filename"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_an_attachment_header_keeps_the_name_it_was_given(name):
    header = attachment(f"otj-ledger-{name}.csv")
    assert "\n" not in header and "\r" not in header
    assert header == content_disposition_header(as_attachment=True, filename=f"otj-ledger-{name}.csv")
    assert _filename(header) == f"otj-ledger-{name}.csv"


@pytest.mark.parametrize("name", HOSTILE_NAMES[:3])
@pytest.mark.parametrize("download", ["otj_export_csv", "otj_export_pdf"])
def test_a_hostile_full_name_cannot_rename_or_break_a_download(client, world, cast, name, download):
    apprentice = world.enrolment.apprentice
    apprentice.full_name = name
    apprentice.save(update_fields=["full_name"])
    client.force_login(cast.line_manager)
    response = client.get(reverse(download, args=[world.enrolment.pk]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("attachment;") and "\n" not in header and "\r" not in header
    filename = _filename(header)
    assert filename.endswith(".csv" if download == "otj_export_csv" else ".pdf"), filename
    assert filename.startswith(("otj-ledger-", "otj-ledger_", "OTJ")) or "ledger" in filename.lower(), (
        filename
    )


@pytest.mark.parametrize("name", ["Zed\nEvil", "Tab\there", "Null\x00byte", "Bidi\u202eevil"])
def test_names_with_control_characters_are_refused_by_the_form_and_the_service(client, world, cast, name):
    from accounts import services as account_services
    from accounts.models import Invitation, User
    from core.errors import DomainError

    client.force_login(cast.director)
    response = client.post(
        reverse("invitation_create"),
        {"full_name": name, "email": "zed@example.test", "organisation": world.employer.pk, "job_title": ""},
    )
    assert response.status_code == 400
    assert "control characters" in response.content.decode()
    with pytest.raises(DomainError, match="control characters"):
        account_services.invitation_send(
            invited_by=cast.director, email="zed@example.test", full_name=name, organisation=world.employer
        )
    assert not User.objects.filter(email="zed@example.test").exists()
    assert not Invitation.objects.filter(email="zed@example.test").exists()
