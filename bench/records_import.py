"""Time the bulk import of penalty records (双公示 CSV) on SQLite, optionally PostgreSQL.

    .venv/bin/python bench/records_import.py                  # 100,000 rows, temporary SQLite
    .venv/bin/python bench/records_import.py --rows 20000 --database-url postgresql://postgres@127.0.0.1/bench

The PostgreSQL database is migrated and receives the rows (use a scratch database).
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stdnum.cn import uscc  # noqa: E402

from workflows.core.clock import FrozenClock  # noqa: E402
from workflows.core.config import DEFAULT_BPMN_DIR  # noqa: E402
from workflows.core.db import make_engine  # noqa: E402
from workflows.core.migrate import upgrade  # noqa: E402
from workflows.records.imports import import_records  # noqa: E402
from workflows.engine.rules import RuleBook  # noqa: E402
from workflows.core.store import Store  # noqa: E402

HEADER = ["行政相对人名称", "统一社会信用代码", "处罚决定书文号", "处罚类别", "处罚内容", "罚款金额（万元）",
          "处罚决定日期", "处罚机关", "处罚机关统一社会信用代码", "违法事实", "处罚依据", "严重程度", "失信惩戒措施"]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REGIONS = ("350100", "350200", "350500", "350503", "350526", "410400")
DEPARTMENTS = (("泉州市市场监督管理局", "11350500MB0000001X"), ("福州市生态环境局", "11350100MB0000002X"),
               ("厦门市应急管理局", "11350200MB0000003X"), ("德化县消防救援大队", "11350526MB0000004X"))
NOW = "2026-09-30T10:00:00+08:00"


def random_uscc(rng: random.Random) -> str:
    body = "91" + rng.choice(REGIONS) + "MA" + "".join(rng.choice(ALPHABET) for _ in range(7))
    return body + uscc.calc_check_digit(body)


def department(rng: random.Random) -> tuple[str, str]:
    name, code = rng.choice(DEPARTMENTS)
    return name, code[:17] + uscc.calc_check_digit(code[:17])


def write_rows(path: Path, rows: int, seed: int = 2026) -> None:
    rng = random.Random(seed)
    first, span = date(2019, 1, 1), (date(2026, 9, 29) - date(2019, 1, 1)).days
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            name, code = department(rng)
            day = first + timedelta(days=rng.randrange(span))
            measures = "；".join(rng.sample(["限制参加政府采购", "限制获得政府补贴", "列为重点监管对象"], rng.randrange(3)))
            writer.writerow([f"测试企业{n}有限公司", random_uscc(rng), f"泉市监罚〔{day.year}〕{n + 1}号", "罚款",
                             "罚款人民币一万元", f"{rng.randrange(1, 500) / 100:.2f}", day.isoformat(), name, code,
                             "未按规定公示年度报告", "《企业信息公示暂行条例》第十八条",
                             rng.choice(["轻微", "一般", "一般", "严重"]), measures])


def run(url: str, csv_path: Path) -> tuple[int, float]:
    upgrade(url)
    store = Store(make_engine(url))
    rules = RuleBook.from_directory(DEFAULT_BPMN_DIR)
    started = time.perf_counter()
    with store.write() as uow:
        report = import_records(uow.session, rules, csv_path, "bench", FrozenClock(NOW).now())
        assert report.ok, report.errors[:5]
        uow.commit()
    elapsed = time.perf_counter() - started
    store.engine.dispose()
    return report.imported, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="also import into this (scratch) PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "records.csv"
        write_rows(csv_path, args.rows)
        print(f"{args.rows} rows, {csv_path.stat().st_size / 1e6:.1f} MB CSV")
        targets = [("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")]
        if args.database_url:
            targets.append(("postgresql", args.database_url))
        for label, url in targets:
            imported, elapsed = run(url, csv_path)
            print(f"{label:10} {imported} rows in {elapsed:.1f} s = {imported / elapsed:,.0f} rows/s")


if __name__ == "__main__":
    main()
