"""Authentication for every blueprint: session login pages, API tokens, permission guards.

Blueprints import from here: `current_actor`, `login_required_permission`, `api_permission`
(None: any signed-in caller). Templates ask the same policy with the global
`may("may_…", subject_code=…)`, registered here once.
"""
from __future__ import annotations

from . import oidc, password  # noqa: F401  (register /auth/oidc/… and /account/password on bp)
from .guards import api_permission, login_required_permission, may
from .identity import SessionUser, bearer_token, current_actor
from .views import bp, landing_url

bp.add_app_template_global(may, "may")

__all__ = ["SessionUser", "api_permission", "bearer_token", "bp", "current_actor", "landing_url",
           "login_required_permission", "may"]
