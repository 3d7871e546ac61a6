"""Forms of the department and user admin pages; messages are English msgids shown in Chinese.

They check only what a form can get wrong; codes, names, roles and passwords are checked by
the operations (`workflows.administration`), whose Chinese messages land under the fields.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, SelectChoice, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from workflows.administration.departments import MASTHEAD_MAX
from workflows.people.access import ROLES

from ..choices import department_choices


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in ROLES.items()]


class DepartmentForm(FlaskForm):
    code = StringField(_l("Department code"), validators=[InputRequired(message=_l("Please enter a code.")),
                                                          Length(max=32)])
    name = StringField(_l("Name"), validators=[InputRequired(message=_l("Please enter a name.")),
                                               Length(max=200)])
    submit = SubmitField(_l("Register department"))


class RenameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(message=_l("Please enter a name.")),
                                               Length(max=200)])
    submit = SubmitField(_l("Rename"))


class IssuerForm(FlaskForm):
    issuer_name = StringField(_l("Issuing organ"), validators=[Length(max=200)])
    # checked by the operation, whose Chinese message lands under the field
    masthead_name = StringField(_l("Masthead name (the organ's standard short name; empty: the full name)"),
                                render_kw={"maxlength": MASTHEAD_MAX})
    address = StringField(_l("Address"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    prefixes = TextAreaField(_l("Letter number prefixes (one per line: letter type=prefix, or default=prefix)"),
                             validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save issuer details"))

    def prefix_map(self) -> dict[str, str]:
        lines = (line.partition("=") for line in (self.prefixes.data or "").splitlines() if "=" in line)
        return {key.strip(): value.strip() for key, _sep, value in lines if key.strip()}


class SealForm(FlaskForm):
    seal = FileField(_l("Seal image (PNG, at most 512 KB)"), validators=[
        FileRequired(message=_l("Please choose a PNG file."))])
    submit = SubmitField(_l("Upload seal"))


class CertificateForm(FlaskForm):
    """An organ's signing key: upload a PKCS#12 file with its passphrase, or name a file on the server."""

    key = FileField(_l("PKCS#12 key file (.p12/.pfx)"))
    passphrase = PasswordField(_l("Its passphrase (kept outside the database, owner-only)"),
                               validators=[Length(max=200)])
    path = StringField(_l("Or the path of a key file on the server"), validators=[Length(max=500)])
    submit = SubmitField(_l("Save certificate"))
    remove = SubmitField(_l("Sign no more"))


class ProfileForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[Length(max=100)])
    roles = SelectMultipleField(_l("Roles"), choices=role_choices(), validators=[
        InputRequired(message=_l("Please choose at least one role."))])
    subject_code = StringField(_l("Subject code (applicants)"), validators=[Length(max=18)])
    email = StringField(_l("E-mail address (optional)"), validators=[Length(max=254, message=_l("At most 254 characters."))],
                        render_kw={"autocomplete": "email", "inputmode": "email"})
    department_code = SelectField(_l("Department (department officers)"), validate_choice=False)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.department_code.choices = department_choices(blank=str(_l("None")))


class NewUserForm(ProfileForm):
    username = StringField(_l("Username"), validators=[
        InputRequired(message=_l("Please choose a username.")), Length(max=64)])
    password = PasswordField(_l("Initial password"), validators=[
        InputRequired(message=_l("Please enter a password.")), Length(max=256)])
    submit = SubmitField(_l("Create user"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("Temporary password"), validators=[
        InputRequired(message=_l("Please enter a password.")), Length(max=256)])
    submit = SubmitField(_l("Reset password"))
