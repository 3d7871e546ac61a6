"""Tables as files: CSV in UTF-8 with a BOM (so Excel on Windows reads the Chinese right) and
XLSX by openpyxl, one sheet per table."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from workflows.statistics.tables import Table

SHEET_NAME_MAX = 31
_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_plain(cell) for cell in row] for row in table.rows)
    if table.note:
        writer.writerow([])
        writer.writerow([f"说明：{table.note}"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def tables_xlsx(tables: Iterable[Table], heading: str) -> bytes:
    """One sheet per table: the heading (period, filters), the columns in bold, the rows, the note."""
    book = Workbook(write_only=True)
    bold, used = Font(bold=True), set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, used))
        sheet.append([f"{table.title}（{heading}）"])
        sheet.append([_bold(sheet, name, bold) for name in table.columns])
        for row in table.rows:
            sheet.append([_plain(cell) for cell in row])
        if table.note:
            sheet.append([])
            sheet.append([f"说明：{table.note}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bold(sheet, value: str, font: Font):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def _sheet_name(title: str, used: set[str]) -> str:
    base = title.translate(_FORBIDDEN)[:SHEET_NAME_MAX - 3]
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}({n})"
    used.add(name)
    return name


def _plain(cell):
    """Numbers stay numbers; None is blank; anything else its text. Formula-looking text is
    quoted, so a subject's name can never run as a spreadsheet formula."""
    if cell is None or isinstance(cell, (int, float)):
        return cell
    text = str(cell)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
