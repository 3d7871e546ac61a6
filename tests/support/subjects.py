"""The subject codes tests use: valid 统一社会信用代码 and a resident ID (GB 11643 example)."""
from workflows.people.subjects import register_department, register_subject
from workflows.people.users import create_user

COMPANY = "91350100M000100Y43"  # 泉州市清源食品有限公司
OTHER = "91350200MA2Y4G5U0E"  # 厦门海沧建材贸易有限公司
PERSON = "11010519491231002X"  # 张三
PERSON_MASKED = "1101**********002X"

DEPARTMENTS = {"QZ-SCJG": "泉州市市场监督管理局", "XM-YJ": "厦门市应急管理局"}
STAFF = (("admin1", ["admin"], {}), ("reviewer1", ["reviewer"], {}),
         ("dept1", ["department"], {"department_code": "QZ-SCJG"}))
APPLICANTS = (("applicant1", ["applicant"], {"subject_code": COMPANY}),
              ("applicant2", ["applicant"], {"subject_code": OTHER}))


def two_of_each(store, now, password: str, accounts=STAFF) -> None:
    """Two departments and two subjects (COMPANY, OTHER), and `accounts` (name, roles, binding)."""
    with store.write() as uow:
        for code, name in DEPARTMENTS.items():
            register_department(uow.session, code, name)
        register_subject(uow.session, COMPANY, "泉州市清源食品有限公司", now)
        register_subject(uow.session, OTHER, "厦门海沧建材贸易有限公司", now)
        uow.session.flush()
        for name, roles, extra in accounts:
            create_user(uow.session, name, password, roles, now, **extra)
        uow.commit()
