/* Draw each chart from its JSON data block with plotly.js, then fold its table away behind a
   "Visa siffrorna" button. No inline script: the Content-Security-Policy allows scripts from
   this site only. Without JavaScript (or plotly) the tables stay as they are. */
(function () {
  "use strict";
  if (!window.Plotly) { return; }

  /* The table is folded for the eye only (.figures-folded is visually hidden): a screen reader
     still reads it, since the chart itself tells it nothing. While folded its box neither
     scrolls nor takes focus (site.css), so that keyboard focus never lands on something
     invisible. */
  function fold(wrapper, button, folded) {
    wrapper.classList.toggle("figures-folded", folded);
    button.setAttribute("aria-expanded", folded ? "false" : "true");
    button.textContent = folded ? wrapper.dataset.showLabel : wrapper.dataset.hideLabel;
    wrapper.querySelectorAll(".table-wrap").forEach(function (box) {
      if (folded) { box.removeAttribute("tabindex"); } else { box.setAttribute("tabindex", "0"); }
    });
  }

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
    var wrapper = document.querySelector('[data-chart-figures="' + id + '"]');
    if (!wrapper) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "show-figures";
    button.setAttribute("aria-controls", wrapper.id);
    button.addEventListener("click", function () {
      fold(wrapper, button, button.getAttribute("aria-expanded") === "true");
    });
    wrapper.parentNode.insertBefore(button, wrapper);
    fold(wrapper, button, true);
  });
})();
