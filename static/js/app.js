// PPID Desk progressive enhancement: every page works without this file.
(function () {
  "use strict";

  // Show only the form sections that apply, e.g. data-show-for="applicant-kind:badan_hukum".
  function refreshConditionals(form) {
    form.querySelectorAll("[data-show-for]").forEach(function (section) {
      var spec = section.getAttribute("data-show-for").split(":");
      var group = form.querySelector('[data-toggles="' + spec[0] + '"]:checked');
      var show = group !== null && spec[1].split(" ").indexOf(group.value) !== -1;
      var alsoBox = section.getAttribute("data-show-if-checked");
      if (alsoBox) {
        var box = form.querySelector("#" + alsoBox);
        show = show || (box !== null && box.checked);
      }
      var hasError = section.querySelector(".field-invalid, .upload-kept") !== null;
      section.hidden = !(show || hasError);
    });
  }

  function init(root) {
    // Buttons only a visitor without JavaScript needs (e.g. "show the items of this outcome").
    root.querySelectorAll("[data-no-js]").forEach(function (element) { element.hidden = true; });
    root.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-for]")) return;
      refreshConditionals(form);
      form.addEventListener("change", function () { refreshConditionals(form); });
    });
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    var summary = root.querySelector(".error-summary");
    if (summary) summary.focus();
  }

  // Unit picker (templates/organisation/_unit_picker.html): a unit picked from the search
  // results fills its code into the text field (what a visitor without JavaScript types), or,
  // where several units may be chosen, adds a ticked box for it.
  document.addEventListener("click", function (event) {
    var option = event.target.closest ? event.target.closest("[data-unit-option]") : null;
    var picker = option ? option.closest("[data-unit-picker]") : null;
    if (!picker) return;
    var input = picker.querySelector("[data-unit-picker-input]");
    var chosen = picker.querySelector("[data-unit-picker-chosen]");
    var id = option.getAttribute("data-unit-id");
    if (chosen) {
      var boxId = chosen.getAttribute("data-id-prefix") + id;
      var box = document.getElementById(boxId);
      if (!box) {
        var row = document.createElement("div");
        row.className = "choice";
        box = document.createElement("input");
        box.type = "checkbox";
        box.id = boxId;
        box.name = chosen.getAttribute("data-name");
        box.value = id;
        var text = document.createElement("label");
        text.htmlFor = boxId;
        text.textContent = option.getAttribute("data-unit-name") + " (" + option.getAttribute("data-unit-code") + ")";
        row.appendChild(box);
        row.appendChild(text);
        chosen.appendChild(row);
      }
      box.checked = true;
      input.value = "";
    } else {
      input.value = option.getAttribute("data-unit-code");
    }
    picker.querySelector("[data-unit-picker-results]").textContent = "";
    input.focus();
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
