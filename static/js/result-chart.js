// Radar chart of a self-assessment's pillar scores beside the province average.
(function () {
  "use strict";
  var data = document.getElementById("pillar-chart-data");
  var canvas = document.getElementById("pillar-chart");
  if (!data || !canvas || !window.Chart) return;
  var chart = JSON.parse(data.textContent);
  // Pillar names such as "Hạ tầng và công nghệ số" are wrapped into short lines: on a phone one
  // long line runs past the canvas and is cut.
  function wrap(text, width) {
    var lines = [];
    var line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines.length > 1 ? lines : lines[0] || "";
  }
  var narrow = window.matchMedia("(max-width: 575.98px)").matches;
  new window.Chart(canvas, {
    type: "radar",
    data: {
      labels: chart.labels.map(function (label) { return wrap(label, 16); }),
      datasets: [
        { label: chart.labelScore, data: chart.scores, borderColor: "#0b5d3b", backgroundColor: "rgba(11,93,59,0.2)" },
        { label: chart.labelProvince, data: chart.province, borderColor: "#b45309", backgroundColor: "rgba(180,83,9,0.08)", borderDash: [6, 4] }
      ]
    },
    options: {
      responsive: true,
      plugins: { legend: { position: "bottom" } },
      scales: {
        r: {
          min: 0,
          max: 100,
          ticks: { stepSize: 20, backdropColor: "rgba(255,255,255,0.6)" },
          pointLabels: { font: { size: narrow ? 11 : 13 } }
        }
      }
    }
  });
})();
