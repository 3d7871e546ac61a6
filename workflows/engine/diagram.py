"""Server-side SVG of a BPMN process diagram with each flow node marked by its run state.

The reviewer desk shows where a case stands (like Camunda Cockpit) with no JavaScript or
external assets. Geometry is the file's own DI, so the picture is what the modeller drew.
Colours are presentation attributes, not a stylesheet: the SVG looks the same inline, in <img>
and in a PDF, and page CSS can still override them via the `bpmn-*` and `state-*` classes.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from lxml import etree

SVG = "http://www.w3.org/2000/svg"
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC", "di": "http://www.omg.org/spec/DD/20100524/DI"}

MARGIN = 20
FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
GATEWAYS = {"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}
SUBPROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
ACTIVITIES = {"task", "userTask", "serviceTask", "scriptTask", "businessRuleTask", "sendTask",
              "receiveTask", "manualTask", "callActivity"} | SUBPROCESSES
FLOW_NODES = ACTIVITIES | EVENTS | GATEWAYS
LAYERS = {"participant": 0, "lane": 1, "boundaryEvent": 4}


class Paint(NamedTuple):
    stroke: str
    fill: str
    width: float
    dash: str | None
    text: str

    def outline(self, width: float | None = None, dash: str | None = None) -> dict[str, object]:
        return {"fill": self.fill, "stroke": self.stroke, "stroke_width": width or self.width,
                "stroke_dasharray": self.dash or dash}


PAINTS = {
    "completed": Paint("#2e7d32", "#e8f5e9", 2.0, None, "#1b5e20"),
    "current": Paint("#1565c0", "#e3f2fd", 3.5, None, "#0d47a1"),
    "waiting": Paint("#e69500", "#fff8e1", 2.0, "6 3", "#7a4f00"),
    "pending": Paint("#9e9e9e", "#ffffff", 1.5, None, "#616161"),
}

# Markers as SVG snippets around the origin — tasks in a 16px box, events for radius 18,
# gateways for width 50 — then moved and scaled into place. {c} is the state's colour; {f} and
# {b} are fill and contrast, which swap for throwing events and send tasks (filled markers).
_LETTER = '<rect y="3" width="16" height="11" fill="{f}"/><polyline points="0,3 8,9 16,3" stroke="{b}"/>'
GLYPHS = {
    "userTask": '<circle cx="8" cy="4.5" r="3.5"/><path d="M1,16 C1,9 15,9 15,16 Z"/>',
    "serviceTask": '<circle cx="8" cy="8" r="6.5" stroke-width="3" stroke-dasharray="2.55"/>'
                   '<circle cx="8" cy="8" r="5" fill="#fff"/><circle cx="8" cy="8" r="1.8"/>',
    "businessRuleTask": '<rect y="2" width="16" height="12"/><rect y="2" width="16" height="3.5" '
                        'fill="{c}"/><path d="M0,9.75 h16 M5,5.5 v8.5"/>',
    "scriptTask": '<path d="M4,1 H15 C11,5 16,11 12,15 H1 C5,11 0,5 4,1 Z M5,5 h6 M5,8 h6 M5,11 h6"/>',
    "sendTask": _LETTER, "receiveTask": _LETTER,
    "timer": '<circle r="10.8" fill="#fff" stroke-width="1.5"/>'
             '<path d="M0,-7.5 V0 L5.4,2.2" stroke-width="1.5" stroke-linecap="round"/>',
    "message": f'<g transform="translate(-9 -9.6) scale(1.125)">{_LETTER}</g>',
    "signal": '<polygon points="0,-9 8.1,5.4 -8.1,5.4" fill="{f}" stroke-width="1.5"/>',
    "error": '<polygon points="-7.2,8.1 -2.7,-7.2 1.8,1.8 7.2,-8.1 2.7,7.2 -1.8,-1.8" fill="{f}"/>',
    "terminate": '<circle r="9.9" fill="{c}"/>',
    "exclusiveGateway": '<path d="M-10,-10 L10,10 M10,-10 L-10,10" stroke-width="3"/>',
    "parallelGateway": '<path d="M0,-13 V13 M-13,0 H13" stroke-width="3"/>',
    "inclusiveGateway": '<circle r="12" stroke-width="2.5"/>',
    "eventBasedGateway": '<circle r="14"/><polygon points="0,-10.5 10,-3.2 6.2,8.5 -6.2,8.5 -10,-3.2"/>',
    "collapsed": '<path d="M-7,0 h14 v14 h-14 z M0,3 v8 M-4,7 h8"/>',
}
GLYPHS["manualTask"] = GLYPHS["userTask"]


class DiagramUnavailable(ValueError):
    """The process has no drawable DI; the caller lists the steps as text instead."""


class Box(NamedTuple):
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


class Shape(NamedTuple):
    el: etree._Element
    box: Box
    label: Box
    expanded: bool


class Edge(NamedTuple):
    el: etree._Element
    points: list[tuple[float, float]]
    label: Box


def element_states(completed: Iterable[str], current: Iterable[str],
                   waiting: Iterable[str]) -> dict[str, str]:
    """One state per element id; the most pressing wins (current > waiting > completed)."""
    states = dict.fromkeys(completed, "completed")
    states.update(dict.fromkeys(waiting, "waiting"))
    states.update(dict.fromkeys(current, "current"))
    return states


def render_svg(bpmn_xml: str | bytes, process_id: str, states: Mapping[str, str], *,
               labels: Mapping[str, str] | None = None) -> str:
    """The diagram of `process_id` as a standalone <svg>; `labels` override element names.

    Raises DiagramUnavailable when the file has no DI for the process: callers list steps instead.
    """
    root = _parse(bpmn_xml)
    scope = _scope(root, process_id)
    plane = _plane(root, process_id, scope)
    shapes = sorted(_shapes(plane, scope), key=_layer)
    if not shapes:
        raise DiagramUnavailable(f"process {process_id!r} has a BPMN plane but no shapes")
    edges = list(_edges(plane, scope))
    svg = _canvas(_view_box(shapes, edges), scope[process_id].get("name") or process_id)

    def look(el: etree._Element) -> tuple[str, str]:
        state = states.get(el.get("id"), "pending")
        name = (labels or {}).get(el.get("id")) or el.get("name") or ""
        name = "".join(ch for ch in name if ch >= " " or ch == "\n")  # XML forbids most controls
        return (state if state in PAINTS else "pending"), name

    for shape in (s for s in shapes if _layer(s)[0] < 3):  # pools, lanes, open subprocesses
        _shape(svg, shape, *look(shape.el))
    for edge in edges:
        _flow(svg, edge, *look(edge.el))
    for shape in (s for s in shapes if _layer(s)[0] >= 3):
        _shape(svg, shape, *look(shape.el))
    return etree.tostring(svg, encoding="unicode")


# --- reading the model and its DI ----------------------------------------------------------

def _parse(bpmn_xml: str | bytes) -> etree._Element:
    """No entities, no network: the file may come from an upload."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
    return etree.fromstring(bpmn_xml.encode() if isinstance(bpmn_xml, str) else bpmn_xml, parser)


