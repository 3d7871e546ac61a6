"""Display names of the records vocabulary; English msgids shown in Chinese."""
from __future__ import annotations

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
            "action_labels": ACTIONS, "regime_labels": REGIMES}
