"""The signer hook (CREDIT_CASES_LETTER_SIGNER): a provincial platform's signer receives the
rendered PDF and the organ, and what it returns is what the archive keeps; a failing signer
leaves the letter pending for a retry; `none` issues unsigned."""
from __future__ import annotations

import hashlib

import pytest

from letters import demo_context
from workflows.archive import signing
from workflows.archive.issuing import issue_letter
from workflows.archive.rendering import render_letter
from workflows.archive.signing import Organ, Pkcs12Signer, Unsigned, default_signer, signer_from
from workflows.core.models.letters import Letter

SEEN: list[Organ] = []
MARK = b"\n%provincial seal platform\n"


class PlatformSigner:
    """Stands in for a seal platform at the protocol's boundary: records the organ, marks the PDF."""

    def sign(self, pdf: bytes, organ: Organ) -> bytes:
        SEEN.append(organ)
        return pdf + MARK


class Unreachable:
    def sign(self, pdf: bytes, organ: Organ) -> bytes:
        raise ConnectionError("seal platform unreachable")


def factory() -> PlatformSigner:
    return PlatformSigner()


def issue(store, clock) -> int:
    context = {k: v for k, v in demo_context("acceptance").items()
               if k not in ("number", "verification_code", "verify_url", "date")}
    with store.write() as uow:
        letter = issue_letter(uow.session, "acceptance", context, actor="reviewer1", now=clock.now(),
                              public_url="https://credit.test")
        uow.commit()
        return letter.id


def stored(store, letter_id: int) -> Letter:
    with store.read() as session:
        return session.get(Letter, letter_id)


def test_the_configured_module_signer_signs_and_its_bytes_are_archived(store, clock, monkeypatch):
    monkeypatch.setenv(signing.SIGNER_ENV, f"{__name__}:factory")
    monkeypatch.setattr(signing, "_signers", {})
    assert isinstance(default_signer(), PlatformSigner)
    SEEN.clear()
    letter_id = issue(store, clock)
    assert render_letter(store, letter_id, clock.now()).status == "issued"
    letter = stored(store, letter_id)
    assert letter.pdf.endswith(MARK) and letter.sha256 == hashlib.sha256(letter.pdf).hexdigest()
    assert SEEN == [Organ("QZ-XYB", letter.context["issuer"]["name"], None)]  # the credit office, no key row
    assert letter.signed_by is None  # no signature pyHanko can read: nothing claimed


def test_a_failing_signer_leaves_the_letter_pending_with_its_error(store, clock):
    letter_id = issue(store, clock)
    outcome = render_letter(store, letter_id, clock.now(), signer=Unreachable())
    assert outcome.status == "failed" and "seal platform unreachable" in outcome.error
    letter = stored(store, letter_id)
    assert (letter.status, letter.pdf, letter.render_attempts) == ("pending", None, 1)
    assert render_letter(store, letter_id, clock.now(), signer=Unsigned()).status == "issued"


def test_signer_names():
    assert isinstance(signer_from(None), Pkcs12Signer) and isinstance(signer_from("none"), Unsigned)
    with pytest.raises(ValueError, match="module:callable"):
        signer_from("provincial")
