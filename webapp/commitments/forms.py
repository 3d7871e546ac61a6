"""Forms of the import and standard-text pages. Field rules live in `workflows`; the forms
carry the values (and the CSRF token) and show the messages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (UTF-8 or GB18030)"),
                     validators=[FileRequired(message=_l("Please choose a CSV file."))])
    department = StringField(_l("Accepting department code (leave empty to take it from the file)"),
                             validators=[Length(max=32)])
    skip_invalid = BooleanField(_l("Store the good rows even if some rows are bad"))
    submit = SubmitField(_l("Import"))


class TemplateForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Length(max=200)])
    text = TextAreaField(_l("Standard text"), render_kw={"rows": 12})
    submit = SubmitField(_l("Save as a new version"))
