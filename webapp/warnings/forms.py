"""Forms of the warnings pages: they carry the values and the CSRF token; the rules (a note is
required, at most 500 characters) live in `workflows.early_warning`."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField


class ScanForm(FlaskForm):
    submit = SubmitField(_l("Scan now"))


class CloseForm(FlaskForm):
    note = TextAreaField(_l("Why the warning can be closed (interview held, rectified, …)"),
                         render_kw={"rows": 3, "maxlength": 500})
    submit = SubmitField(_l("Close the warning"))
