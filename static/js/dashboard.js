// Dashboard charts (Chart.js, served from static/), the national map's caption and the sortable province table.
(function () {
  "use strict";
  var colours = ["#0b5d3b", "#2c7fb8", "#b45309", "#7c3aed", "#be123c"];
  var node = document.getElementById("dashboard-data");
  if (node && window.Chart) {
    var data = JSON.parse(node.textContent);
    var narrow = window.matchMedia("(max-width: 575.98px)").matches;
    var levels = document.getElementById("levels-chart");
    if (levels) {
      // Horizontal bars: each level is named ("3 · Hình thành"), and names need room to be read.
      new window.Chart(levels, {
        type: "bar",
        data: { labels: data.levels.labels, datasets: [{ label: data.levels.label, data: data.levels.values, backgroundColor: "#2c7fb8" }] },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    }
    var trend = document.getElementById("trend-chart");
    if (trend) {
      // The box sets the height (static/css/coopdx.css): on a phone the legend of five indicators
      // goes below the plot in small type instead of squeezing the lines into a strip.
      new window.Chart(trend, {
        type: "line",
        data: {
          labels: data.trend.labels,
          datasets: data.trend.series.map(function (s, i) {
            return { label: s.label, data: s.values, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length], spanGaps: true };
          })
        },
        options: {
          maintainAspectRatio: false,
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12, font: { size: narrow ? 11 : 12 } } } },
          scales: {
            x: { ticks: { autoSkip: false, maxRotation: 0, font: { size: narrow ? 10 : 12 } } },
            y: { beginAtZero: true, max: 100 }
          }
        }
      });
    }
  }
  var figure = document.querySelector("[data-map]");
  if (figure) {
    // The map's caption: the province's name and figure, by the province, on hover, on keyboard focus
    // and on a first tap (a second tap opens the province's page). The <title> each link carries
    // becomes its aria-label, so that the browser's own tooltip does not show on top of the caption.
    var svg = figure.querySelector("svg");
    var frame = figure.querySelector("[data-map-frame]");
    var tip = figure.querySelector("[data-map-tip]");
    var tipName = tip.querySelector("[data-map-tip-name]");
    var tipValue = tip.querySelector("[data-map-tip-value]");
    var tipHint = tip.querySelector("[data-map-tip-hint]");
    var highlight = svg.querySelector("[data-map-highlight]");
    var shown = null;
    var tapped = null;
    var hide = function () {
      shown = null;
      tip.hidden = true;
      highlight.classList.remove("is-shown");
    };
    var show = function (link, hint) {
      var name = link.getAttribute("data-name");
      var label = link.getAttribute("aria-label") || name;
      shown = link;
      tipName.textContent = name;
      tipValue.textContent = label.indexOf(name + ": ") === 0 ? label.slice(name.length + 2) : "";
      tipHint.hidden = !hint;
      highlight.setAttribute("d", link.querySelector("path").getAttribute("d"));
      highlight.classList.add("is-shown");
      tip.hidden = false;
      var point = svg.createSVGPoint();
      point.x = parseFloat(link.getAttribute("data-anchor-x"));
      point.y = parseFloat(link.getAttribute("data-anchor-y"));
      var at = point.matrixTransform(svg.getScreenCTM());
      var box = frame.getBoundingClientRect();
      var half = tip.offsetWidth / 2;
      var left = Math.max(half, Math.min(box.width - half, at.x - box.left));
      var top = at.y - box.top;
      tip.classList.toggle("is-below", top < tip.offsetHeight + 12);
      tip.style.left = left + "px";
      tip.style.top = top + "px";
    };
    svg.querySelectorAll("a[data-name]").forEach(function (link) {
      var title = link.querySelector("title");
      if (title) {
        link.setAttribute("aria-label", title.textContent);
        title.parentNode.removeChild(title);
      }
      link.addEventListener("mouseenter", function () { show(link, false); });
      link.addEventListener("mouseleave", function () { if (document.activeElement !== link) { hide(); } });
      link.addEventListener("focus", function () { show(link, false); });
      link.addEventListener("blur", hide);
      link.addEventListener("pointerdown", function (event) {
        tapped = event.pointerType === "touch" && shown !== link ? link : null;
      });
      link.addEventListener("click", function (event) {
        if (tapped === link) {
          event.preventDefault();
          show(link, true);
        }
        tapped = null;
      });
    });
    document.addEventListener("pointerdown", function (event) {
      if (shown && !event.target.closest("[data-map] a")) { hide(); }
    });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hide(); } });
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th, column) {
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      var ascending = true;
      function sort() {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column], y = b.cells[column];
          if (th.dataset.sort === "number") {
            var u = parseFloat(x.dataset.value), v = parseFloat(y.dataset.value);
            u = isNaN(u) ? -Infinity : u; v = isNaN(v) ? -Infinity : v;
            return ascending ? u - v : v - u;
          }
          return ascending ? x.textContent.localeCompare(y.textContent, "vi") : y.textContent.localeCompare(x.textContent, "vi");
        });
        rows.forEach(function (row) { body.appendChild(row); });
        ascending = !ascending;
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
})();
