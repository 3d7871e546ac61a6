"""Signed letters from a real repair case (SQLite and PostgreSQL): each PDF carries a PAdES
signature of the organ it goes out from (credit office, or the deciding department per
letter_issuer.dmn), validates with pyHanko as intact and trusted against the demo CA, and the
public page /v/<code> tells an intact copy from a tampered one."""
from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.generic import NameObject, TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from tests.support.api_cases import department_decides, file_request, forward
from tests.support.geometry import LEFT, RIGHT, problems, read_pages, signature_block
from tests.support.letters import drain_app_letters
from tests.support.web import bearer, token_for
from webapp.letters.short import COPY_LIMIT
from workflows.archive.certificates import issue_demo_key
from workflows.core.config import PROJECT_ROOT
from workflows.core.models.letters import Letter
from workflows.core.models.people import Department
from workflows.people.subjects import register_department

OFFICE, DEPARTMENT = "QZ-XYB", "QZ-SCJG"  # letters/issuers.json's credit office; the records' department


@pytest.fixture
def bpmn_dir():
    return PROJECT_ROOT / "bpmn"


@pytest.fixture
def keys(tmp_path, store, world):
    """Demo CA under the app's data dir, a key for the credit office and for the department (which
    issues in its own name). Certificates count in real time: pyHanko signs and checks at it."""
    folder = tmp_path / "certificates"
    now = datetime.now(UTC)
    with store.write() as uow:
        register_department(uow.session, OFFICE, "泉州市社会信用体系建设领导小组办公室")
        for code in (OFFICE, DEPARTMENT):
            department = uow.session.get(Department, code)
            department.certificate_path = str(issue_demo_key(folder, code, department.name, now))
        uow.session.get(Department, DEPARTMENT).issuer_name = "泉州市市场监督管理局"
        uow.commit()
    return folder


def decided_case(client, make_record) -> dict:
    """A repair received today (Order 36): accepted by the office, decided by the department."""
    applicant = token_for(client, "applicant1")
    filed = file_request(client, applicant, [make_record("2026-05-10")])
    assert filed.status_code == 201, filed.get_json()
    done = department_decides(client, forward(client, filed.get_json()), "approve")
    assert done.status_code == 200, done.get_json()
    drain_app_letters(client)
    return done.get_json()


def letter_of(client, doc, letter_type) -> tuple[dict, bytes]:
    token = token_for(client, "applicant1")
    meta = next(item for item in doc["letters"] if item["type"] == letter_type)
    answer = client.get(meta["url"], headers=bearer(token))
    assert answer.status_code == 200
    return client.get(f"/api/v1/letters/{meta['id']}", headers=bearer(token)).get_json(), answer.data


def pyhanko_status(pdf: bytes, root):
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(root))]))


def short_code(store, letter_id: int) -> str:
    with store.read() as session:
        return session.get(Letter, letter_id).verification_code.replace("-", "")


def test_each_letter_is_signed_by_its_organ_and_validates_as_intact_and_trusted(client, store, make_record, keys):
    doc = decided_case(client, make_record)
    for letter_type, organ in (("acceptance", OFFICE), ("repair_decision", DEPARTMENT)):
        meta, pdf = letter_of(client, doc, letter_type)
        status = pyhanko_status(pdf, keys / "root-ca.pem")
        assert status.intact and status.valid and status.trusted and status.bottom_line
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert f"Common Name: {organ}" in status.signing_cert.subject.human_friendly
        assert meta["signed_by"] == status.signing_cert.subject.human_friendly
        assert meta["signed_at"] and meta["sha256"] == hashlib.sha256(pdf).hexdigest()
        with store.read() as session:
            assert session.get(Letter, meta["id"]).organ_code == organ


