/*
 * Hulppunt: small progressive enhancements. Every page works without this file.
 *
 * 1. Move focus to the error summary when a form comes back with errors, so screen reader
 *    and keyboard users land on the list of problems.
 * 2. Links in the error summary move focus into the field (not only scroll to it).
 * 3. Availability grids get a "whole day" / "whole week part" toggle per row and column.
 * 4. Buttons with data-confirm ask before a destructive action.
 * 5. Print buttons (data-print) open the browser's print dialog.
 * 6. Long text fields (textarea[data-counter]) count the characters left. The count on
 *    screen follows every key; screen readers hear it politely, once typing pauses, and
 *    at once when a paste was cut at the limit. Without JS the hint states the limit.
 */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.setAttribute("tabindex", "-1");
      summary.focus();
    }
  }

  function linkSummaryToFields() {
    var links = document.querySelectorAll(".error-summary a[href^='#']");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) { return; }
        var focusable = target.matches("input, select, textarea, button")
          ? target
          : target.querySelector("input, select, textarea, button");
        if (focusable) {
          event.preventDefault();
          focusable.focus();
          target.scrollIntoView({ block: "center" });
        }
      });
    });
  }

  function makeToggle(label, boxes) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button whole-day";
    button.textContent = label;
    button.addEventListener("click", function () {
      var allOn = boxes.every(function (box) { return box.checked; });
      boxes.forEach(function (box) { box.checked = !allOn; });
    });
    return button;
  }

  function enhanceAvailabilityGrid(table) {
    var lang = document.documentElement.lang;
    var rowLabel = table.getAttribute("data-row-toggle") ||
      (lang === "en" ? "Whole day" : "Hele dag");
    var rows = table.querySelectorAll("tbody tr");
    Array.prototype.forEach.call(rows, function (row) {
      var boxes = Array.prototype.slice.call(row.querySelectorAll("input[type='checkbox']"));
      var header = row.querySelector("th");
      if (boxes.length < 2 || !header) { return; }
      var toggle = makeToggle(rowLabel, boxes);
      toggle.setAttribute("aria-label", rowLabel + ": " + header.textContent.trim());
      header.appendChild(document.createElement("br"));
      header.appendChild(toggle);
    });
  }

  function confirmDangerous() {
    var forms = document.querySelectorAll("form[data-confirm]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  function printButtons() {
    var buttons = document.querySelectorAll("[data-print]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  var COUNTER_PAUSE_MS = 1200;

  function countCharacters(field, index) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    var template = field.getAttribute("data-counter");
    if (!max || !template) { return; }
    var locale = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";
    var shown = document.createElement("p");
    shown.className = "hint char-counter";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.id = "char-counter-" + index;
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", spoken);
    field.insertAdjacentElement("afterend", shown);
    var pause = null;
    var cut = false;

    function text() {
      var left = Math.max(0, max - field.value.length);
      return template.replace("{count}", left.toLocaleString(locale));
    }
    function announce(message) {
      window.clearTimeout(pause);
      pause = window.setTimeout(function () { spoken.textContent = message; }, 50);
    }
    function update() {
      shown.textContent = text();
      if (cut) {
        cut = false;
        shown.textContent += " " + field.getAttribute("data-counter-cut")
          .replace("{max}", max.toLocaleString(locale));
        announce(shown.textContent);
        return;
      }
      window.clearTimeout(pause);
      pause = window.setTimeout(function () { spoken.textContent = text(); }, COUNTER_PAUSE_MS);
    }
    field.addEventListener("paste", function (event) {
      var pasted = (event.clipboardData || window.clipboardData).getData("text") || "";
      var selected = field.selectionEnd - field.selectionStart;
      cut = field.value.length - selected + pasted.length > max;
    });
    field.addEventListener("input", update);
    shown.textContent = text();
  }

  function init() {
    focusErrorSummary();
    linkSummaryToFields();
    Array.prototype.forEach.call(
      document.querySelectorAll("table.availability-grid, table.availability"),
      enhanceAvailabilityGrid
    );
    confirmDangerous();
    printButtons();
    Array.prototype.forEach.call(
      document.querySelectorAll("textarea[maxlength][data-counter]"), countCharacters
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
