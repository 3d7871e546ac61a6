"""`/admin/departments/<code>/certificate`: the key that signs the department's letters."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from workflows.administration.certificates import point_at_key, upload_key

from ..auth import current_actor
from ..auth.guards import login_required_permission
from ..runtime import get_runtime
from .blueprint import bp
from .departments import PERMISSION, REFUSALS, _detail_page, _found, _issuer_form, _place
from .people_forms import CertificateForm, RenameForm


@bp.post("/departments/<code>/certificate")
@login_required_permission(PERMISSION)
def certificate(code: str) -> Response | tuple[str, int]:
    """Upload a key (+ passphrase), point at one on the server, or stop signing."""
    found, form, runtime = _found(code), CertificateForm(), get_runtime()
    actor, now = current_actor(), runtime.clock.now()
    try:
        if form.remove.data:
            point_at_key(runtime.store, actor, found.code, "", now)
            flash(_("Letters of this department are no longer signed."), "success")
            return redirect(url_for("admin.department", code=found.code))
        if form.validate():
            if form.key.data and form.key.data.filename:
                upload_key(runtime.store, actor, found.code, form.key.data.read(), form.passphrase.data or "",
                           runtime.settings.data_dir, now)
            elif (form.path.data or "").strip():
                point_at_key(runtime.store, actor, found.code, form.path.data, now)
            else:
                form.key.errors = [_("Choose a key file or enter a path.")]
                raise _Incomplete
            flash(_("The signing certificate was saved."), "success")
            return redirect(url_for("admin.department", code=found.code))
    except REFUSALS as err:
        _place(err, form.key)
    except _Incomplete:
        pass
    return _detail_page(found, rename=RenameForm(name=found.name), issuer=_issuer_form(found), key=form), 400


class _Incomplete(Exception):
    """Neither a file nor a path: the form is shown again with its message."""
