"""GB/T 9704-2012 geometry measured in the PDFs themselves (character boxes and rules, read
with pdfminer.six): every letter type's demo, plus the letters a real case issues
(tests/web/api/cases/test_letter_geometry.py)."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image

import letters
from letters import fonts
from tests.support.geometry import (BODY_PT, BOTTOM, CHAR, LEFT, MM, NUMBER_GAP, PAGE_H, PAGE_W, PITCH, RIGHT,
                                    TITLE_PT, TOP, body_lines, double_lines, full_width, near, problems,
                                    read_pages)

TYPES = sorted(letters.TYPES)


def test_letters_are_set_in_the_fandol_faces() -> None:
    """The geometry below is measured on the Fandol faces (em box = line's glyph box). Without
    them (scripts/setup.sh extracts them from texlive-lang-chinese) letters fall back to Noto,
    whose taller ascent moves every glyph box by ~1.2 mm and fails these measurements."""
    manifest = json.loads((fonts.fonts_dir() / fonts.MANIFEST).read_text(encoding="utf-8"))
    sources = {face.key: Path(manifest["faces"][face.key]["source"]).name for face in fonts.FACES}
    assert sources == {"fang": "FandolFang-Regular.otf", "song-bold": "FandolSong-Bold.otf",
                       "hei": "FandolHei-Regular.otf", "kai": "FandolKai-Regular.otf",
                       "folio": "FandolSong-Regular.otf"}, "run scripts/setup.sh (Fandol fonts)"


@pytest.mark.parametrize("letter_type", TYPES)
def test_every_demo_letter_follows_the_layout(render_demo, letter_type) -> None:
    assert problems(render_demo(letter_type).pdf) == []


def test_full_lines_hold_28_characters_on_the_grid(render_demo) -> None:
    """A line of full-width characters fills the 156 mm block with 28 characters, one every
    156/28 mm; and a full page holds 22 lines."""
    full = []
    for letter_type in TYPES:
        for page, line in body_lines(read_pages(render_demo(letter_type).pdf)):
            if full_width(line.text) and len(line.chars) == 28:
                full.append(line)
    assert full, "no full line in any demo letter"
    for line in full:
        assert near(line.chars[0].x0, LEFT, 0.1) and near(line.chars[-1].x1, RIGHT, 0.2)
        steps = [b.x0 - a.x0 for a, b in zip(line.chars, line.chars[1:])]
        assert all(near(step, CHAR, 0.05) for step in steps)
    records = letters.demo_context("repair_decision")["records"] * 9  # a three-page decision, page 2 full
    pages = read_pages(render_demo("repair_decision", records=records).pdf)
    assert all(len(line.chars) <= 28 for p, line in body_lines(pages) if full_width(line.text))
    indented = [line for p, line in body_lines(pages) if LEFT + 5 < line.chars[0].x0 < LEFT + 15]
    assert indented and all(near(line.chars[0].x0, LEFT + 2 * CHAR, 0.05) for line in indented)  # 左空二字
    second = [line for page, line in body_lines(pages) if page.number == 2]
    assert len(second) == 22 and near(second[0].box_top, TOP) and near(second[-1].box_top, TOP + 21 * PITCH)


def test_fonts_and_sizes(render_demo) -> None:
    """Body 3号仿宋, title 2号小标宋 (bold Song), page numbers 4号宋体."""
    pages = read_pages(render_demo("acceptance").pdf)
    lines = pages[0].text_lines
    title = next(line for line in lines if line.text == "受理通知书")
    assert title.size == TITLE_PT and title.fonts() == {"Letters-Song-Bold"}
    body = [line for page, line in body_lines(pages)]
    assert body and all(line.size == BODY_PT for line in body)
    assert pages[1].folio.fonts() == {"Letters-Folio"} and pages[1].folio.size == 14


def test_pages_alternate_page_number_sides_and_the_first_has_none(render_demo) -> None:
    """信函格式: 首页不显示页码; from page 2 on, even pages left and odd pages right."""
    records = letters.demo_context("repair_decision")["records"] * 8
    pages = read_pages(render_demo("repair_decision", records=records).pdf)
    assert len(pages) >= 3
    assert pages[0].folio is None
    even, odd = pages[1].folio, pages[2].folio
    assert even.text.replace(" ", "") == "—2—" and odd.text.replace(" ", "") == "—3—"
    assert odd.chars[0].x0 > (LEFT + RIGHT) / 2 > even.chars[-1].x1
    assert near((even.top + even.bottom) / 2, BOTTOM + 7, 0.3)


def test_forms_without_a_masthead_number_their_first_page(render_demo) -> None:
    """The commitment (signed by the party) has no 版头, so it keeps the 通用 layout's folios."""
    pages = read_pages(render_demo("commitment").pdf)
    assert pages[0].folio is not None and pages[0].folio.text.replace(" ", "") == "—1—"
    assert not [r for r in pages[0].rules if r.red]


def test_letterhead_follows_the_letter_format(render_demo) -> None:
    """GB/T 9704 §10.1: the red 发文机关标志 30 mm from the page's top edge, centred; 4 mm under it a
    red double line 上粗下细, 20 mm from the bottom edge one 上细下粗, both 170 mm centred on the
    page; 发文字号 flush right, 7/8 of a 3号 character under the first line; 标题 two lines under."""
    for letter_type in ("acceptance", "training_certificate", "interview_notice"):
        page = read_pages(render_demo(letter_type).pdf)[0]
        mark = page.lines[0]
        assert mark.chars[0].red and near(mark.top, 30.0, 0.1)
        assert near((mark.chars[0].x0 + mark.chars[-1].x1) / 2, (LEFT + RIGHT) / 2, 1.0)
        (thick, thin), (thin2, thick2) = double_lines(page)
        for rule in (thick, thin, thin2, thick2):
            assert rule.red and near(rule.x0, 20.0, 0.1) and near(rule.x1, 190.0, 0.1)
            assert near((rule.x0 + rule.x1) / 2, PAGE_W / 2, 0.1)
        assert thick.thickness > 2 * thin.thickness and thick2.thickness > 2 * thin2.thickness
        assert near(thick.y - thick.thickness / 2 - mark.bottom, 4.0, 0.1)
        assert near(PAGE_H - (thick2.y + thick2.thickness / 2), 20.0, 0.1)
        number = page.lines[1]
        assert number.text == letters.demo_context(letter_type)["number"]
        assert near(number.chars[-1].x1, RIGHT, 0.2) and number.chars[0].x0 > (LEFT + RIGHT) / 2
        assert near(number.top - (thin.y + thin.thickness / 2), NUMBER_GAP, 0.1)
        title = page.lines[2]
        assert title.size == TITLE_PT and near(title.box_top - (number.box_top + PITCH), 2 * PITCH, 0.2)
        assert page.folio is None


def test_a_short_letter_is_one_page(render_demo) -> None:
    """Text that fits on one page, signature, verification block and 版记 included, is one page."""
    short = render_demo("training_certificate", training={"name": "信用修复专题培训", "date": "2026-11-18",
                                                          "organizer": "泉州市信用办"}, result=None,
                        subject={"name": "泉州市恒信建材有限公司"})
    assert short.pages == 1 and problems(short.pdf) == []


def test_a_long_last_paragraph_keeps_body_text_with_the_signature(render_demo) -> None:
    for letter_type in ("supplement_request", "objection_acceptance", "training_certificate"):
        pdf = render_demo(letter_type).pdf
        assert not [p for p in problems(pdf) if "signature page" in p], letter_type


def test_the_imprint_closes_the_last_page(render_demo) -> None:
    """信函格式 版记 (§10.1): 抄送 alone, 4号, no 印发机关和印发日期 and no 分隔线, on the last line of
    the last page's block; the verification block above it on the same page."""
    rendered = render_demo("repair_decision", cc=["泉州市生态环境局", "信用中国（福建泉州）网站"])
    last = read_pages(rendered.pdf)[-1]
    texts = [line.text for line in last.text_lines]
    assert any(t.startswith("抄送：泉州市生态环境局，信用中国（福建泉州）网站。") for t in texts)
    assert not [t for t in texts if t.endswith("印发")] and not [r for r in last.rules if not r.red]
    cc = next(line for line in last.text_lines if line.text.startswith("抄送："))
    assert cc is last.text_lines[-1] and cc.size == 14 and BOTTOM - 2.0 < cc.bottom < BOTTOM
    assert near(cc.chars[0].x0, LEFT + 14 * MM, 0.3)
    verify = next(line for line in last.text_lines if "核验" in line.text and "http" in line.text)
    assert verify.bottom < cc.top and "https://credit-cases.example/" in verify.text
    plain = read_pages(render_demo("repair_decision").pdf)[-1]
    assert not [line for line in plain.text_lines if line.text.startswith("抄送") or line.text.endswith("印发")]


def test_attachment_note_follows_the_body(render_demo) -> None:
    rendered = render_demo("supplement_request", attachments=["补正材料清单", "信用修复申请表。"])
    text = "".join(rendered.text.split())
    assert "附件：1.补正材料清单2.信用修复申请表" in text and "申请表。" not in text
    assert problems(rendered.pdf) == []
    lines = [line for page in read_pages(rendered.pdf) for line in page.text_lines]
    first = next(line for line in lines if line.text.startswith("附件："))
    second = next(line for line in lines if line.text.startswith("2.信用修复申请表"))
    assert near(first.chars[0].x0, LEFT + 2 * CHAR, 0.2)  # 左空二字
    assert near(second.chars[0].x0, first.chars[3].x0, 0.2)  # aligned on the first name


def test_no_drawn_seal_and_a_seal_image_sits_on_the_signature(render_demo) -> None:
    """Without a seal image nothing imitates one; with it, the image is centred on the issuer
    name over the date."""
    plain = render_demo("acceptance")
    assert "★" not in plain.text
    buffer = io.BytesIO()
    Image.new("RGBA", (420, 420), (230, 0, 18, 128)).save(buffer, "PNG")
    seal = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    issuer = {**letters.demo_context("acceptance")["issuer"], "seal_image": seal}
    sealed = render_demo("acceptance", issuer=issuer)
    assert problems(sealed.pdf) == [] and sealed.text == plain.text
    page = read_pages(sealed.pdf)[-1]
    x0, x1, top, bottom = max(page.images, key=lambda box: box[1] - box[0])
    name = next(line for line in page.text_lines if line.text == issuer["name"])
    date = next(line for line in page.text_lines if line.text == "2026年11月21日")
    body = [line for line in page.text_lines if line.bottom < name.top - PITCH]
    assert near((x0 + x1) / 2, (name.chars[0].x0 + name.chars[-1].x1) / 2, 1.0)  # centred on the name
    assert near(date.chars[-1].x1, RIGHT - 4 * CHAR, 0.5)  # 成文日期 four characters in
    assert top < name.top and bottom > date.bottom  # over the name and the date
    assert body[-1].bottom < top <= body[-1].bottom + PITCH  # within a line of the body, not over it
    assert (top + bottom) / 2 < (name.top + date.bottom) / 2  # name and date a little under its centre


def test_a_short_verification_url_fits_one_line(render_demo) -> None:
    """The verify URL (<public>/v/<code>, ~45 characters) prints on one line beside the QR."""
    url = "https://xinyong.quanzhou.gov.cn/v/Q7K4M2XP9D3W"
    rendered = render_demo("acceptance", verify_url=url)
    last = read_pages(rendered.pdf)[-1]
    assert any(line.text == f"核验：{url}" for line in last.text_lines)
    assert problems(rendered.pdf) == []


def test_first_level_headings_are_set_in_hei(render_demo) -> None:
    """结构层次序数: the first level (一、…：) in 黑体, the text after it in 仿宋, on the same grid."""
    pages = read_pages(render_demo("key_attention_notice").pdf)
    heading = next(line for page in pages for line in page.text_lines if line.text.startswith("一、列入理由："))
    assert [c.font.split("+")[-1] for c in heading.chars[:7]] == ["Letters-Hei"] * 7
    assert heading.chars[7].font.endswith("Letters-Fang")
    assert all(near(b.x0 - a.x0, CHAR, 0.05) for a, b in zip(heading.chars[:8], heading.chars[1:9]))
