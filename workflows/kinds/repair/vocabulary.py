"""The words of credit repair (信用修复): its process id, the reviewer's decisions."""
from __future__ import annotations

KIND = "repair"  # the BPMN process id (bpmn/repair.bpmn)
LABEL = "信用修复"
DECISIONS = {"approve": "予以修复", "reject": "不予修复", "supplement": "需补正"}
LIST_KINDS = ("serious_list", "key_attention")  # repaired list entries are removed from the list
