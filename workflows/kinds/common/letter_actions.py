"""Service tasks that issue official letters on the case (numbered, archived, audited)."""
from __future__ import annotations

from typing import Any

from workflows.archive.issuing import issue_letter as issue

from workflows.engine.actions import action
from workflows.engine.step import StepContext


@action("issue_letter")
def issue_letter(ctx: StepContext, letter_type: str, context: dict[str, Any]) -> dict[str, Any]:
    """Issue `letter_type` from `context` (built by the flow from task data) on this case."""
    letter = issue(ctx.session, letter_type, context, actor=ctx.actor.username, now=ctx.now(),
                   public_url=ctx.public_url, case_id=ctx.case.id, on_issued=ctx.letter_issued)
    return {"id": letter.id, "number": letter.number, "sha256": letter.sha256}
