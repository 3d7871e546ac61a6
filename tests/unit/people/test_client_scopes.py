"""A system client's scopes: each pseudo-role holds exactly its scope's permissions, nothing else."""
from __future__ import annotations

from workflows.people.access import CLIENT_SCOPE_ROLES, ROLES, Actor
from workflows.people.clients import new_token, looks_like_client_token, shown_prefix
from workflows.people.permissions import POLICY, allows, permissions_of

EXPECTED = {
    "check": {"may_check_subjects"},
    "outbox": {"may_read_outbox"},
    "records_write": {"may_create_records"},
}


def client(*scopes: str, department: str | None = None) -> Actor:
    return Actor("client:x", frozenset(CLIENT_SCOPE_ROLES[s] for s in scopes), None, department)


def test_each_scope_grants_exactly_its_permissions():
    assert set(CLIENT_SCOPE_ROLES) == set(EXPECTED)
    for scope, role in CLIENT_SCOPE_ROLES.items():
        held = {name for name, permission in POLICY.items() if role in permission.grants}
        assert held == EXPECTED[scope], scope
        assert role not in ROLES, "pseudo-roles are never given to user accounts"


def test_a_client_holds_the_union_of_its_scopes_only():
    assert permissions_of(client("check")) == {"may_check_subjects"}
    assert permissions_of(client("check", "outbox")) == {"may_check_subjects", "may_read_outbox"}
    assert permissions_of(client()) == frozenset()


def test_records_write_is_scoped_to_the_clients_department():
    writer = client("records_write", department="QZ-SCJG")
    assert allows(writer, "may_create_records", department_code="QZ-SCJG")
    assert not allows(writer, "may_create_records", department_code="QZ-STHJ")
    assert not allows(writer, "may_create_records_anywhere")


def test_client_tokens_carry_their_prefix_and_differ():
    first, second = new_token(), new_token()
    assert first != second and looks_like_client_token(first) and len(first) > 40
    assert shown_prefix(first) == first[:10] and first.startswith("ccs_")
