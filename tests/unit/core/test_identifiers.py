"""USCC and resident ID validation with Chinese messages, and masking (DOMAIN.md §E)."""
from __future__ import annotations

import pytest
from stdnum.cn import ric, uscc

from workflows.core.errors import InvalidInput
from workflows.core.identifiers import (
    mask_id_number,
    mask_subject_code,
    validate_id_number,
    validate_subject_code,
    validate_uscc,
)

USCC = "91350100M000100Y43"


def with_ric_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def with_uscc_check(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


ID_NUMBER = with_ric_check("35010219900307123")  # 福州市鼓楼区, born 1990-03-07


def message_of(func, code: str) -> str:
    with pytest.raises(InvalidInput) as info:
        func(code)
    assert info.value.fields == {"code": info.value.message}
    return info.value.message


# --- 统一社会信用代码 -----------------------------------------------------------------------

def test_valid_uscc_is_normalised() -> None:
    assert validate_uscc(USCC) == USCC
    assert validate_uscc(" 91350100m000100y43 ") == USCC
    assert validate_uscc("９１３５０１００Ｍ０００１００Ｙ４３") == USCC  # full-width input


def test_uscc_with_letter_registration_authority_is_accepted() -> None:
    # GB 32100 assigns N (农业) at position 1; stdnum alone rejects it.
    code = with_uscc_check("N2350102MF0000012")
    assert validate_uscc(code) == code
    bad = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert message_of(validate_uscc, bad) == f"校验位不符：第18位应为{code[-1]}"


def test_uscc_wrong_length() -> None:
    assert message_of(validate_uscc, USCC[:17]) == "统一社会信用代码应为18位，实际为17位"
    assert message_of(validate_uscc, USCC + "1") == "统一社会信用代码应为18位，实际为19位"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_uscc_forbidden_letters_are_named_with_position(letter: str) -> None:
    code = USCC[:8] + letter + USCC[9:]
    assert message_of(validate_uscc, code) == (
        f"第9位字符“{letter}”不合法：统一社会信用代码不使用 I、O、S、V、Z"
    )


def test_uscc_letter_in_region_code_is_named() -> None:
    message = message_of(validate_uscc, "913501A0M000100Y43")
    assert message.startswith("第7位字符“A”不合法")


def test_uscc_bad_check_character_names_the_expected_one() -> None:
    assert message_of(validate_uscc, USCC[:17] + "4") == "校验位不符：第18位应为3"


def test_uscc_non_text_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        validate_uscc(None)  # type: ignore[arg-type]


# --- 公民身份号码 ---------------------------------------------------------------------------

def test_valid_id_number() -> None:
    assert ID_NUMBER == "350102199003071234"
    assert validate_id_number(ID_NUMBER) == ID_NUMBER


def test_id_number_with_x_check_is_normalised() -> None:
    code = with_ric_check("11010519491231002")
    assert code.endswith("X")
    assert validate_id_number(code.lower()) == code


def test_id_number_wrong_length_and_old_15_digit_numbers() -> None:
    assert message_of(validate_id_number, "1234567") == "公民身份号码应为18位，实际为7位"
    assert "请使用18位新号码" in message_of(validate_id_number, ID_NUMBER[:15])


def test_id_number_letter_in_body() -> None:
    message = message_of(validate_id_number, "3501021990X3071234")
    assert message == "第11位字符“X”不合法：公民身份号码前17位应为数字"


def test_id_number_bad_check_digit() -> None:
    assert message_of(validate_id_number, ID_NUMBER[:17] + "5") == "校验位不符：第18位应为4"


def test_id_number_invalid_birth_date() -> None:
    code = with_ric_check("35010219901307123")  # month 13
    assert message_of(validate_id_number, code) == "出生日期“19901307”无效"


def test_id_number_unknown_region() -> None:
    code = with_ric_check("99999919900307123")
    assert message_of(validate_id_number, code).startswith("行政区划代码“999999”")


# --- subject codes and masking --------------------------------------------------------------

def test_subject_code_is_classified() -> None:
    assert validate_subject_code(USCC.lower()) == ("legal_person", USCC)
    assert validate_subject_code(ID_NUMBER) == ("natural_person", ID_NUMBER)


def test_subject_code_wrong_length() -> None:
    message = message_of(validate_subject_code, "12345")
    assert message == "主体代码应为18位统一社会信用代码或公民身份号码，实际为5位"


def test_subject_code_all_digits_but_neither_explains_both() -> None:
    message = message_of(validate_subject_code, ID_NUMBER[:17] + "5")
    assert message.startswith("既不是有效的统一社会信用代码")
    assert "校验位不符：第18位应为4" in message


def test_subject_code_with_letters_reports_the_uscc_problem() -> None:
    assert message_of(validate_subject_code, USCC[:17] + "4") == "校验位不符：第18位应为3"


def test_mask_id_number_keeps_first_and_last_four() -> None:
    assert mask_id_number("35010219900307123X") == "3501**********123X"
    assert mask_id_number(ID_NUMBER) == "3501**********1234"
    assert mask_id_number("1234567") == "*******"


def test_mask_subject_code_leaves_uscc_and_masks_everything_else() -> None:
    assert mask_subject_code(USCC) == USCC
    assert mask_subject_code(ID_NUMBER) == "3501**********1234"
    assert mask_subject_code(USCC[:17] + "4") == "9135**********0Y44"  # invalid: mask to be safe
