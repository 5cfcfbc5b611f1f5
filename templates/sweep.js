// Sorts the table of runs by a column when its heading is pressed; the table reads the same without it.
(function () {
  "use strict";
  var table = document.getElementById("members");
  if (!table || !table.tHead || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var headings = table.tHead.rows[0].cells;
  function key(row, column) {
    var cell = row.cells[column];
    var text = cell ? (cell.getAttribute("data-sort") || "") : "";
    var number = text === "" ? NaN : Number(text);
    return { empty: text === "", number: number, text: text.toLowerCase() };
  }
  function compare(a, b) {
    if (a.empty || b.empty) { return a.empty === b.empty ? 0 : (a.empty ? 1 : -1); }
    if (!isNaN(a.number) && !isNaN(b.number)) { return a.number - b.number; }
    return a.text < b.text ? -1 : (a.text > b.text ? 1 : 0);
  }
  Array.prototype.forEach.call(headings, function (heading, column) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (heading.firstChild) { button.appendChild(heading.firstChild); }
    heading.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = heading.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headings, function (other) { other.removeAttribute("aria-sort"); });
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
        return { row: row, index: index, key: key(row, column) };
      });
      rows.sort(function (a, b) {
        var order = compare(a.key, b.key);
        if (order !== 0 && !a.key.empty && !b.key.empty && !ascending) { order = -order; }
        return order !== 0 ? order : a.index - b.index;
      });
      rows.forEach(function (item) { body.appendChild(item.row); });
    });
  });
})();
