/* Loa's behaviour on every page. The Content-Security-Policy allows scripts from Loa itself
   only (no inline code, no inline handlers), so everything is wired here:
   - the menu button that shows and hides the navigation on narrow screens;
   - wide tables scroll inside their own box instead of widening the page;
   - a calendar button beside every date box (input[data-day-picker]) that writes dd/mm/yyyy;
   - a filter list marked data-autosubmit applies as soon as it is changed.
   Without this script the pages still work: the navigation stays open and dates are typed. */
(function () {
  "use strict";

  var root = document.documentElement;
  // Set before the body is drawn (this file is not deferred), so the closed menu never flashes.
  root.classList.add("js");

  function setUpMenu() {
    var button = document.querySelector("[data-menu-button]");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!button || !nav) return;
    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        show(false);
        button.focus();
      }
    });
  }

  function wrapTables() {
    var tables = document.querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.parentElement.classList.contains("table-scroll")) return;
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
      // On a phone a cell of running text keeps room for a few words a line (loa.css).
      Array.prototype.forEach.call(table.querySelectorAll("td"), function (cell) {
        if (cell.textContent.trim().length > 60) cell.classList.add("cell-long");
      });
      // A box that scrolls must be reachable by keyboard to be scrolled.
      if (box.scrollWidth > box.clientWidth) box.setAttribute("tabindex", "0");
    });
  }

  function setUpAutosubmit() {
    var lists = document.querySelectorAll("select[data-autosubmit]");
    Array.prototype.forEach.call(lists, function (list) {
      list.addEventListener("change", function () {
        if (list.form) list.form.requestSubmit();
      });
    });
  }

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // The same reading as loa.core.forms.DayField: dd/mm/yyyy day first, or yyyy-mm-dd.
  function parseDay(text) {
    var day, month, year, match;
    text = (text || "").trim();
    if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text))) {
      day = +match[1]; month = +match[2]; year = +match[3];
    } else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text))) {
      day = +match[3]; month = +match[2]; year = +match[1];
    } else {
      return null;
    }
    var date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
    return date;
  }

  function setUpDayPicker(input, label, locale) {
    // The calendar lives on a detached box of its own: flatpickr never rewrites what was typed
    // (it would silently empty a date it cannot read); the server reads and checks the text.
    var store = document.createElement("input");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "day-picker-button";  // a calendar drawn by loa.css
    button.setAttribute("aria-label", label);
    button.title = label;
    button.setAttribute("aria-haspopup", "dialog");
    // The box and its button stay together on one line when a form wraps.
    var pair = document.createElement("span");
    pair.className = "day-box";
    input.parentNode.insertBefore(pair, input);
    pair.appendChild(input);
    pair.appendChild(button);
    pair.appendChild(store);
    var picker = window.flatpickr(store, {
      dateFormat: "d/m/Y",
      ariaDateFormat: "l, d/m/Y",
      clickOpens: false,
      disableMobile: true,  // a phone's own date box would show the phone's order
      animate: false,
      locale: locale,
      positionElement: input,
      onChange: function (dates) {
        if (!dates.length) return;
        input.value = pad(dates[0].getDate()) + "/" + pad(dates[0].getMonth() + 1) + "/" + dates[0].getFullYear();
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      },
      onClose: function () {
        if (picker && picker.calendarContainer.contains(document.activeElement)) input.focus();
      },
    });
    store.hidden = true;  // flatpickr made it a text box; it is never shown nor sent (no name)
    store.tabIndex = -1;
    var wasOpen = false;
    button.addEventListener("mousedown", function () {
      wasOpen = picker.isOpen;
    });
    button.addEventListener("click", function () {
      if (wasOpen || picker.isOpen) {
        wasOpen = false;
        picker.close();
        return;
      }
      var typed = parseDay(input.value);
      if (typed) picker.setDate(typed, false);
      else picker.clear(false);
      picker.open();
      var day = picker.calendarContainer.querySelector(".flatpickr-day.selected")
        || picker.calendarContainer.querySelector(".flatpickr-day.today")
        || picker.calendarContainer.querySelector(".flatpickr-day:not(.prevMonthDay)");
      if (day) day.focus();
    });
  }

  function setUpDayPickers() {
    if (typeof window.flatpickr !== "function") return;
    var vietnamese = root.lang === "vi" && window.flatpickr.l10ns && window.flatpickr.l10ns.vn;
    var locale = vietnamese ? window.flatpickr.l10ns.vn : { firstDayOfWeek: 1 };
    var label = document.body.getAttribute("data-choose-date") || "Choose a date";
    var inputs = document.querySelectorAll("input[data-day-picker]");
    Array.prototype.forEach.call(inputs, function (input) {
      setUpDayPicker(input, label, locale);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    wrapTables();
    setUpAutosubmit();
    setUpDayPickers();
  });
})();
