"""The real OpenID Connect provider, started once per test session, and an app signed up with it."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp import create_app
from workflows.core.config import Settings
from workflows.runtime import Runtime, build_runtime

from tests.support.flow_kinds import product_and_test_kinds
from tests.support.oidc import Provider, ProviderMissing, start_provider


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory) -> Iterator[Provider]:
    """panva's oidc-provider on 127.0.0.1. Missing node or package fails the tests: never a quiet skip."""
    try:
        provider = start_provider(tmp_path_factory.mktemp("oidc"))
    except ProviderMissing as err:
        pytest.fail(str(err), pytrace=False)
    yield provider
    provider.stop()


@pytest.fixture
def oidc_settings(identity_provider):
    """The claim mapping a test module wants (override it); the defaults plus the roles it may grant."""
    return identity_provider.settings()


@pytest.fixture
def password_disabled_roles() -> frozenset[str]:
    return frozenset()


@pytest.fixture
def sso_runtime(db_url, clock, tmp_path, bpmn_dir, oidc_settings, password_disabled_roles) -> Iterator[Runtime]:
    settings = Settings(data_dir=tmp_path, database_url=db_url, bpmn_dir=bpmn_dir, secret_key="test-secret",
                        oidc=oidc_settings, password_signin_disabled_roles=password_disabled_roles)
    runtime = build_runtime(settings, clock, kinds=product_and_test_kinds())
    yield runtime
    runtime.close()


@pytest.fixture
def sso_app(sso_runtime) -> Flask:
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RUNTIME": sso_runtime})


@pytest.fixture
def sso_client(sso_app) -> FlaskClient:
    return sso_app.test_client()
