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
// <input type=checkbox data-select-all="name">: ticks or clears every checkbox of that name.
document.addEventListener("change", function (event) {
  var name = event.target.dataset && event.target.dataset.selectAll;
  if (!name) { return; }
  document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});
