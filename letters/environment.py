"""The Jinja environment for letters: sandboxed, autoescaping, strict about undefined names.

Templates are developer-written, but their data comes from applicants (names, claims): the
sandbox and autoescaping keep that data inert, and StrictUndefined turns a misspelt field
into an error instead of a silently blank line in an official letter.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .catalog import TEMPLATES_DIR
from .formatting import FILTERS
from .verification import qr_data_uri


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """The shared environment (templates compile once per process)."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    env.filters["qr_data_uri"] = qr_data_uri
    return env
