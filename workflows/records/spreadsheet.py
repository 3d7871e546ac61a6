"""Reading 双公示 spreadsheets (CSV in UTF-8 or GB18030, XLSX) into rows keyed by field.

Column names are matched after NFKC normalisation (full-width brackets, spaces, a leading
`*` for required columns), and a title row above the header is tolerated.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from workflows.core.errors import InvalidInput

# Header (after NFKC normalisation) -> field, in priority order when several map to one field.
HEADERS = {
    "行政相对人名称": "subject_name", "统一社会信用代码": "subject_code", "行政相对人代码": "subject_code",
    "处罚决定书文号": "decision_no", "行政处罚决定书文号": "decision_no", "处罚类别": "category",
    "处罚内容": "content", "罚款金额(万元)": "fine_wan", "罚款金额": "fine_amount",
    "处罚决定日期": "decision_date", "处罚机关": "department_name",
    "处罚机关统一社会信用代码": "department_code", "违法事实": "facts", "违法行为事实": "facts",
    "处罚依据": "basis", "严重程度": "severity", "失信惩戒措施": "measures", "行业领域": "sector",
    "失信行为类别": "misconduct_category",
}
REQUIRED = ("subject_name", "subject_code", "decision_no", "decision_date", "department_name",
            "department_code", "facts", "basis", "content")


@dataclass
class Row:
    number: int  # spreadsheet row number (1-based, as Excel shows it)
    values: dict[str, Any]


@dataclass
class Table:
    labels: dict[str, str]  # field -> the column name as written in the file
    rows: list[Row] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)


def read_table(path: Path) -> Table:
    """The data rows of the file's first sheet; a missing header or column is a problem."""
    if path.suffix.lower() not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise InvalidInput("只能导入 CSV 或 XLSX 文件", {"file": "文件类型不支持"})
    rows = list(_xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path))
    header_index = _find_header(rows)
    if header_index is None:
        return Table({}, problems=[(1, "", "未找到表头：应有“行政相对人名称、统一社会信用代码、处罚决定书文号……”等列名")])
    header = rows[header_index]
    columns = _columns(header)
    problems = [(header_index + 1, _label(name), f"缺少必需的列“{_label(name)}”")
                for name in REQUIRED if name not in columns]
    labels = {name: _label(name) for name in set(HEADERS.values())} | {"measures": "失信惩戒措施"}
    labels.update({name: str(header[indexes[0]]).strip() for name, indexes in columns.items()})
    body = [Row(i + 1, _row_values(cells, columns)) for i, cells in enumerate(rows)
            if i > header_index and any(c not in (None, "") for c in cells)]
    return Table(labels, body, problems)


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput("无法识别文件编码：请保存为 UTF-8 或 GB18030 编码的 CSV", {"file": "编码不正确"})
    yield from csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError) as exc:
        raise InvalidInput("无法读取 Excel 文件：请上传 .xlsx 格式的工作簿", {"file": str(exc)[:200]}) from exc
    try:
        for cells in workbook.active.iter_rows(values_only=True):
            yield [_cell(value) for value in cells]
    finally:
        workbook.close()


def _cell(value: Any) -> Any:
    """Dates stay dates; numbers become text as a clerk would read them (2.0 -> "2")."""
    if value is None or isinstance(value, (date, str)):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _normal_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(text.split()).strip("*")


def _find_header(rows: list[list[Any]]) -> int | None:
    """Government templates often put a title above the header; look in the first rows."""
    for index, cells in enumerate(rows[:10]):
        if sum(_normal_header(c) in HEADERS for c in cells) >= 3:
            return index
    return None


def _columns(cells: list[Any]) -> dict[str, list[int]]:
    by_field: dict[str, list[tuple[int, int]]] = {}
    order = list(HEADERS)
    for index, cell in enumerate(cells):
        name = _normal_header(cell)
        if name in HEADERS:
            by_field.setdefault(HEADERS[name], []).append((order.index(name), index))
    return {f: [i for _rank, i in sorted(found)] for f, found in by_field.items()}


def _row_values(cells: list[Any], columns: dict[str, list[int]]) -> dict[str, Any]:
    values = {}
    for name, indexes in columns.items():
        value = None
        for index in indexes:
            candidate = cells[index] if index < len(cells) else None
            if isinstance(candidate, str):
                candidate = candidate.strip()
            if candidate not in (None, ""):
                value = candidate
                break
        values[name] = value
    return values


def _label(name: str) -> str:
    return {"fine_wan": "罚款金额（万元）"}.get(name) or next(h for h, f in HEADERS.items() if f == name)
