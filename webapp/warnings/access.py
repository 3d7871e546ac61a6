"""Who may see, scan and close warnings; shared by the pages and the API twins."""
from __future__ import annotations

from flask_babel import gettext as _

from workflows.people.access import Actor
from workflows.core.errors import Forbidden

VIEWERS = ("admin", "reviewer", "supervisor", "auditor", "department")  # departments: own inbox only
CLOSERS = ("admin", "department")  # 谁认定、谁约谈: the department closes after its interview
SCANNERS = ("admin",)


def closing_scope(actor: Actor) -> str | None:
    """The credit office closes any warning; a department officer only those in its inbox."""
    if actor.has("admin"):
        return None
    if not actor.department_code:
        raise Forbidden(_("Your account has no department."))
    return actor.department_code
