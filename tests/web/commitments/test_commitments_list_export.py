"""The commitment register: total, previous and next pages, and its CSV export (UTF-8 with BOM,
the national data standard's item names, exactly the filtered rows, ID numbers masked)."""
from __future__ import annotations

import csv
import io
import re

from tests.support.commitments import PERSON, PERSON_MASKED, add, commitment
from tests.support.web import login, page


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" id="[^"]+" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_register_pages_back_and_forth_with_the_total(client, people, store, monkeypatch):
    from webapp.commitments import views
    monkeypatch.setattr(views, "PAGE", 2)
    add(store, *(commitment() for _ in range(5)))
    login(client, "reviewer1")
    first = page(client, "/commitments/")
    assert 'data-total="5"' in first and link(first, "prev") is None
    second = page(client, link(first, "next"))
    back = page(client, link(second, "prev"))
    assert re.findall(r"35050020260601\d{6}", back) == re.findall(r"35050020260601\d{6}", first)


def test_register_csv_is_the_filtered_rows_masked(client, people, store):
    add(store, commitment(subject_code=PERSON, subject_name="张三", subject_category="自然人", commitment_type="repair"),
        commitment(matter="建筑施工许可", department="QZ-ZJ"))
    login(client, "reviewer1")
    answer = client.get("/commitments/export.csv?type=repair")
    assert answer.status_code == 200 and answer.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["承诺编码", "承诺人名称"] and len(rows) == 2
    assert rows[1][1] == "张三" and rows[1][3] == PERSON_MASKED and rows[1][4] == "信用修复型"
    client.post("/logout")
    login(client, "dept2")  # a department officer exports its own department's rows only
    rows = list(csv.reader(io.StringIO(client.get("/commitments/export.csv").data.decode("utf-8-sig"))))
    assert [r[5] for r in rows[1:]] == ["建筑施工许可"]
