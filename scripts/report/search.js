  /* search.js: the search box, the page's wiring and its start. */
  // ------------------------------------------------------------ search
  var search = $("search"), results = $("search-results"), searchStatus = $("search-status");
  var index = null;
  function buildIndex() {
    if (index) return index;
    var advertisers = advertiserRecords.map(function (a) {
      return { partner: a.partner_name, maid: a.maid, name: a.advertiser_name || a.maid,
               lower: (a.advertiser_name || "").toLowerCase() };
    });
    var lowerNames = new Array(N);
    for (var i = 0; i < N; i++) lowerNames[i] = (C.campaign_name[i] || "").toLowerCase();
    index = { partners: PARTNERS.map(function (p) { return [p, p.toLowerCase()]; }), advertisers: advertisers,
              campaignNames: lowerNames };
    return index;
  }
  var LIMIT = 8, options = [], active = -1;
  function find(query) {
    var q = query.trim().toLowerCase(), found = [];
    if (q.length < 2) return found;
    var ix = buildIndex(), digits = /^\d+$/.test(q), i, n = 0;
    ix.partners.forEach(function (p) {
      if (n < LIMIT && p[1].indexOf(q) >= 0) { found.push({ kind: "Partner", label: p[0], view: { partner: p[0] } }); n++; }
    });
    n = 0;
    for (i = 0; i < ix.advertisers.length && n < LIMIT; i++) {
      var a = ix.advertisers[i];
      if ((digits && a.maid.indexOf(q) === 0) || a.lower.indexOf(q) >= 0) {
        found.push({ kind: "Advertiser \u00b7 MAID " + a.maid + " \u00b7 " + a.partner, label: a.name,
                     view: { partner: a.partner, advertiser: a.maid } });
        n++;
      }
    }
    n = 0;
    var names = ix.campaignNames;
    for (i = 0; i < N && n < LIMIT; i++) {
      if ((digits && C.campaign_id[i].indexOf(q) === 0) || names[i].indexOf(q) >= 0) {
        found.push({ kind: "Campaign " + C.campaign_id[i] + " \u00b7 " + PARTNERS[cPartner[i]], label: C.campaign_name[i] || C.campaign_id[i],
                     view: { partner: PARTNERS[cPartner[i]], advertiser: MAIDS[cMaid[i]], campaign: C.campaign_id[i] } });
        n++;
      }
    }
    return found;
  }
  function setActive(k) {
    var items = results.children;
    for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", String(i === k));
    active = k;
    if (k >= 0 && items[k]) { search.setAttribute("aria-activedescendant", items[k].id); items[k].scrollIntoView({ block: "nearest" }); }
    else search.removeAttribute("aria-activedescendant");
  }
  function showResults() {
    options = find(search.value);
    results.textContent = "";
    var fragment = document.createDocumentFragment();
    options.forEach(function (o, k) {
      var item = el("li", { role: "option", id: "search-option-" + k, "aria-selected": "false" },
        [el("span", { className: "what", text: o.label }), el("span", { className: "kind", text: o.kind })]);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(k); });
      fragment.appendChild(item);
    });
    if (!options.length && search.value.trim().length >= 2) {
      fragment.appendChild(el("li", { className: "none", text: "Nothing found" }));
    }
    results.appendChild(fragment);
    var open = search.value.trim().length >= 2;
    results.hidden = !open;
    search.setAttribute("aria-expanded", String(open));
    searchStatus.textContent = open ? count(options.length) + " found" : "";
    setActive(options.length ? 0 : -1);
  }
  function closeResults() { results.hidden = true; search.setAttribute("aria-expanded", "false"); setActive(-1); }
  function choose(k) {
    var o = options[k];
    if (!o) return;
    closeResults();
    go(o.view);
  }
  search.addEventListener("input", showResults);
  search.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); if (options.length) setActive((active + 1) % options.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); if (options.length) setActive((active - 1 + options.length) % options.length); }
    else if (event.key === "Enter") { event.preventDefault(); choose(active >= 0 ? active : 0); }
    else if (event.key === "Escape") closeResults();
  });
  search.addEventListener("blur", function () { setTimeout(closeResults, 0); });

  // ------------------------------------------------------------ wiring
  // the contents list leads to the overview's sections, from the partner view too
  document.querySelector("nav.contents").addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (!link || !state.partner) return;
    event.preventDefault();
    go({});
    var target = document.querySelector(link.hash);
    if (target) { target.scrollIntoView(); target.setAttribute("tabindex", "-1"); target.focus({ preventScroll: true }); }
  });
  window.addEventListener("popstate", function () { readUrl(); renderOverview(); showView(false); });
  window.addEventListener("hashchange", function () { readUrl(); renderOverview(); showView(false); });
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    drawStale();
    document.querySelectorAll("#partner-view tr[hidden]").forEach(function (row) { row.hidden = false; });
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"),
      function (details) { return !details.open; });
    closedForPrint.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (details) { details.open = false; });
  });
  window.partnersReport = { csvCell: csvCell, find: find, profile: profile, data: DATA };
  if (window.matchMedia("(max-width: 700px)").matches) $("filters").open = false;
  readUrl();
  renderOverview();
  showView(false);
  profile.readyMs = performance.now();
  profile.scriptMs = profile.readyMs - startedAt;
  document.documentElement.setAttribute("data-ready", "true");
  // the search index is built while the reader looks, not on the first keystroke
  (window.requestIdleCallback || setTimeout)(function () { buildIndex(); }, { timeout: 2000 });
