"""The kinds of the test flows (tests/data/flows): what engine tests and bench/engine.py run."""
from __future__ import annotations

from pathlib import Path

from workflows.engine.registry import CaseKind, KindRegistry, action
from workflows.engine.step import StepContext
from workflows.kinds import KINDS
from workflows.kinds.common import SHARED

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "flows"  # the test flows (BPMN/DMN) and their dumps


@action("set_outcome")
def set_outcome(ctx: StepContext, outcome: str) -> str:
    """The test flows' only action of their own: record the outcome they reached."""
    ctx.task.data["outcome"] = outcome
    ctx.record("outcome", f"结果：{outcome}", after={"outcome": outcome})
    return outcome


TEST_KINDS = [CaseKind(process, "测试", actions={"set_outcome": set_outcome})
              for process in ("test_case", "test_supplement")]


def test_flow_kinds() -> KindRegistry:
    """The test flows' kinds, with what every product kind shares (SLA escalation, predicates)."""
    return KindRegistry.of(TEST_KINDS, shared=SHARED)


def product_and_test_kinds() -> KindRegistry:
    """The product's kinds plus the test flows': web tests run both through one runtime."""
    return KindRegistry.of([*KINDS, *TEST_KINDS], shared=SHARED)


test_flow_kinds.__test__ = False  # a factory, not a test
