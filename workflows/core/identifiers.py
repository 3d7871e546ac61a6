"""统一社会信用代码 (GB 32100) and resident ID numbers (DOMAIN.md §E).

python-stdnum does the checking; this module turns its terse exceptions into Chinese messages
that tell the clerk which character is wrong, and masks ID numbers for lists and logs.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from workflows.core.errors import InvalidInput

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100 registration authorities with a letter code (中央军委改革和编制办公室, 农业, 其他);
# stdnum only accepts digits at position 1.
LETTER_AUTHORITIES = "ANY"
DIGITS = "0123456789"
USCC_NAME = "统一社会信用代码"
RIC_NAME = "公民身份号码"


def validate_uscc(code: str) -> str:
    """The normalised code if valid, else InvalidInput naming the problem."""
    number = _normalise(code, uscc.compact)
    failure = _uscc_failure(number)
    if failure is not None:
        raise _invalid(_uscc_message(number, failure))
    return number


def validate_id_number(code: str) -> str:
    """The normalised ID number if valid, else InvalidInput naming the problem."""
    number = _normalise(code, ric.compact)
    try:
        return ric.validate(number)
    except ValidationError as exc:
        raise _invalid(_ric_message(number, exc)) from exc


def validate_subject_code(code: str) -> tuple[str, str]:
    """("legal_person", USCC) or ("natural_person", ID number), decided by which one is valid.

    An 18-digit string can pass both checks in rare cases; it is then taken as an ID number,
    so that it gets masked rather than shown.
    """
    number = _normalise(code, uscc.compact)
    if len(number) != 18:
        raise _invalid(f"主体代码应为18位{USCC_NAME}或{RIC_NAME}，实际为{len(number)}位")
    ric_error = _error_of(validate_id_number, number)
    if ric_error is None:
        return "natural_person", number
    uscc_error = _error_of(validate_uscc, number)
    if uscc_error is None:
        return "legal_person", number
    if all(c in DIGITS for c in number[:17]):
        raise _invalid(f"既不是有效的{USCC_NAME}（{uscc_error}），也不是有效的{RIC_NAME}（{ric_error}）")
    raise _invalid(uscc_error)


def mask_id_number(code: str) -> str:
    """Keep the first 4 and last 4 characters (region, check digit); never raises."""
    number = ric.compact(code) if isinstance(code, str) else ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_subject_code(code: str) -> str:
    """USCC codes are public and stay as given; anything else is masked as personal data."""
    try:
        category, _ = validate_subject_code(code)
    except InvalidInput:
        category = "unknown"
    return code if category == "legal_person" else mask_id_number(code)


def _normalise(code: str, compact: Callable[[str], str]) -> str:
    if not isinstance(code, str):
        raise _invalid("代码应为文本")
    # Full-width digits and letters come from Chinese input methods.
    return compact(unicodedata.normalize("NFKC", code))


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, fields={"code": message})


def _error_of(validate: Callable[[str], str], number: str) -> str | None:
    try:
        validate(number)
    except InvalidInput as exc:
        return exc.message
    return None


def _uscc_failure(number: str) -> ValidationError | None:
    try:
        uscc.validate(number)
    except InvalidFormat as exc:
        if number[:1] in LETTER_AUTHORITIES:
            return _letter_authority_failure(number)
        return exc
    except ValidationError as exc:
        return exc
    return None


def _letter_authority_failure(number: str) -> ValidationError | None:
    """Let stdnum check the other positions, then compare its check character for the real code."""
    try:
        uscc.validate("1" + number[1:])
    except InvalidChecksum:
        pass
    except ValidationError as exc:
        return exc
    return None if uscc.calc_check_digit(number) == number[-1] else InvalidChecksum()


def _uscc_message(number: str, failure: ValidationError) -> str:
    if isinstance(failure, InvalidLength):
        return f"{USCC_NAME}应为18位，实际为{len(number)}位"
    if isinstance(failure, InvalidChecksum):
        return f"校验位不符：第18位应为{uscc.calc_check_digit(number)}"
    return _uscc_bad_character(number) or f"{USCC_NAME}格式不正确"


def _uscc_bad_character(number: str) -> str | None:
    """Name the first character stdnum would reject, and why."""
    for position, char in enumerate(number, start=1):
        reason = _uscc_position_rule(position, char)
        if reason:
            return f"第{position}位字符“{char}”不合法：{reason}"
    return None


def _uscc_position_rule(position: int, char: str) -> str | None:
    if position == 1 and not (char in DIGITS or char in LETTER_AUTHORITIES):
        return "第1位为登记管理部门代码，应为数字或 A、N、Y"
    if 2 <= position <= 8 and char not in DIGITS:
        return "第2–8位为机构类别代码和行政区划码，应为数字"
    if char in "IOSVZ":
        return f"{USCC_NAME}不使用 I、O、S、V、Z"
    if char not in USCC_ALPHABET:
        return f"{USCC_NAME}只使用数字和除 I、O、S、V、Z 以外的大写字母"
    return None


def _ric_message(number: str, failure: ValidationError) -> str:
    if isinstance(failure, InvalidLength):
        hint = "（请使用18位新号码）" if len(number) == 15 else ""
        return f"{RIC_NAME}应为18位，实际为{len(number)}位{hint}"
    if isinstance(failure, InvalidFormat):
        return _ric_bad_character(number)
    if isinstance(failure, InvalidChecksum):
        return f"校验位不符：第18位应为{ric.calc_check_digit(number)}"
    return _ric_component_message(number)


def _ric_bad_character(number: str) -> str:
    position, char = next((i, c) for i, c in enumerate(number[:17], start=1) if c not in DIGITS)
    return f"第{position}位字符“{char}”不合法：{RIC_NAME}前17位应为数字"


def _ric_component_message(number: str) -> str:
    """stdnum raises one InvalidComponent for both birth date and region; tell them apart."""
    try:
        ric.get_birth_date(number)
    except ValidationError:
        return f"出生日期“{number[6:14]}”无效"
    return f"行政区划代码“{number[:6]}”不存在或在出生时尚未设立"


def validate_department_code(code: str, local_pattern: str) -> str:
    """A government organ's USCC (starting `11`, check digit verified) or a local code
    matching the configured pattern (default: the `QZ-SCJG` style)."""
    text = (code or "").strip().upper()
    if not text:
        raise _invalid("部门代码不能为空")
    if text.startswith("11") and len(text) == 18:
        return validate_uscc(text)
    if re.fullmatch(local_pattern, text):
        return text
    raise _invalid(f"部门代码 {text} 既不是以11开头的机关{USCC_NAME}，也不符合本地部门代码规则")
