// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A second click on a submit button while the first request runs does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    var buttons = form.querySelectorAll("button[type=submit]");
    window.setTimeout(function () { buttons.forEach(function (b) { b.disabled = true; }); }, 0);
  });
  // Fields shown only when another answer has a given value.
  function refresh() {
    document.querySelectorAll("[data-show-if-field]").forEach(function (block) {
      var name = block.dataset.showIfField, expected = block.dataset.showIfValues.split("|");
      var inputs = document.querySelectorAll("[name='" + name + "']");
      if (!inputs.length) { return; }
      var values = [];
      inputs.forEach(function (input) {
        if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
        values.push(input.value);
      });
      var shown = values.some(function (v) { return expected.indexOf(v) !== -1; });
      block.hidden = !shown;
    });
  }
  document.addEventListener("change", refresh);
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-show-if-note]").forEach(function (note) { note.hidden = true; });
    refresh();
    var summary = document.getElementById("erreurs");
    if (summary) { summary.focus(); }
  });
})();
