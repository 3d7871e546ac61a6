"""Markdown reference of every letter type's context schema, generated from meta.json.

README.md embeds this output (``credit-cases letter schema``), so the documentation cannot
drift from the schema that validation enforces.
"""

from __future__ import annotations

from typing import Iterable

from .catalog import FieldSpec, catalog, common_fields

_HEADER = ["| 字段 | 必填 | 类型 | 说明 |", "|---|---|---|---|"]


def schema_markdown() -> str:
    """Shared fields once, then each type's own fields (and overrides), in catalogue order."""
    sections = [_section("### 通用字段（所有文书）", "", common_fields().values())]
    common = common_fields()
    for kind in catalog().values():
        own = [spec for spec in kind.fields if common.get(spec.path) != spec]
        sections.append(_section(f"### `{kind.key}` — {kind.title}", kind.purpose, own))
    return "\n".join(sections)


def _section(heading: str, purpose: str, specs: Iterable[FieldSpec]) -> str:
    lines = [heading, ""] + ([purpose, ""] if purpose else []) + _HEADER
    lines += [_row(spec) for spec in specs]
    return "\n".join(lines) + "\n"


def _row(spec: FieldSpec) -> str:
    required = ("是（每项）" if "[]" in spec.path else "是") if spec.required else (
        "条件" if spec.required_when else "否")
    note = spec.description
    if spec.values:
        note += "；取值：" + "，".join(f"`{k}` {v}" for k, v in spec.values.items())
    if spec.required_when:
        note += "；当 " + "，".join(f"`{k}` ∈ {list(v)}" for k, v in spec.required_when.items()) + " 时必填"
    kind = "enum" if spec.values and spec.kind == "text" else spec.kind
    return f"| `{spec.path}` | {required} | {kind} | {note} |"
