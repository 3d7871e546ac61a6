"""Follow every visible link as every demo role: none leads to a 403 or a 500.

From the home page, two links deep, local GET links only. Every HTML page on the way carries
the security headers, and nothing the Content-Security-Policy would block (inline script,
inline event handlers, style attributes) so the pages work under it; a <style> element only
where the page's policy names its hash.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from tests.support.portal import file_by_form
from tests.support.records import create
from tests.support.web import login
from webapp.security import CONTENT_SECURITY_POLICY
from workflows.core.config import PROJECT_ROOT
from workflows.engine.rules import RuleBook
from workflows.people.demo import DEMO_PASSWORD, load_demo
from workflows.people.users import create_user

ROLES = ("applicant1", "reviewer1", "supervisor1", "dept1", "admin1", "auditor1", "integration1")
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*)"')
BLOCKED_INLINE = re.compile(r'<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+="|\sstyle="|javascript:')
DEPTH = 2
MAX_PAGES = 80


@pytest.fixture
def bpmn_dir() -> Path:
    return PROJECT_ROOT / "bpmn"  # the product flows: the portal's request forms need them


@pytest.fixture
def demo(app, store, clock) -> None:
    """The demo people, a credit record and a repair request on it: pages with rows to follow."""
    with store.write() as uow:
        load_demo(uow.session, clock.now())
        create_user(uow.session, "integration1", DEMO_PASSWORD, ["integration"], clock.now())
        uow.commit()
    record_id = create(store, RuleBook.from_directory(PROJECT_ROOT / "bpmn"), clock)
    applicant = app.test_client()
    login(applicant, "applicant1", DEMO_PASSWORD)
    file_by_form(applicant, record_id)


def policy_holds(policy: str, page: str) -> bool:
    """The site's policy, or it plus `style-src 'self'` with the hash of each <style> the page
    holds (the statistics' server-drawn charts) and nothing else."""
    if policy == CONTENT_SECURITY_POLICY:
        return "<style" not in page
    blocks = [html.unescape(b) for b in re.findall(r"<style[^>]*>(.*?)</style>", page, re.S)]
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'" for b in blocks}
    return blocks != [] and policy == f"{CONTENT_SECURITY_POLICY}; style-src 'self' {' '.join(sorted(hashes))}"


def local_links(html: str) -> set[str]:
    links = {urldefrag(href.replace("&amp;", "&")).url for href in HREF.findall(html)}
    return {link for link in links if link.startswith("/") and not link.startswith(("//", "/static/"))}


def crawl(client) -> dict[str, object]:
    """Breadth first from "/": path -> response, for every page within DEPTH links."""
    seen, frontier = {}, ["/"]
    for _depth in range(DEPTH + 1):
        next_frontier = []
        for path in frontier:
            if path in seen or len(seen) >= MAX_PAGES:
                continue
            response = seen[path] = client.get(path, follow_redirects=True)
            response.get_data()  # a streamed download (CSV export) holds its request context until read
            response.close()
            if response.mimetype == "text/html":
                next_frontier += sorted(local_links(response.get_data(as_text=True)))
        frontier = next_frontier
    return seen


@pytest.mark.parametrize("username", ROLES)
def test_no_visible_link_leads_to_a_refusal_or_an_error(client, demo, username):
    assert login(client, username, DEMO_PASSWORD).status_code == 302
    pages = crawl(client)
    assert len(pages) > 1
    bad = {path: r.status_code for path, r in pages.items() if r.status_code in (403, 500)}
    assert not bad, (username, bad)


@pytest.mark.parametrize("username", ("anonymous", "admin1", "applicant1"))
def test_every_html_page_carries_the_security_headers(client, demo, username):
    if username != "anonymous":
        login(client, username, DEMO_PASSWORD)
    for path, response in crawl(client).items():
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
        if response.mimetype != "text/html":
            continue
        assert policy_holds(response.headers["Content-Security-Policy"], response.get_data(as_text=True)), path
        assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
        assert response.headers["X-Frame-Options"] == "DENY", path
        inline = BLOCKED_INLINE.findall(response.get_data(as_text=True))
        assert not inline, (path, inline)