def test_a_long_organ_name_signs_inside_the_block_and_the_signature_holds(client, store, make_record, keys):
    """The deciding department's full legal name, longer than a line, in the 署名 of a signed letter."""
    name = "泉州市市场监督管理局泉州经济技术开发区分局（泉州市知识产权局经济技术开发区分局）"
    with store.write() as uow:
        uow.session.get(Department, DEPARTMENT).issuer_name = name
        uow.commit()
    _meta, pdf = letter_of(client, decided_case(client, make_record), "repair_decision")
    status = pyhanko_status(pdf, keys / "root-ca.pem")
    assert status.intact and status.valid and status.trusted and problems(pdf) == []
    _page, lines, date = signature_block(read_pages(pdf), name)
    assert len(lines) == 2 and all(LEFT - 0.2 <= line.chars[0].x0 and line.chars[-1].x1 <= RIGHT + 0.2
                                   for line in [*lines, date])


def test_the_short_url_is_printed_and_checks_the_archived_signature(client, store, make_record, keys):
    meta, pdf = letter_of(client, decided_case(client, make_record), "repair_decision")
    code = short_code(store, meta["id"])
    with store.read() as session:
        assert session.get(Letter, meta["id"]).context["verify_url"] == f"http://127.0.0.1:5000/v/{code}"
    page = client.get(f"/v/{code}").get_data(as_text=True)
    assert 'data-state="valid"' in page and "签名完整，签名证书可信" in page and meta["number"] in page
    assert client.get(f"/v/{code.lower()[:4]}-{code[4:8]}-{code[8:]}").status_code == 200  # as read aloud
    assert client.get("/v/ABCDEFGHJKMN").status_code == 404
    old_form = client.get("/letters/verify", query_string={"no": meta["number"], "code": code}).get_data(as_text=True)
    assert "签名时间" in old_form and f'href="/v/{code}"' in old_form  # old letters' URL still verifies


def test_an_intact_copy_passes_and_tampered_copies_fail(client, store, make_record, keys):
    meta, pdf = letter_of(client, decided_case(client, make_record), "acceptance")
    code = short_code(store, meta["id"])
    intact = upload(client, code, pdf)
    assert intact.status_code == 200 and 'data-state="intact"' in intact.get_data(as_text=True)
    one_byte = bytearray(pdf)
    one_byte[len(pdf) // 3] ^= 0x01
    page = upload(client, code, bytes(one_byte)).get_data(as_text=True)
    assert 'data-state="altered"' in page and "与存档文书不一致" in page and "签名与内容不符" in page
    page = upload(client, code, appended(pdf)).get_data(as_text=True)
    assert 'data-state="altered"' in page and "签名之后文件被追加了内容" in page


def test_uploads_that_are_no_pdf_are_refused(client, store, make_record, keys):
    meta, _pdf = letter_of(client, decided_case(client, make_record), "acceptance")
    code = short_code(store, meta["id"])
    refused = upload(client, code, b"GIF89a not a letter")
    assert refused.status_code == 400 and "该文件不是 PDF 文件" in refused.get_data(as_text=True)
    huge = upload(client, code, b"%PDF-1.7\n" + b"0" * COPY_LIMIT)
    assert huge.status_code == 400 and "文件过大" in huge.get_data(as_text=True)


def test_without_a_certificate_the_letter_is_unsigned_and_the_page_says_so(client, store, make_record):
    meta, pdf = letter_of(client, decided_case(client, make_record), "acceptance")
    assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
    assert meta["signed_by"] is None and meta["signed_at"] is None
    page = client.get(f"/v/{short_code(store, meta['id'])}").get_data(as_text=True)
    assert 'data-state="unsigned"' in page and "未加盖电子签名" in page


def upload(client, code: str, data: bytes):
    return client.post(f"/v/{code}", data={"pdf": (io.BytesIO(data), "letter.pdf")},
                       content_type="multipart/form-data")


def appended(pdf: bytes) -> bytes:
    """The signed letter with an incremental update after the signature (a changed title)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else None
    if info is not None:
        info[NameObject("/Title")] = TextStringObject("已改动")
        writer.mark_update(writer.trailer.raw_get("/Info"))
    else:
        writer.root[NameObject("/Lang")] = TextStringObject("en")
        writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
