"""The house style of the PDF documents: embedded fonts, escaped text, paragraph styles, tables, page footers.

One document, one renderer: each PDF (the training plan in ``programmes/training_plans/pdf.py``, the review record,
the certificate, the portfolio index, the OTJ record) is a class whose ``render()`` returns
``(filename, content_type, bytes)``, built with reportlab platypus from the building blocks here.

Rendering only reads: it never writes to the database, so a PDF can be produced as often as people ask.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Table,
    TableStyle,
)

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


def text(value) -> str:
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


def style(name: str, size: float, *, bold: bool = False, **options) -> ParagraphStyle:
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


class NumberedCanvas(Canvas):
    """Draws each page's footer once the page count is known: "Page X of Y" with the version and hash."""

    footer_text = ""

    def __init__(self, *args, **kwargs):
        kwargs["initialFontName"] = FONT  # otherwise each page starts in the unembedded Helvetica
        super().__init__(*args, **kwargs)
        self._saved_states: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._saved_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for state in self._saved_states:
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.grey)
            self.drawString(20 * mm, 12 * mm, self.footer_text)
            self.drawRightString(
                A4[0] - 20 * mm, 12 * mm, f"Page {self._pageNumber} of {len(self._saved_states)}"
            )
            super().showPage()
        super().save()


# --- building blocks ---------------------------------------------------------------------------------------


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
