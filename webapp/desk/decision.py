"""The decision form of a review task, parsed into the task data the flow expects (API.md)."""
from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict


def decision_data(form: MultiDict) -> dict[str, Any]:
    """Only the keys of the task vocabulary; the engine's form validator checks the values."""
    data: dict[str, Any] = {"decision": form.get("decision", ""), "reason": form.get("reason", "").strip()}
    items = [line.strip() for line in form.get("supplement_items", "").splitlines() if line.strip()]
    if items:
        data["supplement_items"] = items
    return data
