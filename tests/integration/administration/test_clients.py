"""System clients (workflows.administration.clients, workflows.people.clients): tokens shown
once and stored hashed, scopes as pseudo-roles, rotation and revocation, audit rows, refusals."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from tests.support.clients import client_events, every_stored_text, stored_clients
from workflows.administration.clients import (
    NAME_MAX,
    NewClient,
    create_client,
    list_clients,
    revoke_client,
    rotate_token,
)
from workflows.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflows.people.access import Actor
from workflows.people.bearer import actor_for_bearer
from workflows.people.clients import actor_for_client_token
from workflows.people.subjects import register_department

ADMIN = Actor("admin1", frozenset({"admin"}))


@pytest.fixture
def department(store) -> str:
    with store.write() as uow:
        register_department(uow.session, "QZ-SCJG", "泉州市市场监督管理局")
        uow.commit()
    return "QZ-SCJG"


def test_a_new_client_acts_with_its_scopes_and_only_the_hash_is_stored(store, clock, department):
    issued = create_client(store, ADMIN, NewClient("tax-system", ("outbox", "check"), "省税务系统"), clock.now())
    writer = create_client(store, ADMIN, NewClient("scjg.records", ("records_write",), department_code="qz-scjg"),
                           clock.now())
    actor = actor_for_client_token(store, issued.token, clock.now())
    assert actor == Actor("client:tax-system", frozenset({"client_check", "client_outbox"}), None, None)
    assert actor_for_bearer(store, writer.token, clock.now()) == (
        Actor("client:scjg.records", frozenset({"client_records"}), None, "QZ-SCJG"), "client")
    row = stored_clients(store)[0]
    assert (row.name, row.scopes, row.description, row.created_by) == ("tax-system", "check,outbox", "省税务系统", "admin1")
    assert row.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert row.token_prefix == issued.token[:10] and issued.token.startswith("ccs_")
    stored = every_stored_text(store)
    assert issued.token not in stored and writer.token not in stored
    assert [(e.kind, e.actor, e.case_id, e.after["scopes"]) for e in client_events(store)] == [
        ("client_created", "admin1", None, ["check", "outbox"]),
        ("client_created", "admin1", None, ["records_write"])]


def test_rotating_stops_the_old_token_at_once_and_revoking_stops_the_client(store, clock):
    issued = create_client(store, ADMIN, NewClient("outbox-reader", ("outbox",)), clock.now())
    rotated = rotate_token(store, ADMIN, issued.client.id, clock.now())
    assert rotated.token != issued.token
    assert actor_for_client_token(store, issued.token, clock.now()) is None
    assert actor_for_bearer(store, issued.token, clock.now()) is None
    assert actor_for_client_token(store, rotated.token, clock.now()).username == "client:outbox-reader"
    revoke_client(store, ADMIN, issued.client.id, clock.now())
    revoke_client(store, ADMIN, issued.client.id, clock.now())  # again: nothing more happens
    assert actor_for_client_token(store, rotated.token, clock.now()) is None
    with pytest.raises(Conflict, match="已吊销"):
        rotate_token(store, ADMIN, issued.client.id, clock.now())
    [row] = list_clients(store)
    assert (row.active, row.revoked_by, row.token_prefix) == (False, "admin1", rotated.token[:10])
    events = client_events(store)
    assert [e.kind for e in events] == ["client_created", "client_token_rotated", "client_revoked"]
    assert events[1].before == {"token_prefix": issued.token[:10]}
    assert rotated.token not in every_stored_text(store)


def test_last_use_is_written_at_most_once_a_minute(store, clock):
    issued = create_client(store, ADMIN, NewClient("checker", ("check",)), clock.now())
    first = clock.now()
    actor_for_client_token(store, issued.token, first)
    clock.advance(timedelta(seconds=30))
    actor_for_client_token(store, issued.token, clock.now())
    assert stored_clients(store)[0].last_used_at == first
    clock.advance(timedelta(seconds=31))
    actor_for_client_token(store, issued.token, clock.now())
    assert stored_clients(store)[0].last_used_at == clock.now()


BAD = [
    (NewClient("", ("check",)), "name", "请填写客户端名称"),
    (NewClient("x" * (NAME_MAX + 1), ("check",)), "name", f"客户端名称不超过{NAME_MAX}个字符"),
    (NewClient("tax system", ("check",)), "name", "客户端名称只能包含字母、汉字、数字、点、短横线和下划线"),
    (NewClient("client:x", ("check",)), "name", "客户端名称只能包含字母、汉字、数字、点、短横线和下划线"),
    (NewClient("tax", ()), "scopes", "请至少选择一项权限范围"),
    (NewClient("tax", ("check", "admin")), "scopes", "未知权限范围：admin（可选：check、outbox、records_write）"),
    (NewClient("tax", ("check",), "说" * 501), "description", "说明不超过500个字"),
    (NewClient("tax", ("records_write",)), "department_code", "写入信用记录的客户端必须绑定部门"),
    (NewClient("tax", ("check",), department_code="QZ-SCJG"), "department_code", "只有写入信用记录的客户端才绑定部门"),
    (NewClient("tax", ("records_write",), department_code="QZ-NONE"), "department_code", "部门 QZ-NONE 不存在"),
]


@pytest.mark.parametrize(("spec", "field", "message"), BAD)
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(store, clock, department, spec, field, message):
    with pytest.raises(InvalidInput) as refused:
        create_client(store, ADMIN, spec, clock.now())
    assert refused.value.fields == {field: message}
    assert stored_clients(store) == [] and client_events(store) == []


def test_a_taken_name_is_a_conflict_whatever_its_case(store, clock):
    create_client(store, ADMIN, NewClient("Tax-System", ("check",)), clock.now())
    with pytest.raises(Conflict, match="客户端名称 tax-system 已被使用"):
        create_client(store, ADMIN, NewClient(" tax-system ", ("outbox",)), clock.now())
    assert [c.name for c in stored_clients(store)] == ["Tax-System"] and len(client_events(store)) == 1


def test_only_admins_manage_clients(store, clock):
    reviewer = Actor("reviewer1", frozenset({"reviewer"}))
    with pytest.raises(Forbidden):
        create_client(store, reviewer, NewClient("tax", ("check",)), clock.now())
    issued = create_client(store, ADMIN, NewClient("tax", ("check",)), clock.now())
    for verb in (rotate_token, revoke_client):
        with pytest.raises(Forbidden):
            verb(store, reviewer, issued.client.id, clock.now())
    with pytest.raises(NotFound):
        revoke_client(store, ADMIN, issued.client.id + 1, clock.now())
    assert [e.kind for e in client_events(store)] == ["client_created"]
