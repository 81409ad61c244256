// The procedure builder, enhanced: drag and drop to reorder fields, and live previews.
// Every page works without this file (Monter / Descendre buttons, the preview page).
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- Drag and drop: the new order is posted at once, then the page reloads. ---
  function sortable(list) {
    var dragged = null;
    var items = list.querySelectorAll("li[data-index]");
    items.forEach(function (item) {
      item.draggable = true;
      item.classList.add("builder-draggable");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("builder-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.dataset.index);
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("builder-dragging");
      });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) { return; }
        event.preventDefault();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
      item.addEventListener("drop", function (event) { event.preventDefault(); });
    });
    list.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged) { return; }
      dragged = null;
      var order = Array.prototype.map.call(
        list.querySelectorAll("li[data-index]"), function (li) { return li.dataset.index; }
      );
      var body = new FormData();
      body.append("csrfmiddlewaretoken", csrfToken());
      body.append("revision", list.dataset.revision);
      body.append("order", order.join(","));
      body.append("anchor", "fields");
      fetch(list.dataset.orderUrl, { method: "POST", body: body, credentials: "same-origin" })
        .then(function () { window.location.reload(); });
    });
  }

  // --- The form's preview beside the draft, loaded from the preview page. ---
  function loadPreview(aside) {
    var target = aside.querySelector("[data-preview-target]");
    fetch(aside.dataset.previewUrl, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html");
        var body = parsed.querySelector(".builder-preview-body");
        if (body) { target.replaceChildren(body); }
      });
  }

  // --- A field being edited, shown as residents will see it, at each keystroke. ---
  function fieldPreview(form, box) {
    function value(name) {
      var input = form.querySelector("[name=" + name + "]");
      return input ? input.value.trim() : "";
    }
    function render() {
      var kind = value("type");
      var required = form.querySelector("[name=required]");
      box.replaceChildren();
      var label = document.createElement("p");
      label.className = "builder-preview-label";
      if (kind === "page") {
        label.textContent = "— " + (value("label") || "?") + " —";
      } else if (kind === "help") {
        label.textContent = value("text");
      } else {
        label.textContent = (value("label") || "?") + (required && required.checked ? " (obligatoire)" : "");
      }
      box.appendChild(label);
      var help = value("help");
      if (help && kind !== "page" && kind !== "help") {
        var helpText = document.createElement("p");
        helpText.className = "help";
        helpText.textContent = help;
        box.appendChild(helpText);
      }
      if (kind === "choice" || kind === "multiple_choice") {
        var list = document.createElement("ul");
        value("choices").split("\n").forEach(function (line) {
          if (!line.trim()) { return; }
          var item = document.createElement("li");
          var parts = line.split("|");
          item.textContent = (kind === "choice" ? "○ " : "☐ ") + (parts[1] || parts[0]).trim();
          list.appendChild(item);
        });
        box.appendChild(list);
      } else if (kind !== "page" && kind !== "help") {
        var input = document.createElement("p");
        input.className = "builder-preview-input";
        input.textContent = kind;
        box.appendChild(input);
      }
      var condition = value("show_if_field");
      if (condition) {
        var note = document.createElement("p");
        note.className = "help";
        note.textContent = "Si " + condition + " = " + (value("show_if_values") || "oui");
        box.appendChild(note);
      }
    }
    form.addEventListener("input", render);
    form.addEventListener("change", render);
    render();
  }

  // --- The field form shows only the options of the chosen type. ---
  var OPTIONS = {
    name: ["!page", "!help"], label: ["!help"], help: ["!page", "!help"],
    required: ["!page", "!help"], show_if_field: ["!page", "!help"],
    show_if_values: ["!page", "!help"], prefill: ["!page", "!help", "!group", "!file"],
    text: ["help"], choices: ["choice", "multiple_choice"], min: ["number", "amount"],
    max: ["number", "amount"], accept: ["file"], max_size_mb: ["file"],
    max_rows: ["group"], sub_fields: ["group"]
  };
  function typeOptions(form) {
    var type = form.querySelector("[name=type]");
    if (!type) { return; }
    function apply() {
      Object.keys(OPTIONS).forEach(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        var block = input && input.closest(".field");
        if (!block) { return; }
        var rules = OPTIONS[name], kind = type.value;
        var shown = rules[0].charAt(0) === "!"
          ? rules.every(function (rule) { return rule.slice(1) !== kind; })
          : rules.indexOf(kind) !== -1;
        var hasValue = input.type === "checkbox" ? input.checked : input.value !== "";
        block.hidden = !shown && !hasValue && !block.classList.contains("field-error");
      });
    }
    type.addEventListener("change", apply);
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-builder-sortable]").forEach(sortable);
    document.querySelectorAll("[data-preview-url]").forEach(loadPreview);
    var fieldForm = document.querySelector("form[data-field-form]");
    var box = document.querySelector("[data-field-preview]");
    if (fieldForm) { typeOptions(fieldForm); }
    if (fieldForm && box) {
      box.hidden = false;
      box.parentElement.hidden = false;
      fieldPreview(fieldForm, box);
    }
  });
})();
