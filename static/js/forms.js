// Progressive enhancement for a form shown again with errors (templates/includes/error_summary.html):
// the focus moves to the error summary, so screen readers read it and keyboard users start from it; a link
// in the summary focuses its field and scrolls the field's label (or group legend) into view with it.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary || summary.hasAttribute("data-ready")) { return; } // the script may be included twice
  summary.setAttribute("data-ready", "");
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) { return; }
    event.preventDefault();
    var group = (field.type === "radio" || field.type === "checkbox") && field.closest("fieldset");
    var label = (group && group.querySelector("legend")) || document.querySelector("label[for='" + CSS.escape(field.id) + "']") || field;

    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
