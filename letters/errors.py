"""Exceptions raised by the letters package.

Both subclass built-in errors so callers that do not know this package (the web layer's
generic handlers) still treat them correctly: bad input is a ValueError, a missing font is an
environment problem (RuntimeError).
"""

from __future__ import annotations


class LetterContextError(ValueError):
    """The context given for a letter is incomplete or not made of primitives."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        #: key → Chinese explanation, ready for the API's ``fields`` error member.
        self.fields: dict[str, str] = dict(fields or {})


class UnknownLetterTypeError(ValueError, LookupError):
    """No letter type has this key (a caller bug or a stale stored type)."""


class FontMissingError(RuntimeError):
    """No CJK font can render the letter: refusing beats printing empty boxes (tofu)."""


class FontsNotPreparedError(FontMissingError):
    """The font subsets can be built but are not: building takes 20–70 s, which a renderer
    must never spend inside its caller's request or transaction. Run the prepare command
    (``serve``, ``tick`` and the workers do it before they take work)."""
