  /* drift.js: the drift banner. When this build's headline figures moved
   * beyond their thresholds since the last published build (the
   * drift_warnings section: rpt_drift_warnings, one row per figure), a
   * banner heads the page above the overview, one line per figure. */
  (function showDrift(part) {
    if (!part || !part.count) return;
    var lines = part.values.drift_warning.map(function (text) { return el("li", { text: text }); });
    $("main").insertBefore(el("div", { id: "drift-warnings", className: "match-warning", role: "alert" }, [
      el("strong", { text: "Changed since the last published build:" }), el("ul", null, lines)
    ]), $("overview"));
  })(DATA.drift_warnings);
