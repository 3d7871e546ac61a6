"""Decision forms of desk tasks, parsed into the task data each flow expects (API.md keys)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

CORRECTION_PREFIX, ORIGINAL_PREFIX = "corr_", "orig_"


@dataclass(frozen=True)
class RefusedForm:
    """A decision the operation refused: shown again as typed, each error beside its field."""

    task_id: str
    values: MultiDict
    message: str
    errors: dict[str, str] = field(default_factory=dict)


def decision_data(form: MultiDict) -> dict[str, Any]:
    """Only the keys of the task vocabulary; the engine's form validators check the values."""
    if "attended" in form:
        return _conduct(form)
    if "listing" in form:
        return {"listing": form.get("listing", ""), "listing_reason": form.get("listing_reason", "").strip()}
    if "rectified" in form:
        return {"rectified": form.get("rectified") == "yes", "note": form.get("note", "").strip()}
    if "fulfilment" in form:
        return {"fulfilment": form.get("fulfilment", ""), "unfulfilled": form.get("unfulfilled", "").strip(),
                "liability_action": form.get("liability_action", "").strip()}
    data: dict[str, Any] = {"reason": form.get("reason", "").strip()}
    if "outcome" in form:
        data["outcome"] = form.get("outcome", "")
        data["corrections"] = _corrections(form) if data["outcome"] == "correct" else {}
        return data
    data["decision"] = form.get("decision", "")
    items = [line.strip() for line in form.get("supplement_items", "").splitlines() if line.strip()]
    if items:
        data["supplement_items"] = items
    return data


def _conduct(form: MultiDict) -> dict[str, Any]:
    if form.get("attended") != "yes":
        justified = {"yes": True, "no": False}.get(form.get("absence_justified", ""))
        return {"attended": False, "absence_justified": justified, "absence_note": form.get("absence_note", "").strip()}
    days = form.get("rectification_due_days", "").strip()
    return {"attended": True, "topics_covered": form.getlist("topics_covered"),
            "rectification_plan": form.get("rectification_plan", "").strip(),
            "rectification_due_days": int(days) if days.isascii() and days.isdigit() and len(days) < 7 else days,
            "attendees": form.get("attendees", "").strip(), "statement": form.get("statement", "").strip()}


def _corrections(form: MultiDict) -> dict[str, str]:
    """The fields whose corrected value differs from the value shown beside it."""
    changed = {}
    for key, value in form.items():
        if key.startswith(CORRECTION_PREFIX):
            field = key[len(CORRECTION_PREFIX):]
            if value.strip() != form.get(ORIGINAL_PREFIX + field, "").strip():
                changed[field] = value.strip()
    return changed
