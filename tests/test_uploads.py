"""core.uploads: files are judged by their content (magic bytes, container structure), never by their name.

Every allowed kind is accepted from a real byte sample with the right content type; HTML, SVG, scripts, plain
ZIPs, executables, empty and oversize files are refused with a message that names what is allowed (or the size
limit); ``sanitise_name`` keeps only a safe base name with the real type's extension.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads
from core.errors import DomainError
from core.uploads import ALLOWED_DESCRIPTION, sanitise_name, sniff, validate_upload

# --- byte samples -------------------------------------------------------------------------------------------


def zip_bytes(entries: dict[str, bytes], *, first: str | None = None) -> bytes:
    """A ZIP archive of the given members (``first`` written first and stored, as ODF wants its mimetype)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first is not None:
            archive.writestr(zipfile.ZipInfo(first), entries[first], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != first:
                archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>'
)


def ooxml(part: str) -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "_rels/.rels": b"<Relationships/>",
            part: b"<?xml version='1.0'?><document/>",
        }
    )


def odf(mimetype: str) -> bytes:
    return zip_bytes(
        {"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"}, first="mimetype"
    )


def riff(form: bytes, body: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + form + body


def ftyp(brand: bytes) -> bytes:
    box = b"ftyp" + brand + b"\x00\x00\x02\x00" + brand + b"isom"
    return struct.pack(">I", 4 + len(box)) + box + b"\x00\x00\x00\x08free"


PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF_BYTES = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,;"
WEBP_BYTES = riff(b"WEBP", b"VP8 \x0a\x00\x00\x00\x10\x02\x00\x9d\x01\x2a\x01\x00\x01\x00")
WAV_BYTES = riff(
    b"WAVE", b"fmt \x10\x00\x00\x00\x01\x00\x01\x00\x44\xac\x00\x00\x88\x58\x01\x00\x02\x00\x10\x00"
)
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
MP3_ID3_BYTES = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10) + b"\xff\xfb\x90\x64" + bytes(64)
MP3_FRAME_BYTES = b"\xff\xfb\x90\x64" + bytes(120)
OGG_BYTES = b"OggS\x00\x02" + bytes(20) + b"\x01vorbis" + bytes(16)
WEBM_BYTES = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + bytes(16)
MP4_BYTES = ftyp(b"isom")
M4A_BYTES = ftyp(b"M4A ")
MOV_BYTES = ftyp(b"qt  ")

