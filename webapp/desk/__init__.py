"""The reviewer desk: inbox sorted by due time with filters, claim/unclaim/reassign, the case
page with the decision form. Lists read the `human_task` projection; actions call the engine.
"""
from __future__ import annotations

from webapp.desk.blueprint import bp

from . import comments, delegation, inbox, interviews, provisional, search, walk_in  # noqa: F401  (views register themselves on bp)

__all__ = ["bp"]
