"""In whose name a letter goes out (DOMAIN.md §H): the deciding department's issuer details.

A department "has issuer details" once an admin set its issuing organ's name
(`/admin/departments`); its letters then carry that name (the masthead prints its 规范化简称
`masthead_name` when set), its number prefix for the letter type (else its `default` prefix,
else the configured prefix of the type), its address, phone and seal image. The credit office is the department that `letters/issuers.json` names in
`credit_office_department`. A department without issuer details (or deactivated, or unknown)
and a credit office without a row of its own fall back to the configured issuer of the letter
type (`letters/issuers.json`, overlaid per type): the letter never goes out half-filled. The
credit office's own row overrides that configured block field by field (contact, postcode stay).
"""
from __future__ import annotations

import base64
from typing import Any

from sqlalchemy.orm import Session

from letters.config import credit_office_code, issuer_for
from workflows.core.models.people import Department

CREDIT_OFFICE: None = None  # `decided_by` of letters the credit office issues
REGIONAL_KEYS = ("platform_name", "reconsideration_body")  # the same for every organ of the city


def issuer_block(session: Session, letter_type: str, decided_by: str | None) -> dict[str, Any]:
    """The context's `issuer` for a letter decided by department `decided_by` (None: the credit office)."""
    configured, office = issuer_for(letter_type), credit_office_code()
    department = _department(session, decided_by or office)
    if department is None:
        return configured
    own = department_issuer(department, letter_type, configured)
    # The configured block describes the credit office too: its row overrides it field by field.
    return {**configured, **own} if department.code == office else own


def department_issuer(department: Department, letter_type: str, configured: dict[str, Any]) -> dict[str, Any]:
    """A department's issuer details as letter context primitives; regional fields from `configured`.

    Contact person and postcode belong to the configured office, so they are not carried over;
    types whose configuration draws no seal (the applicant's own 承诺书, 约谈记录) get none.
    """
    prefixes = department.number_prefixes or {}
    name = department.issuer_name.strip()
    block: dict[str, Any] = {
        "name": name, "masthead_name": department.masthead_name.strip(),
        "number_prefix": prefixes.get(letter_type) or prefixes.get("default") or configured["number_prefix"],
        "address": department.address, "phone": department.phone,
        "seal_text": name if configured.get("seal_text") else "",
        **{key: configured[key] for key in REGIONAL_KEYS if configured.get(key)},
    }
    if block["seal_text"] and department.seal_png:
        block["seal_image"] = "data:image/png;base64," + base64.b64encode(department.seal_png).decode("ascii")
    return {key: value for key, value in block.items() if value or key == "number_prefix"}


def signing_organ(session: Session, decided_by: str | None) -> str | None:
    """Whose key signs a letter decided by `decided_by`: the department when it issues in its own
    name, else the credit office (its code, or None when none is configured)."""
    department = _department(session, decided_by) if decided_by else None
    return department.code if department is not None else (credit_office_code() or None)


def issues_in_own_name(session: Session, code: str | None) -> bool:
    """Whether department `code` has issuer details of its own (else the configured issuer stands in)."""
    return bool(code) and _department(session, code) is not None


def _department(session: Session, code: str) -> Department | None:
    """The department if it may issue in its own name: known, active, with an issuer name."""
    department = session.get(Department, code.strip().upper()) if code else None
    if department is None or not department.active or not department.issuer_name.strip():
        return None
    return department
