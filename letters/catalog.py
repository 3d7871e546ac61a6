"""The letter types: one folder per type under ``templates/`` with ``template.html`` and
``meta.json`` (Chinese title, context schema, demo context).

Fields shared by every letter (issuer, number, date, subject, verification) are declared once
in ``templates/common.json`` and merged under each type's own declarations.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .errors import UnknownLetterTypeError

TEMPLATES_DIR = Path(__file__).with_name("templates")
KINDS = ("text", "date", "datetime", "int", "bool", "list", "dict")


@dataclass(frozen=True)
class FieldSpec:
    """One documented context field, addressed by a dotted path (``records[].decision_no``)."""

    path: str
    description: str
    required: bool
    kind: str = "text"
    values: Mapping[str, str] = field(default_factory=dict)
    required_when: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Short Chinese name for error messages: the description up to its first aside."""
        return re.split(r"[（(：:，,]", self.description, maxsplit=1)[0]


@dataclass(frozen=True)
class LetterType:
    key: str
    title: str
    order: int
    purpose: str
    fields: tuple[FieldSpec, ...]
    demo: Mapping[str, Any]
    demo_serial: int
    title_from: str | None = None  # an enum field whose label is the title (variants)

    @property
    def template_name(self) -> str:
        return f"{self.key}/template.html"

    def title_for(self, context: Mapping[str, Any]) -> str:
        """The printed title: a variant's label when the type has titled variants."""
        if self.title_from is None:
            return self.title
        return self.labels()[self.title_from].get(context.get(self.title_from), self.title)

    def labels(self) -> dict[str, dict[str, str]]:
        """Chinese labels of enumerated values, handed to the template as ``letter.labels``."""
        return {spec.path: dict(spec.values) for spec in self.fields if spec.values}


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _field_specs(meta: Mapping[str, Any], required: bool) -> dict[str, FieldSpec]:
    section = meta.get("required" if required else "optional", {})
    specs = {}
    for path, raw in section.items():
        kind = raw.get("type", "text")
        if kind not in KINDS:
            raise ValueError(f"unknown field type {kind!r} for {path}")
        when = {key: tuple(values) for key, values in raw.get("required_when", {}).items()}
        specs[path] = FieldSpec(path, raw["description"], required, kind,
                                MappingProxyType(dict(raw.get("values", {}))),
                                MappingProxyType(when))
    return specs


def _merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge of demo contexts: ``extra`` wins, nested dicts merge."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _load_type(folder: Path, common_demo: Mapping[str, Any]) -> LetterType:
    meta = _read_json(folder / "meta.json")
    specs = dict(common_fields())
    specs.update(_field_specs(meta, True))
    specs.update(_field_specs(meta, False))
    return LetterType(
        key=folder.name, title=meta["title"], order=meta["order"],
        purpose=meta.get("purpose", ""), fields=tuple(specs.values()),
        demo=MappingProxyType(_merge(common_demo, meta.get("demo", {}))),
        demo_serial=int(meta.get("demo_serial", 1)), title_from=meta.get("title_from"))


@lru_cache(maxsize=1)
def common_fields() -> Mapping[str, FieldSpec]:
    """Fields every type shares (templates/common.json), by path."""
    common = _read_json(TEMPLATES_DIR / "common.json")
    return MappingProxyType({**_field_specs(common, True), **_field_specs(common, False)})


@lru_cache(maxsize=1)
def catalog() -> Mapping[str, LetterType]:
    """All letter types, in the order a reader expects them (``order`` in meta.json)."""
    common_demo = _read_json(TEMPLATES_DIR / "common.json").get("demo", {})
    types = [_load_type(meta.parent, common_demo)
             for meta in TEMPLATES_DIR.glob("*/meta.json")]
    return MappingProxyType({t.key: t for t in sorted(types, key=lambda t: t.order)})


def get(letter_type: str) -> LetterType:
    """The type for a key, or an error listing the valid keys."""
    try:
        return catalog()[letter_type]
    except (KeyError, TypeError):
        known = "、".join(catalog())
        raise UnknownLetterTypeError(
            f"未知的文书类型：{letter_type!r}（unknown letter type; 可用类型：{known}）") from None


#: Stable keys → Chinese titles, e.g. ``TYPES["repair_decision"] == "信用修复决定书"``.
TYPES: Mapping[str, str] = MappingProxyType({key: t.title for key, t in catalog().items()})