ALLOWED = {
    # name: (file name, bytes, expected content type)
    "pdf": ("report.pdf", PDF_BYTES, "application/pdf"),
    "png": ("diagram.png", PNG_BYTES, "image/png"),
    "jpeg": ("photo.jpg", JPEG_BYTES, "image/jpeg"),
    "gif": ("chart.gif", GIF_BYTES, "image/gif"),
    "webp": ("screen.webp", WEBP_BYTES, "image/webp"),
    "docx": ("essay.docx", ooxml("word/document.xml"), uploads.DOCX.content_type),
    "xlsx": ("budget.xlsx", ooxml("xl/workbook.xml"), uploads.XLSX.content_type),
    "pptx": ("slides.pptx", ooxml("ppt/presentation.xml"), uploads.PPTX.content_type),
    "odt": (
        "essay.odt",
        odf("application/vnd.oasis.opendocument.text"),
        "application/vnd.oasis.opendocument.text",
    ),
    "ods": (
        "budget.ods",
        odf("application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    "odp": (
        "slides.odp",
        odf("application/vnd.oasis.opendocument.presentation"),
        "application/vnd.oasis.opendocument.presentation",
    ),
    "ole": ("legacy.doc", OLE_BYTES, "application/x-ole-storage"),
    "mp3-id3": ("interview.mp3", MP3_ID3_BYTES, "audio/mpeg"),
    "mp3-frame": ("interview.mp3", MP3_FRAME_BYTES, "audio/mpeg"),
    "wav": ("voice.wav", WAV_BYTES, "audio/wav"),
    "ogg": ("voice.ogg", OGG_BYTES, "audio/ogg"),
    "m4a": ("voice.m4a", M4A_BYTES, "audio/mp4"),
    "mp4": ("talk.mp4", MP4_BYTES, "video/mp4"),
    "mov": ("talk.mov", MOV_BYTES, "video/quicktime"),
    "webm": ("talk.webm", WEBM_BYTES, "video/webm"),
}

HTML_BYTES = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_BYTES = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
REFUSED = {
    "html": ("page.html", HTML_BYTES),
    "html-uppercase-doctype": ("page.htm", b"<!DOCTYPE HTML>\n<title>x</title>"),
    "svg": ("logo.svg", SVG_BYTES),
    "svg-with-xml-prolog": ("logo.svg", b'<?xml version="1.0"?>\n' + SVG_BYTES),
    "shell-script": ("run.sh", b"#!/bin/sh\nrm -rf ~\n"),
    "javascript": ("app.js", b"fetch('/api/v1/me/').then(r => r.text()).then(alert)\n"),
    "html-named-pdf": ("evidence.pdf", HTML_BYTES),
    "svg-named-png": ("evidence.png", SVG_BYTES),
    "html-named-docx": ("essay.docx", HTML_BYTES),
    "pdf-magic-not-at-start": ("late.pdf", b"  \n%PDF-1.4\n%%EOF\n"),
    "plain-zip": ("archive.zip", zip_bytes({"notes.txt": b"hello", "index.html": HTML_BYTES})),
    "zip-named-docx": ("essay.docx", zip_bytes({"word/document.xml": b"<w/>"})),  # no [Content_Types].xml
    "zip-with-unknown-mimetype": ("page.odt", odf("text/html")),
    "truncated-zip": ("broken.docx", b"PK\x03\x04" + bytes(40)),
    "exe": ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48)),
    "exe-named-pdf": ("invoice.pdf", b"MZ\x90\x00" + bytes(60)),
    "elf": ("tool", b"\x7fELF\x02\x01\x01" + bytes(57)),
    "plain-text": ("notes.txt", b"Just some notes about my week.\n"),
}


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def max_bytes(message: str) -> float:
    """The limit a message states, in bytes (``at most 1 KB``, ``at most 50 MB``)."""
    found = re.search(r"at most\s+([\d.,]+)\s*(bytes|byte|KB|kB|MB|GB)", message.replace("\xa0", " "))
    assert found, f"the message does not state the size limit: {message!r}"
    number = float(found.group(1).replace(",", ""))
    return (
        number * {"bytes": 1, "byte": 1, "KB": 1024, "kB": 1024, "MB": 1024**2, "GB": 1024**3}[found.group(2)]
    )


# --- accepted -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", ALLOWED, ids=list(ALLOWED))
def test_every_allowed_kind_is_accepted_with_its_real_content_type(sample):
    name, data, content_type = ALLOWED[sample]
    checked = validate_upload(upload(name, data))
    assert checked.content_type == content_type
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.safe_name == name
    assert checked.original_name == name


@pytest.mark.parametrize("sample", ALLOWED, ids=list(ALLOWED))
def test_the_type_comes_from_the_content_not_the_name_or_the_declared_type(sample):
    _name, data, content_type = ALLOWED[sample]
    disguised = upload("renamed.txt", data, content_type="text/html")
    kind = sniff(disguised)
    assert kind is not None and kind.content_type == content_type
    checked = validate_upload(upload("renamed.txt", data, content_type="text/html"))
    assert checked.content_type == content_type
    assert checked.safe_name == "renamed" + kind.extensions[0]


def test_a_checked_upload_is_rewound_so_it_can_be_stored_whole():
    file = upload("report.pdf", PDF_BYTES)
    validate_upload(file)
    assert file.tell() == 0
    assert file.read() == PDF_BYTES


