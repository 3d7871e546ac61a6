"""Attachments in the domain: content sniffing, display names, who may upload, audit, no partial writes."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflows.people.access import Actor
from workflows.kinds.common.attachments import (
    MAX_BYTES,
    TooLarge,
    display_name,
    get_attachment,
    list_attachments,
    lock_case_for_upload,
    sniff,
    store_attachment,
)
from workflows.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflows.core.models.cases import CaseEvent, HumanTask
from workflows.core.models.attachments import Attachment

from tests.support.files import jpeg_bytes, pdf_bytes, png_bytes
from tests.support.subjects import COMPANY as SUBJECT

OTHER = Actor("applicant2", frozenset({"applicant"}), subject_code="91350200MA2Y4G5U0E")


@pytest.fixture
def case(engine, reviewer):
    return engine.start_case("test_case", SUBJECT, {"severity": "general"}, reviewer)


def upload(store, clock, case_id, actor, data, filename="证明材料.pdf", purpose="proof") -> Attachment:
    with store.write() as uow:
        case = lock_case_for_upload(uow.session, actor, case_id)
        attachment = store_attachment(uow.session, case, data, filename, actor, clock.now(), purpose)
        uow.commit()
    return attachment


def counts(store) -> tuple[int, int]:
    with store.read() as session:
        files = session.scalar(select(func.count()).select_from(Attachment))
        events = session.scalar(select(func.count()).select_from(CaseEvent)
                                .where(CaseEvent.kind == "attachment_added"))
    return files, events


def test_sniff_trusts_only_intact_content():
    pdf, png, jpeg = pdf_bytes(), png_bytes(), jpeg_bytes()
    assert (sniff(pdf), sniff(png), sniff(jpeg)) == ("application/pdf", "image/png", "image/jpeg")
    corrupt_png = bytearray(png)
    corrupt_png[40] ^= 0xFF  # breaks a chunk CRC
    not_really = [b"", b"plain text pretending to be a PDF", b"<html><script>alert(1)</script>",
                  b"MZ\x90\x00\x03" + bytes(200), pdf[:-12], png[:-20], jpeg[:-2],
                  jpeg[:40] + b"\xff\xd9", b"\x89PNG\r\n\x1a\n" + bytes(100), bytes(corrupt_png)]
    assert [sniff(data) for data in not_really] == [None] * len(not_really)


def test_display_name_strips_paths_controls_and_markup():
    assert display_name("../../etc/passwd", "application/pdf") == "passwd.pdf"
    assert display_name("..\\..\\x<script>alert(1)</script>.png", "image/png") == "script_.png"
    assert display_name("整改\u202egnp.exe", "image/png") == "整改gnp.exe.png"  # no bidi spoofing
    assert display_name("信用报告\n(2026).PDF", "application/pdf") == "信用报告(2026).PDF"
    assert display_name("", "image/jpeg") == "附件.jpg"
    long = display_name("长" * 400 + ".pdf", "application/pdf")
    assert len(long) == 255 and long.endswith(".pdf")


def test_store_keeps_bytes_hash_and_audits(store, clock, case, applicant):
    data = pdf_bytes()
    attachment = upload(store, clock, case.id, applicant, data, "../../证明/整改报告.pdf", "rectification")
    assert len(attachment.id) == 43 and attachment.filename == "整改报告.pdf"
    with store.read() as session:
        [listed] = list_attachments(session, case.id)
        stored = get_attachment(session, applicant, attachment.id)
        assert (listed.id, stored.data, stored.content_type, stored.size) == (
            attachment.id, data, "application/pdf", len(data))
        event = session.scalars(select(CaseEvent).where(CaseEvent.kind == "attachment_added")).one()
    assert event.case_id == case.id and event.actor == "applicant1"
    assert "整改报告.pdf" in event.summary and event.after["attachment_id"] == attachment.id
    assert event.after["sha256"] == stored.sha256 and len(stored.sha256) == 64


def test_rejected_uploads_store_nothing(store, clock, case, applicant):
    with pytest.raises(InvalidInput) as unsupported:
        upload(store, clock, case.id, applicant, b"just text", "报告.pdf")
    assert unsupported.value.message == "仅支持 PDF、JPEG、PNG 文件" and "file" in unsupported.value.fields
    with pytest.raises(TooLarge) as too_large:
        upload(store, clock, case.id, applicant, pdf_bytes() + bytes(MAX_BYTES))
    assert too_large.value.http_status == 413 and "10 MB" in too_large.value.message
    with pytest.raises(InvalidInput):
        upload(store, clock, case.id, applicant, b"")
    with pytest.raises(InvalidInput) as purpose:
        upload(store, clock, case.id, applicant, pdf_bytes(), purpose="selfie")
    assert "purpose" in purpose.value.fields
    assert counts(store) == (0, 0)


def test_only_parties_upload_and_read(store, clock, case, applicant):
    auditor = Actor("auditor1", frozenset({"auditor"}))
    department = Actor("dept1", frozenset({"department"}), department_code="OTHER-DEPT")
    for outsider in (OTHER, department):
        with pytest.raises(NotFound):
            upload(store, clock, case.id, outsider, png_bytes(), "x.png")
    with pytest.raises(NotFound) as missing_case:
        upload(store, clock, case.id + 100, applicant, png_bytes(), "x.png")
    assert missing_case.value.message == "案件不存在"
    with pytest.raises(Forbidden):
        upload(store, clock, case.id, auditor, png_bytes(), "x.png")
    attachment = upload(store, clock, case.id, applicant, jpeg_bytes(), "现场照片.jpg")
    with store.read() as session:
        assert get_attachment(session, auditor, attachment.id).content_type == "image/jpeg"
        with pytest.raises(NotFound) as foreign:
            get_attachment(session, OTHER, attachment.id)
        with pytest.raises(NotFound) as unknown:
            get_attachment(session, applicant, "x" * 43)
    assert foreign.value.message == unknown.value.message
    assert counts(store) == (1, 1)


def test_closed_case_takes_no_more_files(store, clock, engine, case, reviewer, applicant):
    with store.read() as session:
        task = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)).one()
    engine.complete_task(task.id, {"decision": "approve"}, reviewer)
    with pytest.raises(Conflict):
        upload(store, clock, case.id, applicant, png_bytes(), "x.png")
    assert counts(store) == (0, 0)
