"""Display names of the commitment vocabulary; English msgids shown in Chinese.

The six type names (审批替代型 …) are the national standard's own words, like document
numbers, and come from `workflows.commitment_templates.TYPES` unchanged.
"""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from workflows.kinds.commitment.templates import TYPES

STATUSES = {
    "filed": _l("Filed"), "confirmed": _l("Confirmed by the applicant"), "accepted": _l("Accepted, in force"),
    "rejected": _l("Not accepted"), "fulfilled": _l("Kept"), "breached": _l("Broken"),
    "withdrawn": _l("Withdrawn"), "breach_pending": _l("Breach proposed"), "cleared": _l("Breach not found"),
}
STATUS_STYLES = {"filed": "light", "confirmed": "info", "accepted": "primary", "rejected": "dark",
                 "fulfilled": "success", "breached": "danger", "withdrawn": "secondary",
                 "breach_pending": "warning", "cleared": "success"}
FULFILMENTS = {"full": _l("Fully kept"), "partial": _l("Partly kept"), "none": _l("Not kept at all"),
               "false": _l("False commitment")}
DISCLOSURES = {"public": _l("Open to the public"), "restricted": _l("Within a defined scope"),
               "private": _l("Not public")}


def case_url(case_id: int | None) -> str | None:
    """The desk's case page; a literal path when the desk is not part of this build."""
    if case_id is None:
        return None
    if "desk.case_page" in current_app.view_functions:
        return url_for("desk.case_page", case_id=case_id)
    return f"/desk/cases/{case_id}"


def as_context() -> dict[str, object]:
    return {"type_labels": TYPES, "status_labels": STATUSES, "status_styles": STATUS_STYLES,
            "fulfilment_labels": FULFILMENTS, "disclosure_labels": DISCLOSURES, "case_url": case_url}
