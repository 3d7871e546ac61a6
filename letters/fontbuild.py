"""Build one embeddable font subset: CJK OpenType/CFF face → small TrueType (glyf) font.

A face that lacks some of the wanted characters (the Fandol faces have no 喆, 堃 or 〒) is
completed from a donor face (Noto CJK) of the same em size, so those characters stay in the
fast, small subset instead of falling back to the system collections.

Why: WeasyPrint re-subsets every font it embeds, per letter. On the 20–27 MB Noto CJK
collections that costs ~20 ms per face and leaves ~250 KB PDFs, because the CFF face keeps
65k glyph slots. A pre-cut face of ~7,600 glyphs with quadratic (glyf) outlines subsets in
~2 ms and embeds in a few kilobytes per letter.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

#: Outline tolerance of the cubic → quadratic conversion, in font units (1000 per em): 2 units
#: are 0.01 mm at 16 pt, and save ~6 % of the Fandol outlines (heavier than Noto's).
MAX_ERROR = 2.0
_DROP_TABLES = ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx", "DSIG", "JSTF", "MATH"]


def build_subset(source: Path, index: int, codepoints: Iterable[int],
                 family: str, style: str, target: Path,
                 donor: tuple[Path, int] | None = None) -> list[int]:
    """Write ``target``: the face ``index`` of ``source`` cut to ``codepoints``, as TrueType,
    completed from ``donor`` where the source lacks a character; return the code points
    neither has (they fall back to the system fonts)."""
    wanted = sorted(codepoints)
    font = TTFont(source, fontNumber=index, lazy=True)
    subsetter = subset.Subsetter(_subset_options())
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    cmap = font.getBestCmap()
    missing = [cp for cp in wanted if cp not in cmap]
    if missing and donor is not None:
        missing = _fill_from(font, TTFont(donor[0], fontNumber=donor[1], lazy=True), missing)
    _rename(font, family, style)
    partial = target.with_name(target.name + f".{os.getpid()}.tmp")
    font.save(partial)
    os.replace(partial, target)
    return missing


def _fill_from(font: TTFont, donor: TTFont, codepoints: list[int]) -> list[int]:
    """Copy the donor's outlines and advances for ``codepoints`` into ``font`` (glyf);
    return those the donor lacks too. Both faces must share the em size."""
    if donor["head"].unitsPerEm != font["head"].unitsPerEm:
        return codepoints
    donor_cmap, donor_glyphs = donor.getBestCmap(), donor.getGlyphSet()
    order, glyf, hmtx = list(font.getGlyphOrder()), font["glyf"], font["hmtx"]
    added: dict[int, str] = {}
    for cp in codepoints:
        if cp not in donor_cmap:
            continue
        name = f"uni{cp:04X}" if cp <= 0xFFFF else f"u{cp:05X}"
        pen = TTGlyphPen(None)
        donor_glyphs[donor_cmap[cp]].draw(
            Cu2QuPen(pen, MAX_ERROR, reverse_direction="CFF " in donor))
        glyph = glyf.glyphs[name] = pen.glyph(dropImpliedOnCurves=True)
        glyph.recalcBounds(glyf)
        hmtx.metrics[name] = (donor["hmtx"][donor_cmap[cp]][0],
                              glyph.xMin if glyph.numberOfContours else 0)
        order.append(name)
        added[cp] = name
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    font["maxp"].numGlyphs = len(order)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update({cp: n for cp, n in added.items() if cp <= 0xFFFF or table.format == 12})
    return [cp for cp in codepoints if cp not in added]


def _subset_options() -> subset.Options:
    options = subset.Options()
    options.layout_features = []  # CJK needs no shaping features; Pango shapes without them
    options.drop_tables += _DROP_TABLES
    options.name_IDs = [0, 7, 8, 9, 11, 12, 13, 14]  # keep copyright and OFL licence records
    options.name_languages = [0x409]
    options.hinting = False
    options.notdef_outline = True
    options.desubroutinize = False
    return options


def _cff_to_glyf(font: TTFont) -> None:
    """Replace CFF charstrings by quadratic glyf outlines (fontTools cu2qu)."""
    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph(dropImpliedOnCurves=True)
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    font["maxp"] = _truetype_maxp(len(order))
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 3.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def _truetype_maxp(glyph_count: int) -> object:
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = glyph_count
    for attr in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                 "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                 "maxComponentDepth"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    return maxp  # point and contour maxima are recomputed when the font is saved


def _rename(font: TTFont, family: str, style: str) -> None:
    """Give the subset its own name: it must not pass for the full upstream face (OFL)."""
    name = font["name"]
    postscript = f"{family.replace(' ', '')}-{style}"
    for name_id, value in ((1, family), (2, style), (3, f"{postscript};subset"),
                           (4, f"{family} {style}"), (6, postscript)):
        name.setName(value, name_id, 3, 1, 0x409)
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b1100001) | (
        0b100000 if style == "Bold" else 0b1000000)
    font["head"].macStyle = 1 if style == "Bold" else 0
    # FandolSong-Bold says weight 400: fontconfig would then take either face of the family.
    font["OS/2"].usWeightClass = 700 if style == "Bold" else 400
