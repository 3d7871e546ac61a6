"""CJK fonts for letters: prepare subsets once, then hand WeasyPrint small files.

``prepare_fonts`` cuts the faces GB/T 9704 asks for — the Fandol 仿宋 (body), bold 宋
(title, for 小标宋), 黑体 and 楷体 (headings) and 宋体 figures (page numbers) — down to
GB 2312 plus punctuation, as TrueType, under ``$CREDIT_CASES_DATA_DIR/fonts`` (default
``./var/fonts``). Set-up extracts the Fandol files from Debian's texlive-lang-chinese into
``<fonts dir>/source``; without them the Noto CJK faces stand in. Run it at install time (``credit-cases letter fonts prepare``); ``serve``,
``tick`` and the workers run it before they take work. A renderer never builds them: that
takes 20–70 s, and a letter is rendered inside its issuing transaction, so a renderer that
finds the subsets buildable but missing raises FontsNotPreparedError at once. Characters
outside the subset fall back to the system Noto CJK fonts: slower and larger, but never
empty boxes; so does everything when no source font exists to cut subsets from.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from . import systemfonts
from .errors import FontMissingError, FontsNotPreparedError
from .fontbuild import build_subset

LOG = logging.getLogger(__name__)
# fontTools logs every subsetting step at INFO, glyph lists included (hundreds of kilobytes
# per letter under a server's INFO logging): only its warnings are worth keeping.
logging.getLogger("fontTools").setLevel(logging.WARNING)
DATA_DIR_ENV = "CREDIT_CASES_DATA_DIR"
FONTS_DIR_ENV = "CREDIT_CASES_FONTS_DIR"  # lets tests with a temporary data dir share fonts
BUILDER_VERSION = 4
MANIFEST = "manifest.json"
NOT_PREPARED_MESSAGE = (
    "文书字体子集尚未准备（{target}），生成文书前须先准备（约 20 秒，一次即可）："
    "请运行 credit-cases letter fonts prepare；serve、tick 和后台任务启动时会自动准备。")
NO_FONT_MESSAGE = (
    "没有可用的中文字体，无法生成文书（no CJK font）：请安装 Debian 软件包 fonts-noto-cjk"
    "（apt-get install fonts-noto-cjk），然后运行 credit-cases letter fonts prepare。")

#: Name and place characters outside GB 2312 that letters meet often (通用规范汉字表).
EXTRA_HANZI = ("喆堃昇珺玥琇镕赟燊垚犇祎瑄曌旻珮璟琬珩婕晟晗晞暄烜焜煜熠钖锘锜镓鋆淇潆澍濛"
               "沄泓洺湉滢瀚灏栎桉槿樾棣蓁苡荞蓥颢颀骞翀翊羿玙瑢頔琤璘犇昉旸昀暐炜珅琪瑭")


#: Where set-up puts the Fandol faces it extracts from Debian's texlive-lang-chinese
#: (scripts/setup.sh), and where a TeX installation keeps them.
SOURCE_SUBDIR = "source"
TEXLIVE_FANDOL = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
NOTO = "/usr/share/fonts/opentype/noto/"


@dataclass(frozen=True)
class Upstream:
    """A face to cut from: a font file name (Fandol, looked up in the source dirs) or a
    fontconfig pattern with its Debian path (Noto CJK collections)."""

    file: str = ""
    pattern: str = ""
    family: str = ""
    debian_path: str = ""


@dataclass(frozen=True)
class Face:
    """One prepared face: where it comes from (first upstream found), what fills its gaps,
    how CSS names it and which characters it carries."""

    key: str
    family: str
    style: str
    css_weight: str
    upstreams: tuple[Upstream, ...]
    donor: Upstream
    figures_only: bool = False

    @property
    def filename(self) -> str:
        return f"letters-{self.key}.ttf"


NOTO_SERIF = Upstream(pattern="Noto Serif CJK SC:style=Regular", family="Noto Serif CJK SC",
                      debian_path=NOTO + "NotoSerifCJK-Regular.ttc")
NOTO_SERIF_BOLD = Upstream(pattern="Noto Serif CJK SC:style=Bold", family="Noto Serif CJK SC",
                           debian_path=NOTO + "NotoSerifCJK-Bold.ttc")
NOTO_SANS = Upstream(pattern="Noto Sans CJK SC:style=Regular", family="Noto Sans CJK SC",
                     debian_path="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

#: GB/T 9704: body 3号仿宋, title 2号小标宋 (bold Song), headings 黑体 then 楷体, page
#: numbers 4号宋体 figures (a family of their own: fontconfig would mix them up with the bold
#: Song). Without Fandol, the Noto faces stand in (as before issue 16).
FACES = (
    Face("fang", "Letters Fang", "Regular", "normal",
         (Upstream(file="FandolFang-Regular.otf"), NOTO_SERIF), NOTO_SERIF),
    Face("song-bold", "Letters Song", "Bold", "bold",
         (Upstream(file="FandolSong-Bold.otf"), NOTO_SERIF_BOLD), NOTO_SERIF_BOLD),
    Face("hei", "Letters Hei", "Regular", "normal",
         (Upstream(file="FandolHei-Regular.otf"), NOTO_SANS), NOTO_SANS),
    Face("kai", "Letters Kai", "Regular", "normal",
         (Upstream(file="FandolKai-Regular.otf"), NOTO_SERIF), NOTO_SERIF),
    Face("folio", "Letters Folio", "Regular", "normal",
         (Upstream(file="FandolSong-Regular.otf"), NOTO_SERIF), NOTO_SERIF, figures_only=True),
)
#: What the page-number face carries: figures, the 一字线 and spaces.
FIGURES = frozenset([*range(0x30, 0x3A), 0x20, 0xA0, 0x2014, 0x2013, 0x2012])


@dataclass(frozen=True)
class FontSetup:
    """What the renderer needs: @font-face CSS and the code points the subsets cover.

    ``coverage`` is None when no subset exists and the system CJK fonts do all the work.
    """

    css: str
    files: tuple[Path, ...]
    coverage: frozenset[int] | None


def fonts_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """``<data dir>/fonts``; the data dir defaults to $CREDIT_CASES_DATA_DIR, then ./var.

    Without an explicit ``data_dir``, $CREDIT_CASES_FONTS_DIR names the fonts dir itself.
    """
    if data_dir is None and os.environ.get(FONTS_DIR_ENV):
        return Path(os.environ[FONTS_DIR_ENV]).resolve()
    base = data_dir or os.environ.get(DATA_DIR_ENV) or "var"
    return Path(base).resolve() / "fonts"


@lru_cache(maxsize=1)
def charset() -> frozenset[int]:
    """Code points of the subsets: GB 2312, ASCII/Latin-1, CJK and general punctuation."""
    points = {ord(c) for c in EXTRA_HANZI}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    for start, end in ((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x218F),
                       (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2600, 0x26FF),
                       (0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)):
        points.update(range(start, end + 1))
    return frozenset(points)


@lru_cache(maxsize=1)
def _charset_digest() -> str:
    return hashlib.sha256(",".join(map(str, sorted(charset()))).encode()).hexdigest()[:16]


def prepare_fonts(data_dir: str | os.PathLike[str] | None = None, *,
                  force: bool = False, jobs: int = 1) -> Path:
    """Build the font subsets unless already built from the same source fonts; return the dir.

    Idempotent and safe to run from several processes at once (a file lock serialises them).
    Raises FontMissingError when the source fonts (fonts-noto-cjk) are not installed.
    """
    target = fonts_dir(data_dir)
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".prepare.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = _read_manifest(target)
        stale = [face for face in FACES if force or not _is_current(target, face, manifest)]
        sources = {face.key: _source_of(face) for face in stale}
        if stale:
            LOG.warning("Preparing CJK font subsets in %s (one-time, ~12 s per face)", target)
            gaps = _build(target, stale, sources, jobs) or {}
            for face in stale:
                manifest["faces"][face.key] = {**_source_record(face, *sources[face.key]),
                                               "missing": gaps.get(face.key, [])}
            manifest.update(builder=BUILDER_VERSION, charset=_charset_digest())
            manifest["faces"] = {f.key: manifest["faces"][f.key] for f in FACES}
            _write_manifest(target, manifest)
            _remove_retired(target)
    return target


def _remove_retired(target: Path) -> None:
    """Subsets of faces no longer used (the Noto "Letters Song" regular before issue 16)."""
    current = {face.filename for face in FACES}
    for path in target.glob("letters-*.ttf"):
        if path.name not in current:
            path.unlink(missing_ok=True)


def ensure_fonts(data_dir: str | os.PathLike[str] | None = None, *, jobs: int = 2) -> Path | None:
    """Before a process takes work: build the subsets unless current (quick when they are).

    None when there is no source font to cut them from (letters then use the system CJK
    fonts); FontMissingError when no CJK font is installed at all."""
    try:
        return prepare_fonts(data_dir, jobs=jobs)
    except FontMissingError:
        if not systemfonts.has_chinese_font():
            raise
        LOG.warning("No source font for the CJK subsets: letters use the system fonts (slower, larger)")
        return None


def fonts_ready(data_dir: str | os.PathLike[str] | None = None) -> bool:
    """Whether the subsets are built (what a renderer checks; cheap: one small file read)."""
    return _prepared(fonts_dir(data_dir))


def font_setup(data_dir: str | os.PathLike[str] | None = None, *, prepare: bool = False) -> FontSetup:
    """Fonts for a renderer: the prepared subsets, else the system CJK fonts when no subset
    can be cut (no source font); FontMissingError when there is no CJK font at all.

    Subsets that could be built but are not raise FontsNotPreparedError at once, unless
    `prepare` (callers outside any request or transaction, e.g. the letter CLI)."""
    target = fonts_dir(data_dir)
    stamp = _manifest_stamp(target)
    known = _SETUPS.get(str(target))
    if stamp is not None and known is not None and known[0] == stamp:
        return known[1]  # every letter checks its text: no manifest parse or set build each time
    if not _prepared(target):
        try:
            if prepare:
                prepare_fonts(data_dir)
            else:
                for face in FACES:
                    _source_of(face)  # FontMissingError: nothing to cut subsets from
        except (FontMissingError, OSError) as exc:
            LOG.warning("CJK font subsets unavailable (%s); using system fonts", exc)
        else:
            if not _prepared(target):
                raise FontsNotPreparedError(NOT_PREPARED_MESSAGE.format(target=target))
    if _prepared(target):
        files = tuple(target / face.filename for face in FACES)
        setup = FontSetup(_font_face_css(files), files, _coverage(target))
        if stamp is not None:
            _SETUPS[str(target)] = (stamp, setup)
        return setup
    if not systemfonts.has_chinese_font():
        raise FontMissingError(NO_FONT_MESSAGE)
    return FontSetup("", (), None)


_SETUPS: dict[str, tuple[tuple[int, int, int], FontSetup]] = {}


def _manifest_stamp(target: Path) -> tuple[int, int, int] | None:
    """Identifies one written manifest (it is replaced whole when subsets are rebuilt)."""
    try:
        found = (target / MANIFEST).stat()
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_size


def uncovered(texts: Iterable[str], setup: FontSetup) -> set[str]:
    """Characters of ``texts`` that the subsets lack (the system fonts must supply them)."""
    if setup.coverage is None:
        return set()
    return {ch for text in texts for ch in text
            if ord(ch) not in setup.coverage and not ch.isspace()}


def _coverage(target: Path) -> frozenset[int]:
    """What the body face carries: the charset less what neither upstream nor donor had."""
    body = _read_manifest(target)["faces"].get(FACES[0].key, {})
    return charset() - frozenset(body.get("missing", ()))


def _font_face_css(files: Iterable[Path]) -> str:
    rules = []
    for face, path in zip(FACES, files):
        rules.append(f'@font-face {{ font-family: "{face.family}"; src: url("{path.as_uri()}");'
                     f" font-weight: {face.css_weight}; font-style: normal; }}")
    return "\n".join(rules) + "\n"


def _prepared(target: Path) -> bool:
    manifest = _read_manifest(target)
    return all(_built(target, face, manifest) for face in FACES)


def _built(target: Path, face: Face, manifest: dict[str, Any]) -> bool:
    """The face's file exists and was cut by this builder with this charset."""
    return (face.key in manifest["faces"] and manifest.get("builder") == BUILDER_VERSION
            and manifest.get("charset") == _charset_digest()
            and (target / face.filename).is_file())


