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

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
