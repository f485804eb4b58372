/* A table laid out as blocks on a phone (table.stack, site.css) keeps its semantics: some
   browsers drop a table's roles when its display changes, so they are written out here. The
   HTML cannot carry them itself (the HTML checker refuses roles on a table's rows and cells). */
(function () {
  "use strict";
  document.querySelectorAll("table.stack").forEach(function (table) {
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody, tfoot").forEach(function (group) {
      group.setAttribute("role", "rowgroup");
    });
    table.querySelectorAll("tr").forEach(function (row) {
      row.setAttribute("role", "row");
    });
    table.querySelectorAll("th").forEach(function (cell) {
      cell.setAttribute("role", cell.getAttribute("scope") === "row" ? "rowheader" : "columnheader");
    });
    table.querySelectorAll("td").forEach(function (cell) {
      cell.setAttribute("role", "cell");
    });
  });
})();
