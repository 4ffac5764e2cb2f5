/* Draws every canvas[data-chart] of a page with Chart.js (vendor/chartjs) from the JSON the page
   carries beside it (json_script: data, not code, so the Content-Security-Policy stays strict).
   Each chart has its table beneath it, which is what a reader without scripts, or a screen
   reader, uses. The JSON: {type: "line"|"bar", labels, datasets: [{label, colour, data}],
   stacked, horizontal, percent}. */
(function () {
  "use strict";

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof window.Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var vietnamese = document.documentElement.lang === "vi";
    var locale = vietnamese ? "vi-VN" : "en-GB";
    var percent = !!spec.percent;
    var horizontal = !!spec.horizontal;
    var stacked = !!spec.stacked;
    function formatted(value) {
      var text = Number(value).toLocaleString(locale, { maximumFractionDigits: percent ? 2 : 0 });
      return percent ? text + " %" : text;
    }
    var valueAxis = {
      beginAtZero: true,
      stacked: stacked,
      ticks: { precision: percent ? undefined : 0, callback: formatted },
    };
    var labelAxis = { stacked: stacked, ticks: { autoSkip: true, maxRotation: 0 } };
    var datasets = spec.datasets.map(function (set) {
      return {
        label: set.label,
        data: set.data,
        borderColor: set.colour,
        backgroundColor: set.colour,
        borderWidth: spec.type === "line" ? 2 : 0,
        pointRadius: spec.type === "line" && set.data.length > 45 ? 0 : 2,
        tension: 0,
        maxBarThickness: 40,
      };
    });
    if (horizontal) {
      // A ranked list gets the height of its rows, so three outlets are not three slabs.
      canvas.parentElement.style.height = 56 + 30 * spec.labels.length + "px";
    }
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        locale: locale,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        interaction: { mode: "index", intersect: false },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + formatted(item.raw);
              },
            },
          },
        },
      },
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