def _scope(root: etree._Element, process_id: str) -> dict[str, etree._Element]:
    """The process, everything inside it, and the pool that holds it — nothing of other pools."""
    process = next((p for p in root.iterfind("bpmn:process", NS) if p.get("id") == process_id), None)
    if process is None:
        raise DiagramUnavailable(f"no process {process_id!r} in this BPMN file")
    scope = {el.get("id"): el for el in process.iter(etree.Element) if el.get("id")}
    for pool in root.iterfind("bpmn:collaboration/bpmn:participant", NS):
        if pool.get("processRef") == process_id:
            scope[pool.get("id")] = pool
    return scope


def _plane(root: etree._Element, process_id: str, scope: Mapping[str, etree._Element]) -> etree._Element:
    owners = {process_id} | {el.getparent().get("id") for el in scope.values() if _kind(el) == "participant"}
    for plane in root.iterfind("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS):
        if plane.get("bpmnElement") in owners:
            return plane
    raise DiagramUnavailable(f"process {process_id!r} has no diagram (no BPMNDI plane)")


def _shapes(plane: etree._Element, scope: Mapping[str, etree._Element]) -> Iterable[Shape]:
    for di in plane.iterfind("bpmndi:BPMNShape", NS):
        el, box = scope.get(di.get("bpmnElement")), _bounds(di.find("dc:Bounds", NS))
        if el is None or box is None:
            continue
        below = Box(box.cx - 45, box.y + box.h + 4, 90, 14)  # where unplaced names of events go
        label = _bounds(di.find("bpmndi:BPMNLabel/dc:Bounds", NS))
        label = label or (box if _kind(el) in ACTIVITIES else below)
        yield Shape(el, box, label, _kind(el) in SUBPROCESSES and di.get("isExpanded") == "true")


def _edges(plane: etree._Element, scope: Mapping[str, etree._Element]) -> Iterable[Edge]:
    for di in plane.iterfind("bpmndi:BPMNEdge", NS):
        el = scope.get(di.get("bpmnElement"))
        points = [(float(p.get("x", 0)), float(p.get("y", 0))) for p in di.iterfind("di:waypoint", NS)]
        if el is None or len(points) < 2:
            continue
        (x1, y1), (x2, y2) = points[(len(points) - 1) // 2: (len(points) - 1) // 2 + 2]
        mid = Box((x1 + x2) / 2 - 45, (y1 + y2) / 2 - 18, 90, 14)  # above the middle segment
        yield Edge(el, points, _bounds(di.find("bpmndi:BPMNLabel/dc:Bounds", NS)) or mid)


def _bounds(el: etree._Element | None) -> Box | None:
    return None if el is None else Box(*(float(el.get(k, 0)) for k in ("x", "y", "width", "height")))


def _kind(el: etree._Element) -> str:
    return etree.QName(el).localname


def _layer(shape: Shape) -> tuple[int, int]:
    """Paint order: pools, lanes, open subprocesses outside-in; then nodes; boundary events last."""
    layer = 2 if shape.expanded else LAYERS.get(_kind(shape.el), 3)
    return layer, sum(1 for _ in shape.el.iterancestors()) if layer < 3 else 0


def _view_box(shapes: list[Shape], edges: list[Edge]) -> Box:
    boxes = [b for s in shapes for b in (s.box, s.label)] + [e.label for e in edges]
    boxes += [Box(x, y, 0, 0) for e in edges for x, y in e.points]
    x0, y0 = min(b.x for b in boxes) - MARGIN, min(b.y for b in boxes) - MARGIN
    x1, y1 = max(b.x + b.w for b in boxes) + MARGIN, max(b.y + b.h for b in boxes) + MARGIN
    return Box(x0, y0, x1 - x0, y1 - y0)


# --- drawing -------------------------------------------------------------------------------

def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: object) -> etree._Element:
    """A child SVG element; `stroke_width=` becomes `stroke-width`, `class_=` becomes `class`."""
    el = etree.SubElement(parent, f"{{{SVG}}}{tag}")
    for key, value in attrs.items():
        if value is not None:
            text_value = f"{round(value, 2):g}" if isinstance(value, float) else str(value)
            el.set(key.rstrip("_").replace("_", "-"), text_value)
    el.text = text
    return el


def _canvas(view: Box, title: str) -> etree._Element:
    attrib = {"viewBox": f"{view.x:g} {view.y:g} {view.w:g} {view.h:g}", "width": f"{view.w:g}",
              "height": f"{view.h:g}", "class": "bpmn-diagram", "role": "img", "font-family": FONT,
              "font-size": "12"}
    svg = etree.Element(f"{{{SVG}}}svg", attrib, nsmap={None: SVG})
    _add(svg, "title", title)
    defs = _add(svg, "defs")
    for state, paint in PAINTS.items():
        marker = _add(defs, "marker", id=f"bpmn-arrow-{state}", viewBox="0 0 10 10", refX=10, refY=5,
                      markerWidth=10, markerHeight=10, markerUnits="userSpaceOnUse", orient="auto")
        _add(marker, "path", d="M0,0 L10,5 L0,10 z", fill=paint.stroke)
    _add(svg, "rect", x=view.x, y=view.y, width=view.w, height=view.h, fill="#ffffff")
    return svg


def _group(parent: etree._Element, el: etree._Element, classes: str, name: str) -> etree._Element:
    g = _add(parent, "g", class_=classes, data_element_id=el.get("id"))
    if name:
        _add(g, "title", name)
    return g


def _glyph(parent: etree._Element, key: str, x: float, y: float, colour: str,
           scale: float = 1.0, filled: bool = False) -> None:
    if key not in GLYPHS:
        return
    body = GLYPHS[key].format(c=colour, f=colour if filled else "none", b="#fff" if filled else colour)
    parent.append(etree.fromstring(f'<g xmlns="{SVG}" transform="translate({x:g} {y:g}) scale({scale:g})" '
                                   f'fill="none" stroke="{colour}" stroke-width="1.3">{body}</g>'))


def _wrap(text: str, width: float, char_px: float, max_lines: int) -> list[str]:
    """Greedy wrap by display width: a CJK character takes `char_px`, Latin about half of it."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for ch in " ".join(paragraph.split()):
            w = char_px if unicodedata.east_asian_width(ch) in "WF" else char_px * 0.55
            if line and used + w > width:
                lines.append(line)
                line, used = "", 0.0
            line, used = line + ch, used + w
        lines.append(line)
    lines = [line.strip() for line in lines if line.strip()]
    return lines[:max_lines - 1] + [lines[max_lines - 1][:-1] + "…"] if len(lines) > max_lines else lines


def _text(parent: etree._Element, lines: list[str], x: float, top: float, colour: str,
          size: float = 12, anchor: str = "middle", **attrs: object) -> None:
    """Lines of text starting at `top`; SVG 1.1 has no wrapping, so one tspan per line."""
    if not lines:
        return
    text = _add(parent, "text", x=x, y=top + size * 0.95, fill=colour, font_size=size,
                text_anchor=anchor, **attrs)
    for i, line in enumerate(lines):
        _add(text, "tspan", line, x=x, dy=0 if i == 0 else size * 1.25)


def _container(svg: etree._Element, shape: Shape, name: str) -> None:
    """A pool or lane: its name reads bottom-up in the 30px band on the left."""
    b, pool = shape.box, _kind(shape.el) == "participant"
    g = _group(svg, shape.el, "bpmn-pool" if pool else "bpmn-lane", name)
    _add(g, "rect", x=b.x, y=b.y, width=b.w, height=b.h, fill="none", stroke="#757575", stroke_width=1.2)
    if pool:
        _add(g, "line", x1=b.x + 30, y1=b.y, x2=b.x + 30, y2=b.y + b.h, stroke="#757575", stroke_width=1.2)
    _text(g, _wrap(name, b.h - 12, 14, 1), b.x + 15, b.cy - 7, "#424242", 13,
          transform=f"rotate(-90 {b.x + 15:g} {b.cy:g})", font_weight="bold" if pool else None)


def _shape(svg: etree._Element, shape: Shape, state: str, name: str) -> None:
    kind, paint = _kind(shape.el), PAINTS[state]
    if kind in ("participant", "lane"):
        _container(svg, shape, name)
    if kind not in FLOW_NODES:
        return  # data objects and annotations are not part of the run; pools and lanes are done
    g = _group(svg, shape.el, f"bpmn-node bpmn-{kind} state-{state}", name)
    if kind in ACTIVITIES:
        _activity(g, shape, kind, paint, name)
        return
    (_event if kind in EVENTS else _gateway)(g, shape, kind, paint)
    _text(g, _wrap(name, max(shape.label.w, 90), 12, 3), shape.label.cx, shape.label.y, paint.text, 11)


def _activity(g: etree._Element, shape: Shape, kind: str, paint: Paint, name: str) -> None:
    """Rounded box with a type marker top left; a call activity gets the thick BPMN border."""
    b = shape.box
    width = paint.width + 2 if kind == "callActivity" else None
    _add(g, "rect", x=b.x, y=b.y, width=b.w, height=b.h, rx=10, **paint.outline(width))
    _glyph(g, kind, b.x + 7, b.y + 7, paint.stroke, filled=kind == "sendTask")
    if shape.expanded:
        _text(g, _wrap(name, b.w - 20, 14, 1), b.x + 10, b.y + 6, paint.text, anchor="start")
        return
    if kind in SUBPROCESSES:
        _glyph(g, "collapsed", b.cx, b.y + b.h - 17, paint.stroke)
    marker = 24 if kind in GLYPHS else 0  # long names stay clear of the type marker
    lines = _wrap(name, b.w - 12, 14, max(1, int((b.h - 6 - marker) // 15)))
    _text(g, lines, b.cx, max(b.cy - len(lines) * 7.5, b.y + marker), paint.text)


def _event(g: etree._Element, shape: Shape, kind: str, paint: Paint) -> None:
    """Start thin, end thick, intermediate and boundary a double ring; dashed if non-interrupting."""
    b, el = shape.box, shape.el
    soft = "3 2" if "false" in (el.get("cancelActivity"), el.get("isInterrupting")) else None
    width = max(paint.width, 4) if kind == "endEvent" else None
    _add(g, "circle", cx=b.cx, cy=b.cy, r=b.w / 2, **paint.outline(width, soft))
    if kind not in ("startEvent", "endEvent"):
        _add(g, "circle", cx=b.cx, cy=b.cy, r=b.w / 2 - 3, fill="none", stroke=paint.stroke,
             stroke_width=min(paint.width, 2), stroke_dasharray=paint.dash or soft)
    definitions = (c for c in el.iterchildren(etree.Element) if _kind(c).endswith("EventDefinition"))
    definition = next(definitions, None)
    if definition is not None:
        marker = _kind(definition).removesuffix("EventDefinition")
        _glyph(g, marker, b.cx, b.cy, paint.stroke, b.w / 36, kind in ("endEvent", "intermediateThrowEvent"))


def _gateway(g: etree._Element, shape: Shape, kind: str, paint: Paint) -> None:
    b = shape.box
    corners = f"{b.cx:g},{b.y:g} {b.x + b.w:g},{b.cy:g} {b.cx:g},{b.y + b.h:g} {b.x:g},{b.cy:g}"
    _add(g, "polygon", points=corners, **paint.outline())
    _glyph(g, kind, b.cx, b.cy, paint.stroke, b.w / 50)


def _flow(svg: etree._Element, edge: Edge, state: str, name: str) -> None:
    paint = PAINTS[state]
    g = _group(svg, edge.el, f"bpmn-flow state-{state}", name)
    points = " ".join(f"{x:g},{y:g}" for x, y in edge.points)
    _add(g, "polyline", points=points, fill="none", stroke=paint.stroke, stroke_width=min(paint.width, 2.5),
         stroke_dasharray=paint.dash, stroke_linejoin="round", marker_end=f"url(#bpmn-arrow-{state})")
    _text(g, _wrap(name, max(edge.label.w, 90), 12, 2), edge.label.cx, edge.label.y, paint.text, 11)