def source_dirs() -> list[Path]:
    """Folders searched for the Fandol files: ``<fonts dir>/source``, the data dir's, the
    checkout's ``var/fonts/source`` (where scripts/setup.sh puts them), and TeX Live's."""
    default = Path(os.environ.get(DATA_DIR_ENV) or "var").resolve() / "fonts"
    checkout = Path(__file__).resolve().parents[1] / "var" / "fonts"
    return list(dict.fromkeys([fonts_dir() / SOURCE_SUBDIR, default / SOURCE_SUBDIR,
                               checkout / SOURCE_SUBDIR, TEXLIVE_FANDOL]))


def _source_of(face: Face) -> tuple[Path, int]:
    """The first installed upstream of the face (file, index in the collection)."""
    for upstream in face.upstreams:
        found = _find(upstream)
        if found:
            return found
    raise FontMissingError(NO_FONT_MESSAGE + f"（未找到 {face.family} {face.style} 的字体源）")


def _find(upstream: Upstream) -> tuple[Path, int] | None:
    if upstream.file:
        return next(((folder / upstream.file, 0) for folder in source_dirs()
                     if (folder / upstream.file).is_file()), None)
    for path, index in systemfonts.list_fonts(upstream.pattern):
        if path.is_file():
            return path, index
    path = Path(upstream.debian_path)
    return (path, _collection_index(path, upstream.family)) if path.is_file() else None


