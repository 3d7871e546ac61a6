"""The verification QR code: a fixed data mask (cheap), otherwise the code segno would choose.
(That the printed bitmap is this code module for module: test_letters_render.py.)"""
from __future__ import annotations

import segno

from letters.verification import MASK, qr_code


def test_a_fixed_mask_encodes_the_same_data_as_the_chosen_one():
    """Only the data mask differs from segno's own choice: same version, same function patterns."""
    url = "http://127.0.0.1:5000/letters/verify?no=%E6%B3%89%E4%BF%A1%E7%94%A8%E5%8F%97&code=JDXB-AG42-R5QQ"
    chosen, fixed = segno.make(url, error="m", micro=False), qr_code(url)
    assert (chosen.version, chosen.error) == (fixed.version, fixed.error) and fixed.mask == MASK
    finder = [row[:7] for row in fixed.matrix[:7]]
    assert finder == [row[:7] for row in chosen.matrix[:7]]
