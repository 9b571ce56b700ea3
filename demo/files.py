"""Tiny, valid sample files for the demo portfolios (and the benchmarks): a one-page PDF and a small PNG.

Built in code rather than shipped as binaries: ``sample_pdf`` writes a one-page A4 PDF 1.4 with a title and a
few lines of Helvetica text and a correct cross-reference table (it opens in any viewer, about 1 KB);
``sample_png`` a solid-colour RGB image. Both pass ``core.uploads.validate_upload``.
"""

from __future__ import annotations

import struct
import zlib

PDF_TEXT_ENCODING = "cp1252"  # Helvetica's WinAnsiEncoding


def _pdf_string(text: str) -> bytes:
    raw = text.encode(PDF_TEXT_ENCODING, "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def sample_pdf(title: str, lines: tuple[str, ...] | list[str] = ()) -> bytes:
    """A one-page A4 PDF showing ``title`` in bold and ``lines`` below it."""
    text = [b"BT", b"/F2 16 Tf", b"72 770 Td", b"20 TL", _pdf_string(title) + b" Tj", b"/F1 11 Tf", b"14 TL"]
    for line in lines:
        text.append(b"T* " + _pdf_string(line) + b" Tj")
    text.append(b"ET")
    content = b"\n".join(text)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def sample_png(width: int = 16, height: int = 12, rgb: tuple[int, int, int] = (29, 112, 184)) -> bytes:
    """A solid-colour 8-bit RGB PNG (a stand-in for a photo of a flipchart or a slide)."""
    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + _png_chunk(b"IDAT", zlib.compress(row * height, 9))
        + _png_chunk(b"IEND", b"")
    )
