"""Official letters of credit cases (GB/T 9704-2012 layout), rendered to PDF.

Stable API::

    from letters import TYPES, demo_context, render, validate_context
    pdf = render("repair_decision", context)   # bytes; raises LetterContextError

Contexts hold primitives only (str/int/float/bool/None/list/dict); dates are ISO strings.
Numbering, archiving and issuing belong to the caller.
"""

from .catalog import TYPES
from .config import format_number
from .context import validate_context
from .demo import demo_context
from .errors import FontMissingError, FontsNotPreparedError, LetterContextError, UnknownLetterTypeError
from .fonts import prepare_fonts
from .render import render

__all__ = [
    "TYPES",
    "FontMissingError",
    "FontsNotPreparedError",
    "LetterContextError",
    "UnknownLetterTypeError",
    "demo_context",
    "format_number",
    "prepare_fonts",
    "render",
    "validate_context",
]
