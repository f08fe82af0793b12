// Radar chart of a self-assessment's pillar scores beside the province average.
(function () {
  "use strict";
  var data = document.getElementById("pillar-chart-data");
  var canvas = document.getElementById("pillar-chart");
  if (!data || !canvas || !window.Chart) return;
  var chart = JSON.parse(data.textContent);
  new window.Chart(canvas, {
    type: "radar",
    data: {
      labels: chart.labels,
      datasets: [
        { label: chart.labelScore, data: chart.scores, borderColor: "#0b5d3b", backgroundColor: "rgba(11,93,59,0.2)" },
        { label: chart.labelProvince, data: chart.province, borderColor: "#b45309", backgroundColor: "rgba(180,83,9,0.08)", borderDash: [6, 4] }
      ]
    },
    options: { scales: { r: { min: 0, max: 100, ticks: { stepSize: 20 } } }, responsive: true }
  });
})();
