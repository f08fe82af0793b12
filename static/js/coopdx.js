// Small behaviours for CoopDX pages. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, Number(el.dataset.width) || 0)) + "%";
    });
  }
  function confirmForms(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.confirmBound) return;
      form.dataset.confirmBound = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }
  function init(root) { applyWidths(root); confirmForms(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target.parentNode || document); });
})();
