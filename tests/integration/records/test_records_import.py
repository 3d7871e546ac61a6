"""Bulk import of 双公示 penalty files: CSV/XLSX, row errors, all-or-none, --skip-invalid, CLI."""
from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook
from sqlalchemy import select

from workflows.core.models.people import Subject
from workflows.core.models.records import CreditRecord, PunishmentMeasure, RecordHistory
from webapp.cli import CommandContext
from webapp.cli.imports import import_records_command
from workflows.records.imports import import_records

from tests.support.db import count
from tests.support.records import create

HEADER = ["行政相对人名称", "统一社会信用代码", "处罚决定书文号", "处罚类别", "处罚内容", "罚款金额（万元）",
          "处罚决定日期", "处罚机关", "处罚机关统一社会信用代码", "违法事实", "处罚依据", "严重程度", "失信惩戒措施"]
AGENCY = "11350500MB0000001X"


def row(name: str, code: str, number: str, day: str = "2026-05-10", severity: str = "一般",
        fine: str = "1.5", measures: str = "") -> list[str]:
    return [name, code, number, "罚款", "罚款人民币一万五千元", fine, day, "泉州市市场监督管理局", AGENCY,
            "未按规定公示年度报告", "《企业信息公示暂行条例》第十八条", severity, measures]


GOOD_1 = row("泉州市清源食品有限公司", "91350100M000100Y43", "泉市监罚〔2026〕1号", severity="严重",
             measures="限制参加政府采购；列为重点监管对象")
GOOD_2 = row("厦门海沧建材贸易有限公司", "91350200MA2Y4G5U0E", "泉市监罚〔2026〕2号", day="2024/3/1", severity="")
BAD = row("某某公司", "91350100M000100Y44", "泉市监罚〔2026〕3号", day="2026-12-01", fine="-1")


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig", header=HEADER) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(store, rules, clock, path: Path, **options):
    with store.write() as uow:
        report = import_records(uow.session, rules, path, "importer", clock.now(), **options)
        if report.imported:
            uow.commit()
    return report


