"""Filing a binding request (主体绑定申请): an account asks to act for a company (by its USCC)
or a person (by ID number), with proof, for the credit office to review (bpmn/binding.bpmn).

Everything a form can get wrong is refused here, before anything is stored: the code, the
name (it must match the registry when the subject is known — an unknown subject is
registered on approval, not before), the relation, the documents (each sniffed and
size-checked like every upload) and an agent's authorisation end date. The documents are
stored with the new case in the filing's own transaction, so a refusal stores nothing.
One running request per account and subject; an account already bound is told so.
"""
from __future__ import annotations

import base64
import binascii
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.clock import to_local
from workflows.core.errors import Conflict, InvalidInput, NotFound
from workflows.core.identifiers import validate_subject_code
from workflows.core.models.cases import Case
from workflows.core.models.people import Subject, User
from workflows.engine.case_engine import CaseEngine, Describe, Opening
from workflows.kinds.binding.vocabulary import (
    DOCUMENTS,
    KIND,
    MAX_AUTHORISATION_YEARS,
    MAX_DOCUMENTS,
    RELATIONS,
    REVIEW_DAYS,
    SUBJECT_NAME_MAX,
    SUPPLEMENT_DAYS,
    proof_of,
    required_documents,
)
from workflows.kinds.common.attachments import (
    MAX_BYTES,
    MAX_NAME,
    TooLarge,
    check_file,
    store_attachment,
)
from workflows.kinds.common.case_files import Upload
from workflows.people.access import Actor
from workflows.people.bindings import active_bindings
from workflows.people.permissions import require


@dataclass(frozen=True)
class BindingRequest:
    code: str
    category: str
    subject_name: str
    relation: str
    valid_until: date | None
    documents: list[Upload]


def file_binding(engine: CaseEngine, actor: Actor, subject_code: Any, form: Any,
                 describe: Describe | None = None) -> Case:
    """Open a binding case for the actor's own account (applicants only)."""
    require(actor, "may_request_binding", "只有申请人账号可以申请绑定主体")
    now = engine.clock.now()
    request = binding_request(subject_code, form, to_local(now).date())

    def prepare(session: Session) -> Opening:
        user = _locked_account(session, actor.username)  # one filing per account at a time
        _check_not_pending(session, actor.username, request.code)
        _check_not_bound(session, user, request, now)
        registered = session.get(Subject, request.code)
        if registered is not None and not same_name(registered.name, request.subject_name):
            message = "主体名称与已登记的名称不一致，请按营业执照或身份证填写"
            raise InvalidInput(message, {"subject_name": message})

        def store_documents(session: Session, case: Case) -> None:
            for upload in request.documents:
                store_attachment(session, case, upload.check(), upload.filename, actor, now, upload.purpose)

        data = {"subject_name": request.subject_name, "relation": request.relation, "category": request.category,
                "valid_until": request.valid_until.isoformat() if request.valid_until else None,
                "registered_name": registered.name if registered else None,
                "filer_name": user.display_name or user.username,
                "documents": sorted({u.purpose for u in request.documents}),
                "review_days": REVIEW_DAYS, "supplement_days": SUPPLEMENT_DAYS}
        title = f"{request.subject_name} 主体绑定申请（{actor.username}，{RELATIONS[request.relation]}）"
        return Opening(data, None, title[:300], with_case=store_documents)

    return engine.start_case(KIND, request.code, {}, actor, prepare=prepare, describe=describe)


def binding_request(subject_code: Any, form: Any, today: date) -> BindingRequest:
    """The request, checked field by field (every message at once), before any transaction."""
    if not isinstance(form, dict):
        raise InvalidInput("申请内容格式不正确", {"form": "应为对象"})
    errors: dict[str, str] = {}
    category, code = _code(subject_code, errors)
    name = _text(form.get("subject_name"))
    if not name:
        errors["subject_name"] = "请填写主体名称（企业名称或姓名）"
    elif len(name) > SUBJECT_NAME_MAX:
        errors["subject_name"] = f"主体名称不超过{SUBJECT_NAME_MAX}个字"
    relation = form.get("relation")
    if relation not in RELATIONS:
        errors["relation"] = "请选择与主体的关系：法定代表人/本人，或委托代理人"
    valid_until = _valid_until(form.get("valid_until"), today, errors) if relation == "agent" else None
    documents = _documents(form.get("documents"), category, errors)
    if category and relation in RELATIONS and "documents" not in errors:
        _check_required(documents, category, relation, errors)
    if errors:
        raise InvalidInput("主体绑定申请不完整", errors)
    return BindingRequest(code, category, name, relation, valid_until, documents)


