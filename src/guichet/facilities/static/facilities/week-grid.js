// Progressive enhancement: the availability tables, shown as a compact week grid on demand.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-week-grid]");
    if (!box) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button secondary";
    var grid = document.documentElement.lang === "en" ? "Show as a week grid" : "Afficher en grille";
    var table = document.documentElement.lang === "en" ? "Show as a table" : "Afficher en tableau";
    button.textContent = grid;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var on = box.classList.toggle("week-grid");
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? table : grid;
    });
    box.parentNode.insertBefore(button, box);
  });
})();
