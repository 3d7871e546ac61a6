"""Idempotent demo data: departments, subjects and one user per role (README lists them)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from workflows.core.store import Store
from workflows.people.subjects import register_department, register_subject
from workflows.people.users import create_user

DEMO_PASSWORD = "Demo@2026!"
DEPARTMENTS = {
    "QZ-SCJG": "泉州市市场监督管理局",
    "QZ-STHJ": "泉州市生态环境局",
    "QZ-XYB": "泉州市社会信用体系建设领导小组办公室",
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
        register_department(session, code, name)
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
