"""The Flask app factory: load config, bind extensions, register blueprints — nothing else.

No background threads start here (the timer sweep belongs to `credit-cases serve`), so
tests, gunicorn workers and scripts can build apps freely. The letter workers are chosen here
(`CREDIT_CASES_LETTER_WORKERS`): the pool's few threads start with its first letter.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from workflows.core.clock import Clock, SystemClock
from workflows.background.letters import start_letter_workers
from workflows.background.notifications import start_courier
from workflows.core.config import Settings, load_settings
from workflows.runtime import Runtime, build_runtime

from . import errors, i18n, input_guard, security
from .admin import bp as admin_bp
from .api import bp as api_bp
from .auth import bp as auth_bp
from .auth import oidc
from .commitments import bp as commitments_bp
from .desk import bp as desk_bp
from .extensions import bootstrap, csrf, login_manager
from .json_provider import TextSafeJSONProvider
from .resilience import ResilientFlask
from .letters import bp as letters_bp
from .letters.short import bp as short_bp
from .main import bp as main_bp
from .notifications import bp as notifications_bp
from .portal import bp as portal_bp
from .records import bp as records_bp
from .runtime import COURIER_KEY, EXTENSION_KEY, LETTERS_KEY
from .training import bp as training_bp
from .stats import bp as stats_bp
from .warnings import bp as warnings_bp

DEV_SECRET = Settings.secret_key  # the dataclass default
MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_MARGIN = 512 * 1024  # multipart boundaries and the other form fields
BLUEPRINTS: tuple[Blueprint, ...] = (main_bp, auth_bp, admin_bp, api_bp, letters_bp, records_bp, commitments_bp,
                                      training_bp, warnings_bp, stats_bp, portal_bp, desk_bp, short_bp,
                                      notifications_bp)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    config = dict(config or {})
    runtime = _runtime(config.pop("RUNTIME", None), config.pop("SETTINGS", None),
                       config.pop("CLOCK", None))
    app = ResilientFlask(__name__)
    app.config.from_mapping(
        SECRET_KEY=runtime.settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_UPLOAD + UPLOAD_MARGIN,
        BOOTSTRAP_SERVE_LOCAL=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    security.init_app(app, runtime.settings)  # before `config`, which tests may use to override
    app.config.from_mapping(config)
    app.extensions[EXTENSION_KEY] = runtime
    courier = app.extensions[COURIER_KEY] = start_courier(runtime.store, runtime.clock, runtime.courier,
                                                          _courier_mode(runtime.settings.letter_workers))
    app.extensions[LETTERS_KEY] = start_letter_workers(runtime.store, runtime.clock, runtime.settings.letter_workers,
                                                       runtime.settings.letter_threads,
                                                       runtime.settings.render_delay_seconds,
                                                       runtime.settings.database_url,
                                                       on_rendered=courier.wake if courier else None)
    if app.config["SECRET_KEY"] == DEV_SECRET and not (app.testing or app.debug):
        app.logger.warning("SECRET_KEY is the development default: set it before going live")
    app.json = TextSafeJSONProvider(app)
    _bind_extensions(app)
    oidc.init_app(app, runtime.settings)  # single sign-on, when configured
    _register_blueprints(app)
    return app


def _runtime(runtime: Runtime | None, settings: Settings | None, clock: Clock | None) -> Runtime:
    """Tests hand in a prebuilt runtime; otherwise build one from settings (env by default)."""
    if runtime is not None:
        return runtime
    return build_runtime(settings or load_settings(), clock or SystemClock())


def _courier_mode(letter_workers: str) -> str:
    """Notifications follow the letters: none sent at once where letters wait for the sweeps."""
    return {"off": "off", "inline": "inline"}.get(letter_workers, "thread")


def _bind_extensions(app: Flask) -> None:
    i18n.init_app(app)
    errors.init_app(app)
    input_guard.init_app(app)
    bootstrap.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in first.")
    login_manager.login_message_category = "warning"


def _register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # bearer tokens, not cookies: no form CSRF
