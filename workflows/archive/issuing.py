"""Issue a letter: validate, number and record it in the step's transaction; render it after.

The context is validated before a number is taken, and the number, type, issuer, exact context
and verification code are stored in the caller's transaction, so a step that fails leaves no
gap and no trace. The PDF is rendered after that commit (`rendering.render_letter`, run by the
letter workers and the sweeps): nothing slow runs while the counter row or the SQLite write
lock is held. Until its bytes and sha256 are archived the letter is `pending`.
Issued letters are never changed; re-issuing writes a new letter that points back.
The letter goes out in the name of the department that decides (`issuers.issuer_block`);
numbers run per number prefix and year, so organs and letter types that share a prefix
share one gap-free series and a number is never handed out twice.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from workflows.core.clock import to_local
from workflows.core.errors import Conflict, InvalidInput, NotFound, Unavailable
from workflows.core.models.letters import PENDING, Letter
from workflows.core.models.cases import CaseEvent
from workflows.core.store import hand_over

from letters.catalog import TYPES
from letters.config import format_number, issuer_for
from letters.context import validate_context
from letters.errors import FontMissingError, LetterContextError
from letters.render import check_renderable
from workflows.archive.issuers import CREDIT_OFFICE, issuer_block, signing_organ
from workflows.archive.numbering import next_serial

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over the phone
PLACEHOLDER_NUMBER = "〔0000〕0号"
PREFIX_MAX = 32  # as a department's prefixes (administration/departments.py); keeps the series key short
TO_RENDER = "letters_to_render"  # hand-over topic: ids of letters issued in the transaction


def issue_letter(session: Session, letter_type: str, context: dict[str, Any], *, actor: str,
                 now: datetime, public_url: str, case_id: int | None = None,
                 number: str | None = None, supersedes: Letter | None = None,
                 decided_by: str | None = CREDIT_OFFICE,
                 on_issued: Callable[[Letter, CaseEvent], None] | None = None) -> Letter:
    """Number (unless `number` is given, e.g. a 承诺编码) and record a letter, `pending` its PDF.

    Unless the context names its `issuer`, the letter goes out in the name of department
    `decided_by` (None: the credit office), with its issuer details (DOMAIN.md §H).
    `on_issued` takes the letter and its case's `letter_issued` audit event (a case step
    batches its audit rows); by default the event is added to the session. The letter's id is
    handed over to the letter workers, who render it once this transaction has committed."""
    if isinstance(context, dict) and letter_type in TYPES and "issuer" not in context:
        context = {**context, "issuer": issuer_block(session, letter_type, decided_by)}
    full = checked_context(letter_type, context, now, public_url, number)
    _check_renderable(letter_type, full)  # before a number is taken: fonts not ready refuse at once
    year = to_local(now).year
    prefix = full["issuer"]["number_prefix"]
    serial = None if number else next_serial(session, *letter_counter(prefix, year))
    full["number"] = number or format_number(prefix, year, serial)
    code = new_verification_code()
    full["verification_code"], full["verify_url"] = code, verify_link(public_url, code)
    letter = _pending(letter_type, full, actor=actor, now=now, case_id=case_id, year=year,
                      serial=serial, supersedes=supersedes)
    letter.organ_code = signing_organ(session, decided_by)
    session.add(letter)
    session.flush()
    hand_over(session, TO_RENDER, letter.id)
    if letter.case_id is not None:
        event = _audit_event(letter, actor, now)
        on_issued(letter, event) if on_issued else session.add(event)
    return letter


def _check_renderable(letter_type: str, context: dict[str, Any]) -> None:
    """Fonts that are not prepared, or characters no installed font has, refuse the letter (503)
    before its number is taken — never a pending letter that can never be rendered."""
    try:
        check_renderable(letter_type, context)
    except FontMissingError as err:
        raise Unavailable(f"暂时无法出具文书：{err}") from err


def letter_counter(prefix: str, year: int) -> tuple[str, str]:
    """The (series, period) counter of the numbers `prefix〔year〕n号`: one sequence per prefix and
    year, whichever organ or letter type uses the prefix (so no number is issued twice)."""
    return f"letter-no:{prefix}", str(year)


def reissue_letter(session: Session, letter_id: int, changes: dict[str, Any], *, actor: str,
                   now: datetime, public_url: str) -> Letter:
    """A corrected letter under a new number; the old one stays and verifies as superseded."""
    old = session.get(Letter, letter_id)
    if old is None:
        raise NotFound("文书不存在")
    if superseding(session, old) is not None:
        raise Conflict(f"文书 {old.number} 已被重新出具，请在最新文书上操作")
    context = {k: v for k, v in old.context.items() if k not in ("number", "verification_code", "verify_url")}
    context.update(changes)
    return issue_letter(session, old.letter_type, context, actor=actor, now=now, public_url=public_url,
                        case_id=old.case_id, supersedes=old, decided_by=old.organ_code)


def superseding(session: Session, letter: Letter) -> Letter | None:
    from sqlalchemy import select
    return session.scalars(select(Letter).where(Letter.supersedes_id == letter.id)).first()


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def verify_link(public_url: str, code: str) -> str:
    """The short address printed as text and QR (`/v/<code>`: the code alone finds the letter,
    and it fits the line); old letters' `/letters/verify?no=&code=` addresses keep working."""
    return f"{public_url.rstrip('/')}/v/{code.replace('-', '')}"


