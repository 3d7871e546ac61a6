"""Portal forms. Labels and messages are English msgids shown in Chinese through Babel.

The forms check only what a browser form can get wrong (required, length, same password
twice); the rules of a repair request stay in `workflows.repair.file_repair` (of an objection
in `workflows.objection.file_objection`), whose Chinese field messages the views put next
to these fields.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from workflows.core.errors import InvalidInput
from workflows.core.identifiers import validate_subject_code
from workflows.kinds.common.attachments import PURPOSES

USERNAME = r"^[A-Za-z0-9_.@-]+$"
PHONE = r"^(1\d{10}|0\d{2,3}-?\d{7,8})$"
MAX_TEXT = 4000
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MATERIAL_PURPOSES = ("proof", "rectification", "training_certificate", "credit_report", "other")  # an applicant's own


def _valid_subject_code(form: FlaskForm, field: StringField) -> None:
    """GB 32100 / GB 11643 check with the identifier module's precise Chinese message."""
    if not field.data:
        return
    try:
        validate_subject_code(field.data)
    except InvalidInput as err:
        raise ValidationError(err.message) from None


class RegisterForm(FlaskForm):
    username = StringField(_l("Username"), validators=[
        InputRequired(message=_l("Please choose a username.")),
        Length(min=3, max=64, message=_l("The username must be 3 to 64 characters.")),
        Regexp(USERNAME, message=_l("Use only letters, digits and _ . - @ in the username."))])
    password = PasswordField(_l("Password"), validators=[
        InputRequired(message=_l("Please enter a password.")),
        Length(min=10, max=256, message=_l("The password must be at least 10 characters."))])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        InputRequired(message=_l("Please repeat the password.")),
        EqualTo("password", message=_l("The two passwords do not match."))])
    display_name = StringField(_l("Your full name"), validators=[
        InputRequired(message=_l("Please enter your full name.")),
        Length(max=100, message=_l("The name must be at most 100 characters."))])
    phone = StringField(_l("Contact phone (optional)"), validators=[
        Optional(), Regexp(PHONE, message=_l("Enter an 11-digit mobile number or a landline such as 0595-22345678."))])
    email = StringField(_l("E-mail address (optional)"), validators=[
        Length(max=254, message=_l("At most 254 characters."))], render_kw={"inputmode": "email"})
    submit = SubmitField(_l("Register"))


