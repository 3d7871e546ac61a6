"""Charts as SVG, drawn on the server by pygal: the same markup goes into the page and the PDF.

No JavaScript and no CDN: pygal's tooltip script is left out and its inline config script and
comments are stripped, so a chart is plain SVG with its own <style>. Labels name a Chinese
font family first (fonts-noto-cjk, installed by scripts/setup.sh; the letters' own face too).
"""
from __future__ import annotations

import html
import re

import pygal
from pygal.style import Style

from workflows.statistics.tables import Chart

FONTS = '"Noto Sans CJK SC", "Letters Song", "Noto Serif CJK SC", sans-serif'
STYLE = Style(font_family=FONTS, title_font_family=FONTS, label_font_family=FONTS,
              legend_font_family=FONTS, value_font_family=FONTS, major_label_font_family=FONTS,
              background="white", plot_background="white", foreground="#333", foreground_strong="#222",
              foreground_subtle="#999", colors=("#1f5fa8", "#c0392b", "#27ae60", "#e67e22", "#8e44ad", "#7f8c8d"),
              title_font_size=15, label_font_size=11, legend_font_size=11, major_label_font_size=11)
TYPES = {"line": pygal.Line, "bar": pygal.Bar, "pie": pygal.Pie, "stacked": pygal.StackedBar}
_STRIP = re.compile(r"<script.*?</script>|<!--.*?-->", re.S)


def render_svg(chart: Chart, width: int = 560, height: int = 300) -> str:
    """The chart as an <svg> element (no XML declaration), ready to inline."""
    drawing = TYPES[chart.kind](
        js=[], disable_xml_declaration=True, style=STYLE, width=width, height=height, explicit_size=True,
        title=chart.title, legend_at_bottom=True, print_values=chart.kind != "line", show_y_guides=True,
        no_data_text="无数据", value_formatter=_formatter(chart.percent), truncate_legend=-1, truncate_label=-1,
        range=(0, 1) if chart.percent else None)
    if chart.kind == "pie":
        for label, value in zip(chart.labels, chart.series[0][1]):
            drawing.add(label, [value or 0] if value else [])
    else:
        drawing.x_labels = chart.labels
        for name, values in chart.series:
            drawing.add(name, values)
    # the tooltip (moved by pygal's script, which is left out) stays hidden by an attribute:
    # an inline style attribute would need 'unsafe-inline' in the page's CSP
    return _STRIP.sub("", drawing.render(is_unicode=True)).replace('style="opacity: 0"', 'visibility="hidden"')


def _formatter(percent: bool):
    if percent:
        return lambda value: "" if value is None else f"{value * 100:.0f}%"
    return lambda value: "" if value is None else f"{value:g}"


def style_blocks(svg: str) -> list[str]:
    """The text of the <style> elements of a chart, as a browser reads it (inside <svg> the
    parser decodes entities such as &gt;): their hashes go into the page's CSP."""
    return [html.unescape(block) for block in re.findall(r"<style[^>]*>(.*?)</style>", svg, re.S)]
