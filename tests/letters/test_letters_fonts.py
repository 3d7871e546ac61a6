"""Fonts: prepared once, cover every template character, never tofu."""

from __future__ import annotations

import json
import re

import pytest

import letters
from letters import FontMissingError, fonts
from letters.catalog import TEMPLATES_DIR
from letters.render import LocalOnlyFetcher, Renderer

from tests.support.letters import extract


def test_prepare_is_idempotent() -> None:
    target = fonts.prepare_fonts()
    stamps = {p.name: p.stat().st_mtime_ns for p in target.glob("*.ttf")}
    assert len(stamps) == len(fonts.FACES)
    fonts.prepare_fonts()
    assert stamps == {p.name: p.stat().st_mtime_ns for p in target.glob("*.ttf")}
    manifest = json.loads((target / fonts.MANIFEST).read_text(encoding="utf-8"))
    assert all(len(face["source_sha256"]) == 64 for face in manifest["faces"].values())


def test_subset_covers_all_fixed_text() -> None:
    """Template and configuration text must never need the slow system-font fallback."""
    sources = [*TEMPLATES_DIR.rglob("*.html"), *TEMPLATES_DIR.rglob("*.json"),
               TEMPLATES_DIR.parent / "issuers.json"]
    text = "".join(re.sub(r"\{[#%].*?[#%]\}", "", p.read_text(encoding="utf-8"))
                   for p in sources)
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in fonts.charset()}
    assert not missing


def test_rare_character_falls_back_to_system_font(render_demo) -> None:
    name = "泉州市𠮷祥喆建材有限公司"  # 𠮷 (U+20BB7) and 喆: beyond GB 2312
    text = render_demo("acceptance", subject={"name": name}).text
    assert name in text


def test_no_cjk_font_raises_instead_of_tofu(tmp_path, monkeypatch) -> None:
    def no_source(face):
        raise FontMissingError(fonts.NO_FONT_MESSAGE)

    monkeypatch.setattr(fonts, "_source_of", no_source)
    monkeypatch.setattr(fonts.systemfonts, "has_chinese_font", lambda: False)
    with pytest.raises(FontMissingError, match="fonts-noto-cjk"):
        Renderer(tmp_path)


def test_character_outside_subset_without_system_font_raises(monkeypatch) -> None:
    renderer = Renderer()
    monkeypatch.setattr(fonts.systemfonts, "has_chinese_font", lambda: False)
    context = letters.demo_context("acceptance")
    context["subject"]["name"] = "𠮷野家有限公司"
    with pytest.raises(FontMissingError, match="fonts-noto-cjk"):
        renderer.render("acceptance", context)


def test_system_fonts_used_when_subsets_cannot_be_built(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(fonts, "_source_of", lambda face: (_ for _ in ()).throw(
        FontMissingError("no source")))
    renderer = Renderer(tmp_path)
    assert renderer.fonts.coverage is None and renderer.fonts.css == ""
    context = letters.demo_context("training_certificate")
    assert "培训证明" in extract(renderer.render("training_certificate", context)).text


def test_renderer_recycles_its_caches() -> None:
    renderer = Renderer(recycle_after=2)
    context = letters.demo_context("training_certificate")
    pdfs = [renderer.render("training_certificate", context) for _ in range(3)]
    assert renderer._count == 1
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)


@pytest.mark.parametrize("url", ["http://example.com/logo.png", "file:///etc/passwd"])
def test_letters_load_nothing_but_their_fonts(url) -> None:
    with pytest.raises(ValueError):
        LocalOnlyFetcher(()).fetch(url)


def test_a_rebuild_removes_retired_subsets(tmp_path, monkeypatch) -> None:
    """Before issue 16 the body face was a Noto subset, letters-song-regular.ttf: a rebuild
    (new builder) leaves only the current faces in the fonts dir."""
    import shutil
    shared = fonts.fonts_dir()

    def cut_from_the_shared_subsets(target, faces, _sources, _jobs):  # the real cut takes minutes
        for face in faces:
            shutil.copy(shared / face.filename, target / face.filename)

    monkeypatch.setattr(fonts, "_build", cut_from_the_shared_subsets)
    target = tmp_path / "fonts"
    target.mkdir()
    (target / "letters-song-regular.ttf").write_bytes(b"old")
    fonts.prepare_fonts(tmp_path)
    assert sorted(p.name for p in target.glob("*.ttf")) == sorted(face.filename for face in fonts.FACES)
    assert fonts.fonts_ready(tmp_path)
