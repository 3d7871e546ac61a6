"""Commitment import files (the register's CSV columns): rows, files, what got stored."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from workflows.core.models.commitments import Commitment

from .subjects import COMPANY

HEADER = ["承诺编码", "承诺人名称", "承诺人类别", "统一社会信用代码或身份证号码", "承诺类型", "承诺事由", "承诺内容",
          "违诺责任", "作出日期", "有效期", "公开类型", "受理单位", "受理单位代码", "履行状态", "未履行内容",
          "违诺责任追究内容", "认定日期", "认定单位"]


def line(code: str = "", name: str = "泉州市清源食品有限公司", category: str = "法人及非法人组织",
         subject: str = COMPANY, kind: str = "审批替代型", liability: str = "撤销许可决定，记入信用记录",
         made_on: str = "2026-09-01", disclosure: str = "可向社会公开", department: str = "QZ-SCJG",
         fulfilment: tuple[str, ...] = ("", "", "", "", "")) -> list[str]:
    return [code, name, category, subject, kind, "食品经营许可", "已具备许可条件", liability, made_on, "2027-09-01",
            disclosure, "泉州市市场监督管理局", department, *fulfilment]


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig", header=HEADER) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def stored(store) -> dict[str, Commitment]:
    with store.read() as session:
        return {row.code: row for row in session.scalars(select(Commitment))}


GOOD = line("35050020260901000001")
