"""What the letter pages and API read, each in one read transaction."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import defer

from workflows.archive.lookup import Verdict, find_by_code, find_genuine
from workflows.archive.validation import SignatureCheck, check_signature
from workflows.archive.rendering import Backlog, backlog, pending_letters
from workflows.core.limits import search_text
from workflows.core.models.letters import Letter
from workflows.core.paging import KeysetPage, newest_first
from workflows.core.store import Store
from workflows.engine.case_view import letter_document, readable_letter
from workflows.people.access import Actor
from workflows.people.names import display_names, handler_names
from workflows.people.permissions import require


@dataclass(frozen=True)
class LetterRegister:
    letters: list[Letter]  # newest first, without their PDF bytes
    names: dict[str, str]  # username → name of the officers who issued them


def verify(store: Store, number: str, code: str) -> Verdict | None:
    """Public: genuine or nothing, without saying which of number and code was wrong."""
    with store.read() as session:
        return find_genuine(session, number, code)


@dataclass(frozen=True)
class CopyCheck:
    """A visitor's copy of a letter against the archive: same bytes, and its own signature."""

    matches_archive: bool
    signature: SignatureCheck


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    archived: SignatureCheck | None  # the archived PDF's signature; None while it is being rendered
    copy: CopyCheck | None = None  # the uploaded file, when one was sent


def verify_by_code(store: Store, code: str, roots: list[Path], copy: bytes | None = None) -> Verification | None:
    """Public (`/v/<code>`): the letter, its archived signature checked, and the visitor's copy if any."""
    with store.read() as session:
        found = find_by_code(session, code)
    if found is None:
        return None
    verdict, pdf = found
    archived = check_signature(pdf, roots) if pdf else None
    if copy is None:
        return Verification(verdict, archived)
    same = verdict.sha256 is not None and hashlib.sha256(copy).hexdigest() == verdict.sha256
    return Verification(verdict, archived, CopyCheck(same, archived if same and archived else check_signature(copy, roots)))


def recent_letters(store: Store, actor: Actor, limit: int = 100) -> LetterRegister:
    """The register: the latest letters first (staff), with the names of who issued them."""
    require(actor, "may_read_letters")
    with store.read() as session:
        letters = list(session.scalars(select(Letter).options(defer(Letter.pdf)).order_by(Letter.id.desc()).limit(limit)))
        return LetterRegister(letters, handler_names(session, (letter.issued_by for letter in letters)))


@dataclass(frozen=True)
class LetterPage:
    page: KeysetPage  # letters newest first, without their PDF bytes
    names: dict[str, str]


def letter_register(store: Store, actor: Actor, text: str, limit: int,
                    older: int | None = None, newer: int | None = None) -> LetterPage:
    """The register filtered by number, title or addressee (part), with its total, paged both ways."""
    require(actor, "may_read_letters")
    with store.read() as session:
        page = newest_first(session, _letters_matching(text), Letter.id, limit, older, newer)
        return LetterPage(page, handler_names(session, (letter.issued_by for letter in page.items)))


def export_letters(store: Store, actor: Actor, text: str, limit: int) -> LetterRegister:
    """Every letter of the filter (up to `limit`), newest first, for a CSV download."""
    require(actor, "may_read_letters")
    with store.read() as session:
        letters = list(session.scalars(_letters_matching(text).order_by(Letter.id.desc()).limit(limit)))
        return LetterRegister(letters, handler_names(session, (letter.issued_by for letter in letters)))


def _letters_matching(text: str) -> Select:
    query = select(Letter).options(defer(Letter.pdf), defer(Letter.context))
    text = search_text(text)
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Letter.number.like(like, escape="\\"), Letter.title.like(like, escape="\\"),
                                Letter.subject_name.like(like, escape="\\")))
    return query


def letter_for(store: Store, actor: Actor, letter_id: int) -> Letter:
    """A letter the actor may download (staff who may read its case, or its own subject)."""
    with store.read() as session:
        return readable_letter(session, actor, letter_id)


def letter_metadata(store: Store, actor: Actor, letter_id: int) -> dict[str, Any]:
    with store.read() as session:
        letter = readable_letter(session, actor, letter_id)
        return letter_document(letter, display_names(session, [letter.issued_by]))


@dataclass(frozen=True)
class RenderingState:
    backlog: Backlog
    letters: list[dict[str, Any]]  # pending ones, those that failed first (attempts, last error)


def rendering_state(store: Store, actor: Actor, now: datetime, limit: int = 100) -> RenderingState:
    """For admins: letters numbered but not rendered yet, failures first (they are retried)."""
    require(actor, "may_watch_letter_rendering")
    with store.read() as session:
        return RenderingState(backlog(session, now), pending_letters(session, limit))
