"""BPMN/DMN spec sets: parsed once, identified by the sha256 of their files, stored once.

A case records the spec set it started with and keeps running on it after the files
change; older sets are re-parsed from the copy kept in the `spec_set` table.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from sqlalchemy.orm import Session

from workflows.core.errors import NotFound
from workflows.core.models.cases import SpecSet

SPEC_SUFFIXES = (".bpmn", ".dmn")


def read_spec_files(directory: Path) -> dict[str, str]:
    """All BPMN/DMN files below `directory`, keyed by their POSIX relative path."""
    files = sorted(p for p in Path(directory).rglob("*") if p.suffix in SPEC_SUFFIXES)
    return {p.relative_to(directory).as_posix(): p.read_text(encoding="utf-8") for p in files}


def spec_set_id(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return digest.hexdigest()


@dataclass
class SpecBundle:
    """A parsed, validated spec set: every executable process with its called specs."""

    id: str
    files: dict[str, str]
    processes: dict[str, tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]] = field(default_factory=dict)

    @classmethod
    def parse(cls, files: dict[str, str]) -> "SpecBundle":
        parser = SpiffBpmnParser(validator=BpmnValidator())
        for name, text in files.items():
            if name.endswith(".bpmn"):
                parser.add_bpmn_str(text.encode("utf-8"), filename=name)
            else:
                parser.add_dmn_str(text.encode("utf-8"), filename=name)
        bundle = cls(id=spec_set_id(files), files=files)
        for process_id in parser.get_process_ids():
            if parser.get_process_parser(process_id).process_executable:
                bundle.processes[process_id] = (
                    parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
        return bundle

    def process(self, process_id: str) -> tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]:
        try:
            return self.processes[process_id]
        except KeyError:
            raise NotFound(f"未找到流程定义：{process_id}") from None

    def bpmn_source(self, process_id: str) -> str | None:
        """The XML of the file that defines `process_id` (for drawing the diagram)."""
        marker = f'id="{process_id}"'
        return next((t for n, t in self.files.items() if n.endswith(".bpmn") and marker in t), None)


class SpecLibrary:
    """The current spec set (from a directory) plus any older ones cases still run on."""

    def __init__(self, directory: Path) -> None:
        self.current = SpecBundle.parse(read_spec_files(directory))
        self._bundles = {self.current.id: self.current}
        self._lock = threading.Lock()

    def ensure_stored(self, session: Session, now) -> None:
        if session.get(SpecSet, self.current.id) is None:
            session.add(SpecSet(id=self.current.id, files=self.current.files, created_at=now))

    def get(self, session: Session, set_id: str) -> SpecBundle:
        with self._lock:
            bundle = self._bundles.get(set_id)
        if bundle is not None:
            return bundle
        row = session.get(SpecSet, set_id)
        if row is None:
            raise NotFound(f"未找到流程定义集：{set_id}")
        bundle = SpecBundle.parse(row.files)
        with self._lock:
            self._bundles[set_id] = bundle
        return bundle
