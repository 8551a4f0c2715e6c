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
  function slug(text) { return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "x"; }
  //: the filters each download follows (the gap-2 list follows the partner filter only)
  var ALL_FILTERS = ["product", "partner", "status", "budget"], PARTNER_FILTER = ["partner"];
  // the file's name says the filters applied to it, and only those:
  // partners-acme-media-active.csv, outside-roster-acme-media.csv
  function fileName(base, filters) {
    var parts = [base], lists = { product: [state.products, "products"], partner: [state.partners, "partners"],
                                  status: [state.statuses, "statuses"] };
    filters.forEach(function (f) {
      if (f === "budget") { if (state.budget) parts.push(state.budget === "yes" ? "with-budget-data" : "without-budget-data"); return; }
      var values = lists[f][0];
      if (values.length > 3) parts.push(values.length + "-" + lists[f][1]);
      else values.forEach(function (v) { parts.push(slug(v)); });
    });
    return parts.join("-") + ".csv";
  }
  // every CSV column's header, written once: the page's words, with the unit
  var COLUMN_LABELS = {
    campaign_id: "Campaign ID", campaign_name: "Campaign", maid: "MAID", advertiser_name: "Advertiser",
    partner_name: "Partner", product_type: "Product type", tunable: "Tunable (expected in Health)",
    campaign_status: "Status", start_date: "Start date", am: "AM", has_health_data: "Budget data",
    known_monthly_budget: "Known monthly budget ($)", estimated_monthly_budget: "Estimated monthly budget ($)",
    estimate_basis: "Estimate basis", advertiser_in_roster: "Advertiser in roster",
    attributed_partner: "Partner (attributed)", partner_attribution: "Partner attribution",
    monthly_budget: "Monthly budget ($)", file_name: "File", sheet_name: "Sheet", source_row_number: "Row",
    column_name: "Column", raw_value: "Value found", reason: "Reason", message: "Detail",
    product_to_offer: "Product to offer", idea_score: "Idea score ($ a month)", lift: "Lift",
    expected_monthly_budget: "Expected monthly budget ($)", campaign_count: "Campaigns", nothing_live: "Nothing live"
  };
  function labels(columns) { return columns.map(function (c) { return COLUMN_LABELS[c] || c; }); }
  function downloadCsv(name, header, rows) {
    var lines = [header.map(csvCell).join(",")];
    rows.forEach(function (row) { lines.push(row.map(csvCell).join(",")); });
    // the byte order mark tells a spreadsheet the file is UTF-8 (names with accents stay whole)
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }
  var CAMPAIGN_COLUMNS = ["campaign_id", "campaign_name", "maid", "advertiser_name", "partner_name", "product_type",
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
    downloadCsv(fileName("campaigns", ALL_FILTERS), labels(CAMPAIGN_COLUMNS), rows);
  });
  // the partners CSV is the partner table as shown: its columns, headed as the table heads them
  var PARTNER_MONEY = { known_budget: true, estimated_only_budget: true, unmatched_health_budget: true };
  $("download-partners").addEventListener("click", function () {
    var heads = Array.prototype.map.call(document.querySelectorAll("#partner-head button[data-key]"), function (button) {
      return [button.getAttribute("data-key"), button.textContent.trim()];
    });
    downloadCsv(fileName("partners", ALL_FILTERS),
      heads.map(function (h) { return PARTNER_MONEY[h[0]] ? h[1] + " ($)" : h[1]; }),
      lastPartnerRows.map(function (p) {
        return heads.map(function (h) { return PARTNER_MONEY[h[0]] ? csvMoney(p[h[0]]) : p[h[0]]; });
      }));
  });
  var OUTSIDE_COLUMNS = ["campaign_id", "campaign_name", "maid", "advertiser_name", "advertiser_in_roster",
    "attributed_partner", "partner_attribution", "am", "monthly_budget"];
  function outsideCsvRow(o) {
    return [o.campaign_id, o.campaign_name, o.maid, o.advertiser_name, yesNo(o.is_advertiser_in_roster), o.partner_name,
      o.partner_attribution, o.am, csvMoney(o.campaign_budget)];
  }
  $("download-outside").addEventListener("click", function () {
    downloadCsv(fileName("outside-roster", PARTNER_FILTER), labels(OUTSIDE_COLUMNS), outsideRows().map(outsideCsvRow));
  });
  $("download-rejected").addEventListener("click", function () {
    downloadCsv(fileName("rejected-rows", []), labels(DATA.rejected_rows.columns), rejected.map(function (o) {
      return DATA.rejected_rows.columns.map(function (c) { return o[c]; });
    }));
  });

