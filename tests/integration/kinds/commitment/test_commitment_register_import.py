"""Importing commitments made in other systems: row errors in Chinese, all-or-none, --skip-invalid,
duplicate codes, allocated codes that never collide with imported ones, the CLI."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from workflows.archive.commitment_codes import allocate_commitment_code
from webapp.cli import CommandContext
from webapp.cli.imports import import_commitments_command
from workflows.kinds.commitment.imports import import_commitments
from workflows.core.models.commitments import Commitment
from workflows.people.subjects import register_department

from tests.support.commitment_imports import GOOD, HEADER, line, stored, write
from tests.support.commitments import OTHER, PERSON, add, commitment


def run(store, clock, path: Path, **options):
    with store.write() as uow:
        report = import_commitments(uow.session, path.read_bytes(), path.name, clock.now(), **options)
        if report.imported:
            uow.commit()
    return report


PERSON_ROW = line("", "张三", "自然人", PERSON, "信用修复型", disclosure="特定范围内公开",
                  fulfilment=("部分履行", "未按期完成整改", "公示期限延长至最长期限", "2026-09-20", ""))


def test_one_bad_row_stores_nothing_and_the_report_names_row_and_column(store, clock, tmp_path):
    bad = line("35050020260901000002", subject="91350100M000100Y44", kind="审批型", liability="",
               made_on="2026-10-01", disclosure="公开")
    report = run(store, clock, write(tmp_path / "a.csv", [GOOD, bad, PERSON_ROW]))
    assert (report.total, report.imported, report.invalid_rows) == (3, 0, 1)
    assert {(e.row, e.column): e.message for e in report.errors} == {
        (3, "统一社会信用代码或身份证号码"): "校验位不符：第18位应为3",
        (3, "承诺类型"): "承诺类型应为：审批替代型、容缺受理型、证明事项告知承诺型、信用修复型、行业自律型、主动公示型",
        (3, "违诺责任"): "请填写违诺责任",
        (3, "作出日期"): "作出日期不能晚于今天（2026-09-30）",
        (3, "公开类型"): "公开类型应为：可向社会公开、特定范围内公开、不可公开",
    }
    assert stored(store) == {}
    report.write_csv(tmp_path / "errors.csv")
    assert "第18位应为3" in (tmp_path / "errors.csv").read_text(encoding="utf-8-sig")


def test_skip_invalid_stores_good_rows_with_states_and_allocated_codes(store, clock, tmp_path):
    missing_liability = line("35050020260901000009", liability="")
    report = run(store, clock, write(tmp_path / "b.csv", [GOOD, missing_liability, PERSON_ROW]), skip_invalid=True)
    assert (report.imported, report.invalid_rows, report.allocated) == (2, 1, 1)
    assert [(e.row, e.column, e.message) for e in report.errors] == [(3, "违诺责任", "请填写违诺责任")]
    rows = stored(store)
    company = rows[GOOD[0]]
    assert (company.status, company.fulfilment, company.source, company.disclosure) == (
        "accepted", None, "import", "public")
    assert (company.valid_until, company.verify_on, company.commitment_type) == (
        date(2027, 9, 1), None, "approval_substitute")
    [person] = [row for code, row in rows.items() if code != GOOD[0]]
    assert person.code.startswith("35050020260901") and len(person.code) == 20  # allocated from the 作出日期
    assert (person.status, person.fulfilment, person.subject_category, person.disclosure) == (
        "breached", "partial", "自然人", "restricted")
    assert (person.verified_on, person.verified_by, person.liability_action) == (
        date(2026, 9, 20), "泉州市市场监督管理局", "公示期限延长至最长期限")
    with store.write() as uow:  # the counter moved past the imported serials: no collision later
        assert int(allocate_commitment_code(uow.session, date(2026, 9, 1), "350500")[-6:]) > int(GOOD[0][-6:])


def test_duplicate_codes_in_the_file_and_in_the_register(store, clock, tmp_path):
    add(store, commitment(code="35050020260901000007"))
    rows = [line("35050020260901000007"), GOOD, line(GOOD[0], subject=OTHER, name="厦门海沧建材贸易有限公司")]
    report = run(store, clock, write(tmp_path / "c.csv", rows))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "承诺编码", "承诺编码 35050020260901000007 已登记，不能重复导入"),
        (4, "承诺编码", "与第3行的承诺编码重复")]
    assert report.imported == 0 and set(stored(store)) == {"35050020260901000007"}


def test_code_category_fulfilment_and_date_rules(store, clock, tmp_path):
    rows = [line("3505002026090100001"), line("35050020261301000001"), line("", category="自然人"),
            line("", category="法人及非法人组织", subject=PERSON),
            line("", fulfilment=("全部未履行", "", "", "", "")),
            line("", fulfilment=("", "", "", "2026-09-20", "")),
            line("", made_on="2026/2/30")]
    report = run(store, clock, write(tmp_path / "d.csv", rows))
    assert {(e.row, e.column): e.message for e in report.errors} == {
        (2, "承诺编码"): "承诺编码应为20位数字：6位行政区划代码＋8位日期＋6位顺序号",
        (3, "承诺编码"): "承诺编码第7–14位“20261301”不是有效日期",
        (4, "统一社会信用代码或身份证号码"): "承诺人类别为自然人时应填写公民身份号码",
        (5, "统一社会信用代码或身份证号码"): "法人及非法人组织应填写统一社会信用代码",
        (6, "未履行内容"): "履行状态为“全部未履行”时请填写未履行内容",
        (6, "违诺责任追究内容"): "履行状态为“全部未履行”时请填写违诺责任追究内容",
        (6, "认定日期"): "填写履行状态时请填写认定日期",
        (7, "履行状态"): "填写了认定日期，请同时填写履行状态",
        (8, "作出日期"): "作出日期“2026/2/30”不是有效日期，应为 2026-09-30 的形式",
    }


def test_gb18030_title_row_department_scope_and_missing_columns(store, clock, tmp_path):
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        uow.commit()
    path = tmp_path / "e.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["泉州市信用承诺导入表"])
        writer.writerow([h for h in HEADER if h not in ("受理单位", "受理单位代码")])
        writer.writerow([c for i, c in enumerate(line("35050020260901000003")) if i not in (11, 12)])
    report = run(store, clock, path, department="QZ-SCJG")
    assert report.ok and report.imported == 1
    assert stored(store)["35050020260901000003"].department_name == "泉州市市场监督管理局"
    other = run(store, clock, write(tmp_path / "f.csv", [line(department="XM-YJ")]), department="QZ-SCJG")
    assert [(e.row, e.column, e.message) for e in other.errors] == [
        (2, "受理单位代码", "只能导入本单位（QZ-SCJG）受理的承诺")]
    missing = run(store, clock, write(tmp_path / "g.csv", [GOOD], header=HEADER[:7]))
    assert [(e.row, e.column) for e in missing.errors] == [
        (1, "违诺责任"), (1, "作出日期"), (1, "公开类型"), (1, "受理单位"), (1, "受理单位代码")]


def test_cli_all_or_none_then_skip_invalid(store, db_url, clock, tmp_path, monkeypatch):
    monkeypatch.setenv("CREDIT_CASES_DATABASE_URL", db_url)
    path = write(tmp_path / "h.csv", [GOOD, line("35050020260901000004", liability="")])
    runner = CliRunner()
    pinned = CommandContext(clock=clock)
    refused = runner.invoke(import_commitments_command, [str(path), "--report", str(tmp_path / "err.csv")],
                            obj=pinned)
    assert refused.exit_code == 1, refused.output
    assert "第3行 违诺责任：请填写违诺责任" in refused.output and "未导入任何承诺" in refused.output
    assert "请填写违诺责任" in (tmp_path / "err.csv").read_text(encoding="utf-8-sig")
    assert stored(store) == {}
    done = runner.invoke(import_commitments_command, [str(path), "--skip-invalid", "--department", "QZ-SCJG"],
                         obj=CommandContext(clock=clock))
    assert done.exit_code == 0, done.output
    assert "导入 1 条" in done.output and set(stored(store)) == {GOOD[0]}
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Commitment)) == 1


def test_overlong_and_unstorable_cells_are_row_errors_and_nothing_is_stored(store, clock, tmp_path):
    long_content = line("35050020260901000002")
    long_content[6] = "容" * 4001  # 承诺内容
    nul_liability = line("35050020260901000003", liability="撤销许可\x00决定")
    report = run(store, clock, write(tmp_path / "c.csv", [GOOD, long_content, nul_liability]))
    problems = {(e.row, e.column): e.message for e in report.errors}
    assert problems == {(3, "承诺内容"): "承诺内容不能超过4000个字（现为4001个）",
                        (4, "违诺责任"): "违诺责任含有空字符（\\u0000），无法保存"}
    assert (report.imported, stored(store)) == (0, {})
