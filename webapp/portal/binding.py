"""我的主体 and binding requests: `/portal/subjects`, `/portal/bindings/…`.

Every applicant account may open these, bound to a subject or not: an account acts for a
subject only once a binding request is approved (`workflows.kinds.binding`). Holders of the
subject an account acts for manage its agents here (授权管理). Handlers parse → call → render.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from workflows.core.errors import CaseError
from workflows.kinds.binding.filing import file_binding
from workflows.kinds.binding.pages import (
    binding_request_page,
    my_open_supplement,
    my_subjects_page,
)
from workflows.kinds.binding.vocabulary import DOCUMENTS, RELATIONS
from workflows.kinds.common.case_files import Upload, attach_files
from workflows.kinds.common.case_messages import withdraw_case
from workflows.people.access import Actor
from workflows.people.bindings import (
    SOURCES,
    Revocation,
    revoke_binding,
    switch_subject,
)

from ..auth import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .common import (
    CASE_LABELS,
    account_actor,
    check_task,
    flash_refusals,
    outcome_label,
    posted_version,
    read_uploads,
    show_errors,
)
from .forms import BindingForm, BindingSupplementForm, RevokeForm

# the filing names documents by purpose; the form has one file input per kind of document
FILE_FIELDS = {"business_licence": "licence_files", "id_card": "licence_files", "documents": "licence_files",
               "authorisation": "authorisation_files", "agent_id": "agent_id_files"}


@bp.get("/subjects")
@login_required_permission("may_request_binding")
def subjects() -> str:
    runtime, actor = get_runtime(), account_actor()
    page = my_subjects_page(runtime.store, actor, current_user.id, runtime.clock.now())
    return render_template("portal/subjects.html", page=page, relations=RELATIONS, sources=SOURCES, status=_status)


@bp.post("/subjects/switch")
@login_required_permission("may_request_binding")
def switch() -> Response:
    runtime = get_runtime()
    try:
        switch_subject(runtime.store, current_user.id, request.form.get("subject_code", "")[:64], runtime.clock.now())
    except CaseError as err:
        flash(err.message, "danger")
    else:
        flash(_("You now act for the chosen subject."), "success")
    return redirect(url_for("portal.subjects"))


@bp.route("/bindings/new", methods=["GET", "POST"])
@login_required_permission("may_request_binding")
def new_binding() -> Response | tuple[str, int]:
    actor, form = account_actor(), BindingForm()
    if not form.is_submitted():
        return _new_page(form, 200)
    if not form.validate():
        return _new_page(form, 400)
    runtime = get_runtime()
    try:
        case = file_binding(runtime.engine, actor, form.subject_code.data, _request_data(form))
    except CaseError as err:
        err.fields = {FILE_FIELDS.get(name, name): message for name, message in err.fields.items()}
        show_errors(form, err)
        return _new_page(form, err.http_status)
    flash(_("Your binding request has been submitted; the credit office will review it."), "success")
    return redirect(url_for("portal.binding_request", case_id=case.id))


@bp.get("/bindings/<int:case_id>")
@login_required_permission("may_request_binding")
def binding_request(case_id: int) -> tuple[str, int]:
    return _request_page(account_actor(), case_id, 200)


@bp.post("/bindings/<int:case_id>/supplement")
@login_required_permission("may_request_binding")
def binding_supplement(case_id: int) -> Response | tuple[str, int]:
    """Files first (each on its own merits), then the step: the review resumes with them."""
    actor, form, runtime = account_actor(), BindingSupplementForm(), get_runtime()
    task = my_open_supplement(runtime.store, actor, case_id)
    if not form.validate():
        return _request_page(actor, case_id, 400, form)
    try:
        check_task(task, form.task_id.data, _("The supplement was already answered or has changed; please check the page."))
        version = posted_version(form.version.data)
        _stored, refused = attach_files(runtime.store, actor, case_id, _uploads(form), runtime.clock.now())
        flash_refusals(refused)
        runtime.engine.complete_task(task.id, {"note": form.note.data or ""}, actor, expected_version=version)
    except CaseError as err:
        show_errors(form, err)
        return _request_page(actor, case_id, err.http_status, form)
    flash(_("Your supplement has been submitted; the case is back under review."), "success")
    return redirect(url_for("portal.binding_request", case_id=case_id))


@bp.post("/bindings/<int:case_id>/withdraw")
@login_required_permission("may_request_binding")
def binding_withdraw(case_id: int) -> Response:
    try:
        withdraw_case(get_runtime().engine, account_actor(), case_id)
    except CaseError as err:
        if err.http_status == 404:
            raise
        flash(err.message, "danger")
    else:
        flash(_("Your request has been withdrawn."), "success")
    return redirect(url_for("portal.binding_request", case_id=case_id))


@bp.post("/bindings/revoke/<int:binding_id>")
@login_required_permission("may_request_binding")
def revoke(binding_id: int) -> Response:
    """A holder ends an agent's binding to its subject (or anyone their own)."""
    runtime, form = get_runtime(), RevokeForm()
    reason = (form.reason.data or "").strip()
    try:
        revoke_binding(runtime.store, account_actor(), Revocation(binding_id, reason), runtime.clock.now())
    except CaseError as err:
        if err.http_status == 404:
            raise
        flash(err.message, "danger")
    else:
        flash(_("The binding has been revoked."), "success")
    return redirect(url_for("portal.subjects"))


def _request_data(form: BindingForm) -> dict[str, Any]:
    return {"subject_name": (form.subject_name.data or "").strip(), "relation": form.relation.data or "",
            "valid_until": (form.valid_until.data or "").strip(), "documents": _uploads(form)}


def _uploads(form: BindingForm | BindingSupplementForm) -> list[Upload]:
    return (read_uploads(form.licence_files.data, "business_licence")
            + read_uploads(form.authorisation_files.data, "authorisation")
            + read_uploads(form.agent_id_files.data, "agent_id"))


def _new_page(form: BindingForm, status: int) -> tuple[str, int]:
    return render_template("portal/binding_new.html", form=form, documents=DOCUMENTS), status


def _request_page(actor: Actor, case_id: int, status: int,
                  form: BindingSupplementForm | None = None) -> tuple[str, int]:
    runtime = get_runtime()
    page = binding_request_page(runtime.store, actor, case_id, runtime.clock.now())
    form = form or BindingSupplementForm(formdata=None)
    if page.supplement is not None:
        form.task_id.data, form.version.data = page.supplement.id, str(page.case.version)
    return render_template("portal/binding_request.html", page=page, case=page.case, filed=page.filed, form=form,
                           relations=RELATIONS, documents=DOCUMENTS, status_label=_status(page.case)), status


def _status(case) -> str:
    label = str(CASE_LABELS.get(case.status, case.status))
    return f"{label} · {outcome_label(case)}" if case.outcome else label
