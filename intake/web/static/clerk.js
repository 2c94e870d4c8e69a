// The clerk's case page: keyboard path through the fields, discrepancy → field and box.
// j/k (or Tab) move between fields, e/Enter edits, Enter saves, Esc cancels,
// a approves, r goes to the reason, n opens the next case of the queue.
(function () {
  "use strict";
  var root = document.getElementById("clerk-case");
  if (!root) return;
  var caseId = root.getAttribute("data-case");
  var openErrors = parseInt(root.getAttribute("data-open-errors") || "0", 10);
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.frow"));

  function boxes(key) {
    return document.querySelectorAll('polygon.box[data-key="' + key + '"]');
  }

  function mark(key, on) {
    Array.prototype.forEach.call(boxes(key), function (b) { b.classList.toggle("active", on); });
  }

  function clearMarks() {
    Array.prototype.forEach.call(document.querySelectorAll(".active"), function (e) { e.classList.remove("active"); });
  }

  function select(row, scroll) {
    if (!row) return;
    clearMarks();
    row.classList.add("active");
    mark(row.getAttribute("data-key"), true);
    row.focus({preventScroll: true});
    if (scroll !== false) {
      var fig = row.closest("section.document");
      var box = boxes(row.getAttribute("data-key"))[0];
      (box || row).scrollIntoView({block: "center", behavior: "auto"});
      if (box) row.scrollIntoView({block: "nearest"});
      if (!box && fig) row.scrollIntoView({block: "center"});
    }
  }

  function current() {
    var a = document.activeElement;
    var row = a && a.closest ? a.closest("tr.frow") : null;
    return row ? rows.indexOf(row) : -1;
  }

  function edit(row) {
    var input = row.querySelector("input.fix-value");
    if (!input || input.disabled) return;
    input.tabIndex = 0;
    input.focus();
    input.select();
  }

  rows.forEach(function (row) {
    row.addEventListener("focus", function () {
      clearMarks();
      row.classList.add("active");
      mark(row.getAttribute("data-key"), true);
    });
    row.addEventListener("click", function (e) {
      if (e.target.closest("form")) return;
      select(row, false);
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("polygon.box[data-key]"), function (b) {
    b.addEventListener("click", function () {
      var row = document.getElementById("f-" + b.getAttribute("data-key"));
      select(row, true);
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("li.disc"), function (li) {
    function go() {
      Array.prototype.forEach.call(document.querySelectorAll("li.disc.active"), function (x) { x.classList.remove("active"); });
      var key = li.getAttribute("data-target");
      var row = key ? document.getElementById("f-" + key) : null;
      if (row) {
        select(row, true);
        row.classList.add("flash");
        setTimeout(function () { row.classList.remove("flash"); }, 1500);
      }
      li.classList.add("active");
    }
    li.addEventListener("click", go);
    li.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); go(); } });
  });

  function approve() {
    var override = document.getElementById("override");
    var btn = document.getElementById("approve");
    if (!btn) return;
    if (openErrors > 0 && override && !override.value.trim()) {
      override.focus();
      override.classList.add("needed");
      return;
    }
    btn.click();
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
    if (typing) {
      if (e.key === "Escape") {
        var row = t.closest("tr.frow");
        t.blur();
        if (row) { t.tabIndex = -1; select(row, false); } else { t.blur(); }
      }
      return;  // Enter in a correction input submits its form
    }
    var i = current();
    if (e.key === "j" || e.key === "ArrowDown") {
      e.preventDefault();
      select(rows[Math.min(i + 1, rows.length - 1)] || rows[0]);
    } else if (e.key === "k" || e.key === "ArrowUp") {
      e.preventDefault();
      select(rows[Math.max(i - 1, 0)] || rows[0]);
    } else if ((e.key === "e" || e.key === "Enter") && i >= 0 && t.tagName === "TR") {
      e.preventDefault();
      edit(rows[i]);
    } else if (e.key === "a" && t.tagName !== "BUTTON") {
      e.preventDefault();
      approve();
    } else if (e.key === "r") {
      var reason = document.getElementById("reason");
      if (reason) { e.preventDefault(); reason.focus(); }
    } else if (e.key === "n") {
      e.preventDefault();
      window.location.href = "/clerk/next?after=" + encodeURIComponent(caseId);
    }
  });

  // Back from saving a correction: the field saved is the current one again.
  if (window.location.hash.indexOf("#f-") === 0) {
    var back = document.getElementById(window.location.hash.slice(1));
    if (back) select(back, true);
  }
})();
