"""How the 发文机关标志 sets (GB/T 9704-2012 §7.2.2, 信函格式 §10.1): red 小标宋, centred.

The standard fixes no size, only that the mark be 醒目、美观、庄重. A short name takes one line as
large as the 156 mm block allows, up to 30 pt. The mark never prints smaller than 2号 (22 pt),
the size of the 标题 it heads: a masthead smaller than the title under it reads as an
afterthought, and a 10 pt red line is no longer a masthead. A name too long for one line at
22 pt (an organ's full legal name, when the admin set no 规范化简称) is broken into the fewest
even lines at 22 pt, by the signature's break rules (before a bracketed alias, 禁则, Latin
words whole): the size stays monotone in the name's length, and every multi-line mark is 2号.
"""

from __future__ import annotations

from .signature import name_lines, text_chars

#: Width of the GB/T 9704 text block (156 mm) in points.
TEXT_BLOCK_PT = 156 / 25.4 * 72
LARGEST_PT, FLOOR_PT = 30.0, 22.0
#: One line keeps 2 % of slack (the old sizing: demo positions unchanged); a wrapped line may
#: fill the block (20 CJK characters of 22 pt are 155.2 mm), the template wrapping it should
#: wide Latin capitals ever exceed the estimate.
ONE_LINE_SLACK = 0.98


def masthead(name: str) -> dict[str, object]:
    """The mark's font size in pt and its lines, for the template."""
    width = max(text_chars(name), 1.0)
    fitted = min(LARGEST_PT, int(TEXT_BLOCK_PT / width * ONE_LINE_SLACK * 2) / 2)
    if fitted >= FLOOR_PT:
        return {"size": fitted, "lines": (name,), "wrapped": False}
    return {"size": FLOOR_PT, "lines": name_lines(name, TEXT_BLOCK_PT / FLOOR_PT), "wrapped": True}
