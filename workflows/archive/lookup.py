"""Public verification of an issued letter by its number and verification code.

Answers only "genuine, and these essentials" or nothing: a wrong number and a wrong code
look the same, and personal names and ID numbers are masked.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.core.identifiers import mask_subject_code
from workflows.core.models.letters import Letter

CODE_LENGTH = 12  # archive/issuing.new_verification_code, without its dashes


@dataclass(frozen=True)
class Verdict:
    title: str
    number: str
    issuer_name: str
    issued_at: datetime
    subject_name: str
    subject_code: str | None
    sha256: str
    superseded_by: str | None
    code: str = ""  # the verification code, for the page's short URL and upload form
    signed_by: str | None = None
    signed_at: datetime | None = None


def find_genuine(session: Session, number: str, code: str) -> Verdict | None:
    letter = session.scalars(select(Letter).where(Letter.number == (number or "").strip())).first()
    expected = letter.verification_code if letter else "0000-0000-0000"
    if not hmac.compare_digest(_normal(expected), _normal(code)) or letter is None:
        return None
    return _verdict(session, letter)


def find_by_code(session: Session, code: str) -> tuple[Verdict, bytes | None] | None:
    """The letter a verification code alone names (`/v/<code>`), with its archived PDF."""
    wanted = _normal(code)
    if len(wanted) != CODE_LENGTH:
        return None
    letter = session.scalars(select(Letter).where(
        Letter.verification_code == f"{wanted[:4]}-{wanted[4:8]}-{wanted[8:]}")).first()
    return (_verdict(session, letter), letter.pdf) if letter else None


def _verdict(session: Session, letter: Letter) -> Verdict:
    newer = session.scalars(select(Letter.number).where(Letter.supersedes_id == letter.id)).first()
    return Verdict(letter.title, letter.number, letter.issuer_name, letter.issued_at,
                   _mask_name(letter), mask_subject_code(letter.subject_code) if letter.subject_code else None,
                   letter.sha256, newer, letter.verification_code, letter.signed_by, letter.signed_at)


def _normal(code: str | None) -> str:
    return (code or "").replace("-", "").replace(" ", "").upper()


def _mask_name(letter: Letter) -> str:
    """Companies are public; a person's name shows only its first character."""
    name = letter.subject_name or ""
    code = letter.subject_code or ""
    if len(code) == 18 and code[:17].isdigit():  # a resident ID number: a natural person
        return name[:1] + "*" * max(len(name) - 1, 1)
    return name