def _collection_index(path: Path, family: str) -> int:
    from fontTools.ttLib import TTCollection

    faces = TTCollection(path, lazy=True).fonts
    for index, font in enumerate(faces):
        if font["name"].getDebugName(1) == family:
            return index
    raise FontMissingError(f"{path} 中没有 {family}")


def _is_current(target: Path, face: Face, manifest: dict[str, Any]) -> bool:
    """Built by this builder, same charset, same source bytes (checked by sha256).

    A built face whose source font has since been uninstalled stays in use.
    """
    if not _built(target, face, manifest):
        return False
    record = manifest["faces"][face.key]
    try:
        path, index = _source_of(face)
    except FontMissingError:
        return True
    stat = path.stat()
    if (record["source"], record["index"]) != (str(path), index):
        return False
    if (record["source_size"], record["source_mtime_ns"]) == (stat.st_size, stat.st_mtime_ns):
        return True
    return record["source_sha256"] == _sha256(path)


def _source_record(face: Face, path: Path, index: int) -> dict[str, Any]:
    stat = path.stat()
    return {"file": face.filename, "source": str(path), "index": index,
            "source_sha256": _sha256(path), "source_size": stat.st_size,
            "source_mtime_ns": stat.st_mtime_ns}


def _build(target: Path, faces: list[Face], sources: dict[str, tuple[Path, int]],
           jobs: int) -> dict[str, list[int]]:
    """Cut the faces; return the code points each lacks (the system fonts supply them)."""
    tasks = [(sources[f.key][0], sources[f.key][1], FIGURES if f.figures_only else charset(),
              f.family, f.style, target / f.filename, _find(f.donor)) for f in faces]
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            missing = list(pool.map(build_subset, *zip(*tasks)))
    else:
        missing = [build_subset(*task) for task in tasks]
    return {face.key: gaps for face, gaps in zip(faces, missing)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_manifest(target: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    manifest.setdefault("faces", {})
    return manifest


def _write_manifest(target: Path, manifest: dict[str, Any]) -> None:
    partial = target / f"{MANIFEST}.{os.getpid()}.tmp"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(partial, target / MANIFEST)
