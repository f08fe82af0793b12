// Dashboard charts (Chart.js, served from static/) and the sortable province table.
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
