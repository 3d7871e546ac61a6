"""A real OpenID Connect provider for the SSO tests, and a person's way through its pages.

`start_provider` runs panva's oidc-provider (npm, installed by `scripts/setup.sh --test` with
`npm ci`) through our launcher `provider.mjs` on 127.0.0.1, on a port the provider picks itself.
Accounts live in a JSON file the provider reads at every lookup, so a test sets what the provider
asserts with `set_account` — also between two sign-ins of the same person.

`sign_in` plays the browser: our app (Flask test client) sends it to the provider, `requests`
walks the provider's own login and consent pages, and the provider's redirect back to the
callback address is handed to the test client again.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from workflows.core.config import PROJECT_ROOT, ClaimMapping, OidcSettings

LAUNCHER = Path(__file__).with_name("provider.mjs")
PACKAGE = PROJECT_ROOT / "node_modules" / "oidc-provider"
PUBLIC_URL = "http://127.0.0.1:5000"  # the Settings default: where the provider sends people back
CALLBACK = PUBLIC_URL + "/auth/oidc/callback"
CLIENT_ID = "credit-cases"
SCOPES = "openid profile credit"
CLAIMS = {"openid": ["sub"], "profile": ["name", "preferred_username"],
          "credit": ["uscc", "subject_name", "roles", "department"]}
START_TIMEOUT = 20  # seconds for node to start and answer discovery


class ProviderMissing(RuntimeError):
    """node or the npm package is not installed: `scripts/setup.sh --test` installs both."""


@dataclass
class Provider:
    issuer: str
    client_secret: str
    accounts_file: Path
    process: subprocess.Popen[bytes]
    log_file: Path
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def set_account(self, sub: str, **claims: Any) -> None:
        """What the provider asserts for `sub` from now on (written atomically)."""
        self.accounts[sub] = claims
        temporary = self.accounts_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.accounts, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.accounts_file)

    def settings(self, **claims: Any) -> OidcSettings:
        """Our app's configuration for this provider; `claims` override the claim mapping."""
        return OidcSettings(issuer=self.issuer, client_id=CLIENT_ID, client_secret=self.client_secret,
                            scopes=SCOPES, claims=ClaimMapping(**claims))

    def stop(self) -> None:
        self.process.stdin.close()  # type: ignore[union-attr]
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


def start_provider(workdir: Path) -> Provider:
    """Start node on a free port and wait until the discovery document answers."""
    node = shutil.which("node")
    if node is None or not (PACKAGE / "package.json").exists():
        raise ProviderMissing(
            "the OpenID Connect provider for the SSO tests is not installed "
            f"(node: {node or 'missing'}, {PACKAGE}: {'present' if PACKAGE.exists() else 'missing'}); "
            "run `bash scripts/setup.sh --test` (it runs `npm ci`)")
    secret = secrets.token_urlsafe(24)
    accounts_file = workdir / "accounts.json"
    accounts_file.write_text("{}", encoding="utf-8")
    config = workdir / "provider.json"
    config.write_text(json.dumps({"client_id": CLIENT_ID, "client_secret": secret, "redirect_uris": [CALLBACK],
                                  "accounts_file": str(accounts_file), "claims": CLAIMS}), encoding="utf-8")
    log_file = workdir / "provider.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen([node, str(LAUNCHER), str(config)], cwd=PROJECT_ROOT,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
    issuer = _announced_issuer(process, log_file)
    provider = Provider(issuer, secret, accounts_file, process, log_file)
    try:
        discovery = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=START_TIMEOUT)
        discovery.raise_for_status()
        assert discovery.json()["issuer"] == issuer
    except Exception:
        provider.stop()
        raise
    return provider


def _announced_issuer(process: subprocess.Popen[bytes], log_file: Path) -> str:
    """The first stdout line {"issuer": …}, read in a thread so a silent node cannot hang the run."""
    lines: list[bytes] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(START_TIMEOUT)
    if not lines or not lines[0].strip():
        process.kill()
        raise RuntimeError(f"the OpenID Connect provider did not start: {log_file.read_text(errors='replace')}")
    return json.loads(lines[0])["issuer"]


def sign_in(client: FlaskClient, provider: Provider, login: str, *, cancel: bool = False,
            start: str = "/auth/oidc/login") -> TestResponse:
    """Walk the whole code flow as a person would; returns our callback's response.

    `cancel` presses the provider's Cancel link instead of signing in (error=access_denied).
    """
    return client.get(callback_path(provider_redirect(client, provider, login, cancel=cancel, start=start)))


def provider_redirect(client: FlaskClient, provider: Provider, login: str, *, cancel: bool = False,
                      start: str = "/auth/oidc/login") -> str:
    """Our login route → the provider's pages → the URL the provider sends the browser back to."""
    response = client.get(start)
    assert response.status_code == 302, response.get_data(as_text=True)
    browser = requests.Session()
    url = response.headers["Location"]
    assert url.startswith(provider.issuer), url
    for _step in range(20):
        if url.startswith(CALLBACK):
            return url
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code in (302, 303):
            url = urljoin(answer.url, answer.headers["Location"])
            continue
        assert answer.status_code == 200, (answer.status_code, answer.text[:500])
        url = _submit_page(browser, answer, login, cancel)
    raise AssertionError("the provider never sent the browser back")


def callback_path(url: str) -> str:
    """The callback URL as a path for the test client (which serves the app on any host)."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _submit_page(browser: requests.Session, page: requests.Response, login: str, cancel: bool) -> str:
    """Fill the provider's login or consent page; the URL it redirects to next."""
    html = page.text
    prompt = re.search(r'name="prompt" value="(\w+)"', html)
    assert prompt, html[:500]
    if cancel:
        abort = re.search(r'href="([^"]*/abort)"', html)
        assert abort, html[:500]
        target, data = urljoin(page.url, abort.group(1)), None
    else:
        action = re.search(r'<form[^>]*action="([^"]+)"', html)
        assert action, html[:500]
        target = urljoin(page.url, action.group(1))
        data = {"prompt": prompt.group(1)}
        if prompt.group(1) == "login":
            data |= {"login": login, "password": "any"}
    answer = (browser.get(target, allow_redirects=False, timeout=10) if data is None
              else browser.post(target, data=data, allow_redirects=False, timeout=10))
    assert answer.status_code in (302, 303), (answer.status_code, answer.text[:500])
    return urljoin(answer.url, answer.headers["Location"])
