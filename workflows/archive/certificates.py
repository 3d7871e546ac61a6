"""Organ certificates: what an admin sees of a configured key, and a self-made CA for demos.

The demo CA stands in for the province's certificate authority: one root, one PKCS#12 key per
organ, so signing and validation run for real without a purchased certificate. Its validity is
counted from the machine's real time, because pyHanko stamps and checks signatures in real time.
"""
from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from workflows.archive.signing import PASSPHRASES_FILE, SigningError, passphrase_for

ROOT_NAME = "root-ca"  # root-ca.pem / root-ca.key.pem in the certificates folder
DEMO_CA_NAME = "信用修复演示根证书（仅供测试）"


@dataclass(frozen=True)
class CertificateSummary:
    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime


def summary(path: str | os.PathLike[str], code: str | None) -> CertificateSummary:
    """Subject, issuer and validity of an organ's PKCS#12 key (SigningError if it cannot be opened)."""
    path = Path(path)
    try:
        blob = path.read_bytes()
    except OSError as err:
        raise SigningError(f"证书文件无法打开（路径、口令或格式有误）：{path}") from err
    return blob_summary(blob, passphrase_for(code, path), str(path))


def blob_summary(blob: bytes, passphrase: bytes | None, name: str = "") -> CertificateSummary:
    """The same for a PKCS#12 file's bytes: it must hold a private key and its certificate."""
    try:
        key, cert, _chain = pkcs12.load_key_and_certificates(blob, passphrase)
    except ValueError as err:
        raise SigningError(f"证书文件无法打开（路径、口令或格式有误）：{name}") from err
    if cert is None or key is None:
        raise SigningError(f"证书文件中没有私钥或证书：{name}")
    return CertificateSummary(cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(),
                              cert.not_valid_before_utc, cert.not_valid_after_utc)


def demo_root(folder: Path, now: datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The demo root CA in `folder` (made on first use, then reused)."""
    cert_file, key_file = folder / f"{ROOT_NAME}.pem", folder / f"{ROOT_NAME}.key.pem"
    if cert_file.exists() and key_file.exists():
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        return x509.load_pem_x509_certificate(cert_file.read_bytes()), key  # type: ignore[return-value]
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.COMMON_NAME, DEMO_CA_NAME)])
    cert = (_builder(name, name, key.public_key(), now, years=20)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(cert_sign=True), critical=True)
            .sign(key, hashes.SHA256()))
    write_private(key_file, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def issue_demo_key(folder: Path, code: str, organ_name: str, now: datetime) -> Path:
    """A PKCS#12 key for organ `code` signed by the demo root; its passphrase goes to passphrases.json."""
    ca_cert, ca_key = demo_root(folder, now)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, organ_name),
                         x509.NameAttribute(NameOID.COMMON_NAME, code)])  # CN: at most 64 bytes
    cert = (_builder(subject, ca_cert.subject, key.public_key(), now, years=5)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(signature=True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    passphrase = secrets.token_urlsafe(18)
    blob = pkcs12.serialize_key_and_certificates(
        code.encode(), key, cert, [ca_cert],
        serialization.BestAvailableEncryption(passphrase.encode()))
    path = folder / f"{code}.p12"
    write_private(path, blob)
    remember_passphrase(folder, code, passphrase)
    return path.resolve()


def remember_passphrase(folder: Path, code: str, passphrase: str) -> None:
    """Add an organ's passphrase to the folder's passphrases.json (owner-only)."""
    file = folder / PASSPHRASES_FILE
    known = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
    known[code] = passphrase
    write_private(file, json.dumps(known, ensure_ascii=False, indent=2).encode("utf-8"))


def write_private(path: Path, data: bytes) -> None:
    """Written owner-only from the first byte (no window where others could read a key)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(path, 0o600)


def _builder(subject: x509.Name, issuer: x509.Name, public_key, now: datetime, years: int) -> x509.CertificateBuilder:
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365 * years))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))


def _usage(*, cert_sign: bool = False, signature: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=signature, content_commitment=signature, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign,
                         crl_sign=cert_sign, encipher_only=False, decipher_only=False)
