"""The 发文机关署名 with the issuing organ's full legal name, up to the longest the admin form and
API accept (GB/T 9704-2012 §7.3.5): inside the 156 mm block in 3号, in even lines when longer
than a line, the 成文日期 centred under them, the seal image over name and date; measured in the
PDFs (tests/support/geometry.py)."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

import letters
from letters.catalog import TEMPLATES_DIR
from letters.signature import LINE_CHARS, name_lines, signature_box, text_chars
from tests.support.geometry import (
    BODY_PT,
    CHAR,
    LEFT,
    PITCH,
    RIGHT,
    near,
    problems,
    read_pages,
    signature_block,
)
from workflows.administration.departments import NAME_MAX

ALIASED = "泉州市市场监督管理局泉州经济技术开发区分局（泉州市知识产权局经济技术开发区分局）"
DISTRICT = "某某省某某市某某区人民政府办公室（某某区信用体系建设领导小组办公室）"
LONGEST = (ALIASED * 5)[:NAME_MAX]  # what /admin/departments and the API accept at most
DATE = "2026年11月21日"  # the demos' 成文日期
#: Types signed by the issuer (the commitment and the interview record are forms the party signs).
SIGNED = sorted(t for t in letters.TYPES
                if "{% block signature %}" not in (TEMPLATES_DIR / t / "template.html").read_text(encoding="utf-8"))
EDGE = 0.2  # mm: a full line's last glyph ends this close to the block's edge


def seal_image() -> str:
    buffer = io.BytesIO()
    Image.new("RGBA", (420, 420), (230, 0, 18, 128)).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def issued_by(render_demo, letter_type: str, name: str, sealed: bool = True, **overrides):
    issuer = {**letters.demo_context(letter_type)["issuer"], "name": name, "seal_text": name if sealed else ""}
    if sealed:
        issuer["seal_image"] = seal_image()
    return render_demo(letter_type, issuer=issuer, **overrides)


def test_a_name_longer_than_a_line_breaks_before_its_alias() -> None:
    assert name_lines(ALIASED) == ("泉州市市场监督管理局泉州经济技术开发区分局", "（泉州市知识产权局经济技术开发区分局）")
    assert name_lines(DISTRICT) == ("某某省某某市某某区人民政府办公室", "（某某区信用体系建设领导小组办公室）")
    assert name_lines("泉州市市场监督管理局") == ("泉州市市场监督管理局",)


def test_lines_break_where_one_organ_ends_and_the_next_begins():
    joint = "泉州市发展和改革委员会泉州市社会信用体系建设领导小组办公室"  # 委|员会 and 社会 are no boundaries
    assert name_lines(joint) == ("泉州市发展和改革委员会", "泉州市社会信用体系建设领导小组办公室")
    assert name_lines(joint, 20) == ("泉州市发展和改革委员会", "泉州市社会信用体系建设领导小组办公室")
    street = "福建省泉州市丰泽区东海街道办事处社会事务服务中心"
    assert name_lines(street, 20) == ("福建省泉州市丰泽区东海街道办事处", "社会事务服务中心")
    # breaking only between organs would take two lines more than needed: the evenest lines instead
    assert len(name_lines(LONGEST)) == -(-len(LONGEST) // LINE_CHARS)


def test_the_longest_name_takes_the_fewest_even_lines_by_the_rules() -> None:
    lines = name_lines(LONGEST)
    assert "".join(lines) == LONGEST and len(lines) == -(-len(LONGEST) // LINE_CHARS)
    widths = [text_chars(line) for line in lines]
    assert max(widths) <= LINE_CHARS and max(widths) - min(widths) <= 3
    assert not [line for line in lines if line[0] in "）》，、。；：" or line[-1] in "（《"]  # 禁则


def test_latin_words_split_only_when_nothing_else_fits() -> None:
    words = "Quanzhou Municipal Administration for Market Regulation " * 3
    assert all(line.split() == line.split(" ") for line in name_lines(words.strip()))
    assert " ".join(name_lines(words.strip())).split() == words.split()
    solid = "QUANZHOU" * 25  # no break opportunity at all: split anyway, nothing lost
    assert "".join(name_lines(solid)) == solid and max(map(text_chars, name_lines(solid))) <= LINE_CHARS


def test_names_of_a_line_keep_their_place() -> None:
    """Up to a line the layout stays what it was: 成文日期 four characters in, the name centred on
    it as far as the block allows (sealed), two characters in (unsealed); two blank lines over
    a sealed signature, one over an unsealed one."""
    full = signature_box("泉" * LINE_CHARS, DATE, True)
    assert not full["wrapped"] and full["lines"] == ("泉" * LINE_CHARS,) and near(full["width"], 156, 0.01)
    assert full["right"] == 0 and near(full["date_left"], 156 - 11 * CHAR, 0.01) and near(full["top"], 2 * PITCH, 0.001)
    short = signature_box("德化县发展和改革局", DATE, True)
    assert short["right"] == round(3 * CHAR, 2) and short["seal_top"] == 7.1  # the name centred on the date
    unsealed = signature_box("泉" * (LINE_CHARS - 2), DATE, False)
    assert not unsealed["wrapped"] and unsealed["right"] == round(2 * CHAR, 2) and near(unsealed["top"], PITCH, 0.001)
    assert signature_box("泉" * (LINE_CHARS - 1), DATE, False)["wrapped"]  # 右空二字 leaves 26 characters


@pytest.mark.parametrize("name", [ALIASED, LONGEST], ids=["aliased", "longest"])
@pytest.mark.parametrize("letter_type", SIGNED)
def test_a_long_issuer_name_signs_inside_the_block(render_demo, letter_type, name) -> None:
    """Every character of the name and date inside the block, in 3号; the name's lines over the
    date, which is centred under them; the seal image centred on them and over the date; the
    whole name in the text layer; the letter's layout otherwise intact (no signature alone on a
    page, the verification block with it)."""
    rendered = issued_by(render_demo, letter_type, name)
    assert problems(rendered.pdf) == []
    assert name in "".join(rendered.text.split())
    page, lines, date = signature_block(read_pages(rendered.pdf), name)
    assert len(lines) == len(name_lines(name)) >= 2
    for line in [*lines, date]:
        assert line.size == BODY_PT and LEFT - EDGE <= line.chars[0].x0 and line.chars[-1].x1 <= RIGHT + EDGE
    assert all(near(below.top - above.top, PITCH, 0.15) for above, below in zip(lines, [*lines[1:], date]))
    assert lines[-1].bottom < date.top
    left, right = min(line.chars[0].x0 for line in lines), max(line.chars[-1].x1 for line in lines)
    assert near(right, RIGHT, 0.5)  # the block flush right, where a one-line name of this length sits
    assert near((date.chars[0].x0 + date.chars[-1].x1) / 2, (left + right) / 2, CHAR)
    x0, x1, top, bottom = max(page.images, key=lambda box: box[1] - box[0])
    assert near((x0 + x1) / 2, (left + right) / 2, 1.0) and top < date.top and bottom > date.bottom
    body = [line for line in page.text_lines if line.bottom < lines[0].top - PITCH]
    assert body[-1].bottom < top  # never over the body
    if len(lines) <= 3:  # a seal's height: its top within a line of the body, name and date under its centre
        assert top <= body[-1].bottom + PITCH and (top + bottom) / 2 < (lines[0].top + date.bottom) / 2


def test_an_unsealed_long_name_keeps_7_3_5_2(render_demo) -> None:
    """Without a seal: one blank line under the body, the name's lines two characters in from the
    right (右空二字) and flush left, the date two characters right of their first character."""
    rendered = issued_by(render_demo, "acceptance", DISTRICT, sealed=False)
    assert problems(rendered.pdf) == [] and DISTRICT in "".join(rendered.text.split())
    page, lines, date = signature_block(read_pages(rendered.pdf), DISTRICT)
    assert [line.text for line in lines] == list(name_lines(DISTRICT, LINE_CHARS - 2))
    assert max(line.chars[-1].x1 for line in lines) <= RIGHT - 2 * CHAR + EDGE
    assert len({round(line.chars[0].x0, 1) for line in lines}) == 1
    assert near(date.chars[0].x0, lines[0].chars[0].x0 + 2 * CHAR, 0.3)
    body = [line for line in page.text_lines if line.bottom < lines[0].top]
    assert near(lines[0].top - body[-1].top, 2 * PITCH, 0.15)


def test_a_tall_signature_takes_body_text_to_the_next_page(render_demo) -> None:
    """Eight lines of name with the date and seal do not fit under this decision's body: they go
    over together with its last lines (the keep-with rules), never alone."""
    records = letters.demo_context("repair_decision")["records"] * 3
    rendered = issued_by(render_demo, "repair_decision", LONGEST, records=records)
    pages = read_pages(rendered.pdf)
    page, lines, _date = signature_block(pages, LONGEST)
    assert page.number == len(pages) > 1 and problems(rendered.pdf) == []
    assert len([line for line in page.text_lines if line.bottom < lines[0].top and line.size == BODY_PT]) >= 2


@pytest.mark.parametrize("letter_type", ["commitment", "interview_record"])
@pytest.mark.parametrize("name", [LONGEST, "QUANZHOU" * 25], ids=["longest", "latin"])
def test_forms_without_a_masthead_take_a_long_issuer(render_demo, letter_type, name) -> None:
    """The commitment's 主送 and the interview record's 约谈单位 wrap the name inside the block."""
    rendered = render_demo(letter_type, issuer={**letters.demo_context(letter_type)["issuer"], "name": name})
    assert problems(rendered.pdf) == [] and name in "".join(rendered.text.split())
