// Dashboard charts (Chart.js, served from static/) and the sortable province table.
(function () {
  "use strict";
  var colours = ["#0b5d3b", "#2c7fb8", "#b45309", "#7c3aed", "#be123c"];
  var node = document.getElementById("dashboard-data");
  if (node && window.Chart) {
    var data = JSON.parse(node.textContent);
    var levels = document.getElementById("levels-chart");
    if (levels) {
      new window.Chart(levels, {
        type: "bar",
        data: { labels: data.levels.labels, datasets: [{ label: data.levels.label, data: data.levels.values, backgroundColor: "#2c7fb8" }] },
        options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
      });
    }
    var trend = document.getElementById("trend-chart");
    if (trend) {
      new window.Chart(trend, {
        type: "line",
        data: {
          labels: data.trend.labels,
          datasets: data.trend.series.map(function (s, i) {
            return { label: s.label, data: s.values, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length], spanGaps: true };
          })
        },
        options: { scales: { y: { beginAtZero: true, max: 100 } } }
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
