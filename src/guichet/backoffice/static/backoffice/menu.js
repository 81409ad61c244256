// The agents' menu as disclosures: each group's label becomes a button that shows or
// hides its links (opening one closes the others; Escape closes it and returns to its
// button). Without this script every group stays open: plain nested lists.
(function () {
  "use strict";
  var groups = document.querySelectorAll("[data-menu-group]");
  if (!groups.length) {
    return;
  }
  var toggles = [];

  function close(except) {
    toggles.forEach(function (pair) {
      if (pair.button !== except) {
        pair.button.setAttribute("aria-expanded", "false");
        pair.list.hidden = true;
      }
    });
  }

  groups.forEach(function (group) {
    var label = group.querySelector(".nav-group-label");
    var list = group.querySelector(".nav-sub");
    if (!label || !list) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nav-group-toggle";
    button.id = label.id;
    button.textContent = label.textContent;
    // The group of the current page stays open: where the agent is, and what is next to it.
    var open = group.classList.contains("is-current");
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.setAttribute("aria-controls", list.id);
    label.replaceWith(button);
    list.hidden = !open;
    toggles.push({ button: button, list: list });

    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      close(button);
      button.setAttribute("aria-expanded", open ? "false" : "true");
      list.hidden = open;
    });
    group.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !list.hidden) {
        button.setAttribute("aria-expanded", "false");
        list.hidden = true;
        button.focus();
      }
    });
  });
})();
