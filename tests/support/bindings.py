"""Binding requests in tests: the portal form with its documents, the API body, the open steps."""
from __future__ import annotations

import base64
import io
from datetime import date, timedelta

from sqlalchemy import select

from workflows.core.models.cases import Case, HumanTask

from .files import pdf_bytes, png_bytes

# The tests' frozen clock says 2026-09-30: an authorisation running nine months from then.
AGENT_UNTIL = (date(2026, 9, 30) + timedelta(days=273)).isoformat()


def binding_form(code: str, name: str, relation: str = "agent", *, until: str | None = AGENT_UNTIL,
                 licence: bool = True, authorisation: bool = True, agent_id: bool = True, **changes) -> dict:
    """The multipart form of /portal/bindings/new; files are fresh BytesIO each call."""
    form = {"subject_code": code, "subject_name": name, "relation": relation, "valid_until": until or ""}
    if licence:
        form["licence_files"] = (io.BytesIO(pdf_bytes()), "营业执照.pdf")
    if authorisation and relation == "agent":
        form["authorisation_files"] = (io.BytesIO(pdf_bytes()), "授权委托书.pdf")
    if agent_id and relation == "agent":
        form["agent_id_files"] = (io.BytesIO(png_bytes()), "身份证.png")
    return {**form, **changes}


def file_request(client, code: str, name: str, relation: str = "agent", **changes) -> int:
    response = client.post("/portal/bindings/new", data=binding_form(code, name, relation, **changes),
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def api_documents(*purposes: str) -> list[dict]:
    return [{"purpose": p, "filename": f"{p}.pdf", "content_base64": base64.b64encode(pdf_bytes()).decode()}
            for p in purposes]


def binding_cases(store) -> list[Case]:
    with store.read() as session:
        return list(session.scalars(select(Case).where(Case.kind == "binding").order_by(Case.id)))


def open_step(store, case_id: int, bpmn_id: str) -> HumanTask | None:
    with store.read() as session:
        return session.scalars(select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.bpmn_id == bpmn_id,
                                                       HumanTask.state == "ready")).first()
