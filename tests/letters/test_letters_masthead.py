"""The 发文机关标志 of a long issuer name stays legible (GB/T 9704-2012 §7.2.2, 信函格式 §10.1),
measured in the PDFs: never under 2号, wrapped into centred lines inside the block, the red
double lines 4 mm under the last; the organ's 规范化简称 on the masthead when it set one, while
the 署名 keeps the full legal name."""

from __future__ import annotations

import pytest

import letters
from tests.support.geometry import (
    LEFT,
    MARK_FLOOR_PT,
    MARK_TOP,
    NUMBER_GAP,
    RIGHT,
    double_lines,
    masthead_lines,
    near,
    problems,
    read_pages,
    signature_block,
)
from workflows.administration.departments import MASTHEAD_MAX, NAME_MAX

ALIASED = "泉州市市场监督管理局泉州经济技术开发区分局（泉州市知识产权局经济技术开发区分局）"
LONGEST = (ALIASED * 5)[:NAME_MAX]
SHORT = "泉州市市场监管局经开区分局"


def issued_by(render_demo, letter_type: str, name: str, masthead: str | None = None):
    issuer = {**letters.demo_context(letter_type)["issuer"], "name": name, "seal_text": name}
    if masthead is not None:
        issuer["masthead_name"] = masthead
    return render_demo(letter_type, issuer=issuer)


def measured(pdf: bytes):
    page = read_pages(pdf)[0]
    (thick, thin), _foot = double_lines(page)
    return page, masthead_lines(page), thick, thin


@pytest.mark.parametrize("letter_type", ["acceptance", "interview_notice", "repair_decision"])
@pytest.mark.parametrize("name, count", [(ALIASED, 3), ("某" * MASTHEAD_MAX, 3), (LONGEST, 11)],
                         ids=["aliased", "sixty", "longest"])
def test_a_long_name_wraps_at_the_floor_with_the_rules_under_its_last_line(render_demo, letter_type, name, count):
    rendered = issued_by(render_demo, letter_type, name)
    page, mark, thick, thin = measured(rendered.pdf)
    assert problems(rendered.pdf) == []
    assert "".join(line.text for line in mark) == name and len(mark) == count
    assert near(mark[0].top, MARK_TOP, 0.1)
    for line in mark:
        assert line.size == MARK_FLOOR_PT and all(char.red for char in line.chars)
        assert LEFT - 0.2 <= line.chars[0].x0 and line.chars[-1].x1 <= RIGHT + 0.2
        assert near((line.chars[0].x0 + line.chars[-1].x1) / 2, (LEFT + RIGHT) / 2, 1.0)
    gaps = [below.top - above.top for above, below in zip(mark, mark[1:])]
    assert all(near(gap, gaps[0], 0.1) for gap in gaps)  # evenly spaced lines
    assert near(thick.y - thick.thickness / 2 - mark[-1].bottom, 4.0, 0.1)
    number = next(line for line in page.text_lines if line.top > thin.y)
    assert near(number.top - (thin.y + thin.thickness / 2), NUMBER_GAP, 0.1)
    signature_block(read_pages(rendered.pdf), name)  # the 署名 keeps the full name


def test_a_wrapped_mark_breaks_between_organs_not_inside_a_word(render_demo):
    """Two 22 pt lines would cut 分局 (…开发区分 / 局（…）); a third line keeps each organ whole."""
    _page, mark, _thick, _thin = measured(issued_by(render_demo, "acceptance", ALIASED).pdf)
    assert [line.text for line in mark] == ["泉州市市场监督管理局", "泉州经济技术开发区分局", "（泉州市知识产权局经济技术开发区分局）"]


def test_a_name_that_fits_one_line_at_the_floor_keeps_one_line(render_demo):
    name = "某" * 19
    page, mark, thick, _thin = measured(issued_by(render_demo, "acceptance", name).pdf)
    assert [line.text for line in mark] == [name] and mark[0].size >= MARK_FLOOR_PT
    assert near(mark[0].top, MARK_TOP, 0.1) and near(thick.y - thick.thickness / 2 - mark[0].bottom, 4.0, 0.1)


@pytest.mark.parametrize("name", [ALIASED, LONGEST], ids=["aliased", "longest"])
def test_the_short_name_heads_the_letter_and_the_full_name_signs_it(render_demo, name):
    rendered = issued_by(render_demo, "interview_notice", name, masthead=SHORT)
    page, mark, thick, _thin = measured(rendered.pdf)
    assert problems(rendered.pdf) == [] and [line.text for line in mark] == [SHORT]
    assert mark[0].size == 30 and near(mark[0].top, MARK_TOP, 0.1)
    assert near(thick.y - thick.thickness / 2 - mark[0].bottom, 4.0, 0.1)
    pages = read_pages(rendered.pdf)
    _page, lines, _date = signature_block(pages, name)
    assert "".join(line.text for line in lines) == name


def test_an_empty_short_name_prints_the_full_name(render_demo):
    plain, blank = (issued_by(render_demo, "acceptance", ALIASED, masthead=value) for value in (None, ""))
    assert [ln.text for ln in measured(plain.pdf)[1]] == [ln.text for ln in measured(blank.pdf)[1]]
    assert blank.text == plain.text
