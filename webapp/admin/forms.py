"""Forms of the calendar admin page; messages are English msgids shown in Chinese."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectChoice, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from workflows.core.calendar import NOTE_MAX

KINDS = (SelectChoice("working", _l("Make-up working day")), SelectChoice("rest", _l("Rest day")))
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ChineseDateField(DateField):
    """A date field whose parse error is translated (WTForms' own catalog may be absent)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Not a valid date; use the form 2026-10-08.")) from None


class YearField(IntegerField):
    """A year; a parse error is translated like a missing year."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Please enter a year.")) from None


def _plausible_year(form: FlaskForm, field: DateField) -> None:
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("The year must be between %(first)d and %(last)d.",
                                 first=FIRST_YEAR, last=LAST_YEAR))


class OverrideForm(FlaskForm):
    day = ChineseDateField(_l("Date"), validators=[
        InputRequired(message=_l("Please enter a date.")), _plausible_year])
    kind = RadioField(_l("Kind"), choices=KINDS, validate_choice=False, validators=[
        InputRequired(message=_l("Please choose the kind of day."))])
    note = StringField(_l("Note"), validators=[Length(
        max=NOTE_MAX, message=_l("The note must be at most %(max)d characters."))])
    submit = SubmitField(_l("Save"))

    def validate_kind(self, field: RadioField) -> None:
        if field.data not in {kind.value for kind in KINDS}:
            raise ValidationError(_l("Please choose the kind of day."))

    @property
    def working(self) -> bool:
        return self.kind.data == "working"


class ConfirmYearForm(FlaskForm):
    """The admin says a year's State Council notice is entered: its deadlines stop being provisional."""

    year = YearField(_l("Year"), validators=[
        InputRequired(message=_l("Please enter a year.")),
        NumberRange(min=FIRST_YEAR, max=LAST_YEAR, message=_l("The year must be between %(min)s and %(max)s."))])
    note = StringField(_l("Note"), validators=[Length(
        max=NOTE_MAX, message=_l("The note must be at most %(max)d characters."))])
    submit = SubmitField(_l("Confirm the year"))


class CheckDayForm(FlaskForm):
    """Read-only lookup by GET, so no CSRF token."""

    class Meta:
        csrf = False

    check = ChineseDateField(_l("Date to check"), validators=[
        InputRequired(message=_l("Please enter a date.")), _plausible_year])
    submit = SubmitField(_l("Check"), id="check-submit")
