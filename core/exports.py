"""Spreadsheet-safe CSV, streamed: every export that people open in Excel goes through here."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def csv_safe(value: Any) -> str:
    """The cell as text, with a leading apostrophe when a spreadsheet would treat it as a formula.

    Numbers are left alone so that negative amounts stay numbers.
    """
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel reads UTF-8 names correctly
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row])


def attachment(filename: str) -> str:
    """The ``Content-Disposition`` value for a download named ``filename``, built with Django's RFC 6266 encoding:
    quotes and backslashes escaped, anything else (newlines, non-ASCII) percent-encoded in ``filename*``. Names
    come from people's names, so this is the only way a header is built from one."""
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"


def streaming_csv(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    """A CSV download that never holds the whole file in memory."""
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(filename)
    response["Cache-Control"] = "private, no-store"
    return response
