"""What every case kind may call: SLA escalation and the shared gateway predicates."""
from __future__ import annotations

from workflows.engine.registry import CaseKind, actions_in
from workflows.kinds.common import actions, predicates

SHARED = CaseKind("common", "共用", actions=actions_in(actions), predicates=predicates.PREDICATES)
