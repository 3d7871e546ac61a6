"""Display names of the statistics pages; English msgids shown in Chinese."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

SECTIONS = {"repair": _l("Credit repair"), "objection": _l("Objections"), "commitment": _l("Credit commitments"),
            "interview": _l("Interviews and warnings"), "now": _l("Open tasks now")}
KINDS = {"repair": _l("Credit repair"), "objection": _l("Objections"), "commitment": _l("Credit commitments"),
         "interview": _l("Interviews")}
REGIMES = {"527": _l("NDRC notice 527 (2019)"), "order58": _l("NDRC order 58 (2023)"),
           "gb22": _l("State Council notice 22 (2025)"), "order36": _l("NDRC order 36 (2025)")}


def as_context() -> dict[str, object]:
    return {"section_labels": SECTIONS, "kind_labels": KINDS, "regime_labels": REGIMES}
