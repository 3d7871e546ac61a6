"""CSV downloads of filtered lists: UTF-8 with a BOM (Excel then reads Chinese), Chinese
column headers, streamed row by row, cells that Excel would run as formulas quoted."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from flask import Response, stream_with_context

from workflows.core.clock import to_local

from .runtime import get_runtime

T = TypeVar("T")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_download(stem: str, header: Sequence[str], rows: Iterable[T], cells: Callable[[T], Sequence[object]]) -> Response:
    """`stem-YYYYmmdd-HHMM.csv`, one line sent at a time while the rows are read."""
    stamp = to_local(get_runtime().clock.now()).strftime("%Y%m%d-%H%M")
    body = stream_with_context(csv_lines(header, (cells(row) for row in rows)))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{stem}-{stamp}.csv"'})


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield "\ufeff" + _flush(buffer)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield _flush(buffer)


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_time(moment) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def _flush(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
