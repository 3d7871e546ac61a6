"""Measuring a page as a phone shows it: sideways overflow, squeezed buttons, the portal's links.

Playwright reads the page's own layout, so the numbers are Chromium's, not a guess from the HTML.
"""
from __future__ import annotations

from urllib.parse import urlsplit

PHONE_WIDTHS = (390, 360)
MIN_BUTTON_WIDTH = 44  # px: a touch target narrower than this was the "one character wide" button

LAYOUT = """() => ({
  scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: [...document.querySelectorAll('main *')].filter(el => el.getBoundingClientRect().right > innerWidth + 1)
          .slice(0, 5).map(el => el.tagName + (el.id ? '#' + el.id : '')),
  narrow: [...document.querySelectorAll('main .btn')].filter(el => el.offsetParent !== null
          && el.getBoundingClientRect().width < %d).map(el => el.textContent.trim()),
})""" % MIN_BUTTON_WIDTH


def layout_faults(page, *, buttons: bool = True) -> dict[str, object]:
    """What is wrong with the current page at the viewport's width ({} when nothing).
    `buttons=False` checks the width only (the desk's table links styled as buttons)."""
    found = page.evaluate(LAYOUT)
    faults: dict[str, object] = {}
    if found["scroll"] > found["inner"]:
        faults["overflow"] = (found["scroll"], found["inner"], found["wide"])
    if buttons and found["narrow"]:
        faults["narrow buttons"] = found["narrow"]
    return faults


def portal_links(page, base: str) -> set[str]:
    """The applicant's own pages linked from the current one (no downloads, no API)."""
    hrefs = page.eval_on_selector_all("main a[href], nav a[href]", "els => els.map(a => a.href)")
    paths = set()
    for href in hrefs:
        parts = urlsplit(href)
        if href.startswith(base) and parts.path.startswith(("/portal", "/training")) and "." not in parts.path:
            paths.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def walk_at_phone_widths(page, base: str, start: list[str], depth: int = 2) -> dict[str, dict[str, object]]:
    """Every portal page within `depth` links of `start`, at each phone width: path -> faults."""
    seen: set[str] = set()
    frontier, faults = list(start), {}
    for _ in range(depth + 1):
        following: list[str] = []
        for path in sorted(set(frontier) - seen):
            seen.add(path)
            for width in PHONE_WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                page.goto(base + path)
                if found := layout_faults(page):
                    faults[f"{width} {path}"] = found
            following += portal_links(page, base)
        frontier = following
    page.set_viewport_size({"width": PHONE_WIDTHS[0], "height": 800})
    return {"pages": sorted(seen), **faults}


AXE = "node_modules/axe-core/axe.min.js"


def axe_violations(page, impacts: tuple[str, ...] = ("critical", "serious")) -> list[tuple[str, str, list[str]]]:
    """axe-core run in the page (the context must bypass the CSP, which refuses injected scripts)."""
    page.add_script_tag(path=AXE)
    found = page.evaluate("async () => (await axe.run(document)).violations.map(v => "
                          "[v.impact, v.id, v.nodes.slice(0, 3).map(n => n.target.join(' '))])")
    return [tuple(v) for v in found if v[0] in impacts]
