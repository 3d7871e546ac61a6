"""The words of warning interviews (约谈): their kinds and the topics every interview covers."""
from __future__ import annotations

KIND = "interview"  # the BPMN process id (bpmn/interview.bpmn)
LABEL = "约谈"
INTERVIEW_KINDS = {"prompt": "提示约谈", "warning": "警示约谈"}
TOPICS = {"policy": "信用政策法规", "measures": "失信惩戒措施及其影响", "repair": "信用修复的途径和程序"}
