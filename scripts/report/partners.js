/* partners.html: find, filter and draw the rows of the report models.
 * All data comes from the JSON block #report-data, written by
 * scripts/export_html.py from the rpt_ models. With no filter on, every figure
 * shown is the model's own; under a filter the page sums the rpt_campaigns rows
 * that pass it (counts and sums only). Text is only ever inserted with
 * textContent, never as HTML. */
(function () {
  "use strict";

  var startedAt = performance.now();
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var parsedAt = performance.now();

  // ------------------------------------------------------------ decoding
  // The inverse of encode_for_page in scripts/export_html.py (columnar).
  function dictionaryOf(section, name) {
    var encoding = section.encodings[name] || {};
    return encoding.shared ? DATA.shared[name] : section.dictionaries[name];
  }
  // a dictionary column's indices (undoing the delta coding)
  function codes(section, name) {
    var raw = section.values[name];
    if (!(section.encodings[name] || {}).delta) return raw;
    var out = new Int32Array(raw.length), last = 0;
    for (var i = 0; i < raw.length; i++) { last += raw[i]; out[i] = last; }
    return out;
  }
  function values(section, name) {
    var encoding = section.encodings[name] || {}, raw = section.values[name], out, i;
    if (encoding.front) {
      var lengths = raw[0], rests = raw[1], dict = section.dictionaries[name], previous = "";
      var bases = encoding.base ? values(section, encoding.base) : null;
      out = new Array(lengths.length);
      for (i = 0; i < lengths.length; i++) {
        var rest = dict[rests[i]], length = lengths[i];
        // a negative length is a prefix of the row's base column
        var from = length < 0 ? bases[i] || "" : previous;
        out[i] = rest === null ? null : from.slice(0, Math.abs(length)) + rest;
        previous = out[i] === null ? "" : out[i];
      }
      return out;
    }
    if (encoding.dict || encoding.shared) {
      var indices = codes(section, name), dictionary = dictionaryOf(section, name);
      out = new Array(indices.length);
      for (i = 0; i < indices.length; i++) out[i] = dictionary[indices[i]];
      return out;
    }
    if (encoding.digits) return raw.map(function (v) { return typeof v === "number" ? String(v) : v; });
    return raw;
  }
  function records(section) {
    var columns = {};
    section.columns.forEach(function (name) { columns[name] = values(section, name); });
    var rows = new Array(section.count);
    for (var i = 0; i < section.count; i++) {
      var row = {};
      for (var j = 0; j < section.columns.length; j++) row[section.columns[j]] = columns[section.columns[j]][i];
      rows[i] = row;
    }
    return rows;
  }
  function dictionary(section, name) { return dictionaryOf(section, name); }

  // ------------------------------------------------------------ formats
  var moneyFormat = new Intl.NumberFormat("en-US", {
    style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2
  });
  var countFormat = new Intl.NumberFormat("en-US");
  var percentFormat = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
  function money(value) { return moneyFormat.format(value || 0); }
  function count(value) { return countFormat.format(value || 0); }
  function percent(value) { return percentFormat.format(value || 0); }
  function cents(value) { return Math.round((value || 0) * 100); }
  function signed(value) {
    if (value === null || value === undefined) return "";
    return (value > 0 ? "+" : value < 0 ? "\u2212" : "") + money(Math.abs(value));
  }

  // ------------------------------------------------------------ the rows
  var CAMPAIGNS = DATA.campaigns;
  var N = CAMPAIGNS.count;
  var PARTNERS = dictionary(CAMPAIGNS, "partner_name");
  var PRODUCTS_IN_ROWS = dictionary(CAMPAIGNS, "product_type");
  var STATUSES = dictionary(CAMPAIGNS, "campaign_status");
  var MAIDS = dictionary(CAMPAIGNS, "maid");
  var ADVERTISER_NAMES = dictionary(CAMPAIGNS, "advertiser_name");
  var SOURCES = dictionary(CAMPAIGNS, "budget_source");
  var cPartner = codes(CAMPAIGNS, "partner_name"), cProduct = codes(CAMPAIGNS, "product_type");
  var cStatus = codes(CAMPAIGNS, "campaign_status"), cMaid = codes(CAMPAIGNS, "maid");
  var cAdvertiser = codes(CAMPAIGNS, "advertiser_name"), cSource = codes(CAMPAIGNS, "budget_source");
  // budget: the known budget when has_health_data, else the estimate
  var cHas = CAMPAIGNS.values.has_health_data, cBudget = CAMPAIGNS.values.budget;
  var cId = values(CAMPAIGNS, "campaign_id");
  var cName = values(CAMPAIGNS, "campaign_name");
  var cStart = values(CAMPAIGNS, "start_date"), cAm = values(CAMPAIGNS, "am");
  var knownCents = new Float64Array(N), estimateCents = new Float64Array(N);
  for (var r = 0; r < N; r++) {
    if (cHas[r]) knownCents[r] = cents(cBudget[r]); else estimateCents[r] = cents(cBudget[r]);
  }
  function known(i) { return cHas[i] ? cBudget[i] : null; }
  function estimate(i) { return cHas[i] ? null : cBudget[i]; }

  var headline = records(DATA.headline)[0];
  var partnerRecords = records(DATA.partners);
  var partnerByName = {};
  partnerRecords.forEach(function (p) { partnerByName[p.partner_name] = p; });
  var productRecords = records(DATA.products);
  var productByName = {};
  productRecords.forEach(function (p) { productByName[p.product_type] = p; });
  // products in the model's order, mapped to the campaign rows' codes
  var PRODUCT_ORDER = productRecords.map(function (p) { return PRODUCTS_IN_ROWS.indexOf(p.product_type); });
  var PARTNER_ORDER = partnerRecords.map(function (p) { return PARTNERS.indexOf(p.partner_name); });
  var outside = records(DATA.unmatched_health);
  var crossSell = records(DATA.cross_sell);
  var historyRows = records(DATA.history);
  var advertiserRecords = records(DATA.partner_advertisers);
  // each partner's product mix (rpt_partner_product_mix), in the model's order
  var mixByPartner = {};
  records(DATA.mix).forEach(function (r) {
    (mixByPartner[r.partner_name] = mixByPartner[r.partner_name] || []).push(r);
  });
  var advertisersByPartner = {};
  advertiserRecords.forEach(function (a) {
    (advertisersByPartner[a.partner_name] = advertisersByPartner[a.partner_name] || []).push(a);
  });
  // indexes built when first needed, not while the page loads
  var namesByPartner = {}, crossByPartner = null;
  function nameOf(partner, maid) {
    var names = namesByPartner[partner];
    if (!names) {
      names = namesByPartner[partner] = {};
      (advertisersByPartner[partner] || []).forEach(function (a) { names[a.maid] = a.advertiser_name || a.maid; });
    }
    return names[maid] || maid;
  }
  function crossOf(partner) {
    if (!crossByPartner) {
      crossByPartner = {};
      crossSell.forEach(function (o) {
        (crossByPartner[o.partner_name] = crossByPartner[o.partner_name] || []).push(o);
      });
    }
    return crossByPartner[partner] || [];
  }
  // the campaign rows are sorted by partner, MAID, ID: each partner is one range
  var partnerRange = {};
  for (r = 0; r < N; r++) {
    var name = PARTNERS[cPartner[r]];
    if (!partnerRange[name]) partnerRange[name] = [r, r + 1];
    else partnerRange[name][1] = r + 1;
  }
  var outsideByPartner = {};
  outside.forEach(function (o) {
    if (o.partner_name === null) return;
    var t = outsideByPartner[o.partner_name] = outsideByPartner[o.partner_name] || { n: 0, cents: 0 };
    t.n += 1; t.cents += cents(o.campaign_budget);
  });

  // ------------------------------------------------------------ DOM helpers
  function $(id) { return document.getElementById(id); }
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    var keys = Object.keys(attributes || {});
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i], value = attributes[key];
      if (value === null || value === undefined) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function td(text, numeric) { return el("td", { text: text, className: numeric ? "num" : null }); }
  function th(text, numeric) { return el("th", { scope: "col", text: text, className: numeric ? "num" : null }); }
  function table(id, caption, headers, rows) {
    return el("div", { className: "table-scroll" }, [el("table", { id: id }, [
      caption ? el("caption", { text: caption }) : null,
      el("thead", {}, [el("tr", {}, headers.map(function (h) { return th(h[0], h[1]); }))]),
      el("tbody", {}, rows)
    ])]);
  }
  // keep the keyboard focus on the control the user acted on across a redraw
  function keepingFocus(draw) {
    var active = document.activeElement;
    var key = active && active.getAttribute ? active.getAttribute("data-focus") : null;
    draw();
    if (!key) return;
    var again = document.querySelector('[data-focus="' + CSS.escape(key) + '"]');
    if (again && again !== document.activeElement) again.focus({ preventScroll: true });
  }

  // ------------------------------------------------------------ state <-> URL
  var DEFAULT_SORT = { key: "known_budget", dir: "desc" };
  var state = { products: [], partners: [], statuses: [], budget: "", sort: DEFAULT_SORT.key,
                dir: DEFAULT_SORT.dir, partner: "", advertiser: "", campaign: "" };

  function readUrl() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    state.products = params.getAll("product");
    state.partners = params.getAll("partner");
    state.statuses = params.getAll("status");
    state.budget = params.get("budget") || "";
    state.sort = params.get("sort") || DEFAULT_SORT.key;
    state.dir = params.get("dir") || (params.get("sort") ? "desc" : DEFAULT_SORT.dir);
    state.partner = params.get("p") || "";
    state.advertiser = params.get("a") || "";
    state.campaign = params.get("c") || "";
  }
  function urlFor(s) {
    var params = new URLSearchParams();
    if (s.partner) {
      params.set("p", s.partner);
      if (s.advertiser) params.set("a", s.advertiser);
      if (s.campaign) params.set("c", s.campaign);
    }
    s.products.forEach(function (p) { params.append("product", p); });
    s.partners.forEach(function (p) { params.append("partner", p); });
    s.statuses.forEach(function (p) { params.append("status", p); });
    if (s.budget) params.set("budget", s.budget);
    if (s.sort !== DEFAULT_SORT.key || s.dir !== DEFAULT_SORT.dir) {
      params.set("sort", s.sort); params.set("dir", s.dir);
    }
    var hash = params.toString();
    return hash ? "#" + hash : window.location.pathname + window.location.search;
  }
  // a new view (a partner, an advertiser, a campaign, back to all) is a step
  // Back and Forward walk through; a filter or a sort replaces the current one
  function go(view) {
    state.partner = view.partner || ""; state.advertiser = view.advertiser || "";
    state.campaign = view.campaign || "";
    history.pushState(null, "", urlFor(state));
    showView(true);
  }
  function replaceUrl() { history.replaceState(null, "", urlFor(state)); }

  // ------------------------------------------------------------ filtering
  function filtersOn() {
    return state.products.length + state.partners.length + state.statuses.length > 0 || state.budget !== "";
  }
  function mask(list, names) {
    var on = new Uint8Array(names.length);
    if (!list.length) { on.fill(1); return on; }
    list.forEach(function (value) { var at = names.indexOf(value); if (at >= 0) on[at] = 1; });
    return on;
  }

  var NP = PARTNERS.length, NQ = PRODUCTS_IN_ROWS.length, NS = STATUSES.length;
  var seen = new Int32Array(MAIDS.length), generation = 0;
  // One pass over the campaign rows: the totals of the rows passing every
  // filter, and for each facet the counts of rows passing all the others.
  function aggregate() {
    var partnerOn = mask(state.partners, PARTNERS), productOn = mask(state.products, PRODUCTS_IN_ROWS);
    var statusOn = mask(state.statuses, STATUSES), budget = state.budget;
    generation += 1;
    var a = {
      campaigns: 0, advertisers: 0, partners: 0, products: 0, knownCents: 0, without: 0, tunableWithout: 0,
      estimateCents: 0,
      partnerCampaigns: new Int32Array(NP), partnerAdvertisers: new Int32Array(NP), partnerKnown: new Float64Array(NP),
      partnerWithout: new Int32Array(NP), partnerEstimate: new Float64Array(NP), cells: new Int32Array(NP * NQ),
      productCampaigns: new Int32Array(NQ), productWith: new Int32Array(NQ), productKnown: new Float64Array(NQ),
      productEstimate: new Float64Array(NQ), sourceCampaigns: new Int32Array(SOURCES.length),
      sourceCents: new Float64Array(SOURCES.length),
      facetPartner: new Int32Array(NP), facetProduct: new Int32Array(NQ), facetStatus: new Int32Array(NS),
      facetBudget: [0, 0]
    };
    var tunable = new Uint8Array(NQ);
    PRODUCTS_IN_ROWS.forEach(function (p, i) { tunable[i] = productByName[p] && productByName[p].is_tunable ? 1 : 0; });
    var lastPartner = -1, lastMaid = -1;
    for (var i = 0; i < N; i++) {
      var p = cPartner[i], q = cProduct[i], has = cHas[i];
      var fails = (partnerOn[p] ? 0 : 1) | (productOn[q] ? 0 : 2) | (statusOn[cStatus[i]] ? 0 : 4) |
        (budget === "" || (budget === "yes") === (has === 1) ? 0 : 8);
      if (fails === 0) {
        a.facetPartner[p]++; a.facetProduct[q]++; a.facetStatus[cStatus[i]]++; a.facetBudget[has]++;
        var m = cMaid[i];
        a.campaigns++;
        if (seen[m] !== generation) { seen[m] = generation; a.advertisers++; }
        if (p !== lastPartner || m !== lastMaid) { a.partnerAdvertisers[p]++; lastPartner = p; lastMaid = m; }
        a.partnerCampaigns[p]++;
        a.cells[p * NQ + q]++;
        a.productCampaigns[q]++;
        a.sourceCampaigns[cSource[i]]++;
        if (has) {
          a.knownCents += knownCents[i]; a.partnerKnown[p] += knownCents[i]; a.productWith[q]++;
          a.productKnown[q] += knownCents[i]; a.sourceCents[cSource[i]] += knownCents[i];
        } else {
          a.without++; a.partnerWithout[p]++; if (tunable[q]) a.tunableWithout++;
          a.estimateCents += estimateCents[i]; a.partnerEstimate[p] += estimateCents[i];
          a.productEstimate[q] += estimateCents[i]; a.sourceCents[cSource[i]] += estimateCents[i];
        }
      } else if (fails === 1) a.facetPartner[p]++;
      else if (fails === 2) a.facetProduct[q]++;
      else if (fails === 4) a.facetStatus[cStatus[i]]++;
      else if (fails === 8) a.facetBudget[has]++;
    }
    for (var j = 0; j < NP; j++) if (a.partnerCampaigns[j]) a.partners++;
    for (j = 0; j < NQ; j++) if (a.productCampaigns[j]) a.products++;
    a.partnerProducts = new Int32Array(NP);
    for (j = 0; j < NP * NQ; j++) if (a.cells[j]) a.partnerProducts[Math.floor(j / NQ)]++;
    a.partnerOn = partnerOn;
    return a;
  }

  // ------------------------------------------------------------ facets (built once)
  function buildFacet(containerId, name, entries) {
    var container = $(containerId);
    entries.forEach(function (entry) {
      var box = el("input", { type: name === "budget" ? "radio" : "checkbox", name: "facet-" + name,
                              value: entry.value, "data-focus": "facet-" + name + "-" + entry.value });
      box.addEventListener("change", function () { onFacet(name, entry.value, box.checked); });
      var label = el("label", { "data-value": entry.value }, [box, el("span", { className: "name", text: entry.label }),
        el("span", { className: "count" })]);
      container.appendChild(label);
    });
  }
  function sortedNames(list) { return list.slice().sort(function (a, b) { return a.localeCompare(b); }); }
  buildFacet("facet-product", "product", productRecords.map(function (p) { return { value: p.product_type, label: p.product_type }; }));
  buildFacet("facet-partner", "partner", sortedNames(PARTNERS).map(function (p) { return { value: p, label: p }; }));
  buildFacet("facet-status", "status", sortedNames(STATUSES).map(function (s) { return { value: s, label: s }; }));
  buildFacet("facet-budget", "budget", [
    { value: "", label: "All campaigns" }, { value: "yes", label: "With budget data" },
    { value: "no", label: "Without budget data" }]);

  function onFacet(name, value, checked) {
    if (name === "budget") state.budget = value;
    else {
      var list = name === "partner" ? state.partners : name === "product" ? state.products : state.statuses;
      var at = list.indexOf(value);
      if (checked && at < 0) list.push(value);
      if (!checked && at >= 0) list.splice(at, 1);
    }
    filtersChanged();
  }
  function updateFacet(containerId, name, countsFor, isChecked) {
    var labels = $(containerId).children;
    for (var i = 0; i < labels.length; i++) {
      var value = labels[i].getAttribute("data-value"), n = countsFor(value);
      labels[i].querySelector(".count").textContent = count(n);
      labels[i].className = n ? "" : "empty";
      labels[i].firstChild.checked = isChecked(value);
    }
  }
  function renderFacets(a) {
    updateFacet("facet-product", "product", function (v) { return a.facetProduct[PRODUCTS_IN_ROWS.indexOf(v)]; },
      function (v) { return state.products.indexOf(v) >= 0; });
    updateFacet("facet-partner", "partner", function (v) { return a.facetPartner[PARTNERS.indexOf(v)]; },
      function (v) { return state.partners.indexOf(v) >= 0; });
    updateFacet("facet-status", "status", function (v) { return a.facetStatus[STATUSES.indexOf(v)]; },
      function (v) { return state.statuses.indexOf(v) >= 0; });
    updateFacet("facet-budget", "budget", function (v) {
      return v === "" ? a.facetBudget[0] + a.facetBudget[1] : a.facetBudget[v === "yes" ? 1 : 0];
    }, function (v) { return state.budget === v; });
  }
  $("partner-filter").addEventListener("input", function () {
    var q = this.value.trim().toLowerCase();
    var labels = $("facet-partner").children;
    for (var i = 0; i < labels.length; i++) {
      labels[i].hidden = q !== "" && labels[i].getAttribute("data-value").toLowerCase().indexOf(q) < 0;
    }
  });

  function filterWords() {
    var words = [];
    if (state.products.length) words.push("product " + state.products.join(", "));
    if (state.partners.length) words.push("partner " + state.partners.join(", "));
    if (state.statuses.length) words.push("status " + state.statuses.join(", "));
    if (state.budget) words.push(state.budget === "yes" ? "with budget data" : "without budget data");
    return words;
  }

  // ------------------------------------------------------------ headline
  function setValue(id, text) { $(id).querySelector(".value").textContent = text; }
  function outsideTotals() {
    var n = 0, c = 0;
    outside.forEach(function (o) {
      if (state.partners.length && state.partners.indexOf(o.partner_name) < 0) return;
      n += 1; c += cents(o.campaign_budget);
    });
    return { n: n, cents: c };
  }
  function renderHeadline(a) {
    var on = filtersOn();
    var gap = on ? outsideTotals() : { n: headline.unmatched_health_campaign_count, cents: cents(headline.unmatched_health_budget) };
    setValue("headline-campaigns", count(on ? a.campaigns : headline.campaign_count));
    setValue("headline-advertisers", count(on ? a.advertisers : headline.advertiser_count));
    setValue("headline-partners", count(on ? a.partners : headline.partner_count));
    setValue("headline-product-types", count(on ? a.products : headline.product_type_count));
    setValue("headline-known-budget", money(on ? a.knownCents / 100 : headline.known_budget));
    setValue("headline-without-budget", count(on ? a.without : headline.campaigns_without_budget_data));
    setValue("headline-gap", money(gap.cents / 100));
    $("headline-gap").querySelector(".n").textContent = count(gap.n);
    $("gap1-count").textContent = count(on ? a.without : headline.campaigns_without_budget_data);
    $("gap2-budget").textContent = money(gap.cents / 100);
    $("outside-count").textContent = count(gap.n);
    var words = filterWords();
    $("filter-summary").textContent = words.length ? "(" + words.length + " on)" : "";
    var line = words.length
      ? "Filtered: " + words.join("; ") + ". " + count(a.campaigns) + " of " + count(N) + " campaigns." +
        (state.products.length || state.statuses.length || state.budget
          ? " Gap 2 follows the partner filter only: health campaigns outside the roster have no roster product or status."
          : "")
      : "No filter: the whole portfolio.";
    $("filter-status").textContent = line;
  }

  // ------------------------------------------------------------ partner table
  var SORT_NUMERIC = { partner_name: false };
  function partnerRows(a) {
    var rows = [];
    var on = filtersOn();
    PARTNER_ORDER.forEach(function (code, order) {
      if (!a.partnerCampaigns[code]) return;
      var name = PARTNERS[code], model = partnerRecords[order];
      var out = outsideByPartner[name] || { n: 0, cents: 0 };
      rows.push(on ? {
        partner_name: name, campaign_count: a.partnerCampaigns[code], advertiser_count: a.partnerAdvertisers[code],
        product_type_count: a.partnerProducts[code], known_budget: a.partnerKnown[code] / 100,
        campaigns_without_budget_data: a.partnerWithout[code], estimated_only_budget: a.partnerEstimate[code] / 100,
        unmatched_health_budget: out.cents / 100, order: order
      } : {
        partner_name: name, campaign_count: model.campaign_count, advertiser_count: model.advertiser_count,
        product_type_count: model.product_type_count, known_budget: model.known_budget,
        campaigns_without_budget_data: model.campaigns_without_budget_data,
        estimated_only_budget: model.estimated_only_budget, unmatched_health_budget: model.unmatched_health_budget,
        order: order
      });
    });
    var key = state.sort, direction = state.dir === "asc" ? 1 : -1;
    if (key === DEFAULT_SORT.key && state.dir === DEFAULT_SORT.dir && !on) return rows; // the model's order
    rows.sort(function (x, y) {
      var u = x[key], v = y[key];
      var order = typeof u === "string" ? u.localeCompare(v) : u - v;
      return order * direction || x.order - y.order;
    });
    return rows;
  }
  var lastPartnerRows = [], PARTNER_PAGE = 50, showAllPartners = false;
  $("partners-more").addEventListener("click", function () {
    showAllPartners = true;
    var first = $("partner-body").children[PARTNER_PAGE];
    renderPartnerTable(current);
    first = $("partner-body").children[PARTNER_PAGE];
    if (first) first.querySelector("button").focus();
  });
  function renderPartnerTable(a) {
    var rows = lastPartnerRows = partnerRows(a);
    var body = $("partner-body");
    var fragment = document.createDocumentFragment();
    var maxBudget = 1;
    rows.forEach(function (p) { if (p.known_budget > maxBudget) maxBudget = p.known_budget; });
    var more = $("partners-more");
    more.hidden = rows.length <= PARTNER_PAGE || showAllPartners;
    more.textContent = "Show all " + count(rows.length) + " partners";
    (showAllPartners ? rows : rows.slice(0, PARTNER_PAGE)).forEach(function (p) {
      var open = el("button", { type: "button", className: "link", text: p.partner_name,
                                "data-focus": "open-" + p.partner_name, "data-open": p.partner_name });
      var budget = td(money(p.known_budget), true);
      var bar = el("span", { className: "bar", "aria-hidden": "true" });
      bar.style.width = (50 * p.known_budget / maxBudget).toFixed(1) + "px";
      budget.appendChild(bar);
      fragment.appendChild(el("tr", { "data-partner": p.partner_name }, [
        el("th", { scope: "row" }, [open]), td(count(p.campaign_count), true), td(count(p.advertiser_count), true),
        td(count(p.product_type_count), true), budget, td(count(p.campaigns_without_budget_data), true),
        td(money(p.estimated_only_budget), true), td(money(p.unmatched_health_budget), true)
      ]));
    });
    body.textContent = "";
    body.appendChild(fragment);
    var heads = document.querySelectorAll("#partner-head th");
    for (var i = 0; i < heads.length; i++) {
      var key = heads[i].querySelector("button").getAttribute("data-key");
      heads[i].setAttribute("aria-sort", key === state.sort ? (state.dir === "asc" ? "ascending" : "descending") : "none");
    }
    var on = filtersOn();
    var foot = $("partner-foot");
    foot.textContent = "";
    foot.appendChild(el("tr", {}, [
      el("th", { scope: "row", text: "All shown (" + count(rows.length) + " partners)" }),
      td(count(on ? a.campaigns : headline.campaign_count), true),
      td(count(on ? a.advertisers : headline.advertiser_count), true),
      td(count(on ? a.products : headline.product_type_count), true),
      td(money(on ? a.knownCents / 100 : headline.known_budget), true),
      td(count(on ? a.without : headline.campaigns_without_budget_data), true),
      td(money(on ? a.estimateCents / 100 : headline.estimated_only_budget), true),
      td(money(on ? outsideTotals().cents / 100 : headline.unmatched_health_budget), true)
    ]));
  }
  document.querySelectorAll("#partner-head button.sort").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.getAttribute("data-key");
      if (state.sort === key) state.dir = state.dir === "asc" ? "desc" : "asc";
      else { state.sort = key; state.dir = key === "partner_name" ? "asc" : "desc"; }
      replaceUrl();
      keepingFocus(function () { renderPartnerTable(current); });
    });
  });
  $("partner-body").addEventListener("click", function (event) {
    var target = event.target.closest("button[data-open]");
    if (target) go({ partner: target.getAttribute("data-open") });
  });

  // ------------------------------------------------------------ heat map and bars
  var heatButtons = [], heatRows = [];
  (function buildHeatmap() {
    var head = $("heat-head");
    head.appendChild(th("Partner"));
    PRODUCT_ORDER.forEach(function (q) { head.appendChild(el("th", { scope: "col", text: PRODUCTS_IN_ROWS[q] })); });
    var body = $("heat-body");
    PARTNER_ORDER.forEach(function (p, pi) {
      var row = el("tr", { "data-partner": PARTNERS[p] }, [el("th", { scope: "row", text: PARTNERS[p] })]);
      heatButtons[pi] = [];
      PRODUCT_ORDER.forEach(function (q, qi) {
        var button = el("button", { type: "button", "data-focus": "heat-" + pi + "-" + qi,
                                    "data-partner": PARTNERS[p], "data-product": PRODUCTS_IN_ROWS[q] });
        heatButtons[pi][qi] = button;
        row.appendChild(el("td", {}, [button]));
      });
      heatRows[pi] = row;
      body.appendChild(row);
    });
    body.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-product]");
      if (!button) return;
      var partner = button.getAttribute("data-partner"), product = button.getAttribute("data-product");
      var pressed = state.partners.length === 1 && state.partners[0] === partner &&
        state.products.length === 1 && state.products[0] === product;
      state.partners = pressed ? [] : [partner];
      state.products = pressed ? [] : [product];
      filtersChanged();
    });
  })();
  function shade(n, largest) { return n ? Math.min(5, Math.max(1, Math.ceil(5 * n / largest))) : 0; }
  function renderHeatmap(a) {
    var largest = 1;
    for (var i = 0; i < a.cells.length; i++) if (a.cells[i] > largest) largest = a.cells[i];
    var singlePartner = state.partners.length === 1 ? state.partners[0] : null;
    var singleProduct = state.products.length === 1 ? state.products[0] : null;
    PARTNER_ORDER.forEach(function (p, pi) {
      var hidden = !a.partnerOn[p];
      if (heatRows[pi].hidden !== hidden) heatRows[pi].hidden = hidden;
      PRODUCT_ORDER.forEach(function (q, qi) {
        var n = a.cells[p * NQ + q], button = heatButtons[pi][qi];
        var text = count(n);
        if (button.textContent !== text) button.textContent = text;
        var cls = "h" + shade(n, largest);
        if (button.className !== cls) button.className = cls;
        var label = PARTNERS[p] + ", " + PRODUCTS_IN_ROWS[q] + ": " + text + " campaigns";
        if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
        var pressed = String(singlePartner === PARTNERS[p] && singleProduct === PRODUCTS_IN_ROWS[q]);
        if (button.getAttribute("aria-pressed") !== pressed) button.setAttribute("aria-pressed", pressed);
      });
    });
    var legend = $("heat-legend");
    legend.textContent = "";
    legend.appendChild(el("span", { text: "Campaigns per cell:" }));
    legend.appendChild(el("span", { className: "swatch h0", text: "0" }));
    var low = 1;
    for (var k = 1; k <= 5; k++) {
      var high = Math.floor(k * largest / 5);
      if (high < low) continue;
      legend.appendChild(el("span", { className: "swatch h" + k, text: low === high ? count(low) : count(low) + "\u2013" + count(high) }));
      low = high + 1;
    }
  }
  var barButtons = [];
  (function buildBars() {
    var container = $("product-bars");
    PRODUCT_ORDER.forEach(function (q, qi) {
      var fill = el("span", { className: "fill" });
      var button = el("button", { type: "button", "data-product": PRODUCTS_IN_ROWS[q], "data-focus": "bar-" + qi }, [
        el("span", { className: "label", text: PRODUCTS_IN_ROWS[q] }), el("span", { className: "track" }, [fill]),
        el("span", { className: "n" })]);
      button.addEventListener("click", function () {
        var product = PRODUCTS_IN_ROWS[q];
        var pressed = state.products.length === 1 && state.products[0] === product;
        state.products = pressed ? [] : [product];
        filtersChanged();
      });
      barButtons[qi] = { button: button, fill: fill };
      container.appendChild(button);
    });
  })();
  function renderBars(a) {
    var largest = 1;
    PRODUCT_ORDER.forEach(function (q) { if (a.facetProduct[q] > largest) largest = a.facetProduct[q]; });
    PRODUCT_ORDER.forEach(function (q, qi) {
      // a bar counts the product's campaigns under the other filters
      var n = a.facetProduct[q], bar = barButtons[qi];
      bar.fill.style.width = (100 * n / largest).toFixed(1) + "%";
      bar.button.querySelector(".n").textContent = count(n);
      bar.button.setAttribute("aria-label", PRODUCTS_IN_ROWS[q] + ": " + count(n) + " campaigns");
      bar.button.setAttribute("aria-pressed", String(state.products.length === 1 && state.products[0] === PRODUCTS_IN_ROWS[q]));
    });
  }

  // ------------------------------------------------------------ gaps
  function renderCoverage(a) {
    var on = filtersOn();
    var body = $("coverage-body");
    var fragment = document.createDocumentFragment();
    var tunableWithout = 0, fixedWithout = 0, knownTotal = 0;
    var knownBy = [];
    productRecords.forEach(function (p, qi) {
      var q = PRODUCT_ORDER[qi];
      var campaigns = on ? a.productCampaigns[q] : p.campaign_count;
      var withData = on ? a.productWith[q] : p.campaigns_with_budget_data;
      var known = on ? a.productKnown[q] / 100 : p.known_budget;
      var estimate = on ? a.productEstimate[q] / 100 : p.estimated_only_budget;
      if (p.is_tunable) tunableWithout += campaigns - withData; else fixedWithout += campaigns - withData;
      knownTotal += known;
      if (known > 0) knownBy.push([p.product_type, known]);
      if (on && !campaigns) return;
      fragment.appendChild(el("tr", { "data-product": p.product_type }, [
        el("th", { scope: "row", text: p.product_type }),
        td(p.is_tunable ? "yes (tunable)" : "no (fixed fee, by design)"),
        td(count(campaigns), true), td(count(withData), true),
        td(campaigns ? percent(withData / campaigns) : "", true), td(money(known), true), td(money(estimate), true),
        td(known + estimate > 0 ? percent(known / (known + estimate)) : percent(0), true),
        td(p.typical_budget === null ? "none" : money(p.typical_budget) + " (" + p.typical_budget_basis + ")", true)
      ]));
    });
    body.textContent = "";
    body.appendChild(fragment);
    knownBy.sort(function (x, y) { return y[1] - x[1]; });
    $("gap1-split").textContent = "Of these, " + count(tunableWithout) + " are tunable campaigns (expected in Health: data missing) and " +
      count(fixedWithout) + " are fixed-fee products (no budget in Health by design). Known budget by product: " +
      (knownBy.length ? knownBy.map(function (k) { return k[0] + " " + percent(k[1] / knownTotal); }).join(", ") : "none") + ".";
    var attributed = 0, unattributed = 0, n = 0;
    outside.forEach(function (o) {
      if (state.partners.length && state.partners.indexOf(o.partner_name) < 0) return;
      n += 1;
      if (o.partner_name === null) unattributed += 1; else attributed += 1;
    });
    $("gap2-split").textContent = count(n) + " campaigns: " + count(attributed) + " of advertisers the roster knows (attributed to their partner), " +
      count(unattributed) + " of advertisers the roster does not know" + (state.partners.length ? " (none under a partner filter)." : ".");
  }

  // ------------------------------------------------------------ paged tables (only drawn when seen)
  function pager(tableBody, moreButton, pageSize, rowFor) {
    var rows = [], shown = 0;
    function more() {
      var fragment = document.createDocumentFragment();
      rows.slice(shown, shown + pageSize).forEach(function (row) { fragment.appendChild(rowFor(row)); });
      tableBody.appendChild(fragment);
      shown = Math.min(rows.length, shown + pageSize);
      moreButton.hidden = shown >= rows.length;
      moreButton.textContent = "Show " + count(Math.min(pageSize, rows.length - shown)) + " more of " + count(rows.length - shown);
    }
    moreButton.addEventListener("click", more);
    return {
      set: function (newRows) { rows = newRows; shown = 0; tableBody.textContent = ""; more(); },
      rows: function () { return rows; }
    };
  }
  var outsidePager = pager($("outside-table").querySelector("tbody"), $("outside-more"), 50, function (o) {
    return el("tr", { "data-campaign": o.campaign_id }, [td(o.campaign_id), td(o.campaign_name || ""), td(o.maid || ""),
      td(o.advertiser_name || ""), td(o.partner_name === null ? "none (advertiser not in roster)" : o.partner_name),
      td(o.am || ""), td(money(o.campaign_budget), true)]);
  });
  function outsideRows() {
    return outside.filter(function (o) { return !state.partners.length || state.partners.indexOf(o.partner_name) >= 0; });
  }
  function renderOutside() { if ($("outside-details").open) outsidePager.set(outsideRows()); }
  $("outside-details").addEventListener("toggle", renderOutside);

  var crossSellPager = pager($("cross-sell-table").querySelector("tbody"), $("cross-sell-more"), 25, function (o) {
    return el("tr", {}, [td(o.partner_name), td(nameOf(o.partner_name, o.maid)), td(o.product_type), td(o.reason),
      td(o.lift.toFixed(2), true), td(money(o.expected_monthly_budget), true)]);
  });
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
  function renderCrossSell() {
    if (!state.partners.length && !state.products.length) { crossSellPager.set(crossSell); return; }
    crossSellPager.set(lazyFilter(crossSell, function (o) {
      return (!state.partners.length || state.partners.indexOf(o.partner_name) >= 0) &&
        (!state.products.length || state.products.indexOf(o.product_type) >= 0);
    }));
  }

  var rejected = records(DATA.rejected_rows);
  var rejectedPager = pager($("rejected-table").querySelector("tbody"), $("rejected-more"), 50, function (o) {
    return el("tr", {}, [td(o.file_name), td(o.sheet_name), td(count(o.source_row_number), true), td(o.column_name || ""),
      td(o.raw_value === null ? "" : String(o.raw_value)), td(o.reason), td(o.message || "")]);
  });
  $("rejected-details").addEventListener("toggle", function () {
    if (this.open && !rejectedPager.rows().length) rejectedPager.set(rejected);
  });

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
  var DROPS = dictionary(DATA.history, "as_of_date").slice().sort();
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
    [th("Partner"), th("Trend")].concat(DROPS.map(function (d) { return th(d, true); }))
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
  var current = null, profile = {};
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

  // ------------------------------------------------------------ CSV
  function csvCell(value) {
    if (value === null || value === undefined) return "";
    var text = String(value);
    // a cell starting with = + - @ (or tab/CR) would run as a formula in a spreadsheet
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }
  function csvMoney(value) { return value === null || value === undefined ? null : (cents(value) / 100).toFixed(2); }
  function yesNo(value) { return value ? "yes" : "no"; }
  function slug(text) { return String(text).replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") || "x"; }
  function fileName(base) {
    var parts = [base];
    [["product", state.products], ["partner", state.partners], ["status", state.statuses]].forEach(function (f) {
      if (!f[1].length) return;
      parts.push(f[0] + "-" + (f[1].length > 3 ? f[1].length + "-values" : f[1].map(slug).join("+")));
    });
    if (state.budget) parts.push(state.budget === "yes" ? "with-budget-data" : "without-budget-data");
    return parts.join("_") + ".csv";
  }
  function downloadCsv(name, header, rows) {
    var lines = [header.map(csvCell).join(",")];
    rows.forEach(function (row) { lines.push(row.map(csvCell).join(",")); });
    var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }
  var CAMPAIGN_HEADER = ["campaign_id", "campaign_name", "maid", "advertiser_name", "partner_name", "product_type",
    "tunable", "campaign_status", "start_date", "am", "has_health_data", "known_monthly_budget",
    "estimated_monthly_budget", "estimate_basis"];
  function campaignCsvRow(i) {
    var product = PRODUCTS_IN_ROWS[cProduct[i]], source = SOURCES[cSource[i]];
    return [cId[i], cName[i], MAIDS[cMaid[i]], ADVERTISER_NAMES[cAdvertiser[i]], PARTNERS[cPartner[i]], product,
      yesNo(productByName[product] && productByName[product].is_tunable),
      STATUSES[cStatus[i]] === "(no status)" ? null : STATUSES[cStatus[i]], cStart[i], cAm[i], yesNo(cHas[i]),
      cHas[i] ? csvMoney(known(i)) : null,
      cHas[i] || source === "none" ? null : csvMoney(estimate(i)),
      cHas[i] ? null : source.replace("_", " ")];
  }
  function passes(i, partnerOn, productOn, statusOn) {
    return partnerOn[cPartner[i]] && productOn[cProduct[i]] && statusOn[cStatus[i]] &&
      (state.budget === "" || (state.budget === "yes") === (cHas[i] === 1));
  }
  $("download-campaigns").addEventListener("click", function () {
    var partnerOn = mask(state.partners, PARTNERS), productOn = mask(state.products, PRODUCTS_IN_ROWS);
    var statusOn = mask(state.statuses, STATUSES), rows = [];
    for (var i = 0; i < N; i++) if (passes(i, partnerOn, productOn, statusOn)) rows.push(campaignCsvRow(i));
    downloadCsv(fileName("campaigns"), CAMPAIGN_HEADER, rows);
  });
  $("download-partners").addEventListener("click", function () {
    downloadCsv(fileName("partners"), ["partner_name", "campaign_count", "advertiser_count", "product_type_count",
      "known_monthly_budget", "campaigns_without_budget_data", "estimated_budget_of_those", "unmatched_health_budget"],
    lastPartnerRows.map(function (p) {
      return [p.partner_name, p.campaign_count, p.advertiser_count, p.product_type_count, csvMoney(p.known_budget),
        p.campaigns_without_budget_data, csvMoney(p.estimated_only_budget), csvMoney(p.unmatched_health_budget)];
    }));
  });
  var OUTSIDE_HEADER = ["campaign_id", "campaign_name", "maid", "advertiser_name", "advertiser_in_roster",
    "attributed_partner", "partner_attribution", "am", "monthly_budget"];
  function outsideCsvRow(o) {
    return [o.campaign_id, o.campaign_name, o.maid, o.advertiser_name, yesNo(o.is_advertiser_in_roster), o.partner_name,
      o.partner_attribution, o.am, csvMoney(o.campaign_budget)];
  }
  $("download-outside").addEventListener("click", function () {
    downloadCsv(fileName("outside-roster"), OUTSIDE_HEADER, outsideRows().map(outsideCsvRow));
  });
  $("download-rejected").addEventListener("click", function () {
    downloadCsv("rejected-rows.csv", DATA.rejected_rows.columns, rejected.map(function (o) {
      return DATA.rejected_rows.columns.map(function (c) { return o[c]; });
    }));
  });

  // ------------------------------------------------------------ the partner view
  var view = $("partner-view");
  var lastPartner = "";
  function figure(label, value, id) {
    return el("li", { id: id }, [el("span", { className: "value", text: value }), el("span", { className: "label", text: label })]);
  }
  function campaignsTable(start, end, maid) {
    var rows = [];
    for (var i = start; i < end; i++) {
      if (MAIDS[cMaid[i]] !== maid) continue;
      var source = SOURCES[cSource[i]];
      rows.push(el("tr", { "data-campaign": cId[i], tabindex: "-1" }, [td(cId[i]), td(cName[i] || ""),
        td(PRODUCTS_IN_ROWS[cProduct[i]]), td(STATUSES[cStatus[i]]), td(cStart[i] || ""), td(cAm[i] || ""),
        el("td", {}, [el("span", { className: "badge " + (cHas[i] ? "yes" : "no"), text: cHas[i] ? "yes" : "no" })]),
        td(cHas[i] ? money(known(i)) : source === "none" ? "unknown" : "unknown (est. " + money(estimate(i)) + ", " + source.replace("_", " ") + ")", true)]));
    }
    return el("table", { className: "campaigns" }, [
      el("thead", {}, [el("tr", {}, ["Campaign ID", "Campaign", "Product", "Status", "Start", "AM", "Budget data", "Monthly budget"].map(
        function (h, k) { return th(h, k === 7); }))]),
      el("tbody", {}, rows)]);
  }
  function advertiserRows(partner, range) {
    var rows = [], bestFor = {};
    crossOf(partner).forEach(function (o) { if (!bestFor[o.maid]) bestFor[o.maid] = o; });
    (advertisersByPartner[partner] || []).forEach(function (ad) {
      var open = ad.maid === state.advertiser;
      var here = ad.product_types ? ad.product_types.split(", ") : [];
      var all = ad.all_product_types ? ad.all_product_types.split(", ") : [];
      var toggle = el("button", { type: "button", className: "toggle", "aria-expanded": String(open),
        "data-focus": "adv-" + ad.maid, "data-maid": ad.maid, text: ad.advertiser_name || ad.maid });
      var best = bestFor[ad.maid];
      rows.push(el("tr", { "data-maid": ad.maid, className: open ? "marked" : null }, [
        el("th", { scope: "row" }, [toggle]), el("td", { className: "nowrap", text: ad.maid }),
        el("td", {}, [el("span", { className: "chips" }, all.map(function (p) {
          return el("span", { className: "chip" + (here.indexOf(p) >= 0 ? " here" : ""),
            title: here.indexOf(p) >= 0 ? "held with this partner" : "held with another partner",
            text: p + (here.indexOf(p) >= 0 ? "" : " (elsewhere)") });
        }))]),
        td(count(ad.campaign_count), true), td(money(ad.known_budget), true),
        td(count(ad.campaigns_without_budget_data), true), td(money(ad.estimated_only_budget), true),
        el("td", {}, best ? [best.product_type, el("span", { className: "why", text: ": " + best.reason })] : [])]));
      if (open) {
        rows.push(el("tr", { className: "detail" }, [el("td", { colspan: "8" }, [campaignsTable(range[0], range[1], ad.maid)])]));
      }
    });
    return rows;
  }
  // a phone shows a brief: the first rows of each long list, the rest behind "Show all"
  var CAP = window.matchMedia("(max-width: 600px)").matches ? 10 : 50;
  //: rows of each long table on paper (partners.css hides the rest in print)
  var PRINTED = { "pv-advertiser-table": 25, "pv-cross-sell": 10 };
  function noPrint(node) { node.classList.add("no-print"); return node; }
  function printNote(tableId, noun) {
    var n = $(tableId).querySelectorAll("tbody > tr:not(.detail)").length;
    if (n <= PRINTED[tableId]) return;
    $(tableId).parentNode.insertAdjacentElement("afterend", el("p", { className: "print-only",
      text: "and " + count(n - PRINTED[tableId]) + " more " + noun + ": see the CSV (Download its campaigns) or the page" }));
  }
  function capRows(tableId, noun) {
    var rows = $(tableId).querySelectorAll("tbody > tr");
    if (rows.length <= CAP) return;
    for (var i = CAP; i < rows.length; i++) rows[i].hidden = true;
    var more = el("button", { type: "button", className: "more", id: tableId + "-more",
      text: "Show all " + count(rows.length) + " " + noun + " (" + count(CAP) + " shown)" });
    more.addEventListener("click", function () {
      for (var k = CAP; k < rows.length; k++) rows[k].hidden = false;
      var next = rows[CAP].querySelector("button") || rows[CAP];
      if (!next.hasAttribute("tabindex") && next.tagName === "TR") next.setAttribute("tabindex", "-1");
      more.remove();
      next.focus();
    });
    $(tableId).parentNode.insertAdjacentElement("afterend", more);
  }
  function renderPartnerView() {
    var name = state.partner, p = partnerByName[name], range = partnerRange[name];
    view.textContent = "";
    if (!p || !range) {
      view.appendChild(el("p", { text: "No partner named \u201c" + name + "\u201d in this report." }));
      return;
    }
    var out = outside.filter(function (o) { return o.partner_name === name; });
    var opportunities = crossOf(name);
    var points = historyFor(name);
    var back = el("button", { type: "button", id: "pv-back", "data-focus": "pv-back", text: "\u2190 All partners" });
    back.addEventListener("click", function () { go({}); });
    var print = el("button", { type: "button", id: "pv-print", text: "Print" });
    print.addEventListener("click", function () { window.print(); });
    var download = el("button", { type: "button", id: "pv-download", text: "Download its campaigns (CSV)" });
    download.addEventListener("click", function () {
      var rows = [];
      for (var i = range[0]; i < range[1]; i++) rows.push(campaignCsvRow(i));
      downloadCsv("partner-" + slug(name) + "_campaigns.csv", CAMPAIGN_HEADER, rows);
    });
    var tunableWithout = 0, fixedWithout = 0, byProduct = {};
    var bySource = {};
    for (var i = range[0]; i < range[1]; i++) {
      var product = PRODUCTS_IN_ROWS[cProduct[i]], source = SOURCES[cSource[i]];
      var b = bySource[source] = bySource[source] || { n: 0, cents: 0 };
      b.n += 1; b.cents += cHas[i] ? knownCents[i] : estimateCents[i];
      if (cHas[i]) continue;
      var entry = byProduct[product] = byProduct[product] || 0;
      byProduct[product] = entry + 1;
      if (productByName[product] && productByName[product].is_tunable) tunableWithout += 1; else fixedWithout += 1;
    }
    view.appendChild(el("div", { className: "pv-head" }, [
      el("h2", { id: "pv-title", tabindex: "-1", text: name }),
      el("div", { className: "toolbar" }, [back, print, download])]));
    view.appendChild(el("p", { className: "muted", text: "Everything about this partner, whatever the filters of the overview. The link in the address bar opens this view." }));
    view.appendChild(el("ul", { className: "headline", id: "pv-headline", "aria-label": "Headline figures of " + name }, [
      figure("roster campaigns", count(p.campaign_count), "pv-campaigns"),
      figure("advertisers", count(p.advertiser_count), "pv-advertisers"),
      figure("product types", count(p.product_type_count), "pv-products"),
      figure("known monthly budget", money(p.known_budget), "pv-known"),
      figure("live known monthly budget (" + count(p.live_campaign_count) + " live campaigns)", money(p.live_known_budget), "pv-live"),
      figure("gap 1: campaigns without budget data", count(p.campaigns_without_budget_data), "pv-without"),
      figure("gap 2: health budget outside the roster (" + count(p.unmatched_health_campaign_count) + " campaigns)", money(p.unmatched_health_budget), "pv-gap2"),
      figure("cross-sell: " + count(p.opportunity_count) + " opportunities, expected monthly", money(p.opportunity_expected_budget), "pv-opportunities"),
      figure("budget change since the last drop", p.budget_change === null ? "n/a" : signed(p.budget_change), "pv-change")
    ]));
    var mix = mixByPartner[name] || [];
    view.appendChild(el("h3", { id: "pv-mix-title", text: "Product mix (" + count(mix.length) + " products)" }));
    view.appendChild(table("pv-mix", "Live: campaigns with status Active. Share: of this partner's known budget, beside the whole portfolio's.",
      [["Product"], ["Campaigns", true], ["Live", true], ["Known budget", true], ["Live known budget", true],
       ["Share", true], ["Portfolio share", true]],
      mix.map(function (r) {
        return el("tr", {}, [el("th", { scope: "row", text: r.product_type }), td(count(r.campaign_count), true),
          td(count(r.live_campaign_count), true), td(money(r.known_budget), true), td(money(r.live_known_budget), true),
          td(r.known_budget_share === null ? "n/a" : percent(r.known_budget_share), true),
          td(percent(r.portfolio_known_budget_share), true)]);
      })));
    view.appendChild(el("h3", { id: "pv-advertisers-title", text: "Advertisers and their full product mix (" + count((advertisersByPartner[name] || []).length) + ")" }));
    view.appendChild(el("p", { className: "muted", text: "Products held with this partner are outlined; \u201celsewhere\u201d marks products held through another partner. Open an advertiser for its campaigns." }));
    view.appendChild(table("pv-advertiser-table", null, [["Advertiser"], ["MAID"], ["Product mix"], ["Campaigns", true],
      ["Known budget", true], ["No budget data", true], ["Estimated for those", true], ["Best cross-sell"]],
      advertiserRows(name, range)));
    var gaps = el("div", { id: "pv-gaps" }, [el("h3", { text: "Gaps" }),
      el("p", { text: "Gap 1: " + count(p.campaigns_without_budget_data) + " of " + count(p.campaign_count) +
        " campaigns have no budget data: " + count(tunableWithout) + " tunable (expected in Health, so missing) and " +
        count(fixedWithout) + " fixed-fee (none by design). Estimated budget of those: " + money(p.estimated_only_budget) + "." }),
      table("pv-gap-products", "Campaigns without budget data by product", [["Product"], ["Expected in Health"], ["Campaigns", true]],
        productRecords.filter(function (r) { return byProduct[r.product_type]; }).map(function (r) {
          return el("tr", {}, [el("th", { scope: "row", text: r.product_type }), td(r.is_tunable ? "yes" : "no (by design)"),
            td(count(byProduct[r.product_type]), true)]);
        })),
      el("p", { text: "Gap 2: " + count(out.length) + " health campaigns outside the roster belong to this partner's advertisers (" +
        money(p.unmatched_health_budget) + " a month)." }),
      table("pv-outside", "Health campaigns outside the roster, attributed to " + name, [["Campaign ID"], ["Campaign"], ["Advertiser"], ["AM"], ["Monthly budget", true]],
        out.map(function (o) {
          return el("tr", {}, [td(o.campaign_id), td(o.campaign_name || ""), td((o.advertiser_name || "") + " (" + o.maid + ")"), td(o.am || ""), td(money(o.campaign_budget), true)]);
        }))]);
    var estimates = el("div", { id: "pv-estimates" }, [el("h3", { text: "Estimates" }),
      el("p", { text: "Known " + money(p.known_budget) + " + estimated " + money(p.estimated_only_budget) + " for the campaigns without budget data." }),
      table("pv-estimate-sources", "Campaigns by basis", [["Basis"], ["Campaigns", true], ["Monthly budget", true]],
        ["actual", "history", "advertiser", "product_default", "none"].filter(function (s) { return bySource[s]; }).map(function (s) {
          return el("tr", {}, [el("th", { scope: "row", text: s.replace("_", " ") }), td(count(bySource[s].n), true), td(money(bySource[s].cents / 100), true)]);
        }))]);
    view.appendChild(el("div", { className: "pv-grid" }, [gaps, estimates]));
    view.appendChild(el("h3", { text: "Cross-sell by advertiser (" + count(opportunities.length) + ")" }));
    view.appendChild(table("pv-cross-sell", "Each advertiser's best three, by expected monthly budget", [["Advertiser"], ["Could add"], ["Why"], ["Lift", true], ["Expected budget", true]],
      opportunities.map(function (o) {
        return el("tr", { "data-maid": o.maid }, [td(nameOf(name, o.maid)), td(o.product_type), td(o.reason), td(o.lift.toFixed(2), true), td(money(o.expected_monthly_budget), true)]);
      })));
    // not on paper: the printed brief is the current drop
    view.appendChild(el("h3", { className: "no-print", text: "Budget history" }));
    view.appendChild(noPrint(table("pv-history", "Known monthly budget per Health drop, with the change from the drop before", [["Drop"], ["Known budget", true], ["Change", true]],
      points.map(function (h) {
        return el("tr", {}, [el("th", { scope: "row", text: h.as_of_date }), td(money(h.known_budget), true),
          el("td", { className: "num " + (h.budget_change > 0 ? "up" : h.budget_change < 0 ? "down" : ""), text: signed(h.budget_change) })]);
      }))));
    if (points.length) view.appendChild(noPrint(sparkline(points, "Budget trend of " + name)));
    // long lists show their first rows and their count, the rest on request;
    // on paper the brief keeps the first PRINTED rows of each and says so
    if (!state.advertiser) capRows("pv-advertiser-table", "advertisers");
    capRows("pv-cross-sell", "opportunities");
    capRows("pv-outside", "campaigns");
    printNote("pv-advertiser-table", "advertisers");
    printNote("pv-cross-sell", "opportunities");
  }
  view.addEventListener("click", function (event) {
    var toggle = event.target.closest("button.toggle[data-maid]");
    if (!toggle) return;
    var maid = toggle.getAttribute("data-maid");
    go({ partner: state.partner, advertiser: state.advertiser === maid ? "" : maid });
  });

  function showView(stepped) {
    var partnerMode = state.partner !== "";
    document.body.classList.toggle("partner-mode", partnerMode);
    $("overview").hidden = partnerMode;
    view.hidden = !partnerMode;
    if (partnerMode) {
      keepingFocus(renderPartnerView);
      var target = null;
      if (state.campaign) target = view.querySelector('tr[data-campaign="' + CSS.escape(state.campaign) + '"]');
      if (!target && state.advertiser) target = view.querySelector('button[data-maid="' + CSS.escape(state.advertiser) + '"]');
      if (target) {
        if (target.tagName === "TR") target.classList.add("marked");
        target.scrollIntoView({ block: "center" });
        if (stepped) target.focus({ preventScroll: true });
      } else if (stepped && !document.activeElement.closest("#partner-view")) {
        $("pv-title").focus();
        window.scrollTo(0, 0);
      }
    } else if (stepped) {
      var back = document.querySelector('[data-focus="open-' + CSS.escape(lastPartner) + '"]');
      if (back) { back.focus({ preventScroll: true }); back.scrollIntoView({ block: "center" }); }
    }
    if (partnerMode) lastPartner = state.partner;
  }

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
    for (var i = 0; i < N; i++) lowerNames[i] = (cName[i] || "").toLowerCase();
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
      if ((digits && cId[i].indexOf(q) === 0) || names[i].indexOf(q) >= 0) {
        found.push({ kind: "Campaign " + cId[i] + " \u00b7 " + PARTNERS[cPartner[i]], label: cName[i] || cId[i],
                     view: { partner: PARTNERS[cPartner[i]], advertiser: MAIDS[cMaid[i]], campaign: cId[i] } });
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
  window.partnersReport = { csvCell: csvCell, find: find, profile: profile };
  if (window.matchMedia("(max-width: 700px)").matches) $("filters").open = false;
  readUrl();
  renderOverview();
  showView(false);
  profile.readyMs = performance.now();
  profile.scriptMs = profile.readyMs - startedAt;
  profile.parseMs = parsedAt - startedAt;
  document.documentElement.setAttribute("data-ready", "true");
  // the search index is built while the reader looks, not on the first keystroke
  (window.requestIdleCallback || setTimeout)(function () { buildIndex(); }, { timeout: 2000 });
})();