def checked_context(letter_type: str, context: Any, now: datetime, public_url: str,
                    number: str | None = None) -> dict[str, Any]:
    """The context with issuer and date filled in, validated before any number is taken."""
    if letter_type not in TYPES:
        raise InvalidInput(f"未知的文书类型：{letter_type}", {"type": "可选：" + "、".join(TYPES)})
    if not isinstance(context, dict):
        raise InvalidInput("文书数据必须是对象", {"context": "应为 JSON 对象"})
    full = dict(context)
    full.setdefault("issuer", issuer_for(letter_type))
    full.setdefault("date", to_local(now).date().isoformat())
    try:
        validate_context(letter_type, {**full, "number": number or PLACEHOLDER_NUMBER,
                                       "verification_code": "X", "verify_url": public_url})
    except LetterContextError as err:
        raise InvalidInput(str(err), getattr(err, "fields", None) or {}) from err
    prefix = full["issuer"].get("number_prefix")
    if number is None and (not isinstance(prefix, str) or len(prefix) > PREFIX_MAX):
        raise InvalidInput(f"发文字号前缀必须是不超过{PREFIX_MAX}个字的文字",
                           {"issuer.number_prefix": "请填写发文字号前缀"})
    return full


def _pending(letter_type: str, context: dict[str, Any], *, actor: str, now: datetime,
             case_id: int | None, year: int, serial: int | None, supersedes: Letter | None) -> Letter:
    subject = context.get("subject") or {}
    return Letter(
        case_id=case_id, letter_type=letter_type, title=TYPES[letter_type], number=context["number"],
        series=letter_counter(context["issuer"]["number_prefix"], year)[0] if serial else f"letter:{letter_type}",
        year=year, serial=serial,
        verification_code=context["verification_code"], subject_code=subject.get("code"),
        subject_name=subject.get("name") or "", issuer_name=context["issuer"]["name"], context=context,
        sha256=None, pdf=None, size=None, issued_by=actor, issued_at=now,
        supersedes_id=supersedes.id if supersedes else None,
        status=PENDING, render_attempts=0, next_render_at=now)


def _audit_event(letter: Letter, actor: str, now: datetime) -> CaseEvent:
    return CaseEvent(case_id=letter.case_id, at=now, actor=actor, kind="letter_issued",
                     summary=f"出具《{letter.title}》{letter.number}", task_id=None, bpmn_id=None, before=None,
                     after={"letter_id": letter.id, "number": letter.number, "supersedes": letter.supersedes_id})
