  // ------------------------------------------------------------ the rows
  /* state.js: the campaign rows and the small models' indexes, the state and
   * the URL, and the one pass over the rows that every figure under a filter
   * comes from. */
  var CAMPAIGNS = DATA.campaigns, C = CAMPAIGNS.values;
  var N = CAMPAIGNS.count;
  var PARTNERS = CAMPAIGNS.levels.partner_name, PRODUCTS_IN_ROWS = CAMPAIGNS.levels.product_type;
  var STATUSES = CAMPAIGNS.levels.campaign_status, MAIDS = CAMPAIGNS.levels.maid;
  var SOURCES = CAMPAIGNS.levels.budget_source;
  var cPartner = CAMPAIGNS.codes.partner_name, cProduct = CAMPAIGNS.codes.product_type;
  var cStatus = CAMPAIGNS.codes.campaign_status, cMaid = CAMPAIGNS.codes.maid;
  var cSource = CAMPAIGNS.codes.budget_source;
  var cHas = new Uint8Array(N), knownCents = new Float64Array(N), estimateCents = new Float64Array(N);
  for (var r = 0; r < N; r++) {
    cHas[r] = C.has_health_data[r] ? 1 : 0;
    knownCents[r] = cents(C.known_budget[r]);
    estimateCents[r] = cents(C.estimated_only_budget[r]);
  }
  function known(i) { return C.known_budget[i]; }
  function estimate(i) { return C.estimated_only_budget[i]; }

  var headline = records(DATA.headline)[0];
  var partnerRecords = records(DATA.partners);
  var partnerByName = {};
  partnerRecords.forEach(function (p) { partnerByName[p.partner_name] = p; });
  var productRecords = records(DATA.product_coverage);
  var productByName = {};
  productRecords.forEach(function (p) { productByName[p.product_type] = p; });
  // products in the model's order, mapped to the campaign rows' codes
  var PRODUCT_ORDER = productRecords.map(function (p) { return PRODUCTS_IN_ROWS.indexOf(p.product_type); });
  var PARTNER_ORDER = partnerRecords.map(function (p) { return PARTNERS.indexOf(p.partner_name); });
  var outside = records(DATA.unmatched_health_campaigns);
  var crossSell = records(DATA.cross_sell_best_three);
  var historyRows = records(DATA.budget_history);
  var advertiserRecords = records(DATA.partner_advertisers);
  // each partner's product mix (rpt_partner_product_mix), in the model's order
  var mixByPartner = {};
  records(DATA.partner_product_mix).forEach(function (r) {
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

  // ------------------------------------------------------------ state <-> URL
  var DEFAULT_SORT = { key: "known_budget", dir: "desc" };
  var state = { products: [], partners: [], statuses: [], budget: "", sort: DEFAULT_SORT.key,
                dir: DEFAULT_SORT.dir, partner: "", advertiser: "", campaign: "",
                // the partner view's advertiser table: its sort (the model's,
                // by known budget, is DEFAULT_SORT too) and its text filter
                adSort: DEFAULT_SORT.key, adDir: DEFAULT_SORT.dir, adFind: "" };

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
    state.adSort = params.get("asort") || DEFAULT_SORT.key;
    state.adDir = params.get("adir") || (params.get("asort") ? "desc" : DEFAULT_SORT.dir);
    state.adFind = params.get("afind") || "";
  }
  function urlFor(s) {
    var params = new URLSearchParams();
    if (s.partner) {
      params.set("p", s.partner);
      if (s.advertiser) params.set("a", s.advertiser);
      if (s.campaign) params.set("c", s.campaign);
      if (s.adSort !== DEFAULT_SORT.key || s.adDir !== DEFAULT_SORT.dir) {
        params.set("asort", s.adSort); params.set("adir", s.adDir);
      }
      if (s.adFind) params.set("afind", s.adFind);
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
    // another partner's view opens with its advertisers unsorted and unfiltered
    if ((view.partner || "") !== state.partner) {
      state.adSort = DEFAULT_SORT.key; state.adDir = DEFAULT_SORT.dir; state.adFind = "";
    }
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

