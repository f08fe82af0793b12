// The reader's display settings: text size (normal, large, larger) and high contrast, chosen in
// the bar at the top of every page and kept in this browser (localStorage).
//
// Loaded synchronously in <head>, as a file (the Content-Security-Policy forbids inline scripts),
// so that the settings are on <html> before the page is first painted: no flash of the small or
// low-contrast page. The buttons are wired once the document is parsed.
(function () {
  "use strict";
  var root = document.documentElement;
  var SIZES = ["normal", "large", "larger"];
  var KEY_SIZE = "coopdx.textSize";
  var KEY_CONTRAST = "coopdx.contrast";

  function read(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; // storage refused (a privacy setting): the defaults, for this page only
    }
  }
  function write(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch (error) {
      // Not remembered, but still applied to this page.
    }
  }

  function apply() {
    var size = read(KEY_SIZE);
    if (SIZES.indexOf(size) === -1) size = "normal";
    var high = read(KEY_CONTRAST) === "high";
    if (size === "normal") root.removeAttribute("data-text-size");
    else root.setAttribute("data-text-size", size);
    if (high) {
      root.setAttribute("data-contrast", "high");
      // Bootstrap's dark palette for every component, then black, white and yellow on top of it.
      root.setAttribute("data-bs-theme", "dark");
    } else {
      root.removeAttribute("data-contrast");
      root.removeAttribute("data-bs-theme");
    }
    return { size: size, high: high };
  }

  function changed(state) {
    showState(state);
    document.dispatchEvent(new CustomEvent("coopdx:display", { detail: state }));
  }

  function showState(state) {
    document.querySelectorAll("[data-text-size-option]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-text-size-option") === state.size));
    });
    document.querySelectorAll("[data-contrast-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(state.high));
    });
  }

  apply();
  // The switches work only with this script: until it has run they stay hidden (see coopdx.css).
  root.classList.add("display-switches");

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-text-size-option]").forEach(function (button) {
      button.addEventListener("click", function () {
        write(KEY_SIZE, button.getAttribute("data-text-size-option"));
        changed(apply());
      });
    });
    document.querySelectorAll("[data-contrast-toggle]").forEach(function (button) {
      button.addEventListener("click", function () {
        write(KEY_CONTRAST, button.getAttribute("aria-pressed") === "true" ? "normal" : "high");
        changed(apply());
      });
    });
    showState(apply());
  });
  // A change made in another tab of the site applies here too.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY_SIZE || event.key === KEY_CONTRAST) changed(apply());
  });
})();
