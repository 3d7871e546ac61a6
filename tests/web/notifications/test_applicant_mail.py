"""Applicants get by e-mail what the portal tells them; a notice about a letter goes out once the
letter is rendered, with the PDF attached."""
from __future__ import annotations

from sqlalchemy import select

from tests.support.api_cases import case_of, repair_decided
from tests.support.letters import drain_letters
from tests.support.smtp import attachments_of, body_of
from tests.support.web import token_for
from tests.web.notifications.helpers import filed_case, set_email
from workflows.core.models.letters import Letter
from workflows.notifications.delivery import deliver_notifications

APPLICANT = "applicant1@qingyuan-food.example.cn"


def test_the_decision_mail_waits_for_its_letter_and_carries_it(client, runtime, clock, store, smtp, make_record):
    set_email(client, "applicant1", APPLICANT)
    doc = filed_case(client, clock, make_record)
    decided = repair_decided(client, doc)
    assert decided.status_code == 200, decided.get_json()
    deliver_notifications(store, runtime.courier, clock.now())
    waiting = [m for m in smtp.mailbox.to(APPLICANT) if "已获批准" in body_of(m)]
    assert waiting == []  # the decision letter is still pending: its mail waits
    drain_letters(store, clock)
    deliver_notifications(store, runtime.courier, clock.now())
    [mail] = [m for m in smtp.mailbox.to(APPLICANT) if "已获批准" in body_of(m)]
    with store.read() as session:
        decision = session.scalars(select(Letter).where(Letter.case_id == doc["id"], Letter.title.contains("决定书"))
                                   .order_by(Letter.id.desc())).first()
    assert decision.number in body_of(mail)
    assert f"https://credit.example.gov.cn/portal/cases/{doc['id']}" in body_of(mail)
    files = dict(attachments_of(mail))
    assert files[f"{decision.number}.pdf"] == decision.pdf  # the archived bytes, identical
    assert case_of(client, token_for(client, "applicant1"), doc["id"])["outcome"] == "approved"


def test_an_applicant_without_an_address_only_sees_the_portal_notice(client, runtime, clock, store, smtp, make_record):
    doc = filed_case(client, clock, make_record)
    drain_letters(store, clock)
    report = deliver_notifications(store, runtime.courier, clock.now())
    assert report.queued == 0 and smtp.mailbox.messages == []
    client.post("/login", data={"username": "applicant1", "password": "correct horse 42"})
    assert "已受理" in client.get("/notifications").get_data(as_text=True)
    assert doc["id"]
