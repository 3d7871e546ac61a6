"""Authentication for every blueprint: session login pages, API tokens, role checks.

Blueprints import from here: `current_actor`, `login_required_roles`, `api_auth`.
"""
from __future__ import annotations

from .identity import SessionUser, api_auth, bearer_token, current_actor, login_required_roles
from .views import bp, landing_url

__all__ = ["SessionUser", "api_auth", "bearer_token", "bp", "current_actor", "landing_url",
           "login_required_roles"]
