/* The page behaviour that used to be inline (the Content-Security-Policy allows no inline script). */
"use strict";
// <select data-autosubmit>: choosing an option submits its form.
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) { event.target.form.submit(); }
});
// <form data-confirm="question">: submit only after the user confirms.
document.addEventListener("submit", function (event) {
  var question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) { event.preventDefault(); }
});
// <a target="preview">: the attachment preview frame appears once a file is opened in it.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[target=preview]");
  var frame = link && document.querySelector("iframe[name=preview]");
  if (frame) { frame.hidden = false; }
});
// The case diagram (#diagram): readable at first, opened at the current step; zoom in, out, or
// show the whole flow (the frame scrolls both ways, so nothing is clipped).
(function () {
  var frame = document.getElementById("diagram");
  var svg = frame && frame.querySelector("svg.bpmn-diagram");
  if (!svg || !svg.viewBox.baseVal) { return; }
  var box = svg.viewBox.baseVal, scale = 1, READABLE = 0.6, LARGEST = 2;
  function whole() { return Math.min(LARGEST, (frame.clientWidth - 16) / box.width); }
  function show(next) {
    scale = Math.min(LARGEST, Math.max(whole(), next));
    svg.style.width = box.width * scale + "px";
    svg.style.height = box.height * scale + "px";
    frame.dataset.zoom = scale.toFixed(2);
  }
  function toCurrent() {
    var current = svg.querySelector(".bpmn-node.state-current");
    if (!current) { return; }
    var b = current.getBBox();
    frame.scrollLeft = (b.x - box.x + b.width / 2) * scale - frame.clientWidth / 2;
    frame.scrollTop = (b.y - box.y + b.height / 2) * scale - frame.clientHeight / 2;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-diagram-zoom]");
    if (!button) { return; }
    var how = button.dataset.diagramZoom;
    show(how === "fit" ? whole() : scale * (how === "in" ? 1.25 : 0.8));
    toCurrent();
  });
  show(Math.max(whole(), READABLE));
  toCurrent();
})();
// <select data-fills="field">: choosing an option copies its data-name into that field (a
// department's name beside its code).
document.addEventListener("change", function (event) {
  var target = event.target.dataset && event.target.dataset.fills;
  var option = target && event.target.selectedOptions[0];
  var field = target && event.target.form.elements[target];
  if (field && option) { field.value = option.dataset.name || ""; }
});
// <details data-open-with="name=value">: opens when that radio is chosen, closes on another choice.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.type !== "radio" || !target.form) { return; }
  target.form.querySelectorAll("details[data-open-with]").forEach(function (details) {
    var rule = details.dataset.openWith.split("=");
    if (rule[0] === target.name) { details.open = target.value === rule[1]; }
  });
});
// <input type=checkbox data-select-all="name">: ticks or clears every checkbox of that name.
document.addEventListener("change", function (event) {
  var name = event.target.dataset && event.target.dataset.selectAll;
  if (!name) { return; }
  document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});
