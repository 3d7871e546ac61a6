"""The JSON API under /api/v1 (API.md): one blueprint, routes added by the modules below.

Bearer tokens authenticate it, so it is exempt from form CSRF checks (see `create_app`);
a route module registers its views on `bp` and describes them with `openapi.document`.
"""
from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

ROUTE_MODULES = ("tokens", "calendar", "meta", "letters", "attachments", "cases", "records", "outbox",
                 "commitments", "training", "warnings")
# Written separately; loaded when present so this package works before and after it lands.
OPTIONAL_ROUTE_MODULES = ("tasks",)

for _name in ROUTE_MODULES:
    import_module(f"{__name__}.{_name}")
for _name in OPTIONAL_ROUTE_MODULES:
    if find_spec(f"{__name__}.{_name}") is not None:
        _module = import_module(f"{__name__}.{_name}")
        _own = getattr(_module, "bp", bp)
        if isinstance(_own, Blueprint) and _own is not bp:  # a module with its own blueprint
            bp.register_blueprint(_own)
