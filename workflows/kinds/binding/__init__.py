"""Binding requests (主体绑定): bpmn/binding.bpmn — filing.py opens a case (`file_binding`),
actions.py runs its service tasks, tasks.py checks what people submit with its user tasks,
vocabulary.py names its words; pages.py reads what the portal shows of requests.

The party of a binding case is the account that filed it, not the subject's accounts
(`FILER_KINDS` in workflows/people/permissions.py)."""
from __future__ import annotations

from workflows.engine.registry import CaseKind, actions_in, task_data_in
from workflows.kinds.binding import actions, tasks, vocabulary
from workflows.kinds.binding.filing import file_binding

KIND = CaseKind(vocabulary.KIND, vocabulary.LABEL, actions=actions_in(actions), task_data=task_data_in(tasks),
                predicates=vocabulary.PREDICATES, messages=vocabulary.PARTY_MESSAGES, file=file_binding)
