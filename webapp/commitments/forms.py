"""Forms of the import and standard-text pages. Field rules live in `workflows`; the forms
carry the values (and the CSRF token) and show the messages."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length

from ..choices import department_choices


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (UTF-8 or GB18030)"),
                     validators=[FileRequired(message=_l("Please choose a CSV file."))])
    department = SelectField(_l("Accepting department"), validate_choice=False)
    skip_invalid = BooleanField(_l("Store the good rows even if some rows are bad"))
    submit = SubmitField(_l("Import"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.department.choices = department_choices(blank=str(_l("As each row of the file says")))


class TemplateForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=200)])
    text = TextAreaField(_l("Standard text"), render_kw={"rows": 12})
    submit = SubmitField(_l("Save as a new version"))
