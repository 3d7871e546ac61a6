"""`credit-cases letter certificates` and `demo` make working demo keys; `serve` refuses to start
in production with letters printing the loopback address."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from webapp.cli import CommandContext, main
from webapp.cli.service import check_public_url
from workflows.administration.certificates import certificate_of
from workflows.core.models.people import Department


@pytest.fixture
def cli(db_url, clock, tmp_path, monkeypatch):
    monkeypatch.setenv("CREDIT_CASES_DATABASE_URL", db_url)
    monkeypatch.setenv("CREDIT_CASES_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CREDIT_CASES_PUBLIC_URL", raising=False)
    monkeypatch.delenv("CREDIT_CASES_DEV", raising=False)

    def run(*args: str):
        return CliRunner().invoke(main, list(args), obj=CommandContext(clock=clock), catch_exceptions=False)
    return run


def test_demo_gives_every_demo_organ_a_key_chained_to_the_demo_root(cli, store, tmp_path):
    assert cli("db", "upgrade").exit_code == 0
    assert cli("demo").exit_code == 0
    folder = tmp_path / "certificates"
    assert (folder / "root-ca.pem").exists() and (folder / "passphrases.json").stat().st_mode & 0o077 == 0
    with store.read() as session:
        departments = {d.code: d for d in session.query(Department)}
        for code in ("QZ-XYB", "QZ-SCJG", "QZ-STHJ"):
            found = certificate_of(departments[code])
            assert f"CN={code}" in found.subject and "演示根证书" in found.issuer
            assert (folder / f"{code}.p12").stat().st_mode & 0o077 == 0
    again = cli("letter", "certificates", "demo")
    assert again.exit_code == 0 and "0 张演示证书" in again.output and ".p12" not in again.output  # idempotent
    shown = cli("letter", "certificates", "show").output
    assert "CN=QZ-SCJG" in shown and shown.count("演示根证书") == 3


def test_set_refuses_a_key_it_cannot_open_and_an_empty_path_stops_signing(cli, store, tmp_path):
    assert cli("db", "upgrade").exit_code == 0 and cli("demo").exit_code == 0
    (tmp_path / "junk.p12").write_bytes(b"not a key")
    refused = cli("letter", "certificates", "set", "QZ-SCJG", str(tmp_path / "junk.p12"))
    assert refused.exit_code != 0 and "证书文件无法打开" in refused.output
    assert cli("letter", "certificates", "set", "QZ-SCJG").exit_code == 0
    with store.read() as session:
        assert session.get(Department, "QZ-SCJG").certificate_path is None
        assert session.get(Department, "QZ-XYB").certificate_path


def test_serve_refuses_the_loopback_address_unless_it_is_a_development_run(cli):
    refused = cli("serve", "--port", "1")
    assert refused.exit_code == 1 and "CREDIT_CASES_PUBLIC_URL" in refused.output and "--dev" in refused.output


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000", "http://localhost:8000/", "http://[::1]:5000"])
def test_loopback_addresses_pass_only_with_dev(url, capsys):
    check_public_url(url, dev=True)
    assert "warning: development run" in capsys.readouterr().err
    with pytest.raises(Exception, match="--dev"):
        check_public_url(url, dev=False)


def test_a_public_address_passes_without_dev():
    check_public_url("https://xinyong.quanzhou.example", dev=False)
