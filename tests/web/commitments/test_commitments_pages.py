"""The commitment pages: register (filters, department scope, case links), dashboard, import
(all-or-none, --skip-invalid, CSRF), standard texts in versions, and the public listing."""
from __future__ import annotations

import io

from sqlalchemy import select

from tests.support.commitment_imports import GOOD, HEADER, line
from tests.support.commitments import PERSON, PERSON_MASKED, add, commitment
from tests.support.records import make_case
from tests.support.web import PASSWORD, csrf_token_from, login, page
from webapp import create_app
from workflows.core.models.commitments import Commitment, CommitmentTemplate


def csv_upload(rows: list[list[str]], name: str = "承诺.csv") -> tuple[io.BytesIO, str]:
    text = "\n".join(",".join(cells) for cells in [HEADER, *rows]) + "\n"
    return io.BytesIO(text.encode("utf-8-sig")), name


def test_public_page_lists_only_published_public_commitments_masked(client, people, store):
    add(store,
        commitment(code="350500202609010000P1", subject_code=PERSON, subject_name="张三", subject_category="自然人",
                   commitment_type="repair", matter="信用修复"),
        commitment(code="350500202609010000C1", status="fulfilled", fulfilment="full"),
        commitment(code="350500202609010000R1", disclosure="restricted", matter="限定范围事项"),
        commitment(code="350500202609010000X1", disclosure="private", subject_code=PERSON, matter="不公开事项"),
        commitment(code="350500202609010000F1", status="filed", matter="尚未受理事项"))
    listing = page(client, "/commitments/public")  # no login
    assert "信用承诺公示" in listing and "350500202609010000P1" in listing and "350500202609010000C1" in listing
    assert PERSON not in listing and PERSON_MASKED in listing
    for hidden in ("350500202609010000R1", "限定范围事项", "350500202609010000X1", "不公开事项", "尚未受理事项"):
        assert hidden not in listing, hidden
    by_code = page(client, "/commitments/public?q=350500202609010000C1")
    assert "350500202609010000C1" in by_code and "350500202609010000P1" not in by_code
    by_name = page(client, "/commitments/public?q=张三")
    assert "350500202609010000P1" in by_name and "350500202609010000C1" not in by_name and PERSON not in by_name
    assert "350500202609010000X1" not in page(client, f"/commitments/public?q={PERSON}")
    assert "没有符合条件的信用承诺" in page(client, "/commitments/public?q=350500202609010000R1")


def test_register_filters_scope_and_case_links(client, people, store, clock, crafted):
    case_id = make_case(store, clock, kind="commitment")
    add(store, commitment(code="350500202609010000K1", case_id=case_id, department="QZ-ZJ",
                          subject_code=PERSON, subject_name="张三", subject_category="自然人"))
    assert page(client, "/commitments/", 302)  # login first
    login(client, "dept2")
    own = page(client, "/commitments/?department=QZ-SCJG")  # asking for another department changes nothing
    assert own.count("data-code=") == 5 and "350500202606010000E1" in own and "350500202606010000D1" not in own
    assert f'href="/desk/cases/{case_id}"' in own and PERSON not in own and PERSON_MASKED in own
    assert 'name="department"' not in own  # no department filter for an officer
    assert page(client, "/commitments/350500202606010000D1", 404)
    assert PERSON in page(client, "/commitments/350500202609010000K1")  # staff detail: in full
    client.post("/logout")
    login(client, "reviewer1")
    everything = page(client, "/commitments/")
    assert everything.count("data-code=") == 11 and 'name="department"' in everything
    overdue = page(client, "/commitments/?overdue=1")
    assert overdue.count("data-code=") == 2 and "350500202606010000D1" in overdue
    assert page(client, "/commitments/?type=repair&status=breached").count("data-code=") == 1
    assert page(client, "/commitments/?department=QZ-ZJ").count("data-code=") == 5
    assert page(client, "/commitments/?q=张三").count("data-code=") == 1
    client.post("/logout")
    login(client, "applicant1")
    assert page(client, "/commitments/", 403)


def test_dashboard_page_numbers_and_scope(client, people, crafted):
    login(client, "admin1")
    board = page(client, "/commitments/dashboard")
    assert '<div class="fs-3" id="total">10</div>' in board
    assert '<div class="fs-3" id="overall-rate">50.0%</div>' in board
    assert '<div class="fs-3 text-danger" id="overdue-count">2</div>' in board
    assert ('<tr data-type="approval_substitute"><td>审批替代型</td><td>3</td><td>0</td><td>2</td><td>1</td>'
            '<td>66.7%</td></tr>') in board
    assert ('<tr data-department="QZ-ZJ"><td>泉州市住房和城乡建设局</td><td>4</td><td>2</td><td>0</td><td>1</td>'
            '<td>0.0%</td><td>1</td></tr>') in board
    assert board.index("350500202606010000E1") < board.index("350500202606010000D1")  # most overdue first
    client.post("/logout")
    login(client, "dept1")
    own = page(client, "/commitments/dashboard")
    assert '<div class="fs-3" id="total">6</div>' in own and 'data-department="QZ-ZJ"' not in own


