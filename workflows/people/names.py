"""People's names for lists and timelines: usernames stay the keys (audit rows, API fields),
what a person reads is the display name.

One query per page: a page collects the usernames it shows and asks `display_names` once,
instead of looking each row's user up.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.models.people import User

SYSTEM_ACTORS = {"system": "系统", "import": "批量导入"}  # actors that are no account (SYSTEM, CLI defaults)
CLIENT_PREFIX = "client:"  # registered system clients act as `client:<name>`


def display_names(session: Session, usernames: Iterable[str | None]) -> dict[str, str]:
    """username → the name to show: the display name, else the username; system actors get a
    Chinese label (系统, 对接系统：<name>). Empty and None usernames are left out."""
    wanted = {name for name in usernames if name}
    accounts = sorted(name for name in wanted if not name.startswith(CLIENT_PREFIX))
    found: dict[str, str] = {}
    if accounts:
        query = select(User.username, User.display_name).where(User.username.in_(accounts))
        found = {username: (display or "").strip() or username for username, display in session.execute(query)}
    return {name: found.get(name) or system_label(name) or name for name in wanted}


AUTOMATIC = "系统（自动）"  # what a step did on its own, whoever set the step off


def handler_names(session: Session, usernames: Iterable[str | None]) -> dict[str, str]:
    """Like `display_names`, for who handled something only staff do (issue a letter): an
    applicant's step issues its letters automatically, so those read 系统（自动）, as the system's do."""
    names = display_names(session, usernames)
    applicants = select(User.username, User.roles).where(User.username.in_(sorted(names)))
    automatic = {username for username, roles in session.execute(applicants) if set(roles.split(",")) <= {"applicant"}}
    return {name: AUTOMATIC if name in automatic or name == "system" else shown for name, shown in names.items()}


def system_label(actor: str) -> str | None:
    """The label of an actor that is not a person, or None for a username."""
    if actor in SYSTEM_ACTORS:
        return SYSTEM_ACTORS[actor]
    if actor.startswith(CLIENT_PREFIX):
        return f"对接系统：{actor[len(CLIENT_PREFIX):]}"
    return None


def name_of(names: dict[str, str], username: str | None) -> str:
    """The shown name of `username` from a page's `display_names` ("" for nobody)."""
    return names.get(username, username) if username else ""
