// Progressive enhancement for the catalog; every page works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Filters: open on wide screens (closed behind a summary on phones), submit on change,
  // and leave empty fields out of the address so it stays short and shareable.
  var panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia("(min-width: 56rem)").matches) {
    panel.open = true;
  }
  var form = document.getElementById("product-filters");
  if (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && !field.value && field.type !== "submit") {
          field.disabled = true;
        }
      });
    });
    // Coming back through the history must find the fields usable again.
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
    });
    var submit = function () {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    };
    // A click or tap on a choice submits at once. From the keyboard, arrow keys walk through radio buttons
    // and menus changing the value at every step, so a change there must not reload the page (WCAG 3.2.2):
    // Enter, or the Apply/Sort button (shown once the menu changed), submits.
    var byKeyboard = false;
    document.addEventListener("pointerdown", function () { byKeyboard = false; }, true);
    document.addEventListener("keydown", function () { byKeyboard = true; }, true);
    var isChoice = function (target) {
      return target.type === "radio" || target.type === "checkbox" || target.tagName === "SELECT";
    };
    var autoSubmit = function (event) {
      if (!isChoice(event.target)) { return; }
      if (!byKeyboard) { submit(); return; }
      var sortField = event.target.closest(".sort-field");
      if (sortField) { sortField.classList.add("is-changed"); }
    };
    var submitOnEnter = function (event) {
      if (event.key === "Enter" && isChoice(event.target)) {
        event.preventDefault();
        submit();
      }
    };
    form.addEventListener("change", autoSubmit);
    form.addEventListener("keydown", submitOnEnter);
    Array.prototype.forEach.call(document.querySelectorAll("[data-autosubmit][form='product-filters']"), function (field) {
      field.addEventListener("change", autoSubmit);
      field.addEventListener("keydown", submitOnEnter);
    });
  }

  // Gallery: a thumbnail shows its photo in the main frame instead of opening the full-size file.
  var main = document.querySelector(".gallery-main img");
  var mainLink = document.querySelector(".gallery-main-link");
  Array.prototype.forEach.call(document.querySelectorAll("[data-gallery-thumb]"), function (thumb) {
    thumb.addEventListener("click", function (event) {
      var img = thumb.querySelector("img");
      if (!main || !img) { return; }
      event.preventDefault();
      main.srcset = img.srcset;
      main.src = img.src;
      main.alt = img.alt;
      if (mainLink) { mainLink.href = thumb.href; }
      Array.prototype.forEach.call(document.querySelectorAll("[data-gallery-thumb]"), function (other) {
        other.removeAttribute("aria-current");
      });
      thumb.setAttribute("aria-current", "true");
    });
  });
})();
