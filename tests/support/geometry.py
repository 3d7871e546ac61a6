"""GB/T 9704-2012 geometry read back from a letter's PDF (character boxes and rules).

pdfminer.six gives every character's box, font and size and every drawn rule; this module
groups them into lines on pages in millimetres from the page's top-left corner, and
`problems` lists where a letter departs from the layout the standard fixes (§5, §7, and the
信函格式 of §10.1 for letters with a 版头).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTCurve, LTImage, LTPage

MM = 25.4 / 72
PAGE_H = 297.0
LEFT, TOP, WIDTH, HEIGHT = 28.0, 37.0, 156.0, 225.0
RIGHT, BOTTOM = LEFT + WIDTH, TOP + HEIGHT
PITCH = HEIGHT / 22
CHAR = WIDTH / 28
BODY_PT, TITLE_PT, FOLIO_PT = 16.0, 22.0, 14.0
TOL = 0.6  # mm
PAGE_W = 210.0
#: 信函格式 (§10.1): the 发文机关标志's top edge 30 mm from the page's top edge; red double lines
#: 170 mm long centred on the page, 4 mm under the 标志 (上粗下细) and 20 mm from the page's
#: bottom edge (上细下粗); the 发文字号 7/8 of a 3号 character under the first.
MARK_TOP = 30.0
#: The 标志 never prints under 2号 (the title's size); a longer name wraps (letters/masthead.py).
MARK_FLOOR_PT = 22.0
DOUBLE_LEFT, DOUBLE_RIGHT = (PAGE_W - 170) / 2, (PAGE_W + 170) / 2
FOOT_DOUBLE_BOTTOM = PAGE_H - 20
THICK, THIN = 1.0, 0.35
NUMBER_GAP = 7 / 8 * BODY_PT * 25.4 / 72


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float  # em box, mm from the page's top edge
    bottom: float
    size: float  # pt
    font: str
    red: bool


@dataclass
class Line:
    chars: list[Char]

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def size(self) -> float:
        return max(c.size for c in self.chars)

    @property
    def box_top(self) -> float:
        """Top of the 10.227 mm line box the em box is centred in."""
        return self.top - (PITCH - self.size * MM) / 2

    def fonts(self) -> set[str]:
        return {c.font.split("+")[-1] for c in self.chars if not c.text.isspace()}


@dataclass
class Rule:
    x0: float
    x1: float
    y: float
    thickness: float
    red: bool


@dataclass
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, x1, top, bottom

    @property
    def text_lines(self) -> list[Line]:
        """Lines inside the text block (not the page number)."""
        return [ln for ln in self.lines if ln.top < BOTTOM]

    @property
    def folio(self) -> Line | None:
        below = [ln for ln in self.lines if ln.top >= BOTTOM]
        return below[0] if below else None


def _red(color: object) -> bool:
    return isinstance(color, (tuple, list)) and len(color) == 3 and color[0] > 0.7 and color[1] < 0.3


def read_pages(pdf: bytes) -> list[Page]:
    """The PDF's characters grouped into lines (by em box top and size) and its rules."""
    pages = []
    for index, layout in enumerate(extract_pages(io.BytesIO(pdf), laparams=LAParams()), 1):
        pages.append(_page(index, layout))
    return pages


def _page(number: int, layout: LTPage) -> Page:
    page = Page(number)
    chars: list[Char] = []
    boxes: list[tuple[float, float, float, float, bool]] = []

    def walk(item: object) -> None:
        if isinstance(item, LTChar):
            size = round(item.size, 1)
            chars.append(Char(item.get_text(), item.x0 * MM, item.x1 * MM, PAGE_H - item.y1 * MM,
                              PAGE_H - item.y0 * MM, size, item.fontname,
                              _red(item.graphicstate.ncolor)))
        elif isinstance(item, LTImage):
            page.images.append((item.x0 * MM, item.x1 * MM, PAGE_H - item.y1 * MM, PAGE_H - item.y0 * MM))
        elif isinstance(item, LTCurve) and item.fill and item.width * MM > 20:
            boxes.append((item.x0 * MM, item.x1 * MM, PAGE_H - item.y1 * MM, PAGE_H - item.y0 * MM,
                          _red(item.non_stroking_color)))
        for child in getattr(item, "_objs", []) or []:
            walk(child)

    walk(layout)
    page.rules = _rules(boxes)
    for char in sorted(chars, key=lambda c: (round(c.bottom, 0), c.x0)):
        same = [ln for ln in page.lines if abs(ln.chars[0].bottom - char.bottom) < 1.0]
        if same:
            same[0].chars.append(char)
        else:
            page.lines.append(Line([char]))
    for line in page.lines:
        line.chars.sort(key=lambda c: c.x0)
    page.lines.sort(key=lambda ln: ln.top)
    return page


