"""The create-record form. Field rules live in the records service (one checker for the
API, this form and the import); the form only carries the values and shows the messages."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, Form, FormField, SelectChoice, SelectField, StringField, SubmitField,
                     TextAreaField)

from workflows.records import PUBLIC_KINDS, SEVERITIES

from .labels import KINDS, MISCONDUCTS, SECTORS
from .labels import SEVERITIES as SEVERITY_LABELS

MEASURE_ROWS = 5


class MeasureForm(Form):
    """One row of the measures table (no CSRF token of its own)."""

    name = StringField(_l("Measure"))
    basis = StringField(_l("Basis of the measure"))
    implementing_department = StringField(_l("Implementing department"))

    @property
    def filled(self) -> bool:
        return any((field.data or "").strip() for field in (self.name, self.basis, self.implementing_department))


class RecordForm(FlaskForm):
    subject_code = StringField(_l("Subject code (USCC or ID number)"))
    subject_name = StringField(_l("Subject name"))
    kind = SelectField(_l("Kind"), validate_choice=False,
                       choices=[SelectChoice(k, KINDS[k]) for k in PUBLIC_KINDS])
    severity = SelectField(_l("Severity"), validate_choice=False, default="general",
                           choices=[SelectChoice(k, SEVERITY_LABELS[k]) for k in SEVERITIES])
    decision_no = StringField(_l("Decision number"))
    decision_date = StringField(_l("Decision date"), render_kw={"type": "date"})
    department_code = SelectField(_l("Department"), validate_choice=False,
                                  render_kw={"data-fills": "department_name"})  # choices: the registry
    department_name = StringField(_l("Department name"))
    category = StringField(_l("Penalty category"))
    sector = SelectField(_l("Sector"), validate_choice=False,
                         choices=[SelectChoice("", _l("(none)"))] + [SelectChoice(k, v) for k, v in SECTORS.items()])
    misconduct_category = SelectField(_l("Category of misconduct"), validate_choice=False,
                                      choices=[SelectChoice("", _l("(none)"))]
                                      + [SelectChoice(k, v) for k, v in MISCONDUCTS.items()])
    fine_amount = StringField(_l("Fine (yuan)"))
    non_repairable = BooleanField(_l("Cannot be repaired"))
    facts = TextAreaField(_l("Facts"), render_kw={"rows": 3})
    basis = TextAreaField(_l("Legal basis"), render_kw={"rows": 2})
    content = TextAreaField(_l("Decision content"), render_kw={"rows": 2})
    submit = SubmitField(_l("Create record"))

    measure_errors: list[str] = []
    SIMPLE = ("subject_code", "subject_name", "kind", "severity", "decision_no", "decision_date",
              "department_code", "department_name", "category", "sector", "misconduct_category", "fine_amount", "facts",
              "basis", "content")

    @property
    def measure_rows(self) -> list[FormField]:
        return [self[f"measure_{i}"] for i in range(MEASURE_ROWS)]

    def record_data(self) -> tuple[dict[str, Any], list[int]]:
        """The service's input, and which form row each submitted measure came from."""
        data: dict[str, Any] = {name: (self[name].data or "").strip() for name in self.SIMPLE}
        data["non_repairable"] = bool(self.non_repairable.data)
        rows = [i for i, row in enumerate(self.measure_rows) if row.form.filled]
        data["measures"] = [{k: (v or "").strip() for k, v in self.measure_rows[i].form.data.items()}
                            for i in rows]
        return data, rows

    def show_errors(self, fields: dict[str, str], rows: list[int]) -> None:
        """Put the service's messages next to the fields they are about."""
        self.measure_errors = []
        for key, message in fields.items():
            field = self._field_for(key, rows)
            if field is None:
                self.measure_errors.append(message)
            else:
                field.errors = [*field.errors, message]  # a tuple until the field was validated

    def _field_for(self, key: str, rows: list[int]):
        """The field a service message is about; None: the measures table as a whole."""
        if key.startswith("measures[") and "]." in key:
            index, _sep, name = key[len("measures["):].partition("].")
            row = self.measure_rows[rows[int(index)]]
            return row.form[name] if name in row.form else None
        if key in self.SIMPLE or key == "non_repairable":
            return self[key]
        return None if key.startswith("measures") else self.subject_code


# Fixed rows (not a FieldList, which renumbers sparse rows and can repeat one).
for _index in range(MEASURE_ROWS):
    setattr(RecordForm, f"measure_{_index}", FormField(MeasureForm))
