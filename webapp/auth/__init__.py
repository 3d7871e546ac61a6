"""Authentication for every blueprint: session login pages, API tokens, role checks.

Blueprints import from here: `current_actor`, `login_required_permission`, `api_permission`
(and, until every area is converted, `login_required_roles`, `api_auth`). Templates ask the
same policy with the global `may("may_…", subject_code=…)`, registered here once.
"""
from __future__ import annotations

from .identity import (
                       SessionUser,
                       api_auth,
                       api_permission,
                       bearer_token,
                       current_actor,
                       login_required_permission,
                       login_required_roles,
                       may,
)
from .views import bp, landing_url

bp.add_app_template_global(may, "may")

__all__ = ["SessionUser", "api_auth", "api_permission", "bearer_token", "bp", "current_actor", "landing_url",
           "login_required_permission", "login_required_roles", "may"]
