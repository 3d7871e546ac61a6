"""The words of objections (异议): what may be objected to, and the verification outcomes."""
from __future__ import annotations

KIND = "objection"  # the BPMN process id (bpmn/objection.bpmn)
LABEL = "异议"
TARGETS = {"content": "信息内容", "period": "公示期限", "repair_result": "信用修复结果"}
OUTCOMES = ("correct", "revoke", "uphold")
CORRECTABLE = ("decision_no", "decision_date", "severity", "category", "facts", "basis", "content",
               "fine_amount", "department_name", "subject_name")
