"""Repair training: the subjects, actors, a session's fields, the attendance CSV header, letters."""
from __future__ import annotations

import io

import pypdf
from sqlalchemy import func, select

from workflows.core.models.letters import Letter
from workflows.people.access import Actor

from .subjects import COMPANY, OTHER, PERSON

NAMES = {COMPANY: "泉州市清源食品有限公司", OTHER: "厦门海沧建材贸易有限公司", PERSON: "张三"}
ADMIN = Actor("admin1", frozenset({"admin"}))
REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))
URL = "https://credit.example"
SESSION = {"course": "2026年第四期信用修复专题培训", "starts_at": "2026-10-10T09:00:00+08:00",
           "provider": "泉州市信用服务行业协会", "mode": "offline", "place": "泉州市行政服务中心三楼", "capacity": 30}
HEADER = "统一社会信用代码或身份证号码,参训人员,是否完成"


def pdf_text(pdf: bytes) -> str:
    """The letter's text with its line breaks removed (lines wrap mid-word in Chinese)."""
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def letter_count(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Letter))


__all__ = ["ADMIN", "COMPANY", "HEADER", "NAMES", "OTHER", "PERSON", "REVIEWER", "SESSION", "URL", "letter_count",
           "pdf_text"]
