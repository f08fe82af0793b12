// Small behaviours for CoopDX pages. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      el.style.width = Math.max(0, Math.min(100, Number(el.dataset.width) || 0)) + "%";
    });
  }
  function confirmForms(root) {
    // A form asks before any submission; a button asks only when it is the one pressed.
    root.querySelectorAll("form[data-confirm], button[data-confirm]").forEach(function (el) {
      if (el.dataset.confirmBound) return;
      el.dataset.confirmBound = "1";
      el.addEventListener(el.tagName === "FORM" ? "submit" : "click", function (event) {
        if (!window.confirm(el.dataset.confirm)) event.preventDefault();
      });
    });
  }
  function printButtons(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }
  // A table wider than the screen scrolls sideways inside .table-responsive. Without a link or a
  // field in it, a keyboard could not scroll it: the scrolling box then takes the focus itself
  // (arrow keys scroll it), named after its table for a screen reader. Only while it scrolls, so
  // that a table that fits adds no stop to the tab order.
  function tableLabel(box) {
    var table = box.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var section = box.closest("[aria-labelledby]");
    var title = section && document.getElementById(section.getAttribute("aria-labelledby"));
    if (title) return title.textContent.trim();
    var heading = box.previousElementSibling;
    return heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent.trim() : "";
  }
  function scrollingTables(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        var label = tableLabel(box);
        if (label) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", label);
        }
        box.dataset.scrollFocus = "1";
      } else if (!scrolls && box.dataset.scrollFocus) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrollFocus;
      }
    });
  }
  function init(root) { applyWidths(root); confirmForms(root); printButtons(root); scrollingTables(document); }
  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () { scrollingTables(document); }, 150);
  });
  // A new text size (static/js/display.js) widens or narrows the tables as a resize would.
  document.addEventListener("coopdx:display", function () { scrollingTables(document); });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target.parentNode || document); });
})();
