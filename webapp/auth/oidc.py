"""Single sign-on through the province's OpenID Connect provider (统一身份认证), with Authlib.

`GET /auth/oidc/login` sends the browser to the provider (authorization code flow with PKCE,
`state` and `nonce` kept in the signed session); `GET /auth/oidc/callback` lets Authlib trade the
code for tokens and verify the id_token (signature from the provider's published keys, issuer,
audience, nonce, expiry), adds the userinfo claims, and hands them to
`workflows.people.federation.sign_in_federated`, which finds or provisions the account.
Whatever goes wrong at the provider ends on the login page with a Chinese message and a 400,
never a 500. Without `CREDIT_CASES_OIDC_ISSUER` both routes answer 404 and no button shows.
"""
from __future__ import annotations

import logging
import re
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, current_app, redirect, request, session
from flask_babel import gettext as _
from flask_login import current_user
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from workflows.core.config import Settings
from workflows.core.errors import InvalidInput
from workflows.people.federation import configuration_problems, sign_in_federated

from ..runtime import get_runtime
from ..security import local_path
from .forms import LoginForm
from .identity import start_session
from .views import bp, landing_url, login_page

CLIENT_NAME = "idp"
NEXT_KEY = "sso_next"
HTTP_TIMEOUT = 10  # seconds per call to the provider; a hung provider must not hang our workers
log = logging.getLogger(__name__)


class ProviderFailed(Exception):
    """The provider's answer cannot sign anyone in; `message` is for the login page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def init_app(app: Flask, settings: Settings) -> None:
    """Register the provider's client when single sign-on is configured (endpoints by discovery)."""
    problems = configuration_problems(settings)
    if problems:
        raise ValueError("; ".join(problems))
    if settings.oidc is None:
        return
    oauth = OAuth(app)
    oauth.register(CLIENT_NAME, client_id=settings.oidc.client_id, client_secret=settings.oidc.client_secret,
                   server_metadata_url=settings.oidc.metadata_url,
                   client_kwargs={"scope": settings.oidc.scopes, "code_challenge_method": "S256",
                                  "default_timeout": HTTP_TIMEOUT})


def _client() -> Any:
    oauth = current_app.extensions.get("authlib.integrations.flask_client")
    if oauth is None:
        abort(404)
    return oauth.create_client(CLIENT_NAME)


def redirect_uri() -> str:
    """The address registered at the provider: this site's public URL, whatever host the browser used."""
    return get_runtime().settings.public_url.rstrip("/") + "/auth/oidc/callback"


@bp.get("/auth/oidc/login")
def oidc_login() -> Response | tuple[str, int]:
    client = _client()
    if current_user.is_authenticated:
        return redirect(landing_url(current_user.actor))
    target = local_path(request.args.get("next"))
    try:
        response = client.authorize_redirect(redirect_uri())
    except (requests.RequestException, ValueError, RuntimeError, AuthlibBaseError) as err:
        log.warning("identity provider unreachable: %r", err)
        return _refused(_unreachable())
    session.pop(NEXT_KEY, None)
    if target:
        session[NEXT_KEY] = target
    return response


@bp.get("/auth/oidc/callback")
def oidc_callback() -> Response | tuple[str, int]:
    client = _client()
    target = session.pop(NEXT_KEY, None)
    try:
        claims = _verified_claims(client)
    except ProviderFailed as failure:
        return _refused(failure.message)
    runtime = get_runtime()
    try:
        result = sign_in_federated(runtime.store, claims["iss"], claims,
                                   runtime.settings.oidc.claims, runtime.clock.now())  # type: ignore[union-attr]
    except InvalidInput as err:
        return _refused(err.message)
    session_user = start_session(result.user)  # a fresh session: nothing of the anonymous one carries over
    return redirect(local_path(target) or landing_url(session_user.actor))


def _verified_claims(client: Any) -> dict[str, Any]:
    """The id_token's claims (checked by Authlib) with the userinfo endpoint's, for the same `sub`."""
    error = request.args.get("error")
    if error:
        raise ProviderFailed(_provider_error(error))
    try:
        metadata = client.load_server_metadata()
        issuer = request.args.get("iss")
        if issuer is not None and issuer != metadata.get("issuer"):  # RFC 9207: a mixed-up answer
            raise ProviderFailed(_unverifiable())
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub") or not claims.get("iss"):
            raise ProviderFailed(_unverifiable())
        if metadata.get("userinfo_endpoint"):
            extra = dict(client.userinfo(token=token))
            if extra.get("sub") != claims["sub"]:
                raise ProviderFailed(_unverifiable())
            claims = {**extra, **claims}
    except requests.RequestException as err:
        log.warning("identity provider unreachable: %r", err)
        raise ProviderFailed(_unreachable()) from err
    except (AuthlibBaseError, JoseError, ValueError) as err:
        log.warning("identity provider answer refused: %r", err)
        if getattr(err, "error", None) == "mismatching_state":
            raise ProviderFailed(_("The sign-in request has expired or is not valid. Please start again.")) from err
        raise ProviderFailed(_unverifiable()) from err
    return claims


def _provider_error(error: str) -> str:
    if error in ("access_denied", "consent_required", "login_required", "interaction_required"):
        return _("Sign-in at the unified identity platform was cancelled or refused.")
    code = re.sub(r"[^a-z0-9_]", "", error.lower())[:40]
    return _("The unified identity platform refused the sign-in (%(error)s).", error=code or "error")


def _unreachable() -> str:
    return _("The unified identity platform cannot be reached. Try again later or sign in with your password.")


def _unverifiable() -> str:
    return _("The answer of the unified identity platform could not be verified. Please try again.")


def _refused(message: str) -> tuple[str, int]:
    return login_page(LoginForm(formdata=None), 400, error=message)
