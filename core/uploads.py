"""Uploaded files: validated by content (magic bytes) and size, names sanitised, stored privately, served safely.

One module for every upload (portfolio evidence, assignment submissions): ``validate_upload`` refuses anything
that is not a PDF, an Office or OpenDocument file, an image, audio or video — whatever its name says — and
``download_response`` serves a stored file only as an attachment with ``nosniff``, so nothing renders inline.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils import timezone

from core.errors import DomainError

ALLOWED_DESCRIPTION = (
    "PDF, Word, Excel, PowerPoint or OpenDocument files, images (PNG, JPEG, GIF, WebP), audio (MP3, M4A, WAV, "
    "OGG) or video (MP4, MOV, WebM)"
)


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]  # the first is the canonical one


PDF = Kind("application/pdf", (".pdf",))
PNG = Kind("image/png", (".png",))
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"))
GIF = Kind("image/gif", (".gif",))
WEBP = Kind("image/webp", (".webp",))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
OLE = Kind("application/x-ole-storage", (".doc", ".xls", ".ppt"))
ODT = Kind("application/vnd.oasis.opendocument.text", (".odt",))
ODS = Kind("application/vnd.oasis.opendocument.spreadsheet", (".ods",))
ODP = Kind("application/vnd.oasis.opendocument.presentation", (".odp",))
MP3 = Kind("audio/mpeg", (".mp3",))
WAV = Kind("audio/wav", (".wav",))
OGG = Kind("audio/ogg", (".ogg", ".oga"))
M4A = Kind("audio/mp4", (".m4a",))
MP4 = Kind("video/mp4", (".mp4", ".m4v"))
MOV = Kind("video/quicktime", (".mov",))
WEBM = Kind("video/webm", (".webm", ".mkv"))

_OOXML = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_ODF = {k.content_type: k for k in (ODT, ODS, ODP)}


@dataclass(frozen=True)
class ValidatedUpload:
    original_name: str
    safe_name: str
    content_type: str
    size: int
    sha256: str


def _sniff_zip(upload: UploadedFile) -> Kind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return _ODF.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return None
    return None


def sniff(upload: UploadedFile) -> Kind | None:
    """The file's real type from its first bytes (and, for ZIP containers, their structure); None if not allowed."""
    upload.seek(0)
    head = upload.read(64)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(upload)
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return MP3
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif", b"avis"):
            return None  # HEIF/AVIF still images share the container but are not an accepted type
        if brand.startswith(b"M4A"):
            return M4A
        if brand == b"qt  ":
            return MOV
        return MP4
    return None


_UNSAFE = re.compile(r"[^\w .()\-]+")


def human_size(size: int) -> str:
    """'50 MB', '1.5 MB', '1 KB', '900 bytes': whole numbers without a decimal point."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


def sanitise_name(name: str, kind: Kind) -> str:
    """A display name safe for a Content-Disposition header: no path, no control characters, the real extension."""
    name = unicodedata.normalize("NFKC", name or "")
    name = PurePosixPath(name.replace("\\", "/")).name
    stem, dot, extension = name.rpartition(".")
    stem = stem if dot else extension
    stem = _UNSAFE.sub("_", stem).strip(" ._") or "file"
    suffix = (
        "." + extension.lower() if dot and "." + extension.lower() in kind.extensions else kind.extensions[0]
    )
    return f"{stem[:120]}{suffix}"


def validate_upload(upload: UploadedFile | None, *, field: str = "file") -> ValidatedUpload:
    """Check an uploaded file's size and real type; raise a DomainError naming the allowed types otherwise."""
    if upload is None:
        raise DomainError("Choose a file to upload.", field=field)
    limit = settings.UPLOAD_MAX_BYTES
    name = upload.name or "file"
    size = upload.size or 0
    if size == 0:
        raise DomainError(f"{PurePosixPath(name.replace(chr(92), '/')).name} is empty.", field=field)
    if size > limit:
        raise DomainError(
            f"{sanitise_name(name, PDF).rsplit('.', 1)[0]} is {human_size(size)}; "
            f"files can be at most {human_size(limit)}.",
            field=field,
        )
    kind = sniff(upload)
    if kind is None:
        raise DomainError(
            f"{PurePosixPath((upload.name or 'file').replace(chr(92), '/')).name} is not a file type we accept. "
            f"Upload {ALLOWED_DESCRIPTION}.",
            field=field,
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return ValidatedUpload(
        original_name=name[:255],
        safe_name=sanitise_name(name, kind),
        content_type=kind.content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def storage_name(prefix: str, safe_name: str) -> str:
    """A generated storage path: never the uploader's name, so nothing they choose reaches the file system."""
    extension = PurePosixPath(safe_name).suffix.lower()
    return f"{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


def download_response(file_field, *, filename: str, content_type: str) -> FileResponse:
    """Serve a stored file as a download only: attachment, nosniff, and a sandboxing CSP for good measure."""
    response = FileResponse(
        file_field.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