def test_import_all_or_none_then_skip_invalid(client, people, store):
    login(client, "admin1")
    assert "导入信用承诺" in page(client, "/commitments/import")
    bad = line("35050020260901000009", liability="")
    refused = client.post("/commitments/import", data={"file": csv_upload([GOOD, bad])},
                          content_type="multipart/form-data")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "未导入任何承诺：1 行有误" in text
    assert "<tr><td>3</td><td>违诺责任</td><td>请填写违诺责任</td></tr>" in text
    with store.read() as session:
        assert session.scalars(select(Commitment)).all() == []
    done = client.post("/commitments/import", data={"file": csv_upload([GOOD, bad]), "skip_invalid": "y"},
                       content_type="multipart/form-data")
    assert "已导入 1 条信用承诺" in done.get_data(as_text=True)
    again = client.post("/commitments/import", data={"file": csv_upload([GOOD])},
                        content_type="multipart/form-data")
    assert f"承诺编码 {GOOD[0]} 已登记，不能重复导入" in again.get_data(as_text=True)
    with store.read() as session:
        [row] = session.scalars(select(Commitment)).all()
    assert (row.code, row.source, row.status) == (GOOD[0], "import", "accepted")


def test_officer_imports_for_own_department_only(client, people, store):
    login(client, "dept2")
    response = client.post("/commitments/import", data={"file": csv_upload([GOOD]), "department": "QZ-SCJG"},
                           content_type="multipart/form-data")
    assert "只能导入本单位（QZ-ZJ）受理的承诺" in response.get_data(as_text=True)
    client.post("/logout")
    login(client, "reviewer1")
    assert page(client, "/commitments/import", 403)


def test_import_needs_the_csrf_token(runtime, people, store):
    app = create_app({"TESTING": True, "RUNTIME": runtime})  # CSRF on
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"username": "admin1", "password": PASSWORD,
                                "csrf_token": csrf_token_from(login_page)})
    refused = client.post("/commitments/import", data={"file": csv_upload([GOOD])},
                          content_type="multipart/form-data")
    assert refused.status_code == 400
    token = csrf_token_from(page(client, "/commitments/import").split('id="import-form"')[1])
    done = client.post("/commitments/import", data={"file": csv_upload([GOOD]), "csrf_token": token},
                       content_type="multipart/form-data")
    assert "已导入 1 条信用承诺" in done.get_data(as_text=True)


def test_new_template_version_keeps_the_old_ones(client, people, store):
    login(client, "admin1")
    listing = page(client, "/commitments/templates")
    assert '<tr data-type="certification"><td>证明事项告知承诺型</td><td>1</td>' in listing
    form = page(client, "/commitments/templates/certification")
    assert "本主体承诺所承诺的事实真实准确" in form and 'data-version="1"' in form
    for text in ("第二版：本主体承诺所述事实真实。", "第三版：本主体承诺所述事实真实、准确、完整。"):
        saved = client.post("/commitments/templates/certification", data={"title": "证明事项承诺书", "text": text})
        assert saved.status_code == 302
    history = page(client, "/commitments/templates/certification")
    assert "规范文本第 3 版已保存" in history
    for version in ("1", "2", "3"):
        assert f'data-version="{version}"' in history
    assert "第二版：本主体承诺所述事实真实。" in history and "本主体承诺所承诺的事实真实准确" in history
    assert '<td>证明事项告知承诺型</td><td>3</td>' in page(client, "/commitments/templates")
    with store.read() as session:
        versions = session.scalars(select(CommitmentTemplate).order_by(CommitmentTemplate.version)).all()
    assert [(v.version, v.text[:3], v.created_by) for v in versions] == [
        (2, "第二版", "admin1"), (3, "第三版", "admin1")]
    empty = client.post("/commitments/templates/certification", data={"title": "", "text": "  "})
    assert empty.status_code == 400 and "承诺书文本不能为空" in empty.get_data(as_text=True)
    assert page(client, "/commitments/templates/unknown", 404)
    client.post("/logout")
    login(client, "reviewer1")
    assert page(client, "/commitments/templates", 403)
    assert client.post("/commitments/templates/certification", data={"text": "x"}).status_code == 403


def test_navigation_lists_commitments_for_staff(client, people):
    login(client, "reviewer1")
    assert 'href="/commitments"' in page(client, "/")
