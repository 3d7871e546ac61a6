"""JSON answers that always encode: Chinese text unescaped, and never a 500 for a string
UTF-8 cannot carry.

A lone surrogate (`"\\ud800"` sent in a JSON body) is a valid Python string but not encodable
as UTF-8; written unescaped it made the answer fail after its operation had committed. Such a
document is written with every non-ASCII character escaped instead: still the same JSON value.
"""
from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider


class TextSafeJSONProvider(DefaultJSONProvider):
    ensure_ascii = False  # API.md: Chinese text unescaped

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        text = super().dumps(obj, **kwargs)
        if text.isascii():
            return text
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return super().dumps(obj, **{**kwargs, "ensure_ascii": True})
        return text
