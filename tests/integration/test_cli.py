"""The stable command-line forms, run against a real database."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from webapp.cli import CommandContext, main
from workflows.core.models.calendar import CalendarOverride
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import ApiClient, Department, User
from workflows.people.access import Actor
from workflows.people.bearer import actor_for_bearer
from workflows.people.users import verify_password


@pytest.fixture
def cli(db_url, clock, tmp_path, monkeypatch):
    monkeypatch.setenv("CREDIT_CASES_DATABASE_URL", db_url)
    monkeypatch.setenv("CREDIT_CASES_DATA_DIR", str(tmp_path))
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, list(args), obj=CommandContext(clock=clock), catch_exceptions=False)
    return run


def test_deadline_command(cli):
    result = cli("deadline", "2026-09-30T10:00:00+08:00", "1")
    assert (result.exit_code, result.output.strip()) == (0, "2026-10-08")
    assert cli("deadline", "2026-09-18T09:00:00+08:00", "1").output.strip() == "2026-09-20"
    bad = cli("deadline", "not-a-date", "1")
    assert bad.exit_code == 2 and "错误" in bad.output


def test_db_upgrade_demo_create_user_and_tick(cli, store):
    assert cli("db", "upgrade").exit_code == 0
    assert cli("demo").exit_code == 0
    assert cli("demo").exit_code == 0  # idempotent
    made = cli("create-user", "reviewer9", "--role", "reviewer", "--role", "supervisor", "--password", "Passw0rd!x")
    assert made.exit_code == 0
    refused = cli("create-user", "bad", "--role", "applicant", "--subject", "91350100M000100Y44", "--password", "Passw0rd!x")
    assert refused.exit_code == 2 and "主体" in refused.output  # an unregistered subject cannot be bound
    with store.read() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    assert {"applicant1", "applicant2", "reviewer1", "supervisor1", "dept1", "admin1"} <= set(users)
    assert users["reviewer9"].roles == "reviewer,supervisor"
    assert users["reviewer9"].password_hash.startswith("$argon2")
    assert verify_password(users["applicant1"], "Demo@2026!")
    assert users["dept1"].department_code == "QZ-SCJG" and users["applicant1"].subject_code
    assert "bad" not in users
    assert cli("tick").output.strip() == ("fired timers of 0 case(s); 0 record(s) expired; "
                                          "0 idempotency key(s) expired")


def test_demo_departments_carry_issuer_details_and_keep_an_admins_changes(cli, store):
    assert cli("db", "upgrade").exit_code == 0 and cli("demo").exit_code == 0
    with store.write() as uow:
        departments = {d.code: d for d in uow.session.scalars(select(Department))}
        assert departments["QZ-SCJG"].number_prefixes["interview_notice"] == "泉市监约"
        assert departments["QZ-SCJG"].address and departments["QZ-STHJ"].phone
        office = departments["QZ-XYB"]  # as letters/issuers.json describes the credit office
        assert (office.issuer_name, office.number_prefixes["acceptance"]) == ("泉州市社会信用体系建设领导小组办公室", "泉信用受")
        departments["QZ-SCJG"].phone = "0595-12345678"
        uow.commit()
    assert cli("demo").exit_code == 0
    with store.read() as session:
        assert session.get(Department, "QZ-SCJG").phone == "0595-12345678"


def test_calendar_override_commands_change_deadlines(cli, store):
    # 2026-10-08 is a working day; declare it a holiday: the deadline moves to 10-09.
    assert cli("calendar", "set", "2026-10-08", "--holiday", "--note", "测试").exit_code == 0
    assert cli("deadline", "2026-09-30T10:00:00+08:00", "1").output.strip() == "2026-10-09"
    with store.read() as session:
        assert session.get(CalendarOverride, __import__("datetime").date(2026, 10, 8)).working is False
    assert cli("calendar", "remove", "2026-10-08").output.strip() == "removed"
    assert cli("deadline", "2026-09-30T10:00:00+08:00", "1").output.strip() == "2026-10-08"


def test_create_department_then_create_user_in_it(cli, store):
    """README order: the department exists only after `create-department`."""
    missing = cli("create-user", "dept9", "--role", "department", "--password", "long enough 9", "--department", "QZ-ZJJ")
    assert missing.exit_code == 2 and "部门 QZ-ZJJ 不存在" in missing.output
    made = cli("create-department", "QZ-ZJJ", "泉州市住房和城乡建设局")
    assert made.exit_code == 0 and "QZ-ZJJ" in made.output
    assert cli("create-user", "dept9", "--role", "department", "--password", "long enough 9",
               "--department", "QZ-ZJJ").exit_code == 0
    again = cli("create-department", "QZ-ZJJ", "另一个名称")
    bad = cli("create-department", "qz zjj!", "名称")
    assert again.exit_code == 2 and "已存在" in again.output
    assert bad.exit_code == 2 and "本地部门代码规则" in bad.output
    with store.read() as session:
        user = session.scalars(select(User).where(User.username == "dept9")).one()
        events = session.scalars(select(CaseEvent).where(CaseEvent.kind == "department_created")).all()
    assert user.department_code == "QZ-ZJJ"
    assert [(e.case_id, e.actor, e.after["code"]) for e in events] == [(None, "cli", "QZ-ZJJ")]


def test_create_user_refuses_weak_passwords_in_chinese(cli):
    short = cli("create-user", "reviewer8", "--role", "reviewer", "--password", "short1")
    common = cli("create-user", "reviewer8", "--role", "reviewer", "--password", "1234567890")
    same = cli("create-user", "reviewer8x", "--role", "reviewer", "--password", "reviewer8x")
    assert short.exit_code == 2 and "密码至少10位" in short.output
    assert common.exit_code == 2 and "密码过于常见" in common.output
    assert same.exit_code == 2 and "密码不能与用户名相同" in same.output


def test_create_client_prints_a_working_token_once(cli, store, clock):
    made = cli("create-client", "tax-system", "--scope", "check", "--scope", "outbox", "--description", "省税务局")
    token = made.stdout.strip()
    assert made.exit_code == 0 and "client tax-system created with scopes check, outbox" in made.output
    assert actor_for_bearer(store, token, clock.now()) == (
        Actor("client:tax-system", frozenset({"client_check", "client_outbox"})), "client")
    with store.read() as session:
        client = session.scalars(select(ApiClient)).one()
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "client_created")).one()
    assert client.token_hash != token and token not in str(event.after)
    assert (event.case_id, event.actor) == (None, "cli")
    assert cli("create-department", "QZ-SCJG", "泉州市市场监督管理局").exit_code == 0
    writer = cli("create-client", "scjg", "--scope", "records_write", "--department", "QZ-SCJG")
    assert actor_for_bearer(store, writer.stdout.strip(), clock.now())[0].department_code == "QZ-SCJG"


def test_create_client_refuses_bad_input_in_chinese(cli, store):
    cli("create-client", "taken", "--scope", "check")
    unknown = cli("create-client", "tax", "--scope", "everything")
    empty = cli("create-client", " ", "--scope", "check")
    taken = cli("create-client", "taken", "--scope", "outbox")
    long = cli("create-client", "x" * 58, "--scope", "check")
    no_department = cli("create-client", "tax", "--scope", "records_write")
    assert unknown.exit_code == 2 and "未知权限范围：everything" in unknown.output
    assert empty.exit_code == 2 and "请填写客户端名称" in empty.output
    assert taken.exit_code == 2 and "客户端名称 taken 已被使用" in taken.output
    assert long.exit_code == 2 and "客户端名称不超过57个字符" in long.output
    assert no_department.exit_code == 2 and "写入信用记录的客户端必须绑定部门" in no_department.output
    assert all(result.stdout == "" for result in (unknown, empty, taken, long, no_department))
    with store.read() as session:
        assert session.scalars(select(ApiClient.name)).all() == ["taken"]


def test_deadline_in_an_estimated_year_says_provisional_until_the_year_is_confirmed(cli, store):
    from workflows.core.calendar import official_years

    year = max(official_years()) + 1  # the first year `holidays` has no State Council notice for
    assert cli("db", "upgrade").exit_code == 0
    estimated = cli("deadline", f"{year - 1}-12-30T10:00:00+08:00", "5")
    assert estimated.exit_code == 0
    assert estimated.stdout.strip().startswith(str(year))  # stdout: the date alone
    assert f"暂定：{year}年的国务院放假安排尚未录入并确认" in estimated.stderr
    assert "暂定" not in cli("deadline", "2026-09-30T10:00:00+08:00", "1").stderr
    assert cli("calendar", "confirm", str(year), "--note", "已录入").exit_code == 0
    confirmed = cli("deadline", f"{year - 1}-12-30T10:00:00+08:00", "5")
    assert confirmed.stdout == estimated.stdout and confirmed.stderr == ""
    assert cli("calendar", "unconfirm", str(year)).output.strip() == f"{year} is provisional again"
    assert "暂定" in cli("deadline", f"{year - 1}-12-30T10:00:00+08:00", "5").stderr
    refused = cli("calendar", "confirm", str(year - 1))
    assert refused.exit_code == 2 and "已由 holidays 数据提供" in refused.stderr
    with store.read() as session:
        kinds = session.scalars(select(CaseEvent.kind).order_by(CaseEvent.id)).all()
    assert kinds == ["calendar_year_confirmed", "calendar_year_unconfirmed"]
