"""The words of credit commitments (信用承诺): disclosure and fulfilment."""
from __future__ import annotations

KIND = "commitment"  # the BPMN process id (bpmn/commitment.bpmn)
LABEL = "信用承诺"
DISCLOSURES = {"public": "可向社会公开", "restricted": "特定范围内公开", "private": "不可公开"}
FULFILMENTS = {"full": "全部履行", "partial": "部分履行", "none": "全部未履行", "false": "虚假承诺"}
