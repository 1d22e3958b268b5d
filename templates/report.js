// Sorting and filtering of the physician table. The table is complete and readable without it.
(function () {
  "use strict";
  var table = document.getElementById("physician-table");
  var source = document.getElementById("physician-data");
  if (!table || !source) { return; }
  var data = JSON.parse(source.textContent);
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var controls = document.getElementById("table-controls");
  var search = document.getElementById("filter-text");
  var status = document.getElementById("filter-status");
  var count = document.getElementById("filter-count");
  var sortKey = null;
  var sortDir = 1;

  function record(row) { return data[Number(row.getAttribute("data-i"))]; }

  function apply() {
    var q = search.value.trim().toLowerCase();
    var s = status.value;
    var shown = 0;
    rows.forEach(function (row) {
      var d = record(row);
      var ok = (!s || d.status === s) && (!q || d.search.indexOf(q) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " shown";
  }

  function sortBy(th) {
    var k = th.getAttribute("data-key");
    sortDir = sortKey === k ? -sortDir : 1;
    sortKey = k;
    rows.sort(function (a, b) {
      var x = record(a)[k];
      var y = record(b)[k];
      if (x === y) { return 0; }
      if (x === null) { return 1; }
      if (y === null) { return -1; }
      return (x < y ? -1 : 1) * sortDir;
    });
    rows.forEach(function (row) { tbody.appendChild(row); });
    headers.forEach(function (h) { if (h.hasAttribute("data-key")) { h.setAttribute("aria-sort", "none"); } });
    th.setAttribute("aria-sort", sortDir > 0 ? "ascending" : "descending");
  }

  headers.forEach(function (th) {
    if (!th.hasAttribute("data-key")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    button.title = "Sort by " + th.textContent;
    th.textContent = "";
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () { sortBy(th); });
  });
  search.addEventListener("input", apply);
  status.addEventListener("change", apply);
  controls.hidden = false;
  apply();
}());
