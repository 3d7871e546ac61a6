"""Display names of the training vocabulary; English msgids shown in Chinese."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

MODES = {"offline": _l("Offline"), "online": _l("Online")}
SESSION_STATUSES = {"open": _l("Open for enrollment"), "closed": _l("Enrollment closed"),
                    "cancelled": _l("Cancelled")}
STATUSES = {"enrolled": _l("Enrolled"), "attended": _l("Attended training"), "absent": _l("Absent"),
            "cancelled": _l("Cancelled")}
STATUS_STYLES = {"enrolled": "primary", "attended": "success", "absent": "warning", "cancelled": "secondary"}


def as_context() -> dict[str, object]:
    return {"mode_labels": MODES, "session_status_labels": SESSION_STATUSES, "status_labels": STATUSES,
            "status_styles": STATUS_STYLES}
