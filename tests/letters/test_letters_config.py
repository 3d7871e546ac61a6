"""Issuer settings are configuration: shipped defaults, replaceable by a file."""

from __future__ import annotations

import json

import pytest

import letters
from letters import config


def test_default_issuer_per_type() -> None:
    issuer = config.issuer_for("repair_decision")
    assert issuer["name"] == "泉州市社会信用体系建设领导小组办公室"
    assert issuer["number_prefix"] == "泉信用修"
    assert config.issuer_for("acceptance")["number_prefix"] == "泉信用受"


def test_environment_names_a_replacement_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "issuers.json"
    path.write_text(json.dumps({
        "verify_base_url": "https://xy.dehua.example/v/",
        "default": {"name": "德化县发展和改革局", "number_prefix": "德发改信"},
        "types": {"repair_decision": {"number_prefix": "德信修"}},
    }, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(config.CONFIG_ENV, str(path))
    context = letters.demo_context("repair_decision")
    assert context["issuer"]["name"] == "德化县发展和改革局"
    assert context["number"] == "德信修〔2026〕12号"
    assert context["verify_url"] == "https://xy.dehua.example/v/Q7K4M2XP9D3W"


def test_issuer_without_prefix_is_a_configuration_error(tmp_path, monkeypatch) -> None:
    path = tmp_path / "issuers.json"
    path.write_text(json.dumps({"default": {"name": "某办公室"}}), encoding="utf-8")
    monkeypatch.setenv(config.CONFIG_ENV, str(path))
    with pytest.raises(ValueError, match="issuer.number_prefix"):
        config.issuer_for("acceptance")
