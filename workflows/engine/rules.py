"""Decision tables evaluated outside a running workflow (DESIGN.md principle 2).

The records service needs the same DMN rules a business-rule task would use (regime by
decision date, publicity periods) without starting a case. This module parses the DMN
files of a spec set with SpiffWorkflow's own parser and evaluates them with its own
`DMNEngine`, so a table behaves exactly as it would inside a flow: cells are Python
expressions, `?` stands for the input in range tests, UNIQUE returns the first match and
COLLECT returns lists. The tables declare `expressionLanguage="python"`, and their UNIQUE rules
are mutually exclusive (tests/unit/rules/test_tables.py), so "first match" is the only match.

`SpecBundle` does not keep its parser, so the DMN files are re-parsed here from
`bundle.files`, once per spec-set id. A file may hold several decisions here (SpiffWorkflow's
business-rule tasks only see the first decision of each file).
"""
from __future__ import annotations

import threading
from collections.abc import Mapping
from copy import copy, deepcopy
from datetime import date
from pathlib import Path
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.specs.model import DecisionTable, HitPolicy
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from workflows.core.errors import CaseError
from workflows.engine.specs import read_spec_files, spec_set_id


class RuleError(CaseError):
    """A decision table is missing or cannot decide: a configuration problem, not bad input."""

    code = "rule_error"
    http_status = 500


class NoRuleMatched(RuleError):
    """No row of a UNIQUE table matches the inputs."""


MEMO_LIMIT = 20_000
_parsed: dict[str, "_ParsedSet"] = {}
_lock = threading.Lock()
_script_engine = PythonScriptEngine(environment=TaskDataEnvironment({}))


