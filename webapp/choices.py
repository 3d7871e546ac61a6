"""Select options read from the registry, so nobody types a department code by hand: a typo
would file a record, a user or an import under a department that does not exist."""
from __future__ import annotations

from wtforms import SelectChoice

from workflows.administration.departments import list_departments

from .runtime import get_runtime


def department_choices(blank: str | None = None) -> list[SelectChoice]:
    """The registered departments as "name（code）"; `blank` adds a first, empty option.
    Each option carries its name (`data-name`) for the forms that also keep the name."""
    options = [SelectChoice(d.code, f"{d.name}（{d.code}）", render_kw={"data-name": d.name})
               for d in list_departments(get_runtime().store)]
    return ([SelectChoice("", blank)] if blank is not None else []) + options
