"""Letter rendering benchmark (not a test): run ``.venv/bin/python bench/letters.py``.

Prints, from one run: the median time of a one-page Chinese letter and of a Latin-only
letter with the same layout, stylesheet and renderer (only text and font differ), their
ratio and PDF sizes, and the process RSS after the first letter and after a 100-letter batch.
Targets (DESIGN.md "Letters"): ratio ≤ 2.5, Chinese PDF ≤ 80 KB, RSS ratio ≤ 2.

Then, as production renders them — every letter with its own verification URL, so no QR code
is ever reused — the CPU time per Chinese letter as before issue 15 (segno picking the QR mask:
8 masks built and scored; PDF streams at zlib level 9) and as now (a fixed mask; level 1),
interleaved in the same run, each also as a multiple of the Latin-only page (same run): issue
15's target is now/before ≤ 0.75.

Last, the signing cost on its own (issue 16): a demo CA and organ key made in a temporary
folder, the median CPU ms per PAdES signature, and the signed vs unsigned Chinese letter (render +
sign vs render), with sizes and the signed letter as a multiple of the Latin-only page.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import zlib  # noqa: E402

import pydyf  # noqa: E402
import segno  # noqa: E402

import letters  # noqa: E402
from letters import verification  # noqa: E402
from letters.environment import environment  # noqa: E402
from letters.render import Renderer  # noqa: E402

ROUNDS = 40
BATCH = 100
#: A one-page Chinese letter: under the GB/T 9704 spacing (issue 16) the acceptance notice takes
#: two pages, so the yardstick is a short training certificate (tests/letters check it is one page).
LETTER = "training_certificate"
SHORT = {"training": {"name": "信用修复专题培训", "date": "2026-11-18", "organizer": "泉州市信用办"},
         "result": None, "subject": {"name": "泉州市恒信建材有限公司"}}

LATIN_TEMPLATE = """{% extends "base.html" %}
{% block addressee %}{% endblock %}
{% block body %}
<p>This certifies that Quanzhou Hengxin Building Materials Co., Ltd., by its legal
representative Chen Zhiming, attended the credit repair training held by the Quanzhou
Social Credit Office on 18 November 2026.</p>
<p>This certificate may be filed with a credit repair application (free of charge).</p>
<p>Hereby certified.</p>
{% endblock %}
{% block signature %}
<div class="signature" style="width: 60mm; margin-right: 22mm"><div>{{ issuer.name }}</div>
<div>21 November 2026<div class="imprint"><table class="verification"><tr><td class="qr"><img
src="{{ verify_url|qr_data_uri }}" alt="QR"></td><td><div>Reference: {{ number }}   Code: {{ verification_code }}</div><div
class="url">Verify: {{ verify_url }}</div></td></tr></table><div class="rules"><div class="printed">{{ issuer.name }}
21 November 2026</div></div></div></div></div>
{% endblock %}
"""
LATIN_FONTS = """<style>
html, .issuer-mark, h1.title { font-family: "DejaVu Serif" !important; }
</style>"""


def latin_html(serial: int) -> str:
    context = {
        "letter": {"type": LETTER, "title": "Training Certificate"},
        "issuer": {"name": "Quanzhou Social Credit Office", "seal_text": ""},
        "number": f"QXYS [2026] No. {serial}",
        "subject": {"name": "Quanzhou Hengxin Building Materials Co., Ltd."},
        "verification_code": "Q7K4-M2XP-9D3W",
        "verify_url": "https://credit-cases.example/v/Q7K4M2XP9D3W",
        "cc": None,
        "attachments": None,
    }
    html = environment().from_string(LATIN_TEMPLATE).render(context)
    return html.replace("</head>", LATIN_FONTS + "</head>").replace('lang="zh-CN"', 'lang="en"')


def chinese_context(serial: int) -> dict:
    context = {**letters.demo_context(LETTER), **SHORT}
    context["number"] = letters.format_number("泉信用培", 2026, serial)
    return context


def unique_url(serial: int) -> str:
    """A verification URL as issued (`/v/<code>`), with a fresh code per letter."""
    return f"http://127.0.0.1:5000/v/{serial:04d}Q7K4M2XP"


def qr_before(url: str) -> str:
    """The QR code as built before issue 15: segno chooses the mask (all eight scored)."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=1, border=2)


def cpu_ms(call) -> float:
    start = time.process_time()
    call()
    return (time.process_time() - start) * 1000


