"""Demo contexts: realistic, complete examples for previews, documentation and tests."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from . import catalog, config


def demo_context(letter_type: str) -> dict[str, Any]:
    """A full context for ``letter_type``: meta.json's demo plus the configured issuer,
    a formatted number and a verification URL."""
    kind = catalog.get(letter_type)
    context = copy.deepcopy(dict(kind.demo))
    context["issuer"] = {**config.issuer_for(letter_type), **context.get("issuer", {})}
    if "number" not in context:
        year = dt.date.fromisoformat(context["date"]).year
        context["number"] = config.format_number(
            context["issuer"]["number_prefix"], year, kind.demo_serial)
    context.setdefault("verify_url", config.verify_url(context["verification_code"]))
    return context
