"""The web surface's protections, wired by the app factory: headers, cookies, trusted proxies.

Every HTML page forbids framing and loads scripts, styles and images from this server only (no
CDN: deployments sit on intranets, and an injected `<script>` must not run). Responses that set
their own policy (attachments: `default-src 'none'`) keep it. Behind a reverse proxy, only the
configured number of hops may rewrite the client address and scheme, so a forged
X-Forwarded-For cannot pose as another office to the sign-in throttle.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from workflows.core.config import Settings

CSP_DIRECTIVES = (
    "default-src 'self'",
    "img-src 'self' data:",  # Bootstrap draws its icons (select arrow, menu) as data: SVGs
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = "; ".join(CSP_DIRECTIVES)
HTML_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
}
EVERY_RESPONSE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def init_app(app: Flask, settings: Settings) -> None:
    app.config.update(SESSION_COOKIE_SECURE=settings.secure_cookies,
                      REMEMBER_COOKIE_SECURE=settings.secure_cookies,
                      PREFERRED_URL_SCHEME="https" if settings.secure_cookies else "http")
    if settings.trusted_proxies > 0:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    """Headers a view already set win: a file download keeps its stricter policy."""
    extra = EVERY_RESPONSE_HEADERS | (HTML_HEADERS if response.mimetype == "text/html" else {})
    for name, value in extra.items():
        response.headers.setdefault(name, value)
    return response


def local_path(target: str | None) -> str | None:
    """`target` as a path on this site, or None: redirecting anywhere else is a phishing tool.

    Accepts "/desk/?view=mine" and this host's own absolute URLs (a Referer); refuses other
    hosts, "//evil", "/\\evil", "javascript:" and relative paths.
    """
    if not target or "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != request.host):
        return None
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
