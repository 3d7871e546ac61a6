"""Where the 发文机关署名, 成文日期 and seal image go (GB/T 9704-2012 §7.3.5), in mm for the template.

Widths are computed here rather than left to the layout engine (WeasyPrint's shrink-to-fit
layouts are slow). An issuing organ's full legal name can be far longer than a line (the admin
form accepts 200 characters, e.g. 泉州市市场监督管理局泉州经济技术开发区分局（泉州市知识产权局
经济技术开发区分局）): it is then broken into balanced lines here, where the break can prefer
the bracketed alias and keep closing marks off a line's start, and stays in 3号 (§7.3.5.5 lets
only line and character spacing give). The template centres each line and the date in the
same box, so the date sits centred under the name whatever the glyphs' exact widths are.
"""

from __future__ import annotations

from functools import lru_cache, partial
from itertools import pairwise

#: The GB/T 9704 grid: 28 characters of 156 mm on a line, 22 lines of 225 mm on a page.
LINE_CHARS = 28
CHAR_MM = 156 / LINE_CHARS
LINE_MM = 225 / 22
#: The seal image is 42 mm square; its top 7.1 mm under the body's last line box keeps it within
#: a line of the body's last glyphs (2.29 mm above the box's foot), with a one-line name and the
#: date a little (2.58 mm) under its centre.
SEAL_MM, SEAL_TOP = 42.0, 7.1
SEAL_BELOW_CENTRE = 3 * LINE_MM - SEAL_TOP - SEAL_MM / 2  # 2.58 mm: the block's centre is 3 lines down
GLYPH_INSET = (LINE_MM - 16 / 72 * 25.4) / 2  # a 3号 glyph's em box inside its line box
#: Break rules (禁则): no line starts with a closing mark or ends with an opening one.
NO_START = set("）》」』】〕〉〗，、。；：！？”’…·—)]}>,.;:!?%")
NO_END = set("（《「『【〔〈〖“‘([{<")
#: Where an organ's name ends inside a longer name (泉州市市场监督管理局|泉州经济技术开发区分局):
#: after the last character of a generic organ word or after one of ORGAN_END_WORDS, never
#: inside one of ORGAN_WORDS (委|员会, 办|公室 are no boundaries; 社会 is no organ).
ORGAN_ENDS = set("局厅委办院府部处室所署庭站队")
ORGAN_END_WORDS = ("委员会", "联合会", "协会", "商会", "学会", "中心")
ORGAN_WORDS = (*ORGAN_END_WORDS, "办公室", "人民政府", "办事处", "派出所", "管理处", "管理所")
#: Lines of a wrapped name may differ by up to six characters to break at a bracketed alias.
ALIAS_BONUS = 18.0
_NARROW = set("0123456789 .,:;!'\"|()[]{}-/`$*?") | set("abcdefghijklnopqrstuvxyz")


def text_chars(text: str) -> float:
    """Width of ``text`` in grid characters, as wide as the Fandol 仿宋 prints it or wider:
    figures and narrow marks half, lower-case letters 0.6 (b, d, n… are 0.56 em), the rest
    (CJK, full-width, marks such as “ ” ·, capitals: up to 1.02 em for W) one."""
    return sum(1.0 if ch not in _NARROW else 0.6 if ch.isalpha() else 0.5 for ch in text)


@lru_cache(maxsize=256)
def name_lines(name: str, limit: float = LINE_CHARS) -> tuple[str, ...]:
    """``name`` on as few lines of at most ``limit`` characters as it needs, as even as the
    break rules allow. Lines break where one organ's name ends and the next begins, or at a
    bracketed alias, when every such piece fits a line and that costs at most one line more
    (a masthead or signature reading 开发区分 / 局 is wrong). Else a break before （ or after ）
    is preferred, and words and numbers of Latin letters and figures are split, and the 禁则
    broken, only when nothing else fits a line."""
    widths = [text_chars(ch) for ch in name]
    if sum(widths) <= limit:
        return (name,)
    prefix = [0.0]
    for width in widths:
        prefix.append(prefix[-1] + width)
    by_words = _lines(name, prefix, limit, (_between_words, _by_the_rules, _anywhere))
    organs = _lines(name, prefix, limit, (partial(_between_organs, inside=_inside_organ_words(name)),))
    return organs if organs and len(organs) <= len(by_words) + 1 else by_words


def _lines(name: str, prefix: list[float], limit: float, rules) -> tuple[str, ...]:
    """The balanced lines by the first of ``rules`` whose breaks let every piece fit; () if none."""
    for rule in rules:
        allowed = [at for at in range(1, len(name)) if rule(name, at)]
        stops = [0, *allowed, len(name)]
        if all(prefix[b] - prefix[a] <= limit for a, b in pairwise(stops)):
            breaks = _balanced_breaks(name, prefix, set(allowed), limit)
            lines = (name[a:b].strip() for a, b in zip([0, *breaks], [*breaks, len(name)]))
            return tuple(line for line in lines if line)
    return ()


