"""Idempotent demo data: departments with their letters' issuer details, subjects and one user
per role (README lists them)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from letters import TYPES
from letters.config import issuer_for
from workflows.core.models.people import Department
from workflows.core.store import Store
from workflows.people.subjects import register_department, register_subject
from workflows.people.users import create_user

DEMO_PASSWORD = "Demo@2026!"
DEPARTMENTS = {
    "QZ-SCJG": "泉州市市场监督管理局",
    "QZ-STHJ": "泉州市生态环境局",
    "QZ-XYB": "泉州市社会信用体系建设领导小组办公室",
}
# Issuer details of the demo departments (placeholder addresses and numbers, as in issuers.json).
ISSUERS: dict[str, dict[str, Any]] = {
    "QZ-SCJG": {"issuer_name": "泉州市市场监督管理局", "address": "福建省泉州市丰泽区丰泽街市场监管大楼",
                "phone": "0595-22000101", "number_prefixes": {
                    "default": "泉市监信", "interview_notice": "泉市监约", "interview_record": "泉市监约记",
                    "breach_notice": "泉市监诺", "repair_decision": "泉市监修", "repair_refusal": "泉市监驳",
                    "objection_outcome": "泉市监异"}},
    "QZ-STHJ": {"issuer_name": "泉州市生态环境局", "address": "福建省泉州市丰泽区东海街道生态环境大楼",
                "phone": "0595-22000202", "number_prefixes": {
                    "default": "泉环信", "interview_notice": "泉环约", "interview_record": "泉环约记",
                    "breach_notice": "泉环诺", "repair_decision": "泉环修", "repair_refusal": "泉环驳",
                    "objection_outcome": "泉环异"}},
}
SUBJECTS = {
    "91350100M000100Y43": "泉州市清源食品有限公司",
    "91350200MA2Y4G5U0E": "厦门海沧建材贸易有限公司",
    "35050219900101123X": "张三",
}
USERS = [
    ("applicant1", ["applicant"], {"subject_code": "91350100M000100Y43", "display_name": "清源食品（申请人）"}),
    ("applicant2", ["applicant"], {"subject_code": "91350200MA2Y4G5U0E", "display_name": "海沧建材（申请人）"}),
    ("reviewer1", ["reviewer"], {"display_name": "审核员 李明"}),
    ("supervisor1", ["supervisor"], {"display_name": "科室负责人 王芳"}),
    ("dept1", ["department"], {"department_code": "QZ-SCJG", "display_name": "市场监管局 陈静"}),
    ("admin1", ["admin"], {"department_code": "QZ-XYB", "display_name": "信用办 管理员"}),
    ("auditor1", ["auditor"], {"display_name": "审计 赵强"}),
]


def load_demo(session: Session, now: datetime) -> list[str]:
    for code, name in DEPARTMENTS.items():
        _fill_issuer(register_department(session, code, name), ISSUERS.get(code) or _credit_office_issuer())
    for code, name in SUBJECTS.items():
        register_subject(session, code, name, now)
    session.flush()
    for username, roles, extra in USERS:
        create_user(session, username, DEMO_PASSWORD, roles, now, **extra)
    return [u for u, _, _ in USERS]


def load_demo_data(store: Store, now: datetime) -> list[str]:
    """`load_demo` in its own transaction; idempotent."""
    with store.write() as uow:
        users = load_demo(uow.session, now)
        uow.commit()
    return users


def _fill_issuer(department: Department, details: dict[str, Any]) -> None:
    """Set the demo issuer details unless an admin has set some (re-running the demo keeps them)."""
    if not department.issuer_name:
        for key, value in details.items():
            setattr(department, key, value)


def _credit_office_issuer() -> dict[str, Any]:
    """The credit office's row as `letters/issuers.json` describes it (name, contact, prefix per type)."""
    configured = {kind: issuer_for(kind) for kind in TYPES}
    default = issuer_for("acceptance")
    return {"issuer_name": default["name"], "address": default.get("address", ""), "phone": default.get("phone", ""),
            "number_prefixes": {kind: issuer["number_prefix"] for kind, issuer in configured.items()
                                if issuer["number_prefix"]}}
