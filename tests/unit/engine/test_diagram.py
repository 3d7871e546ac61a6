"""The SVG process diagram: geometry from DI, one group per flow node, state classes, escaping."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from workflows.engine.diagram import DiagramUnavailable, element_states, render_svg

DATA = Path(__file__).parents[2] / "data" / "diagram"
SAMPLE = (DATA / "sample.bpmn").read_text(encoding="utf-8")
SHAPES = (DATA / "shapes.bpmn").read_text(encoding="utf-8")
SVG_NS = {"svg": "http://www.w3.org/2000/svg"}
BPMN_NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
           "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
           "dc": "http://www.omg.org/spec/DD/20100524/DC", "di": "http://www.omg.org/spec/DD/20100524/DI"}


def draw(xml: str = SAMPLE, process_id: str = "credit_repair", states: dict[str, str] | None = None,
         **kwargs: object) -> etree._Element:
    return etree.fromstring(render_svg(xml, process_id, states or {}, **kwargs).encode("utf-8"))


def node_groups(svg: etree._Element) -> list[etree._Element]:
    return svg.xpath("//svg:g[contains(concat(' ', @class, ' '), ' bpmn-node ')]", namespaces=SVG_NS)


def group(svg: etree._Element, element_id: str) -> etree._Element:
    (found,) = svg.xpath(f"//svg:g[@data-element-id='{element_id}']", namespaces=SVG_NS)
    return found


def outline_of(svg: etree._Element, element_id: str) -> etree._Element:
    """The first drawn shape of a node (its <title> comes first)."""
    return group(svg, element_id).xpath("svg:*[not(self::svg:title)][1]", namespaces=SVG_NS)[0]


def texts(svg: etree._Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iterfind(".//svg:text", SVG_NS)]


def model_flow_nodes(xml: str, process_id: str) -> set[str]:
    root = etree.fromstring(xml.encode("utf-8"))
    (process,) = root.xpath("bpmn:process[@id=$pid]", namespaces=BPMN_NS, pid=process_id)
    kinds = ("Task", "task", "Event", "Gateway", "callActivity", "subProcess")
    return {el.get("id") for el in process.iter(etree.Element) if etree.QName(el).localname.endswith(kinds)}


# --- the fixtures are real BPMN ------------------------------------------------------------

@pytest.mark.parametrize("name", ["sample.bpmn", "shapes.bpmn"])
def test_fixture_passes_spiff_xsd_validation(name: str) -> None:
    parser = SpiffBpmnParser(validator=BpmnValidator())
    parser.add_bpmn_files([str(DATA / name)])
    for process_id in parser.get_process_ids():
        assert parser.get_spec(process_id) is not None


# --- structure -----------------------------------------------------------------------------

def test_output_is_a_standalone_svg_document() -> None:
    svg = draw()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(svg.get("viewBox").split()) == 4
    assert not svg.xpath("//svg:script | //svg:image | //svg:foreignObject | //@href", namespaces=SVG_NS)


@pytest.mark.parametrize(("xml", "process_id"), [(SAMPLE, "credit_repair"), (SHAPES, "shapes_demo")])
def test_every_flow_node_appears_exactly_once(xml: str, process_id: str) -> None:
    drawn = Counter(g.get("data-element-id") for g in node_groups(draw(xml, process_id)))
    assert set(drawn) == model_flow_nodes(xml, process_id)
    assert set(drawn.values()) == {1}


def test_bytes_input_is_accepted() -> None:
    assert len(node_groups(draw(SAMPLE.encode("utf-8")))) == len(model_flow_nodes(SAMPLE, "credit_repair"))


def test_view_box_covers_every_shape_and_waypoint() -> None:
    x, y, w, h = map(float, draw().get("viewBox").split())
    model = etree.fromstring(SAMPLE.encode("utf-8"))
    for b in model.iterfind(".//dc:Bounds", BPMN_NS):
        bx, by, bw, bh = (float(b.get(k)) for k in ("x", "y", "width", "height"))
        assert x <= bx and bx + bw <= x + w and y <= by and by + bh <= y + h
    for p in model.iterfind(".//di:waypoint", BPMN_NS):
        assert x <= float(p.get("x")) <= x + w and y <= float(p.get("y")) <= y + h


def test_every_flow_ends_in_an_arrowhead_that_is_defined() -> None:
    svg = draw()
    markers = {m.get("id") for m in svg.iterfind(".//svg:marker", SVG_NS)}
    lines = svg.xpath("//svg:g[contains(@class, 'bpmn-flow')]/svg:polyline", namespaces=SVG_NS)
    model = etree.fromstring(SAMPLE.encode("utf-8"))
    flows = model.xpath("//bpmn:process[@id='credit_repair']/bpmn:sequenceFlow", namespaces=BPMN_NS)
    assert len(lines) == len(flows) == 9
    assert {re.fullmatch(r"url\(#(.+)\)", line.get("marker-end")).group(1) for line in lines} <= markers


def test_boundary_event_sits_on_its_host_and_is_painted_after_it() -> None:
    svg = draw()
    groups = [g.get("data-element-id") for g in node_groups(svg)]
    assert groups.index("review_due") > groups.index("review")
    host = group(svg, "review").find("svg:rect", SVG_NS)
    ring = group(svg, "review_due").find("svg:circle", SVG_NS)
    assert float(ring.get("cy")) == float(host.get("y")) + float(host.get("height"))


def test_expanded_subprocess_is_painted_before_its_children() -> None:
    svg = draw(SHAPES, "shapes_demo")
    groups = [g.get("data-element-id") for g in node_groups(svg)]
    assert groups.index("plan") < min(groups.index(i) for i in ("plan_start", "accept_day", "plan_end"))
    assert "计算审核期限" in texts(svg)


def test_call_activity_has_a_thicker_border_than_a_task() -> None:
    svg = draw()
    call, task = (float(outline_of(svg, i).get("stroke-width")) for i in ("notify", "remind"))
    assert call > task


# --- states --------------------------------------------------------------------------------

def test_states_become_classes() -> None:
    states = element_states(completed=["received", "f_received", "submit"], current=["review"],
                            waiting=["review_due"])
    svg = draw(states={**states, "verify_record": "exploded"})
    assert "state-completed" in group(svg, "received").get("class").split()
    assert "state-completed" in group(svg, "f_received").get("class").split()
    assert group(svg, "review").get("class").split() == ["bpmn-node", "bpmn-userTask", "state-current"]
    assert "state-waiting" in group(svg, "review_due").get("class").split()
    assert "state-pending" in group(svg, "done").get("class").split()
    assert "state-pending" in group(svg, "verify_record").get("class").split()


def test_states_are_visibly_different() -> None:
    svg = draw(states={"received": "completed", "review": "current", "review_due": "waiting"})
    outline = {i: outline_of(svg, i) for i in ("received", "review", "review_due", "done")}
    assert len({el.get("stroke") for el in outline.values()}) == 4
    assert float(outline["review"].get("stroke-width")) > float(outline["done"].get("stroke-width")) / 2 + 1
    assert outline["review_due"].get("stroke-dasharray")


def test_element_states_prefers_current_then_waiting_over_completed() -> None:
    assert element_states(["a", "b", "c"], ["b"], ["c", "d"]) == {
        "a": "completed", "b": "current", "c": "waiting", "d": "waiting"}
    assert element_states([], ["x"], ["x"]) == {"x": "current"}


# --- text ----------------------------------------------------------------------------------

def test_pool_lane_task_and_flow_names_are_text() -> None:
    shown = texts(draw())
    for name in ("信用修复申请", "applicant", "reviewer", "审核修复申请", "材料是否齐全？", "齐全", "需补正"):
        assert name in shown


def test_long_chinese_names_wrap_inside_the_task() -> None:
    xml = SAMPLE.replace('name="核查信用记录"', 'name="核查信用记录并调取行政处罚决定书"')
    lines = group(draw(xml), "verify_record").find("svg:text", SVG_NS).findall("svg:tspan", SVG_NS)
    assert len(lines) >= 2 and all(len(line.text) <= 7 for line in lines)
    assert "".join(line.text for line in lines) == "核查信用记录并调取行政处罚决定书"


def test_labels_override_bpmn_names() -> None:
    shown = texts(draw(labels={"lane_applicant": "申请人", "lane_reviewer": "审核员"}))
    assert "申请人" in shown and "审核员" in shown and "applicant" not in shown


def test_markup_in_names_is_escaped() -> None:
    xml = SAMPLE.replace('name="审核修复申请"', 'name="&lt;script&gt;alert(1)&lt;/script&gt;"')
    raw = render_svg(xml, "credit_repair", {}, labels={"done": '<img src=x onerror="alert(2)">'})
    assert "<script" not in raw and "<img" not in raw
    svg = etree.fromstring(raw.encode("utf-8"))
    assert not svg.xpath("//svg:script | //*[local-name()='img']", namespaces=SVG_NS)
    assert group(svg, "review").findtext("svg:title", namespaces=SVG_NS) == "<script>alert(1)</script>"
    assert group(svg, "done").findtext("svg:title", namespaces=SVG_NS) == '<img src=x onerror="alert(2)">'


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    xml = SAMPLE.replace("<bpmn:definitions", f'<!DOCTYPE d [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
                         "<bpmn:definitions", 1).replace("<bpmn:startEvent id=\"received\" name=\"收到申请\">",
                                                         "<bpmn:startEvent id=\"received\" name=\"收到申请\">&x;")
    assert "TOP-SECRET" not in render_svg(xml, "credit_repair", {})


# --- no diagram ----------------------------------------------------------------------------

def test_process_without_di_raises_diagram_unavailable() -> None:
    with pytest.raises(DiagramUnavailable, match="notify_applicant"):
        render_svg(SAMPLE, "notify_applicant", {})
    assert issubclass(DiagramUnavailable, ValueError)


def test_unknown_process_raises_diagram_unavailable() -> None:
    with pytest.raises(DiagramUnavailable, match="no_such_process"):
        render_svg(SAMPLE, "no_such_process", {})


def test_large_diagram_renders_every_node() -> None:
    """Hundreds of tasks: guards against quadratic lookups without a timing assertion."""
    count = 600
    tasks = "".join(f'<bpmn:task id="t{i}" name="任务{i}"/>' for i in range(count))
    flows = "".join(f'<bpmn:sequenceFlow id="f{i}" sourceRef="t{i}" targetRef="t{i + 1}"/>'
                    for i in range(count - 1))
    shapes = "".join(f'<bpmndi:BPMNShape id="s{i}" bpmnElement="t{i}"><dc:Bounds x="{i * 150}" y="0" '
                     'width="100" height="80"/></bpmndi:BPMNShape>' for i in range(count))
    edges = "".join(f'<bpmndi:BPMNEdge id="e{i}" bpmnElement="f{i}"><di:waypoint x="{i * 150 + 100}" y="40"/>'
                    f'<di:waypoint x="{i * 150 + 150}" y="40"/></bpmndi:BPMNEdge>' for i in range(count - 1))
    xml = (f'<bpmn:definitions xmlns:bpmn="{BPMN_NS["bpmn"]}" xmlns:bpmndi="{BPMN_NS["bpmndi"]}" '
           f'xmlns:dc="{BPMN_NS["dc"]}" xmlns:di="{BPMN_NS["di"]}" id="big"><bpmn:process id="big_p">'
           f'{tasks}{flows}</bpmn:process><bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" '
           f'bpmnElement="big_p">{shapes}{edges}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>')
    svg = draw(xml, "big_p", {f"t{i}": "completed" for i in range(count // 2)})
    assert len(node_groups(svg)) == count