class RepairForm(FlaskForm):
    record_ids = SelectMultipleField(_l("Records to repair"), coerce=str, validate_choice=False)
    reason = TextAreaField(_l("Reason for the request"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    rectification = TextAreaField(_l("How the act was corrected"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    training_certificate_no = StringField(_l("Repair training certificate number (if any)"), validators=[
        Length(max=100, message=_l("At most 100 characters."))])
    commitment_accepted = BooleanField(_l("I have read and accept the credit commitment above."))
    commitment_digest = HiddenField()
    proof_files = MultipleFileField(_l("Proof of performance (fine receipt, rectification report)"),
                                    render_kw={"accept": ACCEPT})
    training_files = MultipleFileField(_l("Training certificate file"), render_kw={"accept": ACCEPT})
    report_files = MultipleFileField(_l("Credit report"), render_kw={"accept": ACCEPT})
    submit = SubmitField(_l("Submit the repair request"))


class MaterialForm(FlaskForm):
    """More material for an open case, between filing and decision (and during 补正)."""

    purpose = SelectField(_l("Kind of material"), choices=[SelectChoice(key, PURPOSES[key]) for key in MATERIAL_PURPOSES],
                          default="proof")
    files = MultipleFileField(_l("Files"), render_kw={"accept": ACCEPT})
    submit = SubmitField(_l("Add the material"))


class SupplementForm(FlaskForm):
    rectification = TextAreaField(_l("What you supplement or corrected"), validators=[
        InputRequired(message=_l("Please describe what you supplement.")),
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    note = TextAreaField(_l("Note (optional)"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    files = MultipleFileField(_l("Supplementary files"), render_kw={"accept": ACCEPT})
    report_files = MultipleFileField(_l("Credit report"), render_kw={"accept": ACCEPT})  # 527 serious (DOMAIN.md §B)
    task_id = HiddenField()
    version = HiddenField()
    submit = SubmitField(_l("Submit the supplement"))


class ObjectionForm(FlaskForm):
    """Which records, what is objected to, and why; the choices are checked by `file_objection`."""

    record_ids = SelectMultipleField(_l("Records objected to"), coerce=str, validate_choice=False)
    target = RadioField(_l("What do you object to?"), validate_choice=False, choices=[
        SelectChoice("content", _l("Information content")),
        SelectChoice("period", _l("Publicity period of the record")),
        SelectChoice("repair_result", _l("Credit repair result"))])
    claim = TextAreaField(_l("Your objection and the reasons"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    evidence = TextAreaField(_l("Description of the evidence (optional)"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    evidence_files = MultipleFileField(_l("Evidence files"), render_kw={"accept": ACCEPT})
    submit = SubmitField(_l("Submit the objection"))


class CommitmentForm(FlaskForm):
    """The national data items of a commitment (DOMAIN.md §A); `file_commitment` checks them.

    The type is chosen before the form is shown (its standard text depends on it), so it
    travels as a hidden field; the department choices are filled from the Department table.
    """

    commitment_type = HiddenField()
    matter = StringField(_l("Matter of the commitment"), validators=[
        Length(max=500, message=_l("At most 500 characters."))])
    content = TextAreaField(_l("Content of the commitment"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    liability = TextAreaField(_l("Liability if the commitment is broken"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    deficiency_materials = TextAreaField(_l("Materials still missing, to be supplied later"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    valid_until = StringField(_l("Valid until (optional)"), render_kw={"type": "date"})
    verify_on = StringField(_l("Verification date (optional)"), render_kw={"type": "date"})
    disclosure = RadioField(_l("Disclosure"), validate_choice=False, default="public", choices=[
        SelectChoice("public", _l("May be disclosed to the public")),
        SelectChoice("restricted", _l("Disclosed within a specified scope")),
        SelectChoice("private", _l("Not to be disclosed"))])
    department_code = SelectField(_l("Accepting department"), validate_choice=False)
    submit = SubmitField(_l("Make the commitment"))


class ConfirmForm(FlaskForm):
    """The signature step: `confirm_form` in `workflows.commitment` has the last word."""

    confirmed = BooleanField(_l("I have read and confirm the commitment above."))
    signer = StringField(_l("Name of the signer"), validators=[
        Length(max=100, message=_l("At most 100 characters."))])
    task_id = HiddenField()
    version = HiddenField()
    submit = SubmitField(_l("Confirm and sign"))


class SupplyForm(FlaskForm):
    supplied = TextAreaField(_l("What you have supplied"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    task_id = HiddenField()
    version = HiddenField()
    submit = SubmitField(_l("Submit the supplied materials"))


class StatementForm(FlaskForm):
    """陈述申辩 against a proposed breach finding: `statement_form` in the commitment kind's tasks
    has the last word (text required unless the right is waived)."""

    statement = TextAreaField(_l("Your statement and defence"), validators=[
        Length(max=MAX_TEXT, message=_l("At most 4000 characters."))])
    waived = BooleanField(_l("I waive the right to state and defend"))
    files = MultipleFileField(_l("Evidence (optional)"), render_kw={"accept": ACCEPT})
    task_id = HiddenField()
    version = HiddenField()
    submit = SubmitField(_l("Submit the statement"))


class BindingForm(FlaskForm):
    """申请绑定主体: `file_binding` checks the code, the name, the relation, the documents and the
    authorisation's end date; the form only what a browser can get wrong."""

    subject_code = StringField(_l("Unified social credit code or ID number"), validators=[
        InputRequired(message=_l("Please enter the unified social credit code or ID number.")),
        Length(max=64, message=_l("At most 64 characters.")), _valid_subject_code])
    subject_name = StringField(_l("Name of the company or person"), validators=[
        InputRequired(message=_l("Please enter the name of the company or person.")),
        Length(max=200, message=_l("The name must be at most 200 characters."))])
    relation = RadioField(_l("Your relation to the subject"), validate_choice=False, choices=[
        SelectChoice("holder", _l("Legal representative, or the person themself")),
        SelectChoice("agent", _l("Authorised agent"))])
    valid_until = StringField(_l("Authorisation valid until (agents)"), render_kw={"type": "date"},
                              validators=[Length(max=10, message=_l("At most 10 characters."))])
    licence_files = MultipleFileField(_l("Business licence (for a person: the ID card)"), render_kw={"accept": ACCEPT})
    authorisation_files = MultipleFileField(_l("Signed letter of authorisation (agents)"), render_kw={"accept": ACCEPT})
    agent_id_files = MultipleFileField(_l("Agent's ID document (agents)"), render_kw={"accept": ACCEPT})
    submit = SubmitField(_l("Submit the binding request"))


class BindingSupplementForm(FlaskForm):
    note = TextAreaField(_l("What you have supplemented"), validators=[
        Length(max=1000, message=_l("At most 1000 characters."))])
    licence_files = MultipleFileField(_l("Business licence (for a person: the ID card)"), render_kw={"accept": ACCEPT})
    authorisation_files = MultipleFileField(_l("Signed letter of authorisation (agents)"), render_kw={"accept": ACCEPT})
    agent_id_files = MultipleFileField(_l("Agent's ID document (agents)"), render_kw={"accept": ACCEPT})
    task_id = HiddenField()
    version = HiddenField()
    submit = SubmitField(_l("Submit the supplement"))


class RevokeForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), validators=[
        Length(max=200, message=_l("At most 200 characters."))])
    submit = SubmitField(_l("Revoke the binding"))
