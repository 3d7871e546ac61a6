"""The live workflows of recently advanced cases, kept in memory between steps.

Deserialising a case's workflow is a fixed cost of every step (a few milliseconds of
SpiffWorkflow object building); a case being worked on is advanced again soon (claim,
complete, the next lane's decision). The engine keeps the workflow object a committed step
left behind, with the exact JSON it wrote, and reuses it only while the row still holds that
JSON — compared under the case's row lock, so any other writer (another process, a restore,
a repair by hand) simply makes it a miss. A step takes its workflow out of the cache and
gives it back only after its commit: a rolled-back step never leaves a half-run workflow.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from SpiffWorkflow.bpmn import BpmnWorkflow


class WorkflowCache:
    """A small LRU of case id -> (saved JSON, workflow); `size` 0 turns it off."""

    def __init__(self, size: int = 64) -> None:
        self.size = max(size, 0)
        self._entries: OrderedDict[int, tuple[str, BpmnWorkflow]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def take(self, case_id: int, workflow_json: str) -> BpmnWorkflow | None:
        """The workflow that was saved as exactly `workflow_json`, now owned by the caller."""
        with self._lock:
            entry = self._entries.pop(case_id, None)
            if entry is not None and entry[0] == workflow_json:
                self.hits += 1
                return entry[1]
            self.misses += 1
            return None

    def keep(self, case_id: int, workflow_json: str, workflow: BpmnWorkflow) -> None:
        """Hand back a committed step's workflow; the oldest entries go beyond `size`."""
        if not self.size:
            return
        with self._lock:
            self._entries[case_id] = (workflow_json, workflow)
            self._entries.move_to_end(case_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget(self, case_id: int) -> None:
        with self._lock:
            self._entries.pop(case_id, None)

    def __len__(self) -> int:
        return len(self._entries)
