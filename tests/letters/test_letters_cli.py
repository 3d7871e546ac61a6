"""The ``letter`` click group (attached to ``credit-cases`` by the main CLI)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from webapp.cli.letters import letter


def test_render_demo_to_file(tmp_path) -> None:
    out = tmp_path / "decision.pdf"
    result = CliRunner().invoke(letter, ["render", "repair_decision", "--demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_render_from_data_file(tmp_path) -> None:
    runner = CliRunner()
    demo = runner.invoke(letter, ["demo", "acceptance"])
    data = json.loads(demo.output)
    data["subject"]["name"] = "泉州市丰泽区示例贸易有限公司"
    source = tmp_path / "case.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "a.pdf"
    result = runner.invoke(letter, ["render", "acceptance", "--data", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_bad_data_reports_missing_fields(tmp_path) -> None:
    source = tmp_path / "case.json"
    source.write_text('{"date": "2026-11-21"}', encoding="utf-8")
    result = CliRunner().invoke(letter, ["render", "acceptance", "--data", str(source),
                                         "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "缺少字段" in result.output and "subject.name" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_render_needs_exactly_one_source(tmp_path) -> None:
    result = CliRunner().invoke(letter, ["render", "acceptance", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2


def test_types_lists_keys_and_titles() -> None:
    result = CliRunner().invoke(letter, ["types"])
    assert "repair_decision\t信用修复决定书" in result.output


def test_readme_schema_is_current() -> None:
    """README.md ends with the generated schema; regenerate it when a meta.json changes."""
    from pathlib import Path

    import letters
    from letters.schema_doc import schema_markdown

    readme = Path(letters.__file__).with_name("README.md").read_text(encoding="utf-8")
    assert readme.endswith(schema_markdown() + "\n")
