"""What the desk's case page offers besides the case itself: the decision forms and the
fields a correction may change (the case is read by `workflows.kinds.common.desk_pages`)."""
from __future__ import annotations

# templates/desk/forms/<case kind>_<bpmn id>.html
TASK_FORMS = ("repair_review", "objection_first_review", "objection_verify", "commitment_accept", "commitment_verify",
              "interview_conduct", "interview_follow_up")
CORRECTABLE_LABELS = (("decision_no", "Decision number"), ("decision_date", "Decision date"),
                      ("category", "Penalty category"), ("facts", "Facts"), ("basis", "Legal basis"),
                      ("content", "Penalty content"), ("fine_amount", "Fine (yuan)"))
