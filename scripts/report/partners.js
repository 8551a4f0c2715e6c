/* partners.html: facets, sortable partner table, drill-down, URL state, CSV.
 * All data comes from the JSON block #report-data, written by
 * scripts/export_html.py from the marts. Text is only ever inserted with
 * textContent, never as HTML. */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("report-data").textContent);

  // ------------------------------------------------------------ data
  // The inverse of encode_for_page in scripts/export_html.py.
  function decode(section) {
    var dictionaries = section.dictionaries || {};
    var frontCoded = section.front_coded || [];
    var previous = {};
    return section.rows.map(function (row) {
      var record = {};
      section.columns.forEach(function (column, index) {
        var value = row[index];
        if (frontCoded.indexOf(column) >= 0) {
          if (Array.isArray(value)) value = previous[column].slice(0, value[0]) + value[1];
          previous[column] = value;
        }
        record[column] = dictionaries[column] ? dictionaries[column][value] : value;
      });
      return record;
    });
  }

  var campaigns = decode(DATA.campaigns);
  var moneyFormat = new Intl.NumberFormat("en-US", {
    style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2
  });
  var countFormat = new Intl.NumberFormat("en-US");
  var percentFormat = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
  function money(value) { return moneyFormat.format(value || 0); }
  function count(value) { return countFormat.format(value || 0); }
  function percent(value) { return percentFormat.format(value || 0); }
  function cents(value) { return Math.round((value || 0) * 100); }

  // ------------------------------------------------------------ state <-> URL
  var DEFAULT_SORT = { key: "total_budget", dir: "desc" };
  var state = { q: "", partners: [], products: [], budget: "", sort: DEFAULT_SORT.key,
                dir: DEFAULT_SORT.dir, open: "", advertiser: "" };

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    state.q = params.get("q") || "";
    state.partners = params.getAll("partner");
    state.products = params.getAll("product");
    state.budget = params.get("budget") || "";
    state.sort = params.get("sort") || DEFAULT_SORT.key;
    state.dir = params.get("dir") === "asc" ? "asc" : (params.get("dir") ? "desc" : DEFAULT_SORT.dir);
    state.open = params.get("open") || "";
    state.advertiser = params.get("advertiser") || "";
  }

  function writeHash() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    state.partners.forEach(function (p) { params.append("partner", p); });
    state.products.forEach(function (p) { params.append("product", p); });
    if (state.budget) params.set("budget", state.budget);
    if (state.sort !== DEFAULT_SORT.key || state.dir !== DEFAULT_SORT.dir) {
      params.set("sort", state.sort);
      params.set("dir", state.dir);
    }
    if (state.open) params.set("open", state.open);
    if (state.advertiser) params.set("advertiser", state.advertiser);
    var hash = params.toString();
    history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
  }

  // ------------------------------------------------------------ filtering
  function matches(campaign, skip) {
    if (skip !== "partner" && state.partners.length && state.partners.indexOf(campaign.partner_name) < 0) return false;
    if (skip !== "product" && state.products.length && state.products.indexOf(campaign.product_type) < 0) return false;
    if (skip !== "budget" && state.budget) {
      if ((state.budget === "yes") !== Boolean(campaign.has_health_data)) return false;
    }
    if (state.q && campaign.partner_name.toLowerCase().indexOf(state.q.toLowerCase()) < 0) return false;
    return true;
  }

  function filteredCampaigns() {
    return campaigns.filter(function (c) { return matches(c, null); });
  }

  // ------------------------------------------------------------ DOM helpers
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else if (key === "className") node.className = attributes[key];
      else node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function td(text, numeric) { return el("td", { text: text, className: numeric ? "num" : "" }); }

  // ------------------------------------------------------------ facets
  function facetValues(key) {
    var seen = {};
    campaigns.forEach(function (c) { seen[c[key]] = true; });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
  }
  var partnerValues = facetValues("partner_name");
  var productValues = facetValues("product_type");

  function renderFacet(containerId, name, values, selected, field) {
    var counts = {};
    campaigns.forEach(function (c) {
      if (matches(c, name)) {
        var value = field(c);
        counts[value] = (counts[value] || 0) + 1;
      }
    });
    var container = document.getElementById(containerId);
    container.textContent = "";
    values.forEach(function (entry) {
      var value = entry.value, n = counts[value] || 0;
      var box = el("input", { type: name === "budget" ? "radio" : "checkbox", name: "facet-" + name, value: value });
      box.checked = selected(value);
      box.addEventListener("change", function () { onFacetChange(name, value, box.checked); });
      var label = el("label", { className: n ? "" : "empty" }, [
        box, el("span", { text: entry.label }), el("span", { className: "count", text: count(n) })
      ]);
      container.appendChild(label);
    });
  }

  function renderFacets() {
    renderFacet("facet-partner", "partner", partnerValues.map(function (v) { return { value: v, label: v }; }),
      function (v) { return state.partners.indexOf(v) >= 0; }, function (c) { return c.partner_name; });
    renderFacet("facet-product", "product", productValues.map(function (v) { return { value: v, label: v }; }),
      function (v) { return state.products.indexOf(v) >= 0; }, function (c) { return c.product_type; });
    renderFacet("facet-budget", "budget", [
      { value: "", label: "All campaigns" }, { value: "yes", label: "With budget data" },
      { value: "no", label: "Without budget data" }
    ], function (v) { return state.budget === v; },
    function (c) { return c.has_health_data ? "yes" : "no"; });
    // the "All campaigns" radio counts every campaign matching the other facets
    var all = document.querySelector("#facet-budget label:first-child .count");
    var total = campaigns.filter(function (c) { return matches(c, "budget"); }).length;
    all.textContent = count(total);
    all.parentNode.className = total ? "" : "empty";
  }

  function onFacetChange(name, value, checked) {
    if (name === "budget") state.budget = value;
    else {
      var list = name === "partner" ? state.partners : state.products;
      var at = list.indexOf(value);
      if (checked && at < 0) list.push(value);
      if (!checked && at >= 0) list.splice(at, 1);
    }
    update();
  }

  // ------------------------------------------------------------ partner table
  var PARTNER_COLUMNS = [
    { key: "partner_name", label: "Partner", numeric: false },
    { key: "campaign_count", label: "Campaigns", numeric: true, format: count },
    { key: "advertiser_count", label: "Advertisers", numeric: true, format: count },
    { key: "product_type_count", label: "Product types", numeric: true, format: count },
    { key: "total_budget", label: "Known budget", numeric: true, format: money },
    { key: "budget_coverage", label: "Budget coverage", numeric: true, format: percent }
  ];

  function groupBy(rows, key) {
    var groups = new Map();
    rows.forEach(function (row) {
      var value = row[key];
      if (!groups.has(value)) groups.set(value, []);
      groups.get(value).push(row);
    });
    return groups;
  }

  function summarize(rows) {
    var advertisers = new Set(), products = new Set(), budgetCents = 0, withData = 0;
    rows.forEach(function (c) {
      advertisers.add(c.maid); products.add(c.product_type);
      budgetCents += cents(c.campaign_budget);
      if (c.has_health_data) withData += 1;
    });
    return {
      campaign_count: rows.length, advertiser_count: advertisers.size,
      product_type_count: products.size, total_budget: budgetCents / 100,
      campaigns_with_budget_data: withData,
      budget_coverage: rows.length ? withData / rows.length : 0,
      product_types: Array.from(products).sort().join(", ")
    };
  }

  function partnerRows(rows) {
    var result = [];
    groupBy(rows, "partner_name").forEach(function (group, name) {
      var summary = summarize(group);
      summary.partner_name = name;
      summary.campaigns = group;
      result.push(summary);
    });
    var direction = state.dir === "asc" ? 1 : -1, key = state.sort;
    result.sort(function (a, b) {
      var x = a[key], y = b[key];
      var order = typeof x === "string" ? x.localeCompare(y) : x - y;
      return order * direction || a.partner_name.localeCompare(b.partner_name);
    });
    return result;
  }

  function renderPartnerHeader() {
    var row = document.getElementById("partner-head");
    row.textContent = "";
    PARTNER_COLUMNS.forEach(function (column) {
      var th = el("th", { scope: "col", className: column.numeric ? "num" : "" });
      var ariaSort = state.sort === column.key ? (state.dir === "asc" ? "ascending" : "descending") : "none";
      th.setAttribute("aria-sort", ariaSort);
      var button = el("button", { type: "button", className: "sort", "data-key": column.key, text: column.label });
      button.addEventListener("click", function () {
        if (state.sort === column.key) state.dir = state.dir === "asc" ? "desc" : "asc";
        else { state.sort = column.key; state.dir = column.numeric ? "desc" : "asc"; }
        update();
      });
      th.appendChild(button);
      row.appendChild(th);
    });
  }

  function toggleButton(label, expanded, onClick) {
    var button = el("button", { type: "button", className: "toggle", "aria-expanded": String(expanded), text: label });
    button.addEventListener("click", onClick);
    return button;
  }

  function renderPartnerTable(rows) {
    var body = document.getElementById("partner-body");
    body.textContent = "";
    var shown = partnerRows(rows);
    var maxBudget = Math.max.apply(null, shown.map(function (p) { return p.total_budget; }).concat([1]));
    shown.forEach(function (partner) {
      var open = state.open === partner.partner_name;
      var nameCell = el("th", { scope: "row" }, [toggleButton(partner.partner_name, open, function () {
        state.open = open ? "" : partner.partner_name;
        state.advertiser = "";
        update();
      })]);
      var budgetCell = td(money(partner.total_budget), true);
      var bar = el("span", { className: "bar", "aria-hidden": "true" });
      bar.style.width = (60 * partner.total_budget / maxBudget).toFixed(1) + "px";
      budgetCell.appendChild(bar);
      body.appendChild(el("tr", { "data-partner": partner.partner_name }, [
        nameCell, td(count(partner.campaign_count), true), td(count(partner.advertiser_count), true),
        td(count(partner.product_type_count), true), budgetCell, td(percent(partner.budget_coverage), true)
      ]));
      if (open) body.appendChild(advertiserDetail(partner));
    });
    var summary = summarize(rows);
    document.getElementById("partner-foot").textContent = "";
    document.getElementById("partner-foot").appendChild(el("tr", {}, [
      el("th", { scope: "row", text: "All shown (" + count(shown.length) + " partners)" }),
      td(count(summary.campaign_count), true), td(count(summary.advertiser_count), true),
      td(count(summary.product_type_count), true), td(money(summary.total_budget), true),
      td(percent(summary.budget_coverage), true)
    ]));
    document.getElementById("partner-status").textContent =
      count(shown.length) + " partners, " + count(rows.length) + " campaigns shown";
  }

  function advertiserDetail(partner) {
    var table = el("table", { className: "advertisers" }, [
      el("caption", { text: "Advertisers of " + partner.partner_name }),
      el("thead", {}, [el("tr", {}, ["Advertiser", "MAID", "Products held", "Campaigns", "Known budget"].map(
        function (label, index) { return el("th", { scope: "col", className: index > 2 ? "num" : "", text: label }); }))])
    ]);
    var body = el("tbody");
    var advertisers = [];
    groupBy(partner.campaigns, "maid").forEach(function (group, maid) {
      var summary = summarize(group);
      summary.maid = maid;
      summary.advertiser_name = group[0].advertiser_name || maid;
      summary.campaigns = group;
      advertisers.push(summary);
    });
    advertisers.sort(function (a, b) {
      return b.total_budget - a.total_budget || a.advertiser_name.localeCompare(b.advertiser_name);
    });
    advertisers.forEach(function (advertiser) {
      var open = state.advertiser === advertiser.maid;
      body.appendChild(el("tr", { "data-maid": advertiser.maid }, [
        el("th", { scope: "row" }, [toggleButton(advertiser.advertiser_name, open, function () {
          state.advertiser = open ? "" : advertiser.maid;
          update();
        })]),
        td(advertiser.maid), td(advertiser.product_types), td(count(advertiser.campaign_count), true),
        td(money(advertiser.total_budget), true)
      ]));
      if (open) body.appendChild(campaignDetail(advertiser));
    });
    table.appendChild(body);
    return el("tr", { className: "detail" }, [el("td", { colspan: String(PARTNER_COLUMNS.length) }, [table])]);
  }

  function campaignDetail(advertiser) {
    var table = el("table", { className: "campaigns" }, [
      el("caption", { text: "Campaigns of " + advertiser.advertiser_name }),
      el("thead", {}, [el("tr", {}, ["Campaign ID", "Campaign", "Product type", "Budget data", "Known budget"].map(
        function (label, index) { return el("th", { scope: "col", className: index === 4 ? "num" : "", text: label }); }))])
    ]);
    var body = el("tbody");
    advertiser.campaigns.slice().sort(function (a, b) {
      return a.product_type.localeCompare(b.product_type) || String(a.campaign_id).localeCompare(String(b.campaign_id));
    }).forEach(function (c) {
      var badge = el("span", { className: "badge " + (c.has_health_data ? "yes" : "no"),
                               text: c.has_health_data ? "yes" : "no" });
      body.appendChild(el("tr", { "data-campaign": c.campaign_id }, [
        td(c.campaign_id), td(c.campaign_name || ""), td(c.product_type), el("td", {}, [badge]),
        td(money(c.campaign_budget), true)
      ]));
    });
    table.appendChild(body);
    return el("tr", { className: "detail" }, [el("td", { colspan: "5" }, [table])]);
  }

  // ------------------------------------------------------------ CSV
  function csvCell(value) {
    if (value === null || value === undefined) return "";
    var text = String(value);
    // a cell starting with = + - @ (or tab/CR) would run as a formula in a spreadsheet
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function downloadCsv(fileName, columns, rows) {
    var lines = [columns.map(csvCell).join(",")];
    rows.forEach(function (row) {
      lines.push(columns.map(function (column) { return csvCell(row[column]); }).join(","));
    });
    var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = el("a", { href: URL.createObjectURL(blob), download: fileName });
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }
  window.partnersReport = { csvCell: csvCell };

  document.getElementById("download-partners").addEventListener("click", function () {
    downloadCsv("partners.csv", PARTNER_COLUMNS.map(function (c) { return c.key; }), partnerRows(filteredCampaigns()));
  });
  document.getElementById("download-campaigns").addEventListener("click", function () {
    downloadCsv("campaigns.csv", DATA.campaigns.columns, filteredCampaigns());
  });

  // ------------------------------------------------------------ paged tables
  function pagedTable(tableId, section, columns, pageSize) {
    var rows = decode(section);
    var table = document.getElementById(tableId);
    var body = table.querySelector("tbody");
    var shown = 0;
    var more = document.querySelector('button.more[data-table="' + tableId + '"]');
    function showMore() {
      rows.slice(shown, shown + pageSize).forEach(function (row) {
        body.appendChild(el("tr", {}, columns.map(function (column) {
          var value = row[column.key];
          return td(column.format ? column.format(value) : (value === null ? "" : String(value)), column.numeric);
        })));
      });
      shown = Math.min(rows.length, shown + pageSize);
      if (more) {
        more.hidden = shown >= rows.length;
        more.textContent = "Show " + count(Math.min(pageSize, rows.length - shown)) + " more of " +
          count(rows.length - shown);
      }
    }
    if (more) more.addEventListener("click", showMore);
    var download = document.querySelector('button.download[data-table="' + tableId + '"]');
    if (download) {
      download.addEventListener("click", function () {
        downloadCsv(tableId + ".csv", section.columns, rows);
      });
    }
    showMore();
  }

  pagedTable("unmatched-table", DATA.unmatched_health_campaigns, [
    { key: "campaign_id" }, { key: "campaign_name" }, { key: "maid" }, { key: "advertiser_name" },
    { key: "am" }, { key: "is_advertiser_in_roster", format: function (v) { return v ? "yes" : "no"; } },
    { key: "campaign_budget", numeric: true, format: money }
  ], 100);
  pagedTable("rejected-table", DATA.rejected_rows, [
    { key: "file_name" }, { key: "sheet_name" }, { key: "source_row_number", numeric: true },
    { key: "column_name" }, { key: "raw_value" }, { key: "reason" }, { key: "message" }
  ], 100);

  // ------------------------------------------------------------ wiring
  var search = document.getElementById("partner-filter");
  search.addEventListener("input", function () { state.q = search.value; update(); });
  document.getElementById("clear-filters").addEventListener("click", function () {
    state.q = ""; state.partners = []; state.products = []; state.budget = "";
    update();
  });

  function update() {
    writeHash();
    render();
  }

  function render() {
    search.value = state.q;
    renderFacets();
    renderPartnerHeader();
    renderPartnerTable(filteredCampaigns());
    var openRow = state.advertiser
      ? document.querySelector('tr[data-maid="' + CSS.escape(state.advertiser) + '"]')
      : null;
    if (openRow && window.location.hash && !render.scrolled) {
      openRow.scrollIntoView({ block: "center" });
      render.scrolled = true;
    }
  }

  window.addEventListener("hashchange", function () { readHash(); render(); });
  // printing shows every table twin; browsers without ::details-content need this
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"),
      function (details) { return !details.open; });
    closedForPrint.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (details) { details.open = false; });
  });
  readHash();
  render();
  document.documentElement.setAttribute("data-ready", "true");
})();
