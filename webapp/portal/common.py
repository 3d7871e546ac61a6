"""Request helpers shared by the portal's views: who the applicant is, form errors, uploads."""
from __future__ import annotations

from datetime import date, datetime

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from workflows.core.clock import to_local
from workflows.core.errors import CaseError, Conflict
from workflows.core.models.cases import Case, HumanTask
from workflows.kinds.common.attachments import MAX_BYTES
from workflows.kinds.common.case_files import Upload
from workflows.people.access import Actor

from ..auth.identity import current_actor

# Labels of stored keys; the msgids are the keys themselves, translated in messages.po.
STATUS_LABELS = {"public": _l("public"), "suspended": _l("Publicity suspended (objection under verification)"),
                 "stopped": _l("stopped"), "revoked": _l("revoked"), "expired": _l("expired"),
                 "not_published": _l("not_published")}
STATUS_BADGES = {"public": "text-bg-danger", "suspended": "text-bg-warning", "stopped": "text-bg-success",
                 "revoked": "text-bg-success", "expired": "text-bg-secondary", "not_published": "text-bg-light"}
CASE_LABELS = {"running": _l("running"), "completed": _l("completed"), "cancelled": _l("cancelled")}
OUTCOME_LABELS = {"approved": _l("approved"), "rejected": _l("rejected"),
                  "not_accepted": _l("not_accepted"), "withdrawn": _l("withdrawn")}
# An objection refused at first review is "not accepted" (不予受理), not "repair refused".
OBJECTION_OUTCOME_LABELS = {"corrected": _l("corrected"), "revoked": _l("revoked"), "upheld": _l("upheld"),
                            "rejected": _l("not_accepted"), "withdrawn": _l("withdrawn")}
# A commitment the department refuses is "not accepted" (不予受理); kept or broken: 已践诺 / 已违诺.
COMMITMENT_OUTCOME_LABELS = {"rejected": _l("not_accepted"), "fulfilled": _l("fulfilled"),
                             "breached": _l("breached"), "breach_dropped": _l("breach_dropped"),
                             "withdrawn": _l("withdrawn")}
INTERVIEW_OUTCOME_LABELS = {"rectified": _l("rectified"), "escalated": _l("escalated"), "absent": _l("absent"),
                            "absent_justified": _l("absent_justified"), "not_rectified": _l("not_rectified"),
                            "listed": _l("listed"), "not_listed": _l("not_listed")}
BINDING_OUTCOME_LABELS = {"bound": _l("bound"), "not_bound": _l("not_bound"), "withdrawn": _l("withdrawn")}
KIND_OUTCOME_LABELS = {"objection": OBJECTION_OUTCOME_LABELS, "commitment": COMMITMENT_OUTCOME_LABELS,
                       "interview": INTERVIEW_OUTCOME_LABELS, "binding": BINDING_OUTCOME_LABELS}
KIND_HEADINGS = {"repair": _l("Credit repair request"), "objection": _l("Objection request"),
                 "commitment": _l("Credit commitment"), "interview": _l("Credit interview")}


def outcome_label(case: Case) -> str:
    """The outcome in the words of the case's own kind ("" while it runs)."""
    if not case.outcome:
        return ""
    labels = KIND_OUTCOME_LABELS.get(case.kind, OUTCOME_LABELS)
    return str(labels.get(case.outcome, case.outcome))


def applicant() -> Actor:
    """The logged-in applicant acting for a subject. An account bound to none (yet) has nothing
    to see here: it is sent to 我的主体, where it asks for a binding."""
    actor = current_actor()
    if actor is None:
        abort(403)
    if not actor.subject_code:
        abort(redirect(url_for("portal.subjects")))
    return actor


def account_actor() -> Actor:
    """The logged-in applicant account, bound to a subject or not (我的主体, binding requests)."""
    actor = current_actor()
    if actor is None:
        abort(403)
    return actor


def show_errors(form: FlaskForm, err: CaseError) -> None:
    """Put a domain error's field messages under the matching inputs, the rest on top."""
    placed = False
    for name, message in err.fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
            placed = True
    if not placed or err.message not in err.fields.values():
        flash(err.message, "danger")


def on_file_fields(err: CaseError, fields: dict[str, str]) -> CaseError:
    """A refused upload's errors (keyed by attachment purpose) moved under the form's file inputs."""
    moved = {fields.get(key, key): message for key, message in err.fields.items()}
    return err if moved == err.fields else type(err)(err.message, moved)


def check_task(task: HumanTask | None, posted_id: str | None, message: str) -> HumanTask:
    """The task the page was drawn for must still be the open one (else a 409 with `message`)."""
    if task is None or task.id != posted_id:
        raise Conflict(message)
    return task


def posted_version(value: str | None) -> int:
    """The case version a form was written against; missing or garbled means a stale page."""
    if not value or not (value.isascii() and value.isdigit() and len(value) < 19):
        raise Conflict(_("The page is out of date; reload it and try again."))
    return int(value)


def read_uploads(files: list[FileStorage] | None, purpose: str) -> list[Upload]:
    """The chosen files (an empty file input sends a nameless part); one byte over the limit is
    enough for the attachment check to refuse a file, so no more is read."""
    chosen = [f for f in files or [] if isinstance(f, FileStorage) and f.filename]
    return [Upload(f.filename or "", f.read(MAX_BYTES + 1), purpose) for f in chosen]


def flash_refusals(refused: list[str]) -> None:
    for refusal in refused:
        flash(_("This file was not accepted: %(refusal)s", refusal=refusal), "warning")


def cn_date(day: date | str | None) -> str:
    """2026年10月1日, the form used in letters and on 信用中国."""
    if day is None:
        return ""
    day = date.fromisoformat(day[:10]) if isinstance(day, str) else day
    return f"{day.year}年{day.month}月{day.day}日"


def local_time(moment: datetime | None) -> str:
    return to_local(moment).strftime("%Y-%m-%d %H:%M") if moment is not None else ""
