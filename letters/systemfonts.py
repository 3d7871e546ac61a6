"""Read-only questions to the system's fontconfig: which installed fonts match a pattern.

WeasyPrint's own bindings do not expose font listing, so this module calls libfontconfig
through ctypes. Without the library every answer is "no fonts", which callers treat as
"no CJK font installed".
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache
from pathlib import Path


class _FcFontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.POINTER(ctypes.c_void_p))]


@lru_cache(maxsize=1)
def _fontconfig() -> ctypes.CDLL:
    lib = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
    ptr, text = ctypes.c_void_p, ctypes.c_char_p
    lib.FcNameParse.restype, lib.FcNameParse.argtypes = ptr, [text]
    lib.FcObjectSetCreate.restype, lib.FcObjectSetCreate.argtypes = ptr, []
    lib.FcObjectSetAdd.argtypes = [ptr, text]
    lib.FcFontList.restype = ctypes.POINTER(_FcFontSet)
    lib.FcFontList.argtypes = [ptr, ptr, ptr]
    lib.FcPatternGetString.argtypes = [ptr, text, ctypes.c_int, ctypes.POINTER(text)]
    lib.FcPatternGetInteger.argtypes = [ptr, text, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    lib.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FcFontSet)]
    lib.FcObjectSetDestroy.argtypes = [ptr]
    lib.FcPatternDestroy.argtypes = [ptr]
    return lib


def list_fonts(pattern: str) -> list[tuple[Path, int]]:
    """(file, face index) of installed fonts matching a pattern like ``:lang=zh``."""
    try:
        lib = _fontconfig()
    except OSError:
        return []
    query = lib.FcNameParse(pattern.encode())
    objects = lib.FcObjectSetCreate()
    for name in (b"file", b"index"):
        lib.FcObjectSetAdd(objects, name)
    found = lib.FcFontList(None, query, objects)
    try:
        return [_file_and_index(lib, found.contents.fonts[i])
                for i in range(found.contents.nfont if found else 0)]
    finally:
        if found:
            lib.FcFontSetDestroy(found)
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(query)


def _file_and_index(lib: ctypes.CDLL, font: int) -> tuple[Path, int]:
    path, index = ctypes.c_char_p(), ctypes.c_int(0)
    lib.FcPatternGetString(font, b"file", 0, ctypes.byref(path))
    lib.FcPatternGetInteger(font, b"index", 0, ctypes.byref(index))
    return Path((path.value or b"").decode()), index.value


def has_chinese_font() -> bool:
    """Whether fontconfig knows any font covering Chinese (``fc-list :lang=zh``)."""
    return bool(list_fonts(":lang=zh"))
