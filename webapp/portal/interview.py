"""An interview case in the portal: the proposed key-attention listing and the subject's
statement and defence (陈述申辩) within the period, answered against the case version."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.core.errors import CaseError
from workflows.kinds.common.applicant_views import my_open_task

from ..auth import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .cases import render_case
from .common import applicant, check_task, posted_version


@bp.post("/cases/<int:case_id>/defence")
@login_required_permission("may_use_portal")
def defence(case_id: int) -> Response | tuple[str, int]:
    actor, runtime = applicant(), get_runtime()
    task = my_open_task(runtime.store, actor, case_id, "state_defence")
    data = {"defence": request.form.get("defence", ""), "waived": request.form.get("waived") == "yes"}
    try:
        check_task(task, request.form.get("task_id"),
                   _("The statement period has ended or your statement was already made; please check the page."))
        runtime.engine.complete_task(task.id, data, actor, expected_version=posted_version(request.form.get("version")))
    except CaseError as err:
        for message in {err.message, *err.fields.values()}:
            flash(message, "danger")
        return render_case(actor, case_id, err.http_status, defence_text=data["defence"])
    flash(_("Your statement has been sent to the department, which will consider it before deciding."), "success")
    return redirect(url_for("portal.case_page", case_id=case_id))