def test_a_file_exactly_at_the_size_limit_is_accepted(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    data = PDF_BYTES + b"%" * (1024 - len(PDF_BYTES))
    assert validate_upload(upload("full.pdf", data)).size == 1024


# --- refused ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", REFUSED, ids=list(REFUSED))
def test_anything_else_is_refused_with_a_message_naming_the_allowed_types(sample):
    name, data = REFUSED[sample]
    assert sniff(upload(name, data)) is None
    with pytest.raises(DomainError) as refused:
        validate_upload(upload(name, data, content_type="application/pdf"), field="files")
    message = refused.value.message
    assert refused.value.field == "files"
    assert ALLOWED_DESCRIPTION in message
    for kind in ("PDF", "Word", "Excel", "PowerPoint", "PNG", "JPEG", "MP3", "MP4"):
        assert kind in message
    assert "not a file type we accept" in message


def test_the_refusal_names_the_file_without_any_path():
    file = upload("evil.pdf", HTML_BYTES)
    file._name = "../../etc/evil.pdf"  # as if a client had slipped a path past the multipart parser
    with pytest.raises(DomainError) as refused:
        validate_upload(file)
    assert refused.value.message.startswith("evil.pdf is not a file type we accept")
    assert "../" not in refused.value.message


def test_an_empty_file_is_refused():
    with pytest.raises(DomainError) as refused:
        validate_upload(upload("empty.pdf", b""), field="files")
    assert "empty" in refused.value.message
    assert refused.value.field == "files"


def test_no_file_at_all_is_refused():
    with pytest.raises(DomainError, match="Choose a file"):
        validate_upload(None)


def test_an_oversize_file_is_refused_before_its_content_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(DomainError) as refused:
        validate_upload(upload("big.pdf", PDF_BYTES + b"%" * 2048), field="files")
    assert refused.value.field == "files"
    assert "big" in refused.value.message


def test_the_oversize_message_states_the_default_limit_of_50_mb(settings):
    settings.UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    big = upload("film.mp4", MP4_BYTES)
    big.size = 60 * 1024 * 1024  # the size Django records for the upload; no need to hold 60 MB in memory
    with pytest.raises(DomainError) as refused:
        validate_upload(big)
    assert "50 MB" in refused.value.message
    assert max_bytes(refused.value.message) == 50 * 1024 * 1024


def test_the_oversize_message_states_a_small_limit_truthfully(settings):
    """With a 1 KB limit the message must not claim that files can be at most 0 MB."""
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(DomainError) as refused:
        validate_upload(upload("big.pdf", PDF_BYTES + b"%" * 2048))
    assert max_bytes(refused.value.message) == pytest.approx(1024, rel=0.05)


# --- names --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "safe"),
    [
        ("../../etc/passwd.pdf", uploads.PDF, "passwd.pdf"),
        ("..\\..\\windows\\system.ini.pdf", uploads.PDF, "system.ini.pdf"),
        ("C:\\evil\\x.pdf", uploads.PDF, "x.pdf"),
        ("/var/www/html/shell.pdf", uploads.PDF, "shell.pdf"),
        ("bad\x00name\r\nSet-Cookie: x.pdf", uploads.PDF, "bad_name_Set-Cookie_ x.pdf"),
        ("tab\there\x1b[31m.pdf", uploads.PDF, "tab_here_31m.pdf"),
        ('quote"; filename="evil.html.pdf', uploads.PDF, "quote_ filename_evil.html.pdf"),
        ("photo.pdf", uploads.PNG, "photo.png"),
        ("page.html", uploads.PDF, "page.pdf"),
        ("logo.svg", uploads.PNG, "logo.png"),
        ("Report.PDF", uploads.PDF, "Report.pdf"),
        ("holiday.jpeg", uploads.JPEG, "holiday.jpeg"),
        ("essay.doc", uploads.OLE, "essay.doc"),
        ("budget.xls", uploads.OLE, "budget.xls"),
        ("no extension", uploads.PDF, "no extension.pdf"),
        ("", uploads.PDF, "file.pdf"),
        ("..", uploads.PDF, "file.pdf"),
        (".pdf", uploads.PDF, "file.pdf"),
        ("...", uploads.PNG, "file.png"),
        ("Réflexion über Führung.pdf", uploads.PDF, "Réflexion über Führung.pdf"),
    ],
)
def test_sanitise_name_keeps_a_safe_base_name_with_the_real_extension(raw, kind, safe):
    assert sanitise_name(raw, kind) == safe


@pytest.mark.parametrize(
    "raw",
    [
        "../../etc/passwd.pdf",
        "C:\\evil\\x.pdf",
        "a\x00b\x7f\x85\u202e.pdf",
        'x"\r\n.pdf',
        "<script>.pdf",
        "ok.pdf",
    ],
)
def test_sanitised_names_have_no_path_control_or_markup_characters(raw):
    name = sanitise_name(raw, uploads.PDF)
    assert "/" not in name and "\\" not in name
    assert not name.startswith(".")
    assert all(ch.isprintable() for ch in name)
    assert not set(name) & set("<>\"'\r\n\x00")
    assert name.endswith(".pdf")


def test_sanitised_names_are_kept_short():
    name = sanitise_name("x" * 500 + ".pdf", uploads.PDF)
    assert name == "x" * 120 + ".pdf"


def test_validate_upload_gives_the_sanitised_name_with_the_detected_extension():
    checked = validate_upload(upload("scan.pdf", PNG_BYTES))
    assert checked.content_type == "image/png"
    assert checked.safe_name == "scan.png"
    file = upload("x.pdf", PDF_BYTES)
    file._name = "../../etc/passwd.pdf"
    assert validate_upload(file).safe_name == "passwd.pdf"
