"""The form of the system clients page; names, scopes and departments are checked by the
operation (`workflows.administration.clients`), whose Chinese messages land under the fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from workflows.administration.clients import DESCRIPTION_MAX, NAME_MAX

SCOPE_LABELS = {
    "check": _l("Check subjects (逢办必查, GET /api/v1/check)"),
    "outbox": _l("Read the outbox (GET /api/v1/outbox)"),
    "records_write": _l("Write credit records of one department (POST /api/v1/records)"),
}


class ClientForm(FlaskForm):
    name = StringField(_l("Client name"), validators=[
        Length(max=NAME_MAX, message=_l("The name must be at most %(max)d characters."))])
    description = TextAreaField(_l("Description"), validators=[
        Length(max=DESCRIPTION_MAX, message=_l("The description must be at most %(max)d characters."))])
    # Unknown values reach the operation, which refuses them in Chinese.
    scopes = SelectMultipleField(_l("Scopes"), choices=[SelectChoice(k, v) for k, v in SCOPE_LABELS.items()],
                                 validate_choice=False,
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    department_code = SelectField(_l("Department (records write only)"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Create client"))
