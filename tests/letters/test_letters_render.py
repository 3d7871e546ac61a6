"""Every letter type renders from its demo context with the facts a reader checks."""

from __future__ import annotations

import io

import pypdf
import pytest

import letters
from letters.catalog import TEMPLATES_DIR
from letters.verification import qr_code

from tests.support.letters import needs_pdftotext, pdftotext

EXPECTED_TITLES = {
    "acceptance": "受理通知书",
    "supplement_request": "补正通知书",
    "repair_decision": "信用修复决定书",
    "repair_refusal": "不予修复决定书",
    "objection_acceptance": "异议受理通知书",
    "objection_outcome": "异议处理告知书",
    "commitment": "信用承诺书",
    "breach_notice": "违诺告知书",
    "breach_decision": "违诺处理决定书",
    "interview_notice": "约谈通知书",
    "interview_record": "约谈记录",
    "training_certificate": "培训证明",
    "key_attention_notice": "拟列入重点关注名单告知书",
    "key_attention_decision": "列入重点关注名单决定书",
}


def test_types_are_the_documented_set_in_order() -> None:
    assert dict(letters.TYPES) == EXPECTED_TITLES
    assert list(letters.TYPES) == list(EXPECTED_TITLES)
    folders = {p.name for p in TEMPLATES_DIR.iterdir() if (p / "template.html").is_file()}
    assert folders == set(EXPECTED_TITLES)


@pytest.mark.parametrize("letter_type", list(EXPECTED_TITLES))
def test_demo_letter_shows_title_subject_number_date_and_page(render_demo, letter_type) -> None:
    context = letters.demo_context(letter_type)
    text = render_demo(letter_type).text
    assert EXPECTED_TITLES[letter_type] in text
    assert context["subject"]["name"] in text
    assert context["number"] in text
    assert "2026年11月21日" in text
    assert context["verification_code"] in text
    if letter_type in ("commitment", "interview_record"):  # forms without a 版头: every page numbered
        assert "— 1 —" in text
    else:  # 信函格式: 首页不显示页码
        assert "— 1 —" not in text


@needs_pdftotext
@pytest.mark.parametrize("letter_type", ["repair_decision", "commitment", "interview_record"])
def test_poppler_reads_the_same_facts(render_demo, letter_type) -> None:
    context = letters.demo_context(letter_type)
    text = pdftotext(render_demo(letter_type).pdf)
    for fact in (EXPECTED_TITLES[letter_type], context["subject"]["name"], context["number"],
                 "2026年11月21日"):
        assert fact in text


def test_number_follows_gbt_9704(render_demo) -> None:
    assert letters.demo_context("repair_decision")["number"] == "泉信用修〔2026〕12号"
    assert "泉信用修〔2026〕12号" in render_demo("repair_decision").text


def test_issuer_comes_from_configuration(render_demo) -> None:
    text = render_demo("acceptance").text
    assert "泉州市社会信用体系建设领导小组办公室" in text


def test_one_page_chinese_letter_is_small(render_demo) -> None:
    """≤ 80 KB without a seal image: a one-page letter, and the acceptance notice, which the
    GB/T 9704 spacing (masthead, sealed signature, 版记) now sets on two pages."""
    short = render_demo("training_certificate", training={"name": "信用修复专题培训", "date": "2026-11-18",
                                                          "organizer": "泉州市信用办"}, result=None,
                        subject={"name": "泉州市恒信建材有限公司"})
    assert short.pages == 1 and len(short.pdf) <= 80 * 1024
    assert len(render_demo("acceptance").pdf) <= 80 * 1024


def test_letters_embed_the_prepared_subsets_only(render_demo) -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_demo("acceptance").pdf))
    fonts = {str(font["/BaseFont"]) for font in
             reader.pages[0]["/Resources"]["/Font"].values()}
    prepared = {"Letters-Fang", "Letters-Song-Bold", "Letters-Folio", "Letters-Hei", "Letters-Kai"}
    assert fonts and all(name.split("+")[-1] in prepared for name in fonts), fonts


def test_same_context_gives_identical_bytes(render_demo) -> None:
    """The archive keeps bytes + sha256; a re-render must reproduce them."""
    context = letters.demo_context("acceptance")
    assert letters.render("acceptance", context) == render_demo("acceptance").pdf


def test_qr_code_encodes_the_verify_url(render_demo) -> None:
    context = letters.demo_context("acceptance")
    (image,) = pypdf.PdfReader(io.BytesIO(render_demo("acceptance").pdf)).pages[0].images
    pixels = image.image.convert("1")
    matrix = qr_code(context["verify_url"]).matrix  # level M, the fixed mask (test_letters_qr.py)
    border = (pixels.width - len(matrix)) // 2
    assert [[pixels.getpixel((x + border, y + border)) == 0 for x in range(len(row))]
            for y, row in enumerate(matrix)] == [[bool(v) for v in row] for row in matrix]


def test_multi_page_letter_numbers_every_page_but_the_first(render_demo) -> None:
    rendered = render_demo("repair_decision")
    assert rendered.pages == 2
    assert "— 1 —" not in rendered.text and "— 2 —" in rendered.text


def test_repair_decision_states_the_repair_outcome(render_demo) -> None:
    text = render_demo("repair_decision").text.replace("\n", "")
    assert "本机关决定对上述失信信息予以信用修复" in text
    assert "泉环罚〔2025〕88号（2025年3月12日作出）" in text
    assert "一、自本决定作出之日起" in text