def _rules(boxes: list[tuple[float, float, float, float, bool]]) -> list[Rule]:
    """Horizontal borders: WeasyPrint fills a box's border as its outer rectangle less the
    inner one (two subpaths in a row); a border is where their tops or bottoms differ."""
    rules = []
    for first, second in zip(boxes, boxes[1:]):
        outer, inner = sorted((first, second), key=lambda box: box[2] - box[3])
        x0, x1, top, bottom, red = outer
        if abs(inner[0] - x0) > 0.05 or abs(inner[1] - x1) > 0.05 or not top - 0.01 <= inner[2] <= inner[3] <= bottom + 0.01:
            continue
        for edge, width in ((top, inner[2] - top), (inner[3], bottom - inner[3])):
            if 0.05 < width < 1.5:
                rules.append(Rule(x0, x1, edge + width / 2, width, red))
    unique = {(round(r.y, 2), round(r.thickness, 2), r.red): r for r in rules}
    return sorted(unique.values(), key=lambda r: r.y)


def full_width(text: str) -> bool:
    return all(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def near(value: float, target: float, tol: float = TOL) -> bool:
    return abs(value - target) <= tol


def body_lines(pages: list[Page]) -> list[tuple[Page, Line]]:
    """Lines of 3号 body text (16 pt 仿宋) inside the text block."""
    return [(p, ln) for p in pages for ln in p.text_lines
            if ln.size == BODY_PT and "Letters-Fang" in ln.fonts() and not ln.chars[0].red]


CLOSINGS = {"特此通知。", "特此告知。", "特此证明。", "特此决定。"}
DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def signature_block(pages: list[Page], name: str) -> tuple[Page, list[Line], Line]:
    """The 发文机关署名's lines (a long name takes several) and the 成文日期 line under them."""
    wanted = "".join(name.split())
    for page in pages:
        lines = page.text_lines
        for end, date in enumerate(lines):
            if not (DATE_LINE.match(date.text) and date.size == BODY_PT):
                continue
            for start in range(end - 1, -1, -1):
                if "".join("".join(line.text for line in lines[start:end]).split()) == wanted:
                    return page, lines[start:end], date
    raise AssertionError(f"no signature {name!r} over a 成文日期")


def letterhead(pages: list[Page]) -> bool:
    """The letter has a 版头 (a red 发文机关标志), so it follows the 信函格式."""
    return any(ln.chars[0].red for ln in pages[0].lines)


def double_lines(page: Page) -> list[tuple[Rule, Rule]]:
    """The red double lines of the 信函格式 (adjacent red rules under 1.5 mm apart), top first."""
    red = [r for r in page.rules if r.red]
    return [(a, b) for a, b in zip(red, red[1:]) if b.y - a.y < 1.5]


def masthead_lines(page: Page) -> list[Line]:
    """The 发文机关标志's lines: red text above the first red rule."""
    red = [r.y for r in page.rules if r.red]
    return [ln for ln in page.text_lines if ln.chars[0].red and (not red or ln.bottom < red[0])]


def problems(pdf: bytes) -> list[str]:
    """Where the letter departs from GB/T 9704's geometry; empty when it follows it."""
    pages = read_pages(pdf)
    headed = letterhead(pages)
    return [*_margins(pages), *_grid(pages), *_masthead(pages[0]), *_folios(pages, headed),
            *_signature_page(pages), *_imprint(pages[-1], headed)]


def _margins(pages: list[Page]) -> list[str]:
    found = []
    for page in pages:
        marks = masthead_lines(page) if page.number == 1 else []
        for line in page.text_lines:
            mark = any(line is m for m in marks)  # above the block
            if line.chars[0].x0 < LEFT - TOL or line.chars[-1].x1 > RIGHT + TOL or (line.top < TOP - TOL and not mark):
                found.append(f"p{page.number}: outside the text block: {line.text!r}")
        found += [f"p{page.number}: rule outside the block at {r.y:.1f} mm" for r in page.rules
                  if (r.x0 < LEFT - TOL or r.x1 > RIGHT + TOL or r.y > BOTTOM + TOL)
                  and not (r.red and page.number == 1 and near(r.x0, DOUBLE_LEFT) and near(r.x1, DOUBLE_RIGHT))]
    return found


def _grid(pages: list[Page]) -> list[str]:
    found = []
    lines = body_lines(pages)
    for page, line in lines:
        cells = (line.chars[-1].x1 - line.chars[0].x0) / CHAR
        if full_width(line.text) and len(line.chars) > 28:
            found.append(f"p{page.number}: {len(line.chars)} characters on a line: {line.text!r}")
        if cells > 28.05:
            found.append(f"p{page.number}: line {cells:.2f} characters wide: {line.text!r}")
    body = {id(ln) for p, ln in lines}
    for page in pages:
        red = [r.y for r in page.rules if r.red]
        runs: list[list[Line]] = [[]]
        for line in page.text_lines:
            if line.top <= (red[0] if red else 0):
                continue
            if id(line) in body:
                runs[-1].append(line)
            elif runs[-1]:
                runs.append([])  # a table or a smaller print: the grid starts again after it
        for run in runs:
            for above, below in zip(run, run[1:]):
                step = (below.top - above.top) / PITCH
                if abs(step - round(step)) * PITCH > 0.15:
                    found.append(f"p{page.number}: off the line grid ({step:.3f} lines): {below.text!r}")
        first = page.text_lines[0] if page.text_lines else None
        if page.number > 1 and first is not None and id(first) in body:
            if not near(first.box_top, TOP):
                found.append(f"p{page.number}: first line {first.box_top - TOP:.1f} mm under the block's top")
            if runs[0] and runs[0][-1].box_top + PITCH > BOTTOM + TOL:
                found.append(f"p{page.number}: more than 22 lines")
    return found


def _masthead(page: Page) -> list[str]:
    """信函格式 (§10.1): 标志 30 mm from the top edge, each of its lines centred in the block and
    no smaller than 2号; the double lines 4 mm under its last line; the 发文字号 flush right 7/8
    of a 3号 character under the first; the 标题 two lines under it."""
    mark = masthead_lines(page)
    if not mark:
        return []
    found = []
    mark_line, rest = mark[0], [ln for ln in page.text_lines if ln.top > mark[-1].bottom]
    number, titles = rest[0], [ln for ln in rest if ln.size == TITLE_PT]
    if not near(mark_line.top, MARK_TOP):
        found.append(f"发文机关标志 {mark_line.top:.1f} mm under the page's top edge ({MARK_TOP})")
    for line in mark:
        if not near((line.chars[0].x0 + line.chars[-1].x1) / 2, (LEFT + RIGHT) / 2, 1.0):
            found.append(f"发文机关标志 not centred: {line.text!r}")
        if line.size < MARK_FLOOR_PT or line.chars[0].x0 < LEFT - TOL or line.chars[-1].x1 > RIGHT + TOL:
            found.append(f"发文机关标志 {line.size} pt, {line.chars[0].x0:.1f}–{line.chars[-1].x1:.1f} mm: {line.text!r}")
    doubles = double_lines(page)
    if len(doubles) != 2:
        return [*found, f"{len(doubles)} red double lines on page 1 (2)"]
    (head_a, head_b), (foot_a, foot_b) = doubles
    for a, b in doubles:
        if not all(near(r.x0, DOUBLE_LEFT) and near(r.x1, DOUBLE_RIGHT) for r in (a, b)):
            found.append(f"red double line at {a.y:.1f} mm not 170 mm centred on the page")
    if not (near(head_a.thickness, THICK, 0.05) and near(head_b.thickness, THIN, 0.05)):
        found.append("first double line not 上粗下细")
    if not (near(foot_a.thickness, THIN, 0.05) and near(foot_b.thickness, THICK, 0.05)):
        found.append("second double line not 上细下粗")
    if not near(head_a.y - head_a.thickness / 2 - mark[-1].bottom, 4.0, 0.3):
        found.append(f"first double line {head_a.y - head_a.thickness / 2 - mark[-1].bottom:.1f} mm under the 标志 (4)")
    if not near(foot_b.y + foot_b.thickness / 2, FOOT_DOUBLE_BOTTOM, 0.3):
        found.append(f"second double line {PAGE_H - foot_b.y - foot_b.thickness / 2:.1f} mm from the bottom edge (20)")
    line_bottom = head_b.y + head_b.thickness / 2
    if not near(number.top - line_bottom, NUMBER_GAP, 0.3) or not near(number.chars[-1].x1, RIGHT, 0.3):
        found.append(f"发文字号 {number.top - line_bottom:.2f} mm under the double line ({NUMBER_GAP:.2f}),"
                     f" ending at {number.chars[-1].x1:.1f} mm ({RIGHT})")
    if not titles or {"Letters-Song-Bold"} != titles[0].fonts():
        return [*found, "no 2号 小标宋 (bold Song) title"]
    if not near(titles[0].box_top - (number.box_top + PITCH), 2 * PITCH):
        found.append(f"title {(titles[0].box_top - number.box_top - PITCH) / PITCH:.2f} lines under the 发文字号 (2)")
    after = [ln for ln in rest if ln.top > titles[-1].bottom]
    if after and after[0].text.endswith("：") and not near(after[0].box_top - titles[-1].box_top, 2 * PITCH):
        found.append("主送机关 not one blank line under the title")
    return found


def _folios(pages: list[Page], headed: bool) -> list[str]:
    """Page numbers on every page, but not on the first of a 信函格式 letter (首页不显示页码)."""
    found = []
    for page in pages:
        folio = page.folio
        if headed and page.number == 1:
            if folio is not None:
                found.append(f"p1: a page number {folio.text!r} on the first page of a letter")
            continue
        indent = FOLIO_PT * MM
        if folio is None or folio.text.replace(" ", "") != f"—{page.number}—":
            found.append(f"p{page.number}: no page number “— {page.number} —”")
            continue
        place = (near(folio.chars[-1].x1, RIGHT - indent, 1.0) if page.number % 2
                 else near(folio.chars[0].x0, LEFT + indent, 1.0))
        dash = (folio.top + folio.bottom) / 2  # the 一字线's stroke, mid-em in the Song face
        if not place or folio.size != FOLIO_PT or not near(dash, BOTTOM + 7, 0.3):
            found.append(f"p{page.number}: page number at x {folio.chars[0].x0:.1f}–{folio.chars[-1].x1:.1f},"
                         f" 一字线 {dash - BOTTOM:.1f} mm under the block, {folio.size} pt")
    return found


def _signature_page(pages: list[Page]) -> list[str]:
    """The page with the 成文日期 also carries body text beyond a closing formula."""
    for page in pages:
        dates = [ln for ln in page.text_lines if DATE_LINE.match(ln.text) and ln.size == BODY_PT]
        if dates:
            above = [ln for ln in page.text_lines if ln.bottom < dates[0].top - PITCH
                     and ln.text not in CLOSINGS and ln.size == BODY_PT]
            return [] if len(above) >= 2 else [f"p{page.number}: signature page without body text"]
    return ["no 成文日期 line"]


def _imprint(page: Page, headed: bool) -> list[str]:
    """The verification block on the signature's page. The 版记 (when printed) of a form: its
    last rule (thick, 0.35 mm) on the block's lower edge; of a 信函格式 letter: no 印发 line and
    no 分隔线, 抄送 on the block's last line."""
    black = [r for r in page.rules if not r.red and r.thickness > 0.1]
    if not any(DATE_LINE.match(ln.text) for ln in page.text_lines if ln.size == BODY_PT):
        return ["the verification block and 版记 are not on the signature's page"]
    if headed:
        found = ["信函格式 版记 with 分隔线"] if black else []
        if any(ln.text.endswith("印发") for ln in page.text_lines):
            found.append("信函格式 版记 with 印发机关和印发日期")
        cc = [ln for ln in page.text_lines if ln.text.startswith("抄送：")]
        if cc and not BOTTOM - 2.5 <= page.text_lines[-1].bottom <= BOTTOM:
            found.append(f"抄送 ends {BOTTOM - page.text_lines[-1].bottom:.1f} mm above the block's lower edge")
        return found
    if not any("印发" in ln.text for ln in page.text_lines):
        return []
    last = black[-1] if black else None
    if last is None or not near(last.y + last.thickness / 2, BOTTOM, 0.3) or not near(last.thickness, 0.35, 0.05):
        return ["版记's last rule not on the block's lower edge"]
    return []
