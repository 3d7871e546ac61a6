"""`/admin/departments/<code>`: which certificate signs the department's letters; upload one with
its passphrase (kept out of the database), point at one, or stop signing."""
from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.support.web import login, page
from workflows.archive.certificates import issue_demo_key
from workflows.core.models.cases import CaseEvent
from workflows.core.models.people import Department
from workflows.people.subjects import register_department

CODE = "QZ-ZJJ"


@pytest.fixture
def admin(client, users, store):
    with store.write() as uow:
        register_department(uow.session, CODE, "泉州市住房和城乡建设局")
        uow.commit()
    login(client, "admin1")
    return client


@pytest.fixture
def key(tmp_path_factory) -> tuple[bytes, str]:
    """A PKCS#12 key from a demo CA elsewhere (real time: certificates are checked at it) and its passphrase."""
    folder = tmp_path_factory.mktemp("elsewhere")
    path = issue_demo_key(folder, CODE, "泉州市住房和城乡建设局", datetime.now(UTC))
    return path.read_bytes(), json.loads((folder / "passphrases.json").read_text())[CODE]


def upload(admin, blob: bytes, passphrase: str):
    return admin.post(f"/admin/departments/{CODE}/certificate",
                      data={"key": (io.BytesIO(blob), "zjj.p12"), "passphrase": passphrase},
                      content_type="multipart/form-data")


def test_an_uploaded_key_is_shown_kept_owner_only_and_its_passphrase_stays_out_of_the_database(admin, store, key, tmp_path):
    assert "未配置证书" in page(admin, f"/admin/departments/{CODE}")
    blob, passphrase = key
    assert upload(admin, blob, passphrase).status_code == 302
    shown = page(admin, f"/admin/departments/{CODE}")
    assert 'data-state="configured"' in shown and f"CN={CODE}" in shown and "演示根证书" in shown
    stored = tmp_path / "certificates" / f"{CODE}.p12"
    assert stored.read_bytes() == blob and stored.stat().st_mode & 0o077 == 0
    with store.read() as session:
        assert session.get(Department, CODE).certificate_path == str(stored.resolve())
        events = session.scalars(select(CaseEvent).where(CaseEvent.kind == "department_certificate_changed")).all()
    assert len(events) == 1 and passphrase not in json.dumps([events[0].before, events[0].after], ensure_ascii=False)
    assert passphrase not in shown


def test_a_wrong_passphrase_or_a_missing_file_is_refused(admin, store, key, tmp_path):
    blob, _passphrase = key
    wrong = upload(admin, blob, "not-the-passphrase")
    assert wrong.status_code == 400 and "证书文件无法打开" in wrong.get_data(as_text=True)
    assert not (tmp_path / "certificates").exists()  # nothing written for a refused key
    empty = admin.post(f"/admin/departments/{CODE}/certificate", data={"path": ""})
    assert empty.status_code == 400 and "请选择证书文件或填写路径" in empty.get_data(as_text=True)
    with store.read() as session:
        assert session.get(Department, CODE).certificate_path is None


def test_sign_no_more(admin, store, key):
    assert upload(admin, *key).status_code == 302
    stopped = admin.post(f"/admin/departments/{CODE}/certificate", data={"remove": "1"}, follow_redirects=True)
    assert "不再加盖电子签名" in stopped.get_data(as_text=True)
    with store.read() as session:
        assert session.get(Department, CODE).certificate_path is None
