"""The notification settings form; the address and number are checked by `update_contact`, whose
Chinese field messages land next to these fields."""
from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from workflows.core.errors import CaseError
from workflows.notifications.preferences import GROUPS, Contact


class SettingsForm(FlaskForm):
    email = StringField(_l("E-mail address"), validators=[Length(max=254, message=_l("At most 254 characters."))],
                        render_kw={"autocomplete": "email", "inputmode": "email"})
    mobile = StringField(_l("Mobile number for SMS (optional)"), validators=[
        Length(max=20, message=_l("At most 20 characters."))], render_kw={"autocomplete": "tel", "inputmode": "tel"})
    email_groups = SelectMultipleField(_l("Send me an e-mail for"), coerce=str,
                                       widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    submit = SubmitField(_l("Save"))

    def __init__(self, groups: tuple[str, ...], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email_groups.choices = [(g, GROUPS[g]) for g in groups]

    def fill(self, contact: Contact) -> None:
        self.email.data, self.mobile.data = contact.email, contact.mobile
        self.email_groups.data = [g for g, _label in self.email_groups.choices if g in contact.email_groups]

    def chosen(self) -> list[str]:
        return list(self.email_groups.data or [])

    def show(self, err: CaseError) -> None:
        """A domain error's field messages under the matching inputs, the rest on top."""
        placed = False
        for name, message in err.fields.items():
            field = getattr(self, name, None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, message]
                placed = True
        if not placed:
            flash(err.message, "danger")
