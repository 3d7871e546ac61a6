"""The materials a repair request needs (DOMAIN.md §B), as the applicant sees them before filing.

The commitment and the proof of performance are always needed; a training certificate and a
credit report only where DMN `repair_documents` says so for a record's regime and severity.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workflows.kinds.common.filing_eligibility import RecordRow


@dataclass(frozen=True)
class Material:
    """One line of the checklist; `purpose` is the attachment purpose its files are filed under."""

    key: str
    label: str
    note: str
    required: bool
    purpose: str | None = None


def repair_checklist(rows: Iterable[RecordRow]) -> list[Material]:
    """For the records the applicant may file on now: what is needed for at least one of them."""
    fileable = [row for row in rows if row.may_file]
    training = any(row.needs_training for row in fileable)
    report = any(row.needs_report for row in fileable)
    return [
        Material("commitment", "信用承诺书", "在本页阅读全文并勾选同意即可，无需另行上传", True),
        Material("proof", "履行法定义务、纠正失信行为的证明材料", "如罚款缴纳凭证、整改报告、现场核查意见", True, "proof"),
        Material("training_certificate", "信用修复培训证明", "适用于527号规定下的严重失信记录；请同时填写证明编号",
                 training, "training_certificate"),
        Material("credit_report", "信用报告", "适用于527号规定下的严重失信记录；信用中国网站免费下载的概况报告即可",
                 report, "credit_report"),
    ]
