"""QR code of the verification URL, inlined so rendering never touches a file or network."""

from __future__ import annotations

import segno

MASK = 3  # a fixed data mask (ISO/IEC 18004 §7.8): every mask decodes; choosing one costs 8 evaluations


def qr_data_uri(url: str) -> str:
    """PNG data URI of a QR code (error level M, one pixel per module) for ``url``.

    Every letter has its own URL, so nothing is cached. segno is pure Python and picking the
    data mask by the standard's penalty rules (8 masks built and scored) was ~80 % of a code's
    cost (~11 of ~14 ms per letter); any of the eight masks is valid and read by every scanner,
    so one is fixed (~2.5 ms). A bitmap drawn without interpolation (CSS
    ``image-rendering: pixelated``) prints as crisp as SVG, and WeasyPrint embeds it in well
    under a millisecond where parsing an SVG path costs ~12 ms per letter.
    """
    if not url:
        raise ValueError("verify_url is empty")
    return qr_code(url).png_data_uri(scale=1, border=2)


def qr_code(url: str) -> segno.QRCode:
    """The QR code printed for ``url`` (tests read its matrix)."""
    return segno.make(url, error="m", micro=False, mask=MASK)
