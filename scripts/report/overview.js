  /* overview.js: the overview's filters (facets), headline, partner table,
   * heat map and product bars (the budget gaps: gaps.js). */
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
    moneyTile($("headline-known-budget").querySelector(".value"), on ? a.knownCents / 100 : headline.known_budget);
    // gap 1 is the tunable campaigns without budget data; the fixed-fee ones
    // (none in Health by design) stand beside it (rpt_headline)
    var tunableWithout = on ? a.tunableWithout : headline.tunable_campaigns_without_budget_data;
    var fixedWithout = on ? a.without - a.tunableWithout : headline.fixed_fee_campaigns_without_budget_data;
    setValue("headline-without-budget", count(tunableWithout));
    $("headline-without-budget").querySelector(".fixed-fee").textContent = count(fixedWithout);
    moneyTile($("headline-gap").querySelector(".value"), gap.cents / 100);
    $("headline-gap").querySelector(".n").textContent = count(gap.n);
    $("gap1-count").textContent = count(tunableWithout);
    $("gap1-fixed").textContent = count(fixedWithout);
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
    // gap 2's part attributed to no partner, as the template drew it (the
    // rows add up to the total with it): gap 2 follows the partner filter
    // only, and a partner filter leaves none of it
    if (noPartnerRow && !state.partners.length) foot.appendChild(noPartnerRow);
  }
  var noPartnerRow = $("partner-foot").querySelector("tr.no-partner");
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
        el("span", { className: "n" }, [el("span"), el("span", { className: "sr-only", text: " campaigns" })])]);
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
      // its name is what it shows: "Search 636 campaigns"
      bar.button.querySelector(".n").firstChild.textContent = count(n);
      bar.button.setAttribute("aria-pressed", String(state.products.length === 1 && state.products[0] === PRODUCTS_IN_ROWS[q]));
    });
  }
