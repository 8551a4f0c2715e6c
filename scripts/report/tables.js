  /* tables.js: the long tables (paged), estimates and history, and the
   * overview's drawing of each section when it is on screen. */
  // ------------------------------------------------------------ paged tables (only drawn when seen)
  //: rows of each long overview list on paper: the rest are "no-print"; a
  //: line under the table says how many more and where they are
  var PRINTED_ROWS = 10;
  // onPaper: { noun, csv } (what the rows are, the label of the list's CSV
  // download) for a list cut to its first PRINTED_ROWS in print
  function pager(tableBody, moreButton, pageSize, rowFor, onPaper) {
    var rows = [], shown = 0, note = null;
    if (onPaper) {
      note = el("p", { className: "print-only print-note" });
      moreButton.insertAdjacentElement("beforebegin", note);
    }
    function sayMore() {
      var rest = rows.length - PRINTED_ROWS;
      note.textContent = rest > 0 ? "and " + count(rest) + " more " + onPaper.noun + ": see the CSV (" + onPaper.csv + ") or the page" : "";
    }
    function more() {
      var fragment = document.createDocumentFragment();
      rows.slice(shown, shown + pageSize).forEach(function (row, k) {
        var tr = rowFor(row);
        if (onPaper && shown + k >= PRINTED_ROWS) tr.classList.add("no-print");
        fragment.appendChild(tr);
      });
      tableBody.appendChild(fragment);
      shown = Math.min(rows.length, shown + pageSize);
      moreButton.hidden = shown >= rows.length;
      moreButton.textContent = showMore(Math.min(pageSize, rows.length - shown), rows.length);
    }
    // the focus moves to the first row shown (the button is hidden once all are)
    moreButton.addEventListener("click", function () {
      var first = shown;
      more();
      var row = tableBody.children[first];
      if (!row) return;
      if (!row.hasAttribute("tabindex")) row.setAttribute("tabindex", "-1");
      row.focus();
    });
    return {
      set: function (newRows) { rows = newRows; shown = 0; tableBody.textContent = ""; more(); if (note) sayMore(); },
      rows: function () { return rows; }
    };
  }
  var outsidePager = pager($("outside-table").querySelector("tbody"), $("outside-more"), 50, function (o) {
    return el("tr", { "data-campaign": o.campaign_id }, [td(o.campaign_id), td(o.campaign_name || ""), td(o.maid || ""),
      td(o.advertiser_name || ""), td(o.partner_name === null ? "none (advertiser not in roster)" : o.partner_name),
      td(o.am || ""), td(money(o.campaign_budget), true)]);
  }, { noun: "health campaigns outside the roster", csv: "Download" });
  function outsideRows() {
    return outside.filter(function (o) { return !state.partners.length || state.partners.indexOf(o.partner_name) >= 0; });
  }
  function renderOutside() { if ($("outside-details").open) outsidePager.set(outsideRows()); }
  $("outside-details").addEventListener("toggle", renderOutside);

  // the rows of a long list that match, counted now and collected as pages
  // are shown (no copy of the list per filter click)
  function lazyFilter(list, match) {
    var total = 0, i;
    for (i = 0; i < list.length; i++) if (match(list[i])) total++;
    var found = [], cursor = 0;
    return {
      length: total,
      slice: function (from, to) {
        while (found.length < to && cursor < list.length) {
          if (match(list[cursor])) found.push(list[cursor]);
          cursor++;
        }
        return found.slice(from, to);
      }
    };
  }

  var rejected = records(DATA.rejected_rows);
  var rejectedPager = pager($("rejected-table").querySelector("tbody"), $("rejected-more"), 50, function (o) {
    return el("tr", {}, [td(o.file_name), td(o.sheet_name), td(count(o.source_row_number), true), td(o.column_name || ""),
      td(o.raw_value === null ? "" : String(o.raw_value)), td(o.reason), td(o.message || "")]);
  }, { noun: "rejected rows", csv: "Download" });
  function renderRejected() {
    if ($("rejected-details").open && !rejectedPager.rows().length) rejectedPager.set(rejected);
  }
  $("rejected-details").addEventListener("toggle", renderRejected);

  // ------------------------------------------------------------ estimates
  function renderEstimates(a) {
    var on = filtersOn();
    var rows = document.querySelectorAll("#estimates-by-source tr[data-source]");
    var totalN = 0, totalCents = 0;
    var modelRows = {};
    for (var i = 0; i < rows.length; i++) {
      var source = rows[i].getAttribute("data-source"), s = SOURCES.indexOf(source);
      var cells = rows[i].querySelectorAll("td");
      if (!modelRows[source]) modelRows[source] = [cells[0].getAttribute("data-model") || cells[0].textContent,
        cells[1].getAttribute("data-model") || cells[1].textContent];
      cells[0].setAttribute("data-model", modelRows[source][0]);
      cells[1].setAttribute("data-model", modelRows[source][1]);
      var n = s >= 0 ? a.sourceCampaigns[s] : 0, c = s >= 0 ? a.sourceCents[s] : 0;
      totalN += n; totalCents += c;
      cells[0].textContent = on ? count(n) : modelRows[source][0];
      cells[1].textContent = on ? money(c / 100) : modelRows[source][1];
    }
    var total = $("estimated-total");
    if (!total.hasAttribute("data-model")) {
      total.setAttribute("data-model", total.textContent);
      total.previousElementSibling.setAttribute("data-model", total.previousElementSibling.textContent);
    }
    total.textContent = on ? money(totalCents / 100) : total.getAttribute("data-model");
    total.previousElementSibling.textContent = on ? count(totalN) : total.previousElementSibling.getAttribute("data-model");
  }

  // ------------------------------------------------------------ history
  var DROPS = DATA.budget_history.levels.as_of_date.slice().sort();
  function historyFor(partner) { return historyRows.filter(function (h) { return h.partner_name === partner; }); }
  function sparkline(points, label) {
    var width = 120, height = 26, values = points.map(function (h) { return h.known_budget; });
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var span = high - low || 1, step = width / Math.max(values.length - 1, 1);
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "sparkline"); svg.setAttribute("role", "img"); svg.setAttribute("aria-label", label);
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    var line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    line.setAttribute("points", values.map(function (v, i) {
      return (i * step).toFixed(1) + "," + (height - 3 - (height - 6) * (v - low) / span).toFixed(1);
    }).join(" "));
    svg.appendChild(line);
    return svg;
  }
  function historyRow(name, points, label) {
    var byDate = {};
    points.forEach(function (h) { byDate[h.as_of_date] = h; });
    var latest = points[points.length - 1];
    var change = latest ? latest.budget_change : null;
    return el("tr", { "data-partner": name }, [el("th", { scope: "row", text: label || name }),
      el("td", {}, [sparkline(points, "Budget trend of " + (label || name) + " on its own scale")])]
      .concat(DROPS.map(function (d) { return td(byDate[d] ? money(byDate[d].known_budget) : "", true); }))
      .concat([el("td", { className: "num " + (change > 0 ? "up" : change < 0 ? "down" : ""), text: signed(change) })]));
  }
  (function buildHistory() {
    var head = $("history-head");
    // a drop's date never breaks at its hyphens
    [th("Partner"), th("Trend")].concat(DROPS.map(function (d) { return el("th", { scope: "col", className: "num nowrap", text: d }); }))
      .concat([th("Change, last drop", true)]).forEach(function (cell) { head.appendChild(cell); });
    var body = $("history-table").querySelector("tbody");
    var names = [];
    historyRows.forEach(function (h) { if (names.indexOf(h.partner_name) < 0) names.push(h.partner_name); });
    names.forEach(function (name) {
      var points = historyFor(name);
      body.appendChild(historyRow(name, points, points[0].is_unmatched_health ? "Outside the roster (no partner)" : name));
    });
  })();
  function renderHistory() {
    var rows = $("history-table").querySelectorAll("tbody tr");
    for (var i = 0; i < rows.length; i++) {
      var name = rows[i].getAttribute("data-partner");
      rows[i].hidden = state.partners.length > 0 && state.partners.indexOf(name) < 0;
    }
  }

  // ------------------------------------------------------------ overview
  var current = null;
  // Each section is drawn when it is on screen; the others are marked stale
  // and drawn when they scroll into view (or when the browser is idle), so a
  // filter click costs only what the user can see.
  var SECTIONS = [
    ["headline", "headline", function (a) { renderHeadline(a); }],
    ["partners", "partners-title", renderPartnerTable],
    ["mix", "mix-title", function (a) { renderHeatmap(a); renderBars(a); }],
    ["gaps", "gaps-title", function (a) { renderCoverage(a); renderOutside(); }],
    ["cross_sell", "cross-sell-title", function () { renderCrossSell(); }],
    ["estimates", "estimates-title", renderEstimates],
    ["history", "history-title", function () { renderHistory(); }]
  ];
  var onScreen = {}, stale = {};
  function sectionOf(entry) {
    var node = $(entry[1]);
    return node.closest("section") || node;
  }
  function drawSection(entry) {
    var t = performance.now();
    entry[2](current);
    stale[entry[0]] = false;
    profile.last[entry[0]] = performance.now() - t;
  }
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (seen) {
      var name = seen.target.getAttribute("data-section");
      onScreen[name] = seen.isIntersecting;
      if (seen.isIntersecting && stale[name]) {
        SECTIONS.forEach(function (entry) { if (entry[0] === name) keepingFocus(function () { drawSection(entry); }); });
      }
    });
  }, { rootMargin: "200px 0px" }) : null;
  SECTIONS.forEach(function (entry) {
    var node = sectionOf(entry);
    node.setAttribute("data-section", entry[0]);
    if (observer) observer.observe(node);
  });
  function inView(node) {
    var box = node.getBoundingClientRect();
    return box.bottom > -200 && box.top < window.innerHeight + 200;
  }
  var idle = null;
  function drawStale() {
    idle = null;
    SECTIONS.forEach(function (entry) { if (stale[entry[0]]) keepingFocus(function () { drawSection(entry); }); });
  }
  function renderOverview(everything) {
    var started = performance.now();
    current = aggregate();
    profile.last = { aggregate: performance.now() - started };
    var partnerMode = state.partner !== "";
    keepingFocus(function () {
      var t = performance.now();
      renderFacets(current);
      profile.last.facets = performance.now() - t;
      SECTIONS.forEach(function (entry) {
        stale[entry[0]] = true;
        if (everything || (!partnerMode && (entry[0] === "headline" || inView(sectionOf(entry))))) drawSection(entry);
      });
    });
    if (!idle) {
      idle = window.requestIdleCallback ? requestIdleCallback(drawStale, { timeout: 1000 }) : setTimeout(drawStale, 200);
    }
  }
  function filtersChanged() {
    replaceUrl();
    renderOverview();
  }
  $("clear-filters").addEventListener("click", function () {
    state.products = []; state.partners = []; state.statuses = []; state.budget = "";
    filtersChanged();
  });