def _balanced_breaks(name: str, prefix: list[float], allowed: set[int], limit: float) -> list[int]:
    """Breaks (from ``allowed``) giving ``name`` the fewest lines within ``limit``, the most even
    (least sum of squared line widths) less the alias bonus. Dynamic programming, one pass per
    line count: a 200-character name takes a few milliseconds, once (cached)."""
    n = len(name)
    layer: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for _ in range(n):  # at most a character a line
        if n in layer:
            break
        following: dict[int, tuple[float, list[int]]] = {}
        for start, (cost, cuts) in layer.items():
            end = start + 1
            while end <= n and prefix[end] - prefix[start] <= limit:
                if end == n or end in allowed:
                    width = prefix[end] - prefix[start]
                    score = cost + width * width - _bonus(name, end)
                    if end not in following or score < following[end][0]:
                        following[end] = (score, [*cuts, end])
                end += 1
        layer = following
    return layer[n][1][:-1]


def _inside_organ_words(name: str) -> frozenset[int]:
    """Positions that would split one of ORGAN_WORDS."""
    found: set[int] = set()
    for word in ORGAN_WORDS:
        start = name.find(word)
        while start >= 0:
            found.update(range(start + 1, start + len(word)))
            start = name.find(word, start + 1)
    return frozenset(found)


def _between_organs(name: str, at: int, inside: frozenset[int]) -> bool:
    """At a bracketed alias, or right after an organ's name, by the 禁则."""
    organ_end = at not in inside and (name[at - 1] in ORGAN_ENDS or name[:at].endswith(ORGAN_END_WORDS))
    return (organ_end or name[at] == "（" or name[at - 1] == "）") and _by_the_rules(name, at)


def _by_the_rules(name: str, at: int) -> bool:
    """禁则: no line starts with a closing mark or ends with an opening one."""
    return name[at] not in NO_START and name[at - 1] not in NO_END


def _between_words(name: str, at: int) -> bool:
    """The 禁则, and not inside a run of Latin letters and figures (a word, a number)."""
    before, after = name[at - 1], name[at]
    inside = before.isascii() and after.isascii() and before.isalnum() and after.isalnum()
    return not inside and _by_the_rules(name, at)


def _anywhere(name: str, at: int) -> bool:
    return True


def _bonus(name: str, at: int) -> float:
    return ALIAS_BONUS if at < len(name) and (name[at] == "（" or name[at - 1] == "）") else 0.0


def signature_box(name: str, date_text: str, sealed: object) -> dict[str, object]:
    """Where the issuer name and 成文日期 go (GB/T 9704 7.3.5), in mm for the template.

    Sealed (7.3.5.1): the date four characters in from the right edge, the name centred on the
    date as far as the block allows, two blank lines above for the seal. Unsealed (7.3.5.2):
    the name two characters in, the date one line under it and two characters to its right; a
    date longer than that moves to two characters in and pushes the name left. A name too long
    for that: see `_wrapped_box`. Returns the block's width and right margin, its top padding,
    the name's lines, each line's left padding inside the block, the centre of the name and
    the top of the seal image.
    """
    nw, dw, sealed = text_chars(name), text_chars(date_text), bool(sealed)
    if sealed:
        date_right = 4.0
        name_right = max(0.0, date_right + dw / 2 - nw / 2)
    else:
        name_right = 2.0
        date_right = name_right + nw - 2 - dw
        if date_right < 2:
            date_right, name_right = 2.0, 2.0 + dw + 2 - nw
    right = min(name_right, date_right)
    outer = max(name_right + nw, date_right + dw)
    if outer > LINE_CHARS:
        return _wrapped_box(name, sealed)
    top = 2 * LINE_MM if sealed else LINE_MM
    return {"sealed": sealed, "wrapped": False, "lines": (name,), "width": _mm(outer - right),
            "right": _mm(right), "top": round(top, 4), "name_left": _mm(outer - name_right - nw),
            "date_left": _mm(outer - date_right - dw), "name_centre": _mm(outer - name_right - nw / 2),
            "seal_top": _seal_top(top, 1)}


def _wrapped_box(name: str, sealed: bool) -> dict[str, object]:
    """A name longer than a line, broken into even lines one blank line under the body.

    Sealed: the block flush with the right edge, each line and the date centred in it (the
    date centred under the name, as 7.3.5.1 centres the name on the date), the seal centred on
    both. Unsealed: the block two characters in (右空二字), lines flush left, the date two
    characters right of their first character (7.3.5.2).
    """
    right = 0.0 if sealed else 2.0
    lines = name_lines(name, LINE_CHARS - right)
    width = max(text_chars(line) for line in lines)
    # Half a millimetre of slack so rounding never wraps a line the estimate says fits.
    box = min(_mm(width) + 0.5, _mm(LINE_CHARS - right))
    return {"sealed": sealed, "wrapped": True, "lines": lines, "width": box, "right": _mm(right),
            "top": round(LINE_MM, 4), "name_left": 0.0, "date_left": 0.0 if sealed else _mm(2),
            "name_centre": round(box / 2, 2), "seal_top": _seal_top(LINE_MM, len(lines))}


def _seal_top(top: float, lines: int) -> float:
    """The seal's top under the block's top edge: name and date a little under its centre as for
    a one-line name, its top no lower than for one (within a line of the body); a name of four
    or more lines is taller than the seal, which then presses the date and the name's last lines."""
    block_centre = top + (lines + 1) * LINE_MM / 2
    centred = min(block_centre - SEAL_BELOW_CENTRE - SEAL_MM / 2, SEAL_TOP)
    date_glyph_bottom = top + (lines + 1) * LINE_MM - GLYPH_INSET
    return round(max(centred, date_glyph_bottom + 0.25 - SEAL_MM), 2)


def _mm(chars: float) -> float:
    return round(chars * CHAR_MM, 2)
