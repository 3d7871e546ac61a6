"""Decision forms of desk tasks, parsed into the task data each flow expects (API.md keys)."""
from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

CORRECTION_PREFIX, ORIGINAL_PREFIX = "corr_", "orig_"


def decision_data(form: MultiDict) -> dict[str, Any]:
    """Only the keys of the task vocabulary; the engine's form validators check the values."""
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


def _corrections(form: MultiDict) -> dict[str, str]:
    """The fields whose corrected value differs from the value shown beside it."""
    changed = {}
    for key, value in form.items():
        if key.startswith(CORRECTION_PREFIX):
            field = key[len(CORRECTION_PREFIX):]
            if value.strip() != form.get(ORIGINAL_PREFIX + field, "").strip():
                changed[field] = value.strip()
    return changed
