"""The report form carries only the CSRF token: the period and filters ride in its action URL."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class ReportForm(FlaskForm):
    submit = SubmitField(_l("Generate the report"))
