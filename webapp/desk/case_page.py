"""What the desk's case page offers besides the case itself: the decision forms and the
fields a correction may change (the case is read by `workflows.kinds.common.desk_pages`)."""
from __future__ import annotations

from pathlib import Path

FORMS_DIR = Path(__file__).resolve().parent.parent / "templates" / "desk" / "forms"
# templates/desk/forms/<case kind>_<bpmn id>.html: adding a kind's desk form is adding its file
TASK_FORMS = frozenset(path.stem for path in FORMS_DIR.glob("*.html") if not path.name.startswith("_"))
CORRECTABLE_LABELS = (("decision_no", "Decision number"), ("decision_date", "Decision date"),
                      ("category", "Penalty category"), ("facts", "Facts"), ("basis", "Legal basis"),
                      ("content", "Penalty content"), ("fine_amount", "Fine (yuan)"))
