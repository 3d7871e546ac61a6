"""Warning interviews (约谈): bpmn/interview.bpmn — filing.py opens a case (`file_interview`), actions.py runs its service tasks
(listing.py those of the key-attention listing with due process),
tasks.py checks what people submit with its user tasks, vocabulary.py names its words and
the conditions of its gateways."""
from __future__ import annotations

from workflows.engine.registry import CaseKind, actions_in, task_data_in
from workflows.kinds.interview import actions, listing, tasks, vocabulary
from workflows.kinds.interview.filing import file_interview

KIND = CaseKind(vocabulary.KIND, vocabulary.LABEL, actions=actions_in(actions, listing), task_data=task_data_in(tasks),
                predicates=vocabulary.PREDICATES, messages=vocabulary.PARTY_MESSAGES, file=file_interview)
