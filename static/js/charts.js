/* Draw each chart from its JSON data block with plotly.js, then fold its table away.
   No inline script: the Content-Security-Policy allows scripts from this site only. */
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  document.querySelectorAll("figure.chart[data-chart]").forEach(function (figure) {
    var id = figure.getAttribute("data-chart");
    var data = document.getElementById(id + "-data");
    var canvas = document.getElementById(id);
    if (!data || !canvas) { return; }
    var spec = JSON.parse(data.textContent);
    canvas.hidden = false;
    window.Plotly.newPlot(canvas, spec.data, spec.layout, {
      displayModeBar: false,
      responsive: true,
      staticPlot: false
    });
    /* The table stays one click away: the summary element opens it again. */
    var table = figure.nextElementSibling;
    if (table && table.tagName === "DETAILS") { table.open = false; }
  });
})();
