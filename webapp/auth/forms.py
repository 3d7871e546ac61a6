"""Login form; field messages are English msgids, shown in Chinese through Babel."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[
        InputRequired(message=_l("Please enter your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(message=_l("Please enter your password.")), Length(max=256)])
    submit = SubmitField(_l("Log in"))


class PasswordChangeForm(FlaskForm):
    """The user's own new password; the policy itself is checked by the operation."""

    current = PasswordField(_l("Current password"), validators=[
        InputRequired(message=_l("Please enter your current password.")), Length(max=256)])
    password = PasswordField(_l("New password"), validators=[
        InputRequired(message=_l("Please enter a new password.")), Length(max=256)])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        InputRequired(message=_l("Please repeat the new password.")),
        EqualTo("password", message=_l("The two passwords do not match."))])
    submit = SubmitField(_l("Change password"))
