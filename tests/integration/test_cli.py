"""The stable command-line forms, run against a real database."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from webapp.cli import CommandContext, main
from workflows.core.models.calendar import CalendarOverride
from workflows.core.models.people import User
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
    refused = cli("create-user", "bad", "--role", "applicant", "--password", "Passw0rd!x")
    assert refused.exit_code == 2 and "主体" in refused.output
    with store.read() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    assert {"applicant1", "applicant2", "reviewer1", "supervisor1", "dept1", "admin1"} <= set(users)
    assert users["reviewer9"].roles == "reviewer,supervisor"
    assert users["reviewer9"].password_hash.startswith("$argon2")
    assert verify_password(users["applicant1"], "Demo@2026")
    assert users["dept1"].department_code == "QZ-SCJG" and users["applicant1"].subject_code
    assert "bad" not in users
    assert cli("tick").output.strip() == "fired timers of 0 case(s); 0 record(s) expired"


def test_calendar_override_commands_change_deadlines(cli, store):
    # 2026-10-08 is a working day; declare it a holiday: the deadline moves to 10-09.
    assert cli("calendar", "set", "2026-10-08", "--holiday", "--note", "测试").exit_code == 0
    assert cli("deadline", "2026-09-30T10:00:00+08:00", "1").output.strip() == "2026-10-09"
    with store.read() as session:
        assert session.get(CalendarOverride, __import__("datetime").date(2026, 10, 8)).working is False
    assert cli("calendar", "remove", "2026-10-08").output.strip() == "removed"
    assert cli("deadline", "2026-09-30T10:00:00+08:00", "1").output.strip() == "2026-10-08"