class RuleBook:
    """The decision tables of one spec set; cheap to build (parsed tables are cached per
    spec-set id) and `decide()` results are memoised per inputs, since tables are pure."""

    def __init__(self, bundle: Any, newer: "RuleBook | None" = None) -> None:
        """`newer`: the current spec set's tables, asked for a decision this (older) set predates.

        A running case keeps its own tables, but code deployed later may ask a decision that did
        not exist when the case started; tables carry their effective dates, so the current one
        answers correctly for an old case too.
        """
        self.bundle_id: str = bundle.id
        self._set = _parsed_set(bundle.id, bundle.files)
        self._memo = self._set.memo
        self._newer = newer if newer is not None and newer.bundle_id != bundle.id else None

    @classmethod
    def from_directory(cls, directory: Path) -> "RuleBook":
        """Only the DMN files of a folder (for the CLI, which runs no flows)."""
        files = {n: t for n, t in read_spec_files(Path(directory)).items() if n.endswith(".dmn")}
        return cls(_FileSet(spec_set_id(files), files))

    @property
    def decision_ids(self) -> list[str]:
        return self._set.decision_ids

    def decide(self, decision_id: str, **inputs: Any) -> dict[str, Any]:
        """The outputs of the first matching rule (UNIQUE) or lists of all matches (COLLECT)."""
        if self._newer is not None and decision_id not in self._set.decision_ids:
            return self._newer.decide(decision_id, **inputs)
        inputs = {k: v.isoformat() if isinstance(v, date) else v for k, v in inputs.items()}
        key = _memo_key(decision_id, inputs)
        if key is not None and key in self._memo:
            return _copy(self._memo[key])
        result = self._evaluate(decision_id, inputs)
        if key is not None:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = _copy(result)
        return result

    def hit_policy(self, decision_id: str) -> str:
        return self._set.table(decision_id)[0].hit_policy

    def matching_rules(self, decision_id: str, **inputs: Any) -> list[str]:
        """Ids of every rule whose input entries all hold, whatever the hit policy: the
        table checks (tests/unit/rules) find overlaps and gaps with it. Not memoised."""
        table, filename = self._set.table(decision_id)
        every = copy(table)
        every.hit_policy = HitPolicy.COLLECT.value
        inputs = {k: v.isoformat() if isinstance(v, date) else v for k, v in inputs.items()}
        try:
            return [rule.id for rule in DMNEngine(every).decide(_DecisionContext(decision_id, filename, inputs))]
        except (SpiffWorkflowException, NameError, TypeError) as exc:
            raise RuleError(f"决策表 {decision_id} 无法计算：{exc}") from exc

    def _evaluate(self, decision_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
        table, filename = self._set.table(decision_id)
        context = _DecisionContext(decision_id, filename, inputs)
        try:
            result = DMNEngine(table).result(context)
        except (SpiffWorkflowException, NameError, TypeError) as exc:
            raise RuleError(f"决策表 {decision_id} 无法计算：{exc}") from exc
        if not result and table.hit_policy == HitPolicy.UNIQUE.value:
            shown = "，".join(f"{k}={v!r}" for k, v in inputs.items())
            raise NoRuleMatched(f"决策表 {decision_id} 没有与输入（{shown}）匹配的规则")
        return dict(result)


class _ParsedSet:
    """The DMN files of one spec set, registered eagerly (XSD-validated) and each decision
    parsed on first use, as SpiffWorkflow itself does for business-rule tasks; a file the
    records service never asks for cannot break it."""

    def __init__(self, files: Mapping[str, str]) -> None:
        parser = SpiffBpmnParser(validator=BpmnValidator())
        for name, text in files.items():
            if name.endswith(".dmn"):
                for document in _one_decision_each(etree.fromstring(text.encode("utf-8"))):
                    parser.add_dmn_xml(document, filename=name)
        self._parsers = dict(parser.dmn_parsers)
        self._tables: dict[str, tuple[DecisionTable, str]] = {}
        self._lock = threading.Lock()
        self.memo: dict[tuple, dict[str, Any]] = {}

    @property
    def decision_ids(self) -> list[str]:
        return sorted(self._parsers)

    def table(self, decision_id: str) -> tuple[DecisionTable, str]:
        with self._lock:
            if decision_id not in self._tables:
                dmn_parser = self._parsers.get(decision_id)
                if dmn_parser is None:
                    raise RuleError(f"未找到决策表：{decision_id}（已加载：{'、'.join(self.decision_ids) or '无'}）")
                try:
                    dmn_parser.parse()
                except SpiffWorkflowException as exc:
                    raise RuleError(f"决策表 {decision_id} 无法解析：{exc}") from exc
                self._tables[decision_id] = (dmn_parser.decision.decisionTables[0], dmn_parser.filename)
            return self._tables[decision_id]


def _parsed_set(bundle_id: str, files: Mapping[str, str]) -> _ParsedSet:
    with _lock:
        cached = _parsed.get(bundle_id)
        if cached is None:
            cached = _parsed[bundle_id] = _ParsedSet(files)
        return cached


def _one_decision_each(root: etree._Element) -> list[etree._Element]:
    """SpiffWorkflow reads one decision per DMN document; split files that hold several."""
    decisions = [child for child in root if etree.QName(child).localname == "decision"]
    if len(decisions) <= 1:
        return [root]
    documents = []
    for keep in range(len(decisions)):
        copy = deepcopy(root)
        for index, child in enumerate(c for c in list(copy) if etree.QName(c).localname == "decision"):
            if index != keep:
                copy.remove(child)
        documents.append(copy)
    return documents


def _memo_key(decision_id: str, inputs: dict[str, Any]) -> tuple | None:
    key = (decision_id, tuple(sorted(inputs.items())))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _copy(result: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, list) else v for k, v in result.items()}


class _FileSet:
    def __init__(self, set_id: str, files: dict[str, str]) -> None:
        self.id, self.files = set_id, files


class _DecisionContext:
    """What `DMNEngine` needs of a task: its data and a workflow with a script engine.

    It also satisfies SpiffWorkflow's error reporting, which walks task -> workflow -> spec.
    """

    def __init__(self, decision_id: str, filename: str, data: dict[str, Any]) -> None:
        self.data = dict(data)
        self.task_spec = _Named(decision_id)
        self.workflow = _Workflow(filename)


class _Named:
    def __init__(self, name: str) -> None:
        self.name = self.bpmn_name = self.bpmn_id = name


class _Workflow:
    def __init__(self, filename: str) -> None:
        self.script_engine = _script_engine
        self.spec = _Named(filename)
        self.spec.file = filename
        self.top_workflow = self
        self.parent_workflow = None
