"""Shared fixtures: fonts prepared once per machine, each demo letter rendered once."""

from __future__ import annotations

from typing import Callable

import pytest

import letters
from letters.fonts import prepare_fonts
from tests.support.letters import Rendered, extract


@pytest.fixture(scope="session", autouse=True)
def prepared_fonts() -> None:
    """Build the font subsets up front, in parallel (a no-op once built)."""
    prepare_fonts(jobs=2)


@pytest.fixture(scope="session")
def render_demo() -> Callable[..., Rendered]:
    """Render a demo context, with overrides, once per distinct input."""
    cache: dict[str, Rendered] = {}

    def render(letter_type: str, **overrides: object) -> Rendered:
        key = f"{letter_type}{sorted(overrides.items())!r}"
        if key not in cache:
            context = {**letters.demo_context(letter_type), **overrides}
            cache[key] = extract(letters.render(letter_type, context))
        return cache[key]

    return render
