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
// <details data-open-with="name=value">: opens when that radio is chosen, closes on another choice.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.type !== "radio" || !target.form) { return; }
  target.form.querySelectorAll("details[data-open-with]").forEach(function (details) {
    var rule = details.dataset.openWith.split("=");
    if (rule[0] === target.name) { details.open = target.value === rule[1]; }
  });
});
