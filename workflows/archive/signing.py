"""Digital signatures on issued letters (PAdES B-B with pyHanko), one organ's key per letter.

A letter is signed in the name of the organ it goes out from (the department that decided it,
or the credit office) with that organ's PKCS#12 key (`Department.certificate_path`). The
passphrase never sits in the database: it comes from $CREDIT_CASES_CERT_PASSPHRASE_<CODE> or
from `passphrases.json` (mode 0600) beside the key. An organ without a certificate gets an
unsigned letter, never a fake signature.

Which signer runs is configuration ($CREDIT_CASES_LETTER_SIGNER): `pkcs12` (default), `none`,
or `package.module:callable` returning any object with `sign(pdf, organ) -> bytes` — the hook
for a province's seal platform (SM2, GB/T 38540; see docs/letter-signing.md).
"""
from __future__ import annotations

import importlib
import io
import json
import os
import re
import threading
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

# pyHanko imports cryptography's DSA types, which warn on every start of every command; we never use DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign import fields, signers  # noqa: E402

SIGNER_ENV = "CREDIT_CASES_LETTER_SIGNER"
PASSPHRASE_ENV = "CREDIT_CASES_CERT_PASSPHRASE_"  # + the organ's code, non-alphanumerics as "_"
PASSPHRASES_FILE = "passphrases.json"  # beside the PKCS#12 files: {"QZ-XYB": "…"}
FIELD_NAME = "OrganSignature"
# Room kept for the CMS blob beyond its certificates: with the room given, pyHanko skips a trial
# signature that sizes it (~60 % of the cost); an RSA-4096 signature and attributes fit well within.
SIGNATURE_SLACK = 2048


@dataclass(frozen=True)
class Organ:
    """The organ a letter is signed for; `certificate_path` None: it has no key configured."""

    code: str | None
    name: str
    certificate_path: str | None = None


class Signer(Protocol):
    def sign(self, pdf: bytes, organ: Organ) -> bytes:
        """The PDF signed for `organ` (or unchanged, when the organ has no key)."""


class SigningError(RuntimeError):
    """A configured key could not be used: the letter stays pending and is retried."""


class Unsigned:
    """`CREDIT_CASES_LETTER_SIGNER=none`: letters go out unsigned."""

    def sign(self, pdf: bytes, organ: Organ) -> bytes:
        return pdf


class Pkcs12Signer:
    """Signs with the organ's PKCS#12 key; keys are loaded once per file version."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self._env = env
        self._keys: dict[tuple[str, float], signers.SimpleSigner] = {}
        self._lock = threading.Lock()

    def sign(self, pdf: bytes, organ: Organ) -> bytes:
        if not organ.certificate_path:
            return pdf
        return sign_pdf(pdf, self._key(organ), organ)

    def _key(self, organ: Organ) -> signers.SimpleSigner:
        path = Path(organ.certificate_path or "")
        try:
            key = (str(path), path.stat().st_mtime)
        except OSError as err:
            raise SigningError(f"{organ.code} 的证书文件不可读：{path}（{err.strerror}）") from err
        with self._lock:
            if key not in self._keys:
                self._keys[key] = load_key(path, passphrase_for(organ.code, path, self._env))
            return self._keys[key]


def load_key(path: Path, passphrase: bytes | None) -> signers.SimpleSigner:
    """The signer of a PKCS#12 file; a wrong passphrase or a file that is no key is an error."""
    try:
        key = signers.SimpleSigner.load_pkcs12(str(path), passphrase=passphrase)
    except Exception as err:  # noqa: BLE001 - pyHanko raises several kinds for a bad file
        raise SigningError(f"证书文件无法打开（口令或格式有误）：{path}") from err
    if key is None:
        raise SigningError(f"证书文件无法打开（口令或格式有误）：{path}")
    return key


def passphrase_for(code: str | None, path: Path, env: dict[str, str] | None = None) -> bytes | None:
    """The key's passphrase: the organ's environment variable, else `passphrases.json` beside it."""
    env = os.environ if env is None else env
    value = env.get(passphrase_env(code or ""))
    if value is None:
        value = _passphrase_file(path.parent / PASSPHRASES_FILE).get(code or "")
    return value.encode("utf-8") if value else None


def passphrase_env(code: str) -> str:
    return PASSPHRASE_ENV + re.sub(r"[^A-Za-z0-9]", "_", code).upper()


def _passphrase_file(path: Path) -> dict[str, str]:
    """Read only if no one else may: a passphrase file others can read is refused, loudly."""
    if not path.exists():
        return {}
    if path.stat().st_mode & 0o077:
        raise SigningError(f"{path} 的权限过宽：口令文件应仅属主可读（chmod 600）")
    return {str(k): str(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def sign_pdf(pdf: bytes, key: signers.SimpleSigner, organ: Organ) -> bytes:
    """PAdES B-B, invisible field; the signature's byte range covers the whole file.

    Room for the signature is counted from the certificates it embeds (the trial signature
    pyHanko would otherwise make to size it doubles the cost)."""
    certificates = [key.signing_cert, *key.cert_registry]
    room = 2 * (sum(len(cert.dump()) for cert in certificates) + SIGNATURE_SLACK)  # hex digits
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, name=organ.name or None)
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=key).sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                                                      bytes_reserved=room, output=out)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureFacts:
    signed_by: str  # the signing certificate's subject
    signed_at: datetime | None  # the signing time the signature states


def signature_facts(pdf: bytes) -> SignatureFacts | None:
    """Who signed and when, as the PDF states it (not validated: see `validation`)."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
        if not signatures:
            return None
        signature = signatures[-1]
        return SignatureFacts(signature.signer_cert.subject.human_friendly[:300], signature.self_reported_timestamp)
    except Exception:  # noqa: BLE001 - unreadable, or a format pyHanko does not know (a platform's SM2)
        return None


def signer_from(spec: str | None) -> Signer:
    """`pkcs12` (default), `none`, or `module:callable` (a factory of the provincial signer)."""
    spec = (spec or "pkcs12").strip()
    if spec == "pkcs12":
        return Pkcs12Signer()
    if spec == "none":
        return Unsigned()
    module, _, name = spec.partition(":")
    if not name:
        raise ValueError(f"{SIGNER_ENV} must be pkcs12, none or module:callable, not {spec!r}")
    return getattr(importlib.import_module(module), name)()


_signers: dict[str, Signer] = {}


def default_signer() -> Signer:
    """The configured signer of this process (one per configuration value)."""
    spec = os.environ.get(SIGNER_ENV, "pkcs12")
    if spec not in _signers:
        _signers[spec] = signer_from(spec)
    return _signers[spec]
