// Filters: a finding is shown when its severity is ticked and its rule is chosen;
// a cell (or a PDF box) stays highlighted while one of its findings is shown.
(function () {
  "use strict";
  var sevBoxes = document.querySelectorAll("input[data-filter-severity]");
  var ruleSelect = document.getElementById("filter-rule");
  function apply() {
    var sev = {};
    sevBoxes.forEach(function (b) { sev[b.getAttribute("data-filter-severity")] = b.checked; });
    var rule = ruleSelect ? ruleSelect.value : "";
    var shown = {};
    document.querySelectorAll("li.finding").forEach(function (li) {
      var ok = sev[li.getAttribute("data-severity")] !== false &&
               (rule === "" || li.getAttribute("data-rule") === rule);
      li.classList.toggle("hidden", !ok);
      if (ok) { shown[li.id] = true; }
    });
    document.querySelectorAll("[data-findings]").forEach(function (el) {
      var ids = el.getAttribute("data-findings").split(" ");
      var on = ids.some(function (id) { return shown[id]; });
      el.classList.toggle("on", on);
      if (el.tagName.toLowerCase() === "rect") { el.style.display = on ? "" : "none"; }
    });
  }
  // A link may preset the filters: report.html#severity=error,warning&rule=T002
  var preset = {};
  location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
    var i = kv.indexOf("=");
    if (i > 0) { preset[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); }
  });
  if (preset.severity) {
    var want = preset.severity.split(",");
    sevBoxes.forEach(function (b) { b.checked = want.indexOf(b.getAttribute("data-filter-severity")) >= 0; });
  }
  if (preset.rule && ruleSelect) {
    for (var k = 0; k < ruleSelect.options.length; k++) {
      if (ruleSelect.options[k].value === preset.rule) { ruleSelect.value = preset.rule; }
    }
  }
  sevBoxes.forEach(function (b) { b.addEventListener("change", apply); });
  if (ruleSelect) { ruleSelect.addEventListener("change", apply); }
  apply();
  document.documentElement.setAttribute("data-ready", "1");
})();
