// The unit tree chooser (loa.units.forms.UnitTreeWidget): a filter box that ignores
// diacritics and case, a button per branch that ticks the unit and every unit below it,
// and a count of the ticked units. Without this script the tree is plain check boxes.
// The widget may appear several times on a page and load this file each time: each tree
// is set up once.
(function () {
  "use strict";

  function fold(text) {
    return text
      .toLowerCase()
      .replace(/đ/g, "d")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  }

  function setUp(tree) {
    if (tree.dataset.ready) {
      return;
    }
    tree.dataset.ready = "1";
    var tools = tree.querySelector(".unit-tree-tools");
    var filter = tree.querySelector(".unit-tree-filter");
    var count = tree.querySelector("[data-unit-tree-count]");
    var rows = Array.prototype.slice.call(tree.querySelectorAll("li[data-search]"));
    var byValue = {};
    rows.forEach(function (row) {
      var box = row.querySelector("input[type=checkbox]");
      byValue[box.value] = box;
    });

    function recount() {
      var ticked = rows.filter(function (row) {
        return row.querySelector("input[type=checkbox]").checked;
      }).length;
      count.textContent = ticked ? "(" + ticked + ")" : "";
    }

    function applyFilter() {
      var words = fold(filter.value).split(" ").filter(Boolean);
      rows.forEach(function (row) {
        var text = row.dataset.search;
        var shown = words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        row.hidden = !shown;
      });
    }

    tools.hidden = false;
    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter in the filter box must not send the form
      }
    });
    tree.querySelector("[data-unit-tree-clear]").addEventListener("click", function () {
      Object.keys(byValue).forEach(function (value) {
        byValue[value].checked = false;
      });
      recount();
    });
    rows.forEach(function (row) {
      var button = row.querySelector("[data-unit-tree-branch]");
      if (!button) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var values = row.dataset.branch.split(" ");
        // A second click on a fully ticked branch unticks it.
        var all = values.every(function (value) {
          return byValue[value].checked;
        });
        values.forEach(function (value) {
          byValue[value].checked = !all;
        });
        recount();
      });
    });
    tree.addEventListener("change", recount);
    recount();
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-unit-tree]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
