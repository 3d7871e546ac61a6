"""Check a letter's PDF signature with pyHanko's validator against the configured root CA(s).

"Valid" here means all of: the signed bytes are intact, the signature covers the whole file (no
incremental update appended after it), and the signer's certificate chains to a trusted root.
No network is used (no OCSP/CRL fetching): the roots are what the office configured.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable

from workflows.archive import signing  # noqa: F401  (first: it quiets pyHanko's DSA import warning)
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

UNSIGNED, VALID, BROKEN, UNTRUSTED, EXTENDED = "unsigned", "valid", "broken", "untrusted", "extended"


@dataclass(frozen=True)
class SignatureCheck:
    state: str  # one of UNSIGNED, VALID, BROKEN (bytes changed), UNTRUSTED (unknown CA), EXTENDED (appended)
    signed_by: str | None = None  # the certificate's subject
    signed_at: datetime | None = None

    @property
    def valid(self) -> bool:
        return self.state == VALID


def check_signature(pdf: bytes, roots: Iterable[Path]) -> SignatureCheck:
    """The state of the last signature in `pdf`; a PDF that cannot be parsed counts as broken."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - a damaged file is "not intact", whatever the parser says
        return SignatureCheck(BROKEN)
    if not signatures:
        return SignatureCheck(UNSIGNED)
    signature = signatures[-1]
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(root)) for root in roots],
                                allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signature, context)
    except (SignatureValidationError, ValueError, KeyError):
        return SignatureCheck(BROKEN)
    who, when = status.signing_cert.subject.human_friendly, status.signer_reported_dt
    if not status.intact or not status.valid:
        return SignatureCheck(BROKEN, who, when)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE or len(signatures) > 1:
        return SignatureCheck(EXTENDED, who, when)
    if not status.trusted:
        return SignatureCheck(UNTRUSTED, who, when)
    return SignatureCheck(VALID, who, when)


def trust_roots(data_dir: Path, configured: Iterable[Path] = ()) -> list[Path]:
    """The configured roots, else the demo root under `<data_dir>/certificates` when there is one."""
    roots = [Path(root) for root in configured]
    if roots:
        return roots
    demo = data_dir / "certificates" / "root-ca.pem"
    return [demo] if demo.exists() else []