def same_name(registered: str, given: str) -> bool:
    """Full-width and half-width brackets or spaces do not make a different name."""
    return _comparable(registered) == _comparable(given)


def _comparable(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def _code(value: Any, errors: dict[str, str]) -> tuple[str, str]:
    try:
        return validate_subject_code(str(value or "")[:64])
    except InvalidInput as err:
        errors["subject_code"] = err.message
        return "", ""


def _valid_until(value: Any, today: date, errors: dict[str, str]) -> date | None:
    """An agent's authorisation ends on a day after today, at most three years ahead."""
    try:
        day = date.fromisoformat(str(value or "")[:10]) if value else None
    except ValueError:
        day = None
    if day is None:
        errors["valid_until"] = "请填写授权委托书的授权截止日期（如 2027-12-31）"
    elif day <= today:
        errors["valid_until"] = "授权截止日期须晚于今天"
    elif day > _years_after(today, MAX_AUTHORISATION_YEARS):
        errors["valid_until"] = f"授权期限最长{MAX_AUTHORISATION_YEARS}年，请按授权委托书填写"
    else:
        return day
    return None


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _documents(value: Any, category: str, errors: dict[str, str]) -> list[Upload]:
    """Uploads from the portal, or {purpose, filename, content_base64} from the API; each file
    is checked as every attachment is (sniffed type, size) before the case exists."""
    items = value if isinstance(value, list) else []
    if value is not None and not isinstance(value, list) or len(items) > MAX_DOCUMENTS:
        errors["documents"] = f"材料格式不正确（最多{MAX_DOCUMENTS}个文件）"
        return []
    uploads = []
    for item in items:
        upload = item if isinstance(item, Upload) else _decoded(item)
        if upload is None or upload.purpose not in DOCUMENTS:
            errors["documents"] = "材料格式不正确：每个文件须注明用途（" + "、".join(DOCUMENTS) + "）"
            return []
        if upload.purpose in ("business_licence", "id_card"):  # the portal has one field for both
            upload = Upload(upload.filename, upload.data, proof_of(category) if category else upload.purpose)
        checked = check_file(upload.data)  # before any transaction: sniffed and hashed once, here
        if isinstance(checked.error, InvalidInput):
            errors[upload.purpose] = f"{upload.filename or '文件'}：{checked.error.message}"
            continue
        if checked.error is not None:
            raise checked.error  # TooLarge (413) is not InvalidInput: it goes up as it is
        uploads.append(Upload(upload.filename, upload.data, upload.purpose, checked))
    return uploads


def _decoded(item: Any) -> Upload | None:
    if not isinstance(item, dict) or not isinstance(item.get("content_base64"), str):
        return None
    encoded = item["content_base64"]
    if len(encoded) > (MAX_BYTES // 3 + 1) * 4:
        raise TooLarge("文件过大：每个文件不能超过 10 MB", {"documents": "文件不能超过 10 MB"})
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    return Upload(str(item.get("filename") or "")[:MAX_NAME], data, str(item.get("purpose") or ""))


def _check_required(documents: list[Upload], category: str, relation: str, errors: dict[str, str]) -> None:
    given = {u.purpose for u in documents}
    for purpose in required_documents(category, relation):
        if purpose not in given:
            errors.setdefault(purpose, f"请上传{DOCUMENTS[purpose]}")


def _locked_account(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username).with_for_update()).first()
    if user is None or not user.active:
        raise NotFound("账号不存在或已停用")
    return user


def _check_not_pending(session: Session, username: str, code: str) -> None:
    running = session.scalars(select(Case.id).where(
        Case.kind == KIND, Case.status == "running", Case.created_by == username, Case.subject_code == code)).first()
    if running is not None:
        raise Conflict(f"您已提交过该主体的绑定申请（案件 #{running}），正在审核中，请勿重复提交",
                       {"subject_code": "已有审核中的申请"})


def _check_not_bound(session: Session, user: User, request: BindingRequest, now: datetime) -> None:
    """Already bound with this relation: nothing to ask for — unless an agent's authorisation
    ends within 30 days, when a renewed one may be reviewed (approval extends the binding)."""
    for binding in active_bindings(session, user.id, now):
        if binding.subject_code != request.code or binding.relation != request.relation:
            continue
        renewing = binding.valid_until is not None and binding.valid_until <= to_local(now).date() + timedelta(days=30)
        if not renewing:
            until = f"，有效期至 {binding.valid_until.isoformat()}" if binding.valid_until else ""
            raise Conflict(f"您的账号已作为{RELATIONS[binding.relation]}绑定该主体{until}，无需重复申请",
                           {"subject_code": "已绑定该主体"})


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
