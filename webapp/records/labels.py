"""Display names of the records vocabulary; English msgids shown in Chinese."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

KINDS = {
    "penalty": _l("Administrative penalty"), "serious_list": _l("Serious dishonesty list"),
    "key_attention": _l("Key attention list"), "breach": _l("Commitment breach"),
    "interview_record": _l("Interview record"), "commitment": _l("Credit commitment"),
}
SEVERITIES = {"minor": _l("Minor"), "general": _l("General"), "serious": _l("Serious")}
SECTORS = {
    "special_equipment": _l("Special equipment"), "work_safety": _l("Work safety"),
    "fire": _l("Fire safety"), "food": _l("Food"), "drugs": _l("Drugs"), "environment": _l("Environment"),
}
MISCONDUCTS = {"licence_revoked": _l("Licence revoked"), "telecom_fraud": _l("Telecom fraud"),
               "illegal_fundraising": _l("Illegal fund-raising")}
STATUSES = {
    "public": _l("Public"), "suspended": _l("Publicity suspended"), "stopped": _l("Publicity stopped"),
    "revoked": _l("Revoked"), "expired": _l("Publicity period over"), "not_published": _l("Not published"),
}
STATUS_STYLES = {"public": "primary", "suspended": "warning", "stopped": "success", "revoked": "dark",
                 "expired": "secondary", "not_published": "light"}
MEASURE_STATES = {"active": _l("In force"), "suspended": _l("Suspended"), "terminated": _l("Lifted")}
ACTIONS = {
    "created": _l("Created"), "imported": _l("Imported"), "amended": _l("Corrected"),
    "suspended": _l("Suspended"), "resumed": _l("Resumed"), "publicity_stopped": _l("Publicity stopped"),
    "measures_terminated": _l("Measures lifted"), "revoked": _l("Revoked"),
    "expired": _l("Publicity period over"),
}
# Document numbers are names, not UI text: shown as they are.
REGIMES = {"527": "发改办财金〔2019〕527号", "order58": "国家发展改革委令2023年第58号",
           "gb22": "国办发〔2025〕22号", "order36": "国家发展改革委令2025年第36号"}


def as_context() -> dict[str, object]:
    return {"kind_labels": KINDS, "severity_labels": SEVERITIES, "sector_labels": SECTORS, "misconduct_labels": MISCONDUCTS,
            "status_labels": STATUSES, "status_styles": STATUS_STYLES, "measure_labels": MEASURE_STATES,
            "action_labels": ACTIONS, "regime_labels": REGIMES, "readable_change": readable_change}


# History rows store the changed values by key; a person reads them as 字段：值 lines.
FIELDS = {
    "subject_name": _l("Subject name"), "kind": _l("Kind"), "severity": _l("Severity"),
    "category": _l("Penalty category"), "sector": _l("Sector"), "misconduct_category": _l("Category of misconduct"),
    "non_repairable": _l("Cannot be repaired"), "category_non_repairable": _l("Cannot be repaired"),
    "decision_no": _l("Decision number"), "decision_date": _l("Decision date"),
    "department_code": _l("Department code"), "department_name": _l("Department"), "facts": _l("Facts"),
    "basis": _l("Legal basis"), "content": _l("Decision content"), "fine_amount": _l("Fine (yuan)"),
    "regime": _l("Regime"), "publicity_status": _l("Publicity status"), "publicity_start": _l("Shown from"),
    "publicity_min_end": _l("Repair possible from"), "publicity_max_end": _l("Shown until (display stops on)"),
    "source": _l("Source of the record"), "measures": _l("Punishment measures"), "reason": _l("Reason for the change"),
}
VALUE_LABELS = {"kind": KINDS, "severity": SEVERITIES, "sector": SECTORS, "misconduct_category": MISCONDUCTS,
                "publicity_status": STATUSES, "regime": REGIMES}


def readable_change(values: dict[str, Any] | None, measure_names: dict[int, str]) -> list[tuple[str, str]]:
    """A history row's before or after as (field, value) in words: no keys, no JSON."""
    return [(str(FIELDS.get(key, key)), _readable_value(key, value, measure_names))
            for key, value in (values or {}).items() if value not in (None, "", [], {})]


def _readable_value(key: str, value: Any, measure_names: dict[int, str]) -> str:
    if key == "measures":
        return "；".join(_measure_states(value, measure_names))
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    return str(VALUE_LABELS.get(key, {}).get(value, value)) if isinstance(value, str) else str(value)


def _measure_states(value: Any, measure_names: dict[int, str]) -> list[str]:
    """Measures as stored: {"<id>": "state"} in changes, [{"id", "name", "state"}] in snapshots."""
    if isinstance(value, dict):
        pairs = [(measure_names.get(int(i), f"#{i}") if str(i).isdigit() else str(i), state) for i, state in value.items()]
    else:
        pairs = [(m.get("name") or measure_names.get(m.get("id"), ""), m.get("state")) for m in value if isinstance(m, dict)]
    return [f"{name}：{MEASURE_STATES.get(state, state)}" for name, state in pairs]