def test_one_bad_row_stores_nothing_and_reports_every_problem(store, rules, clock, tmp_path):
    report = run_import(store, rules, clock, write_csv(tmp_path / "a.csv", [GOOD_1, BAD, GOOD_2]))
    assert (report.total, report.imported, report.invalid_rows) == (3, 0, 1)
    problems = {(e.row, e.column): e.message for e in report.errors}
    assert problems == {
        (3, "统一社会信用代码"): "校验位不符：第18位应为3",
        (3, "处罚决定日期"): "决定日期不能晚于今天（2026-09-30）",
        (3, "罚款金额（万元）"): "罚款金额不能为负数",
    }
    assert (count(store, CreditRecord), count(store, Subject), count(store, RecordHistory)) == (0, 0, 0)
    report.write_csv(tmp_path / "errors.csv")
    lines = (tmp_path / "errors.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "行号,列,问题" and lines[1] == "3,统一社会信用代码,校验位不符：第18位应为3"


def test_skip_invalid_stores_the_good_rows(store, rules, clock, tmp_path):
    seen = []
    report = run_import(store, rules, clock, write_csv(tmp_path / "a.csv", [GOOD_1, BAD, GOOD_2]),
                        skip_invalid=True, progress=lambda phase, done, total: seen.append((phase, done, total)))
    assert (report.imported, report.new_subjects, report.invalid_rows) == (2, 2, 1)
    assert seen == [("validate", 3, 3), ("write", 2, 2)]
    with store.read() as session:
        stored = {r.decision_no: r for r in session.scalars(select(CreditRecord))}
        first, second = stored["泉市监罚〔2026〕1号"], stored["泉市监罚〔2026〕2号"]
        assert (first.severity, first.regime, first.fine_amount, first.source) == (
            "serious", "order36", Decimal("15000.00"), "import")
        assert (first.publicity_min_end, first.publicity_max_end) == (date(2027, 5, 10), date(2029, 5, 10))
        assert (second.severity, second.regime, second.decision_date) == ("general", "order58", date(2024, 3, 1))
        assert (first.department_code, first.created_by) == (AGENCY, "importer")
        measures = session.scalars(select(PunishmentMeasure.name).where(PunishmentMeasure.record_id == first.id)
                                   .order_by(PunishmentMeasure.id)).all()
        assert measures == ["限制参加政府采购", "列为重点监管对象"]
        history = session.scalars(select(RecordHistory).where(RecordHistory.record_id == first.id)).one()
        assert (history.action, history.after["file"], history.after["row"]) == ("imported", "a.csv", 2)
        assert session.get(Subject, "91350200MA2Y4G5U0E").name == "厦门海沧建材贸易有限公司"


def test_xlsx_with_a_title_row_and_typed_cells(store, rules, clock, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年9月行政处罚信息（双公示）"])
    sheet.append(HEADER)
    first = GOOD_1[:]
    first[5], first[6] = 2, datetime(2026, 5, 10)  # number and date cells, as Excel stores them
    sheet.append(first)
    sheet.append([None] * len(HEADER))  # blank rows at the end are ignored
    path = tmp_path / "penalties.xlsx"
    book.save(path)
    report = run_import(store, rules, clock, path)
    assert (report.ok, report.total, report.imported) == (True, 1, 1)
    with store.read() as session:
        record = session.scalars(select(CreditRecord)).one()
        assert (record.fine_amount, record.decision_date, record.publicity_status) == (
            Decimal("20000.00"), date(2026, 5, 10), "public")


def test_gb18030_other_code_column_and_duplicates(store, rules, clock, tmp_path):
    create(store, rules, clock, decision_no="泉市监罚〔2026〕2号", subject_code="91350200MA2Y4G5U0E",
           subject_name="厦门海沧建材贸易有限公司")
    header = [("行政相对人代码" if h == "统一社会信用代码" else h) for h in HEADER]
    path = write_csv(tmp_path / "gbk.csv", [GOOD_1, GOOD_1, GOOD_2], encoding="gb18030", header=header)
    report = run_import(store, rules, clock, path)
    assert {(e.row, e.column, e.message) for e in report.errors} == {
        (3, "处罚决定书文号", "与第2行重复（同一主体同一文号）"),
        (4, "处罚决定书文号", "该主体已有相同文号的处罚记录"),
    }
    assert count(store, CreditRecord) == 1


def test_missing_columns_are_reported_on_the_header_row(store, rules, clock, tmp_path):
    header = [h for h in HEADER if h not in ("处罚依据", "违法事实")]
    path = write_csv(tmp_path / "short.csv", [GOOD_1[:10]], header=header)
    report = run_import(store, rules, clock, path)
    assert {(e.row, e.message) for e in report.errors} == {(1, "缺少必需的列“违法事实”"), (1, "缺少必需的列“处罚依据”")}
    garbage = tmp_path / "x.csv"
    garbage.write_text("a,b\n1,2\n", encoding="utf-8")
    assert "未找到表头" in run_import(store, rules, clock, garbage).errors[0].message


def test_cli_import_all_or_none_then_skip_invalid(store, rules_dir, db_url, clock, tmp_path, monkeypatch):
    monkeypatch.setenv("CREDIT_CASES_DATABASE_URL", db_url)
    monkeypatch.setenv("CREDIT_CASES_BPMN_DIR", str(rules_dir))
    path = write_csv(tmp_path / "cli.csv", [GOOD_1, BAD])
    runner = CliRunner()
    pinned = CommandContext(clock=clock)  # the import dates records against the runtime's clock
    refused = runner.invoke(import_records_command, [str(path), "--report", str(tmp_path / "err.csv")], obj=pinned)
    assert refused.exit_code == 1, refused.output
    assert "未导入任何记录" in refused.output and "第3行 统一社会信用代码：校验位不符" in refused.output
    assert (tmp_path / "err.csv").read_text(encoding="utf-8-sig").count("\n") == 4
    assert count(store, CreditRecord) == 0
    done = runner.invoke(import_records_command, [str(path), "--skip-invalid", "--actor", "张科长"],
                         obj=CommandContext(clock=clock))
    assert done.exit_code == 0, done.output
    assert "导入 1 条，跳过 1 行" in done.output
    with store.read() as session:
        assert session.scalars(select(CreditRecord.created_by)).all() == ["张科长"]
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7")
    wrong = runner.invoke(import_records_command, [str(tmp_path / "scan.pdf")], obj=CommandContext(clock=clock))
    assert wrong.exit_code == 2 and "只能导入 CSV 或 XLSX 文件" in wrong.output


def test_overlong_and_unstorable_cells_are_row_errors(store, rules, clock, tmp_path):
    long_facts = row("泉州市清源食品有限公司", "91350100M000100Y43", "泉市监罚〔2026〕4号")
    long_facts[9] = "事" * 20001  # 违法事实
    nul_content = row("厦门海沧建材贸易有限公司", "91350200MA2Y4G5U0E", "泉市监罚〔2026〕5号")
    nul_content[4] = "罚款\x00一万元"  # 处罚内容
    report = run_import(store, rules, clock, write_csv(tmp_path / "a.csv", [GOOD_1, long_facts, nul_content]))
    problems = {(e.row, e.column): e.message for e in report.errors}
    assert problems == {(3, "违法事实"): "失信行为事实不能超过20000个字（现为20001个）",
                        (4, "处罚内容"): "处理内容含有空字符（\\u0000），无法保存"}
    assert (report.imported, count(store, CreditRecord)) == (0, 0)


def test_an_unregistered_department_is_a_row_error(store, rules, clock, tmp_path: Path):
    stray = GOOD_2[:8] + ["11350500MB0000002X"] + GOOD_2[9:]
    path = write_csv(tmp_path / "records.csv", [GOOD_1, stray])
    report = run_import(store, rules, clock, path)
    assert report.imported == 0 and [(e.row, e.message) for e in report.errors] == [(3, "认定部门未登记")]
    assert count(store, CreditRecord) == 0
    kept = run_import(store, rules, clock, path, skip_invalid=True)
    assert kept.imported == 1 and count(store, CreditRecord) == 1