def qr_comparison(renderer: Renderer) -> None:
    """CPU per letter with unique URLs, QR before vs now, interleaved; Latin page as the yardstick."""
    env, fast_zlib = environment(), pydyf.zlib
    before, now, latin, qr_old, qr_new = [], [], [], [], []
    for serial in range(1000, 1000 + ROUNDS):
        url = unique_url(serial)
        context = {**chinese_context(serial), "verify_url": url}
        env.filters["qr_data_uri"], pydyf.zlib = qr_before, zlib
        before.append(cpu_ms(lambda: renderer.render(LETTER, context)))
        env.filters["qr_data_uri"], pydyf.zlib = verification.qr_data_uri, fast_zlib
        now.append(cpu_ms(lambda: renderer.render(LETTER, {**context, "verify_url": url + "&n"})))
        latin.append(cpu_ms(lambda: renderer.render_html(latin_html(serial))))
        qr_old.append(cpu_ms(lambda: qr_before(url + "&q")))
        qr_new.append(cpu_ms(lambda: verification.qr_data_uri(url + "&r")))
    b, n, lat = statistics.median(before), statistics.median(now), statistics.median(latin)
    print(f"unique URLs, CPU per Chinese letter (median of {ROUNDS}): before {b:6.1f} ms "
          f"(QR {statistics.median(qr_old):4.1f} ms, {statistics.median(qr_old) / b:.0%}), "
          f"now {n:6.1f} ms (QR {statistics.median(qr_new):4.1f} ms, {statistics.median(qr_new) / n:.0%})")
    print(f"  as multiples of the Latin-only page ({lat:.1f} ms): before {b / lat:.2f}, now {n / lat:.2f}; "
          f"now / before = {n / b:.2f}  (target ≤ 0.75)")


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def timed(call) -> tuple[float, bytes]:
    start = time.perf_counter()
    pdf = call()
    return (time.perf_counter() - start) * 1000, pdf


def main() -> None:
    letters.prepare_fonts(jobs=2)
    start = time.perf_counter()
    renderer = Renderer()
    first_ms, _ = timed(lambda: renderer.render(LETTER, chinese_context(1)))
    setup_ms = (time.perf_counter() - start) * 1000
    rss_first = rss_mib()
    for serial in range(2, BATCH + 1):
        renderer.render(LETTER, chinese_context(serial))
    rss_batch = rss_mib()

    zh_times, en_times = [], []
    for serial in range(ROUNDS):  # interleaved, so drift hits both equally
        ms, zh_pdf = timed(lambda: renderer.render(LETTER, chinese_context(200 + serial)))
        zh_times.append(ms)
        ms, en_pdf = timed(lambda: renderer.render_html(latin_html(200 + serial)))
        en_times.append(ms)
    zh, en = statistics.median(zh_times), statistics.median(en_times)

    print(f"first Chinese letter (fonts + renderer setup): {setup_ms:7.1f} ms "
          f"(render {first_ms:.1f} ms)")
    print(f"Chinese one-page letter, median of {ROUNDS}: {zh:7.1f} ms  {len(zh_pdf) / 1024:6.1f} KB")
    print(f"Latin-only letter,       median of {ROUNDS}: {en:7.1f} ms  {len(en_pdf) / 1024:6.1f} KB")
    print(f"time ratio Chinese / Latin: {zh / en:.2f}  (target ≤ 2.5)")
    print(f"RSS after letter 1: {rss_first:.1f} MiB; after {BATCH} letters: {rss_batch:.1f} MiB; "
          f"ratio {rss_batch / rss_first:.2f}  (target ≤ 2)")
    qr_comparison(renderer)
    signing_comparison(renderer)


def cpu_timed(call) -> tuple[float, bytes]:
    start = time.process_time()
    pdf = call()
    return (time.process_time() - start) * 1000, pdf


def signing_comparison(renderer: Renderer) -> None:
    """CPU ms per signature, and render-only vs render + sign, interleaved in one run (CPU time:
    the wall clock of a shared machine says more about its neighbours)."""
    import tempfile
    from datetime import UTC, datetime

    from workflows.archive.certificates import issue_demo_key
    from workflows.archive.signing import Organ, Pkcs12Signer

    with tempfile.TemporaryDirectory() as folder:
        organ = Organ("QZ-XYB", "泉州市信用办", str(issue_demo_key(Path(folder), "QZ-XYB", "泉州市信用办",
                                                                      datetime.now(UTC))))
        signer = Pkcs12Signer()
        signer.sign(renderer.render(LETTER, chinese_context(1)), organ)  # loads the key once
        sign, plain, signed, latin = [], [], [], []
        for serial in range(ROUNDS):
            ms, pdf = cpu_timed(lambda: renderer.render(LETTER, chinese_context(300 + serial)))
            plain.append(ms)
            sign.append(cpu_timed(lambda: signer.sign(pdf, organ))[0])
            ms, signed_pdf = cpu_timed(lambda: signer.sign(renderer.render(LETTER, chinese_context(400 + serial)),
                                                           organ))
            signed.append(ms)
            latin.append(cpu_timed(lambda: renderer.render_html(latin_html(300 + serial)))[0])
    s, p, sd, lat = (statistics.median(x) for x in (sign, plain, signed, latin))
    print(f"signing (PAdES B-B, ECDSA P-256, demo CA), CPU median of {ROUNDS}: {s:6.1f} ms per signature")
    print(f"  unsigned letter {p:6.1f} ms {len(pdf) / 1024:5.1f} KB; signed letter {sd:6.1f} ms "
          f"{len(signed_pdf) / 1024:5.1f} KB; signed / Latin-only page ({lat:.1f} ms): {sd / lat:.2f}  (target ≤ 2.5)")


if __name__ == "__main__":
    main()
