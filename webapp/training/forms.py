"""Forms of the training pages. Field rules live in `workflows.training`; the forms carry the
values (and the CSRF token) and show the messages."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField, StringField, SubmitField

from .labels import MODES


class SessionForm(FlaskForm):
    course = StringField(_l("Course"))
    starts_at = StringField(_l("Starts at"), render_kw={"type": "datetime-local"})
    provider = StringField(_l("Organised by (may be a third party)"))
    mode = SelectField(_l("Mode"), choices=[SelectChoice(k, v) for k, v in MODES.items()], validate_choice=False,
                       default="offline")
    place = StringField(_l("Place (required for offline training)"))
    capacity = StringField(_l("Places"), render_kw={"type": "number", "min": 1})
    submit = SubmitField(_l("Create session"))

    def session_data(self) -> dict[str, Any]:
        return {name: getattr(self, name).data for name in ("course", "starts_at", "provider", "mode", "place",
                                                             "capacity")}

    def show_errors(self, fields: dict[str, str]) -> None:
        for name, message in fields.items():
            if hasattr(self, name):
                getattr(self, name).errors = [message]


class EnrollForm(FlaskForm):
    subject_code = StringField(_l("Subject code (USCC or ID number)"))
    attendee = StringField(_l("Attendee"))
    submit = SubmitField(_l("Enroll"))


class AttendanceImportForm(FlaskForm):
    file = FileField(_l("Attendance CSV exported by the online platform"),
                     validators=[FileRequired(message=_l("Please choose a CSV file."))])
    submit = SubmitField(_l("Import attendance"))
