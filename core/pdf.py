"""The one base renderer for every PDF, and the house style its documents share.

One document, one renderer: each PDF (the training plan, the progress review record, the completion certificate,
the portfolio index, the OTJ ledger) is a subclass of ``PDFDocument`` that says what it is (``filename()``,
``title()``, ``footer()``) and what it contains (``story()``); ``render()`` returns
``(filename, content_type, bytes)``. The base holds what they all repeat: the embedded Vera fonts (never the
unembedded core fonts), the page size and margins (sizes in mm as class attributes), the page template (a footer
with "Page X of Y", and an optional page decoration), paragraph and table helpers that escape user text, and the
signature log table built from ``core.signatures.pdf.signature_log_rows``.

Rendering only reads: it never writes to the database, so a PDF can be produced as often as people ask.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import reportlab
from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Table, TableStyle

from core.signatures.pdf import signature_log_rows

FONT, FONT_BOLD = "Vera", "VeraBd"
LONDON = ZoneInfo("Europe/London")
GLYPH_FALLBACKS = {"\u2192": "->"}  # characters Vera lacks; the rest of our wording is within its set


def register_fonts() -> None:
    """Register the Vera TrueType fonts shipped with reportlab (embedded as subsets); safe to call repeatedly."""
    if FONT_BOLD in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


# --- text ----------------------------------------------------------------------------------------------------


def text(value: Any) -> str:
    """User text made safe for Paragraph markup: escaped, line breaks kept, glyphs Vera lacks replaced."""
    value = "" if value is None else str(value)
    for char, fallback in GLYPH_FALLBACKS.items():
        value = value.replace(char, fallback)
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def uk_date(value: date | str | None) -> str:
    if not value:
        return "not set"
    value = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value: datetime) -> str:
    local = value.astimezone(LONDON)
    return f"{uk_date(local.date())} at {local:%H:%M:%S} {local.tzname()}"


def shorten(value: str, limit: int = 60) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "\u2026"


# --- styles and building blocks ------------------------------------------------------------------------------


def style(name: str, size: float, *, bold: bool = False, **options: Any) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=FONT_BOLD if bold else FONT, fontSize=size, leading=size * 1.35, **options
    )


STYLES = {
    "title": style("title", 16, bold=True, spaceAfter=4),
    "h2": style("h2", 12, bold=True, spaceBefore=10, spaceAfter=4),
    "h3": style("h3", 10, bold=True, spaceBefore=4),
    "body": style("body", 9.5, spaceAfter=4),
    "cell": style("cell", 8),
    "alert": style("alert", 10, bold=True, textColor=colors.red),
}


def para(markup: str) -> Paragraph:
    """A body paragraph from markup whose user text the caller has already escaped."""
    return Paragraph(markup, STYLES["body"])


def grid(rows: list, widths_mm: list[float], *, header: bool = True) -> Table:
    """A table of plain text (escaped here): a shaded heading row, or (``header=False``) a bold label column."""
    cell = STYLES["cell"]
    data = [
        [
            Paragraph(f"<b>{text(v)}</b>" if (i == 0 if header else j == 0) else text(v), cell)
            for j, v in enumerate(row)
        ]
        for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1 if header else 0)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the table's own default is the unembedded Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")))
    table.setStyle(TableStyle(commands))
    return table


def section(heading: str, rows: list[tuple[str, str]]) -> list:
    """A heading over a two-column table of labels (in bold) and values, kept on one page."""
    table = grid(rows, [55, 115], header=False)
    return [KeepTogether([Paragraph(text(heading), STYLES["h2"]), table])]


# --- the page template ---------------------------------------------------------------------------------------


class NumberedCanvas(Canvas):
    """Draws each page's footer once the page count is known: the document's line and "Page X of Y"."""

    footer_text = ""
    footer_margin = 20 * mm
    numbered = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = FONT  # otherwise each page starts in the unembedded Helvetica
        super().__init__(*args, **kwargs)
        self._saved_states: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._saved_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self._saved_states:
            self.__dict__.update(state)
            if self.numbered:
                self.draw_footer(len(self._saved_states))
            super().showPage()
        super().save()

    def draw_footer(self, pages: int) -> None:
        width = self._pagesize[0]
        self.setFont(FONT, 7.5)
        self.setFillColor(colors.grey)
        self.drawString(self.footer_margin, 12 * mm, self.footer_text)
        self.drawRightString(width - self.footer_margin, 12 * mm, f"Page {self._pageNumber} of {pages}")


# --- the base renderer ---------------------------------------------------------------------------------------


class PDFDocument:
    """One kind of PDF document. Subclasses give ``filename()``, ``title()`` and ``story()``, and may change the
    page (``pagesize``, margins in mm), the footer line, the PDF's subject and author, or decorate each page."""

    content_type: ClassVar[str] = "application/pdf"
    pagesize: ClassVar[tuple[float, float]] = A4
    margin_mm: ClassVar[float] = 20
    top_margin_mm: ClassVar[float] = 18
    numbered: ClassVar[bool] = True  # "Page X of Y" and the footer line on every page

    compress: bool = True
    invariant: bool = False  # the same document renders to the same bytes (no timestamp or random ID)

    def filename(self) -> str:
        raise NotImplementedError

    def title(self) -> str:
        raise NotImplementedError

    def story(self) -> list:
        raise NotImplementedError

    def subject(self) -> str:
        return ""

    def author(self) -> str:
        return settings.INSTITUTION_NAME

    def footer(self) -> str:
        return settings.INSTITUTION_NAME

    def flowables(self) -> list:
        """Everything the PDF prints; the story unless a document adds pages after it."""
        return self.story()

    def decorate(self, canvas: Canvas, doc: SimpleDocTemplate) -> None:
        """Draw on each page before its content (a border, a watermark); nothing by default."""

    def render(self) -> tuple[str, str, bytes]:
        register_fonts()
        buffer = io.BytesIO()
        margin = self.margin_mm * mm
        doc = SimpleDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=self.top_margin_mm * mm,
            bottomMargin=margin,
            title=self.title(),
            author=self.author(),
            subject=self.subject(),
            pageCompression=1 if self.compress else 0,
            invariant=1 if self.invariant else 0,
            initialFontName=FONT,
        )
        canvas = type(
            f"{type(self).__name__}Canvas",
            (NumberedCanvas,),
            {"footer_text": self.footer(), "footer_margin": margin, "numbered": self.numbered},
        )
        doc.build(self.flowables(), onFirstPage=self.decorate, onLaterPages=self.decorate, canvasmaker=canvas)
        return self.filename(), self.content_type, buffer.getvalue()

    # --- the signature log -----------------------------------------------------------------------------------

    SIGNATURE_WIDTHS_MM: ClassVar[list[float]] = [26, 36, 30, 36, 20, 22]

    def signature_log_table(
        self,
        signatures: Iterable[Any],
        role_labels: Mapping[str, str],
        *,
        signed: tuple[str, Callable[[Any], str]] | None = None,
        with_address: bool = True,
    ) -> Table | Paragraph:
        """The signature log as a table: one row a signature, from ``signature_log_rows``.

        ``signed`` adds a first column (its heading and a function of the signature: what was signed, when one
        document carries several signed parts); ``with_address=False`` leaves out where each signer was (their
        IP address and browser), for a document meant to be shown to others.
        """
        signatures = list(signatures)
        rows = signature_log_rows(signatures, role_labels)
        widths = list(self.SIGNATURE_WIDTHS_MM)
        if not with_address:
            address = rows[0].index("From")
            rows = [row[:address] + row[address + 1 :] for row in rows]
            widths[address - 1] += widths.pop(address)  # the signer's column takes the room
        if signed is not None:
            heading, describe = signed
            rows = [[heading, *rows[0]]] + [
                [describe(s), *row] for s, row in zip(signatures, rows[1:], strict=True)
            ]
            widths = [22, *(w - 22 / len(widths) for w in widths)]
        if len(rows) == 1:
            return para("No signatures yet.")
        return grid(rows, widths)


__all__ = [
    "FONT",
    "FONT_BOLD",
    "LONDON",
    "STYLES",
    "NumberedCanvas",
    "PDFDocument",
    "grid",
    "para",
    "register_fonts",
    "section",
    "shorten",
    "style",
    "text",
    "uk_date",
    "uk_datetime",
]
