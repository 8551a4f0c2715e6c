  /* gaps.js: the two budget gaps: coverage by product, and behind every gap
   * figure (gap 1's tunable campaigns, the fixed-fee ones beside it, each
   * product's count) the list of its campaigns with their CSV download; the
   * gap-2 figures open the list of health campaigns outside the roster. */
  // ------------------------------------------------------------ coverage by product
  function renderCoverage(a) {
    var on = filtersOn();
    var body = $("coverage-body");
    var fragment = document.createDocumentFragment();
    var knownTotal = 0;
    var knownBy = [];
    productRecords.forEach(function (p, qi) {
      var q = PRODUCT_ORDER[qi];
      var campaigns = on ? a.productCampaigns[q] : p.campaign_count;
      var withData = on ? a.productWith[q] : p.campaigns_with_budget_data;
      var without = on ? campaigns - withData : p.campaigns_without_budget_data;
      var known = on ? a.productKnown[q] / 100 : p.known_budget;
      var estimate = on ? a.productEstimate[q] / 100 : p.estimated_only_budget;
      knownTotal += known;
      if (known > 0) knownBy.push([p.product_type, known]);
      if (on && !campaigns) return;
      var open = el("button", { type: "button", className: "link", "data-gap": "product", "data-product": p.product_type,
        "data-focus": "gap-product-" + p.product_type, text: count(without),
        "aria-label": p.product_type + ": " + count(without) + " campaigns without budget data, open the list" });
      fragment.appendChild(el("tr", { "data-product": p.product_type }, [
        el("th", { scope: "row", text: p.product_type }),
        td(p.is_tunable ? "yes (tunable)" : "no (fixed fee, by design)"),
        td(count(campaigns), true), td(count(withData), true), el("td", { className: "num" }, [open]),
        td(campaigns ? percent(withData / campaigns) : "", true), td(money(known), true), td(money(estimate), true),
        td(known + estimate > 0 ? percent(known / (known + estimate)) : percent(0), true),
        // the amount never breaks; its basis wraps between its words
        p.typical_budget === null ? td("none", true) : el("td", { className: "num" }, [money(p.typical_budget), " ",
          el("span", { className: "basis", text: "(" + p.typical_budget_basis + ")" })])
      ]));
    });
    body.textContent = "";
    body.appendChild(fragment);
    knownBy.sort(function (x, y) { return y[1] - x[1]; });
    $("gap1-split").textContent = "Known budget by product: " +
      (knownBy.length ? knownBy.map(function (k) { return k[0] + " " + percent(k[1] / knownTotal); }).join(", ") : "none") + ".";
    var attributed = 0, unattributed = 0, n = 0;
    outside.forEach(function (o) {
      if (state.partners.length && state.partners.indexOf(o.partner_name) < 0) return;
      n += 1;
      if (o.partner_name === null) unattributed += 1; else attributed += 1;
    });
    $("gap2-split").textContent = count(n) + " campaigns: " + count(attributed) + " of advertisers the roster knows (attributed to their partner), " +
      count(unattributed) + " of advertisers the roster does not know" + (state.partners.length ? " (none under a partner filter)." : ".");
    if (!$("gap-list").hidden) showGapList();
  }

  // ------------------------------------------------------------ the campaigns behind a gap figure
  // which campaigns without budget data each kind of gap figure counts
  var GAPS = {
    tunable: { title: "Gap 1: tunable campaigns without budget data", file: "gap1-tunable-without-budget-data",
               match: function (product) { return productByName[product] && productByName[product].is_tunable; } },
    fixed: { title: "Fixed-fee campaigns without budget data (by design, not in gap 1)", file: "fixed-fee-without-budget-data",
             match: function (product) { return !(productByName[product] && productByName[product].is_tunable); } },
    product: { title: "", file: "without-budget-data",
               match: function (product) { return product === gapShown.product; } }
  };
  var gapShown = { kind: "", product: "" };
  // the rows the figure counts: under the filters on, without budget data,
  // of the figure's products; largest estimate first
  function gapRows() {
    var gap = GAPS[gapShown.kind], rows = [];
    var partnerOn = mask(state.partners, PARTNERS), productOn = mask(state.products, PRODUCTS_IN_ROWS);
    var statusOn = mask(state.statuses, STATUSES);
    for (var i = 0; i < N; i++) {
      if (cHas[i] || !passes(i, partnerOn, productOn, statusOn)) continue;
      if (gap.match(PRODUCTS_IN_ROWS[cProduct[i]])) rows.push(i);
    }
    rows.sort(function (x, y) { return estimateCents[y] - estimateCents[x] || x - y; });
    return rows;
  }
  var gapPager = pager($("gap-list-table").querySelector("tbody"), $("gap-list-more"), 50, function (i) {
    var source = SOURCES[cSource[i]];
    return el("tr", { "data-campaign": C.campaign_id[i] }, [td(C.campaign_id[i]), td(C.campaign_name[i] || ""),
      td(PARTNERS[cPartner[i]]), td(C.advertiser_name[i] || MAIDS[cMaid[i]]), td(PRODUCTS_IN_ROWS[cProduct[i]]),
      td(STATUSES[cStatus[i]]), td(source === "none" ? "none" : money(estimate(i)) + " (" + source.replace("_", " ") + ")", true)]);
  }, { noun: "campaigns", csv: "Download these campaigns" });
  function gapTitle() {
    return gapShown.kind === "product" ? gapShown.product + ": campaigns without budget data" : GAPS[gapShown.kind].title;
  }
  function showGapList() {
    var rows = gapRows();
    $("gap-list-title").textContent = gapTitle() + " (" + count(rows.length) + ")";
    gapPager.set(rows);
  }
  function openGap(kind, product) {
    if (kind === "outside") {
      var details = $("outside-details");
      details.open = true;
      renderOutside();
      details.scrollIntoView({ block: "start" });
      details.querySelector("summary").focus({ preventScroll: true });
      return;
    }
    gapShown = { kind: kind, product: product || "" };
    $("gap-list").hidden = false;
    showGapList();
    $("gap-list").scrollIntoView({ block: "start" });
    $("gap-list-title").focus({ preventScroll: true });
  }
  document.addEventListener("click", function (event) {
    var figure = event.target.closest("[data-gap]");
    if (figure) openGap(figure.getAttribute("data-gap"), figure.getAttribute("data-product"));
  });
  $("gap-list-close").addEventListener("click", function () {
    $("gap-list").hidden = true;
    $("gap1-count").focus();
  });
  $("download-gap-list").addEventListener("click", function () {
    var base = GAPS[gapShown.kind].file + (gapShown.kind === "product" ? "-" + slug(gapShown.product) : "");
    downloadCsv(fileName(base, ALL_FILTERS), labels(CAMPAIGN_COLUMNS), gapRows().map(campaignCsvRow));
  });

