"""Authentication for every blueprint: session login pages, API tokens, role checks.

Blueprints import from here: `current_actor`; routes name the permission they need with
`permission_views.login_required_permission` / `api_permission` (the policy lives in
`workflows.people.permissions`). `login_required_roles()` / `api_auth()` without roles mean
"any signed-in caller".
"""
from __future__ import annotations

from .identity import SessionUser, api_auth, bearer_token, current_actor, login_required_roles
from .views import bp, landing_url

__all__ = ["SessionUser", "api_auth", "bearer_token", "bp", "current_actor", "landing_url",
           "login_required_roles"]
