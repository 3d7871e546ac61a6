"""Credit repair (信用修复): bpmn/repair.bpmn — filing.py opens a case, actions.py runs its service tasks,
tasks.py checks what people submit with its user tasks, predicates.py names its gateway
conditions, vocabulary.py its words."""
from __future__ import annotations

from workflows.engine.registry import CaseKind, actions_in, task_forms_in
from workflows.kinds.repair import actions, predicates, tasks, vocabulary

KIND = CaseKind(vocabulary.KIND, vocabulary.LABEL, actions=actions_in(actions), task_forms=task_forms_in(tasks),
                predicates=predicates.PREDICATES)
