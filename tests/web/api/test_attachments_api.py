"""Attachments over HTTP: upload, identical download with safe headers, rejections, who may see them."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from workflows.people.access import Actor
from workflows.kinds.common.attachments import MAX_BYTES
from workflows.core.models.cases import CaseEvent, HumanTask
from workflows.core.models.attachments import Attachment

from tests.support.files import jpeg_bytes, pdf_bytes, png_bytes
from tests.support.flow_kinds import DATA_DIR
from tests.support.web import headers

REVIEWER = Actor("reviewer1", frozenset({"reviewer"}))


@pytest.fixture
def bpmn_dir():
    return DATA_DIR


def post_file(client, case_id, auth, data, filename, content_type="application/octet-stream", **form):
    return client.post(f"/api/v1/cases/{case_id}/attachments", headers=auth,
                       data={"file": (io.BytesIO(data), filename, content_type), **form},
                       content_type="multipart/form-data")


def stored_rows(store) -> tuple[int, int]:
    with store.read() as session:
        files = session.scalar(select(func.count()).select_from(Attachment))
        events = session.scalar(select(func.count()).select_from(CaseEvent)
                                .where(CaseEvent.kind == "attachment_added"))
    return files, events


def test_upload_then_download_identical_bytes(client, case, clock):
    app1 = headers(client, "applicant1")
    files = [(pdf_bytes(), "整改报告.pdf", "application/pdf"), (png_bytes(), "营业执照.png", "image/png"),
             (jpeg_bytes(), "现场照片.jpg", "image/jpeg")]
    made = []
    for data, name, kind in files:
        response = post_file(client, case.id, app1, data, name, "text/plain", purpose="proof")
        body = response.get_json()
        assert response.status_code == 201, body
        assert (body["filename"], body["content_type"], body["size"]) == (name, kind, len(data))
        assert len(body["id"]) == 43 and body["url"] == f"/api/v1/attachments/{body['id']}"
        made.append(body)
        clock.advance(minutes=1)  # the list is oldest first
    for (data, _name, kind), body in zip(files, made):
        for viewer in ("applicant1", "reviewer1"):
            got = client.get(body["url"], headers=headers(client, viewer))
            assert got.status_code == 200 and got.data == data and got.mimetype == kind
            assert got.headers["Content-Disposition"].startswith("inline;")
            assert got.headers["X-Content-Type-Options"] == "nosniff"
            expected = "default-src 'none'" + ("" if kind == "application/pdf" else "; sandbox")
            assert got.headers["Content-Security-Policy"] == expected
            assert got.headers["Cache-Control"] == "private"
    listed = client.get(f"/api/v1/cases/{case.id}/attachments", headers=app1).get_json()["items"]
    assert [item["id"] for item in listed] == [body["id"] for body in made]
    events = client.get(f"/api/v1/cases/{case.id}", headers=app1).get_json()["events"]
    added = [e for e in events if e["kind"] == "attachment_added"]
    assert [e["actor"] for e in added] == ["applicant1"] * 3 and "整改报告.pdf" in added[0]["summary"]


@pytest.mark.parametrize("data,filename,content_type", [
    (b"%PDX not a pdf at all, just text\n", "证明.pdf", "application/pdf"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(500), "photo.png", "image/png"),
    (b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "photo.png", "image/png"),
])
def test_disguised_files_are_refused_and_nothing_stored(client, case, store, data, filename, content_type):
    refused = post_file(client, case.id, headers(client, "applicant1"), data, filename, content_type)
    body = refused.get_json()
    assert refused.status_code == 400 and body["error"] == "invalid"
    assert body["message"] == "仅支持 PDF、JPEG、PNG 文件" and "file" in body["fields"]
    assert stored_rows(store) == (0, 0)


def test_over_ten_megabytes_is_413_and_nothing_stored(client, case, store):
    app1 = headers(client, "applicant1")
    big = post_file(client, case.id, app1, bytes(MAX_BYTES + 1), "scan.pdf", "application/pdf")
    body = big.get_json()
    assert big.status_code == 413 and body["error"] == "too_large" and "10 MB" in body["message"]
    assert "file" in body["fields"]
    huge = post_file(client, case.id, app1, bytes(MAX_BYTES + 1024 * 1024), "scan.pdf")  # Flask's own limit
    assert huge.status_code == 413 and set(huge.get_json()) == {"error", "message", "fields"}
    assert stored_rows(store) == (0, 0)


def test_missing_file_and_bad_purpose_are_400(client, case, store):
    app1 = headers(client, "applicant1")
    missing = client.post(f"/api/v1/cases/{case.id}/attachments", headers=app1, data={"purpose": "proof"})
    assert missing.status_code == 400 and missing.get_json()["fields"]["file"] == "必填"
    purpose = post_file(client, case.id, app1, png_bytes(), "a.png", purpose="selfie")
    assert purpose.status_code == 400 and "purpose" in purpose.get_json()["fields"]
    assert stored_rows(store) == (0, 0)


def test_other_subject_and_anonymous_see_nothing(client, case, store):
    made = post_file(client, case.id, headers(client, "applicant1"), png_bytes(), "a.png").get_json()
    app2 = headers(client, "applicant2")
    upload = post_file(client, case.id, app2, png_bytes(), "b.png")
    download = client.get(made["url"], headers=app2)
    unknown = client.get("/api/v1/attachments/" + "A" * 43, headers=app2)
    listing = client.get(f"/api/v1/cases/{case.id}/attachments", headers=app2)
    assert [r.status_code for r in (upload, download, unknown, listing)] == [404] * 4
    assert download.get_json() == unknown.get_json()  # no hint that the file exists
    anonymous = [post_file(client, case.id, {}, png_bytes(), "c.png"), client.get(made["url"]),
                 client.get(f"/api/v1/cases/{case.id}/attachments")]
    assert [r.status_code for r in anonymous] == [401] * 3
    assert stored_rows(store) == (1, 1)


def test_completed_case_is_409(client, case, runtime, store):
    with store.read() as session:
        task = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)).one()
    runtime.engine.complete_task(task.id, {"decision": "approve"}, REVIEWER)
    closed = post_file(client, case.id, headers(client, "applicant1"), pdf_bytes(), "迟交.pdf")
    assert closed.status_code == 409 and closed.get_json()["error"] == "conflict"
    assert stored_rows(store) == (0, 0)


def test_filename_is_sanitized_for_display(client, case):
    nasty = "../../etc/passwd<script>alert(1)</script>证明.png"
    made = post_file(client, case.id, headers(client, "applicant1"), png_bytes(), nasty, "image/png")
    name = made.get_json()["filename"]
    assert made.status_code == 201 and name.endswith("证明.png")
    assert not any(bad in name for bad in ("/", "\\", "<", ">", ".."))
    got = client.get(made.get_json()["url"], headers=headers(client, "reviewer1"))
    assert "<" not in got.headers["Content-Disposition"] and "/" not in got.headers["Content-Disposition"]


def test_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    upload = paths["/api/v1/cases/{case_id}/attachments"]["post"]
    assert {"400", "401", "404", "409", "413"} <= set(upload["responses"])
    assert "get" in paths["/api/v1/attachments/{attachment_id}"]
