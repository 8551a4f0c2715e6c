  /* csv.js: the CSV downloads. */
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
    return [C.campaign_id[i], C.campaign_name[i], MAIDS[cMaid[i]], C.advertiser_name[i], PARTNERS[cPartner[i]], product,
      yesNo(productByName[product] && productByName[product].is_tunable),
      STATUSES[cStatus[i]] === "(no status)" ? null : STATUSES[cStatus[i]], C.start_date[i], C.am[i], yesNo(cHas[i]),
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

