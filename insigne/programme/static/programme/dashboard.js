// The funnel chart (Chart.js, served from our static files): drawn from the JSON block
// the page carries, the very numbers of the table below it.
(function () {
  "use strict";
  var canvas = document.getElementById("funnel-chart");
  var source = document.getElementById("funnel-data");
  if (!canvas || !source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#000091", "#6a6af4", "#009081", "#c3992a", "#e4794a", "#ce614a",
    "#a558a0", "#417dc4", "#b34000", "#3a3a3a", "#60e0eb", "#fcc63a"];
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (serie, index) {
        return { label: serie.label, data: serie.data, backgroundColor: palette[index % palette.length] };
      })
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: "bottom" } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();
