"""Access to the process-wide `Runtime` from request code.

Views never build collaborators themselves: the app factory builds one runtime (or
receives one from tests) and every handler reaches it through `get_runtime()`.
"""
from __future__ import annotations

from flask import current_app

from workflows.runtime import Runtime

EXTENSION_KEY = "credit_cases"
LETTERS_KEY = "credit_cases_letters"  # the in-process letter pool (None: Celery or the sweeps render)
COURIER_KEY = "credit_cases_courier"  # the notification courier thread (None: the sweeps deliver)


def get_runtime() -> Runtime:
    return current_app.extensions[EXTENSION_KEY]
