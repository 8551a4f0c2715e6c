  /* search.js: the search box, the page's wiring and its start. */
  // ------------------------------------------------------------ search
  // One box finds partners, account managers, advertisers (name or MAID),
  // roster campaigns (name or ID) and health campaigns outside the roster
  // (name, ID or MAID). IDs are text: found by prefix or anywhere inside,
  // also with their separators left out or changed ("42 77" finds 0042-77).
  // Names match the words typed in any order; a word of 5+ letters found
  // nowhere matches its near misses (one typo: edit distance 1 for 5-7
  // letters, 2 for 8+). Every match is counted; the list shows the best few
  // of each kind and a control that lists them all.
  var search = $("search"), results = $("search-results"), searchStatus = $("search-status");
  var index = null, vocabulary = null, lastScan = null;
  function lowered(text) { return text === null || text === undefined ? "" : String(text).toLowerCase(); }
  function compacted(text) { return lowered(text).replace(/[^0-9a-z]+/g, ""); }
  function keyOf(id) { var key = compacted(id); return key === lowered(id) ? null : key; }
  // each kind's searched texts as columns: names (text) and IDs (id, and
  // key: the ID without separators, null when the same); outside campaigns
  // have a second ID, their MAID (id2, key2)
  function columns(list, name, id, id2) {
    // (pushed, not new Array(n): a large preallocated array is a slow dictionary)
    var out = { text: [], id: id ? [] : null, key: id ? [] : null, id2: id2 ? [] : null, key2: id2 ? [] : null };
    for (var i = 0; i < list.length; i++) {
      out.text.push(lowered(name(i)));
      if (id) { out.id.push(lowered(id(i))); out.key.push(keyOf(id(i))); }
      if (id2) { out.id2.push(lowered(id2(i))); out.key2.push(keyOf(id2(i))); }
    }
    return out;
  }
  function buildIndex() {
    if (index) return index;
    // each account manager with each partner of their campaigns (roster
    // campaigns and health campaigns outside it attributed to the partner)
    var managed = {}, managers = [];
    function manage(am, partner) {
      if (!am || partner === null || partner === undefined) return;
      var key = am + "\u0000" + partner;
      if (!managed[key]) managers.push(managed[key] = { am: am, partner: partner, n: 0 });
      managed[key].n += 1;
    }
    for (var i = 0; i < N; i++) manage(C.am[i], PARTNERS[cPartner[i]]);
    outside.forEach(function (o) { manage(o.am, o.partner_name); });
    managers.sort(function (x, y) { return x.am.localeCompare(y.am) || y.n - x.n || x.partner.localeCompare(y.partner); });
    index = { managers: managers, kinds: [
      columns(PARTNERS, function (k) { return PARTNERS[k]; }),
      columns(managers, function (k) { return managers[k].am; }),
      columns(advertiserRecords, function (k) { return advertiserRecords[k].advertiser_name; },
        function (k) { return advertiserRecords[k].maid; }),
      columns(C.campaign_id, function (k) { return C.campaign_name[k]; }, function (k) { return C.campaign_id[k]; }),
      columns(outside, function (k) { return outside[k].campaign_name; }, function (k) { return outside[k].campaign_id; },
        function (k) { return outside[k].maid; })
    ] };
    return index;
  }
  // the distinct words of every name the box searches, for the near misses
  function words(text) { return lowered(text).split(/[^\p{L}\p{N}]+/u); }
  function buildVocabulary() {
    if (vocabulary) return vocabulary;
    var seenWords = {};
    function add(text) { words(text).forEach(function (w) { if (w.length >= 3 && /^\p{L}+$/u.test(w)) seenWords[w] = true; }); }
    PARTNERS.forEach(add);
    (CAMPAIGNS.levels.am || []).forEach(add);
    (CAMPAIGNS.levels.campaign_name || []).forEach(add);
    advertiserRecords.forEach(function (a) { add(a.advertiser_name); });
    outside.forEach(function (o) { add(o.campaign_name); add(o.am); });
    vocabulary = Object.keys(seenWords);
    return vocabulary;
  }
  // optimal string alignment distance (a swap of two letters is one edit),
  // or limit + 1 once it is past limit
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var before = null, previous = [], row = [], i, j;
    for (j = 0; j <= b.length; j++) previous[j] = j;
    for (i = 1; i <= a.length; i++) {
      row = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        row[j] = d;
        if (d < best) best = d;
      }
      if (best > limit) return limit + 1;
      before = previous; previous = row;
    }
    return previous[b.length];
  }
  // the words near a word found nowhere (none for a word found somewhere)
  function nearMisses(word) {
    if (word.length < 5 || !/^\p{L}+$/u.test(word)) return [];
    var list = buildVocabulary(), limit = word.length >= 8 ? 2 : 1, near = [];
    for (var i = 0; i < list.length; i++) if (list[i].indexOf(word) >= 0) return [];
    for (i = 0; i < list.length; i++) if (distance(word, list[i], limit) <= limit) near.push(list[i]);
    return near;
  }
  // what a query matches: the text typed, its words and their near misses
  function matcher(query) {
    var q = lowered(query).replace(/\s+/g, " ").trim();
    if (q.length < 2) return null;
    var terms = q.split(" "), key = compacted(q), near = [], anyNear = false;
    terms.forEach(function (w, k) { near[k] = nearMisses(w); if (near[k].length) anyNear = true; });
    // rank of a name: 1 the text as typed, 2 its words in any order, 3 with near misses; 0 none
    function name(text) {
      if (text.indexOf(q) >= 0) return 1;
      if (terms.length === 1 && !anyNear) return 0;
      var k, exact = true;
      for (k = 0; k < terms.length; k++) if (text.indexOf(terms[k]) < 0) { exact = false; break; }
      if (exact) return 2;
      if (!anyNear) return 0;
      for (k = 0; k < terms.length; k++) {
        if (text.indexOf(terms[k]) >= 0) continue;
        var alternatives = near[k], found = false;
        for (var m = 0; m < alternatives.length && !found; m++) found = text.indexOf(alternatives[m]) >= 0;
        if (!found) return 0;
      }
      return 3;
    }
    // rank of an ID (lowered; its key without separators, null when the
    // same): 0 itself, 1 its start, 2 inside it; -1 none
    function id(text, textKey) {
      var compact = textKey === null ? text : textKey;
      var atKey = key.length >= 2 ? compact.indexOf(key) : -1;
      var at = q === key && textKey === null ? atKey : text.indexOf(q);
      if (at < 0 && atKey < 0) return -1;
      if (text === q || (atKey === 0 && compact.length === key.length)) return 0;
      return at === 0 || atKey === 0 ? 1 : 2;
    }
    return { text: q, key: key, name: name, id: id, near: near, anyNear: anyNear, terms: terms };
  }
  // every match, best first: [kind, index] pairs in rank order, then kind
  var KINDS = ["partner", "manager", "advertiser", "campaign", "outside"];
  function find(query) {
    var match = matcher(query);
    if (!match) return { total: 0, near: false, entry: function () { return null; }, preview: function () { return []; } };
    var ix = buildIndex(), ranks = [[], [], [], []];
    // typing on (the query grown at its end, no near miss) only narrows: then
    // only the rows the last query matched are read
    var narrowing = lastScan && !match.anyNear && lastScan.key.length >= 2 && match.text.indexOf(lastScan.text) === 0;
    var hits = ix.kinds.map(function (list, kind) {
      var rows = narrowing ? lastScan.hits[kind] : null, end = rows ? rows.length : list.text.length, found = [];
      var text = list.text, id = list.id, key = list.key, id2 = list.id2, key2 = list.key2;
      for (var j = 0; j < end; j++) {
        var i = rows ? rows[j] : j, r = id ? match.id(id[i], key[i]) : -1, n;
        if (r !== 0 && id2) { n = match.id(id2[i], key2[i]); if (n >= 0 && (r < 0 || n < r)) r = n; }
        if (r !== 0) { n = match.name(text[i]); if (n && (r < 0 || n < r)) r = n; }
        if (r >= 0) { ranks[r].push(kind, i); found.push(i); }
      }
      return found;
    });
    lastScan = { text: match.text, key: match.key, hits: hits };
    var pairs = [].concat(ranks[0], ranks[1], ranks[2], ranks[3]), nearFrom = (pairs.length - ranks[3].length) / 2;
    return { total: pairs.length / 2, near: ranks[3].length > 0, terms: match.terms, misses: match.near,
             entry: function (k) {
               if (k >= this.total) return null;
               var o = entry(pairs[2 * k], pairs[2 * k + 1], k >= nearFrom);
               o.at = k;
               return o;
             },
             // the positions of the best few of each kind (the first look)
             preview: function (perKind) {
               var taken = [0, 0, 0, 0, 0], done = 0, list = [];
               for (var k = 0; k < pairs.length && done < KINDS.length; k += 2) {
                 var kind = pairs[k];
                 if (taken[kind] === perKind) continue;
                 list.push(k / 2);
                 if (++taken[kind] === perKind) done++;
               }
               return list.sort(function (x, y) { return x - y; });
             } };
  }
  // one match as the list shows it, and the view it opens
  function entry(kind, at, near) {
    var ix = buildIndex(), o;
    if (kind === 0) o = { kind: "Partner", label: PARTNERS[at], view: { partner: PARTNERS[at] } };
    else if (kind === 1) {
      var m = ix.managers[at];
      o = { kind: "Account manager \u00b7 " + count(m.n) + (m.n === 1 ? " campaign" : " campaigns") + " with " + m.partner,
            label: m.am, view: { partner: m.partner } };
    } else if (kind === 2) {
      var a = advertiserRecords[at];
      o = { kind: "Advertiser \u00b7 MAID " + a.maid + " \u00b7 " + a.partner_name, label: a.advertiser_name || a.maid,
            view: { partner: a.partner_name, advertiser: a.maid } };
    } else if (kind === 3) {
      o = { kind: "Campaign " + C.campaign_id[at] + " \u00b7 " + PARTNERS[cPartner[at]], label: C.campaign_name[at] || C.campaign_id[at],
            view: { partner: PARTNERS[cPartner[at]], advertiser: MAIDS[cMaid[at]], campaign: C.campaign_id[at] } };
    } else {
      var h = outside[at];
      o = { kind: "Health campaign " + h.campaign_id + " outside the roster \u00b7 " +
              (h.partner_name === null ? "no partner" : h.partner_name) + " (gap 2)",
            label: h.campaign_name || h.campaign_id, outside: h.campaign_id,
            view: h.partner_name === null ? null : { partner: h.partner_name, campaign: h.campaign_id } };
    }
    if (near) o.kind += " \u00b7 near match";
    return o;
  }
  // the list: the best few of each kind, the true count, the rest on request
  var PER_KIND = 5, MORE = 1000, options = [], active = -1, shown = 0;
  function optionItems() { return results.querySelectorAll("li[role=option]"); }
  function setActive(k) {
    var items = optionItems();
    for (var i = 0; i < items.length; i++) items[i].setAttribute("aria-selected", String(i === k));
    active = k;
    if (k >= 0 && items[k]) { search.setAttribute("aria-activedescendant", items[k].id); items[k].scrollIntoView({ block: "nearest" }); }
    else search.removeAttribute("aria-activedescendant");
  }
  function countLine(found) {
    var line = count(found.total) + (found.total === 1 ? " match" : " matches");
    if (!found.near) return line;
    var read = [];
    found.terms.forEach(function (w, k) { if (found.misses[k].length) read.push("\u201c" + w + "\u201d as " + found.misses[k].join(" or ")); });
    return line + ", near misses included (" + read.join("; ") + ")";
  }
  function showResults(keepActive) {
    var found = find(search.value), open = search.value.trim().length >= 2;
    options = [];
    if (shown) for (var k = 0; k < Math.min(shown, found.total); k++) options.push(found.entry(k));
    else options = found.preview(PER_KIND).map(function (at) { return found.entry(at); });
    var rest = found.total - options.length;
    if (rest > 0) {
      var next = shown + MORE;
      options.push({ more: true, label: next < found.total ? "Show " + count(next) + " of " + count(found.total) + " matches"
                                                           : "Show all " + count(found.total) + " matches" });
    }
    results.textContent = "";
    var fragment = document.createDocumentFragment();
    if (found.total) fragment.appendChild(el("li", { className: "count", role: "none", "aria-hidden": "true", text: countLine(found) }));
    options.forEach(function (o, k) {
      var item = o.more
        ? el("li", { role: "option", id: "search-option-" + k, "aria-selected": "false", className: "show-all", text: o.label })
        : el("li", { role: "option", id: "search-option-" + k, "aria-selected": "false" },
          [el("span", { className: "what", text: o.label }), el("span", { className: "kind", text: o.kind })]);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(k); });
      fragment.appendChild(item);
    });
    if (!found.total && open) fragment.appendChild(el("li", { className: "none", text: "Nothing found" }));
    results.appendChild(fragment);
    results.hidden = !open;
    search.setAttribute("aria-expanded", String(open));
    searchStatus.textContent = open ? (found.total ? countLine(found) : "Nothing found") : "";
    setActive(options.length ? (keepActive === undefined ? 0 : keepActive) : -1);
  }
  function closeResults() { results.hidden = true; search.setAttribute("aria-expanded", "false"); setActive(-1); }
  // a health campaign outside the roster with no partner: its row of the
  // overview's gap-2 list, marked (the list paged on to it)
  function revealOutside(campaignId) {
    if (state.partners.length) { state.partners = []; filtersChanged(); }
    drawStale();
    var details = $("outside-details");
    function mark() {
      var selector = '#outside-table tr[data-campaign="' + CSS.escape(campaignId) + '"]', row = document.querySelector(selector);
      while (!row && !$("outside-more").hidden) { $("outside-more").click(); row = document.querySelector(selector); }
      if (!row) return;
      row.classList.add("marked");
      row.setAttribute("tabindex", "-1");
      row.scrollIntoView({ block: "center" });
      row.focus({ preventScroll: true });
    }
    if (details.open) mark();
    else { details.addEventListener("toggle", mark, { once: true }); details.open = true; }
  }
  function choose(k) {
    var o = options[k];
    if (!o) return;
    if (o.more) {
      // the active option: the first match not listed before
      var listed = {}, first = 0;
      options.forEach(function (p) { if (!p.more) listed[p.at] = true; });
      while (listed[first]) first++;
      shown += MORE;
      showResults(first);
      return;
    }
    closeResults();
    if (o.view) go(o.view);
    else { go({}); revealOutside(o.outside); }
  }
  search.addEventListener("input", function () { shown = 0; showResults(); });
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
  var closedForPrint = [], hiddenForPrint = [];
  window.addEventListener("beforeprint", function () {
    drawStale();
    // paper shows the first PRINTED rows of each list (the rest "no-print"), also
    // those built for paper that the screen hides (a phone shows fewer);
    // hidden again after
    hiddenForPrint = Array.prototype.slice.call(document.querySelectorAll("#partner-view tr[hidden]"));
    hiddenForPrint.forEach(function (row) { row.hidden = false; });
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"),
      function (details) { return !details.open; });
    closedForPrint.forEach(function (details) { details.open = true; });
    // the lists opened for paper are drawn now: their toggle events come
    // after the printing (they printed empty)
    if (closedForPrint.indexOf($("outside-details")) >= 0) renderOutside();
    renderRejected();
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (details) { details.open = false; });
    hiddenForPrint.forEach(function (row) { row.hidden = true; });
  });
  window.partnersReport = { csvCell: csvCell, find: find, profile: profile, data: DATA };
  if (window.matchMedia("(max-width: 700px)").matches) $("filters").open = false;
  readUrl();
  renderOverview();
  showView(false);
  profile.readyMs = performance.now();
  profile.scriptMs = profile.readyMs - startedAt;
  document.documentElement.setAttribute("data-ready", "true");
  // the search index (and the words for near misses) is built while the
  // reader looks, not on the first keystroke
  (window.requestIdleCallback || setTimeout)(function () { buildIndex(); buildVocabulary(); }, { timeout: 2000 });
