  /* partner.js: the partner view (everything about one partner). */
  // ------------------------------------------------------------ the partner view
  var view = $("partner-view");
  var lastPartner = "";
  function figure(label, value, id) {
    return el("li", { id: id }, [el("span", { className: "value", text: value }), el("span", { className: "label", text: label })]);
  }
  // a gap figure of the partner: opens the overview's list of its campaigns
  // (with their CSV) under a filter on this partner alone
  function gapButton(kind, product, text, className) {
    return el("button", { type: "button", className: className, "data-partner-gap": kind, "data-product": product, text: text,
      title: "Open the list of these campaigns" });
  }
  function moneyFigure(label, amount, id, sign) {
    return el("li", { id: id }, [moneyTile(el("span", { className: "value" }), amount, sign), el("span", { className: "label", text: label })]);
  }
  // an advertiser's campaigns, a page at a time (a large advertiser holds
  // thousands); the campaign the URL names is on a page shown
  var CAMPAIGN_PAGE = 50;
  function campaignRow(i) {
    var source = SOURCES[cSource[i]];
    return el("tr", { "data-campaign": C.campaign_id[i], tabindex: "-1" }, [td(C.campaign_id[i]), td(C.campaign_name[i] || ""),
      td(PRODUCTS_IN_ROWS[cProduct[i]]), td(STATUSES[cStatus[i]]), el("td", { className: "nowrap", text: C.start_date[i] || "" }), td(C.am[i] || ""),
      el("td", {}, [el("span", { className: "badge " + (cHas[i] ? "yes" : "no"), text: cHas[i] ? "yes" : "no" })]),
      td(cHas[i] ? money(known(i)) : source === "none" ? "unknown" : "unknown (est. " + money(estimate(i)) + ", " + source.replace("_", " ") + ")", true)]);
  }
  function campaignsTable(start, end, maid) {
    var found = [];
    for (var i = start; i < end; i++) if (MAIDS[cMaid[i]] === maid) found.push(i);
    var body = el("tbody"), more = el("button", { type: "button", className: "more" });
    pager(body, more, CAMPAIGN_PAGE, campaignRow).set(found);
    var at = -1;
    for (var k = 0; state.campaign && k < found.length && at < 0; k++) if (C.campaign_id[found[k]] === state.campaign) at = k;
    while (at >= body.children.length) more.click();
    return el("div", {}, [el("table", { className: "campaigns" }, [
      el("thead", {}, [el("tr", {}, ["Campaign ID", "Campaign", "Product", "Status", "Start", "AM", "Budget data", "Monthly budget"].map(
        function (h, k) { return th(h, k === 7); }))]),
      body]), more]);
  }
  function detailRow(range, maid) {
    return el("tr", { className: "detail" }, [el("td", { colspan: "8" }, [campaignsTable(range[0], range[1], maid)])]);
  }
  // an advertiser's row opened or closed in place: its campaigns below it
  function markOpen(maid, open) {
    var row = $("pv-advertiser-table").querySelector('tbody > tr[data-maid="' + CSS.escape(maid) + '"]');
    if (!row) return;
    row.classList.toggle("marked", open);
    row.querySelector("button.toggle").setAttribute("aria-expanded", String(open));
    var next = row.nextElementSibling;
    if (next && next.classList.contains("detail")) next.remove();
    if (!open) return;
    var detail = detailRow(partnerRange[state.partner], maid);
    detail.classList.toggle("no-print", row.classList.contains("no-print"));  // paper keeps it with its row
    row.parentNode.insertBefore(detail, row.nextSibling);
  }
  // an advertiser's row (and its campaigns below it when it is the open one)
  function advertiserRows(ad, bestFor, range) {
    var open = ad.maid === state.advertiser;
    var here = ad.product_types ? ad.product_types.split(", ") : [];
    var all = ad.all_product_types ? ad.all_product_types.split(", ") : [];
    var toggle = el("button", { type: "button", className: "toggle", "aria-expanded": String(open),
      "data-focus": "adv-" + ad.maid, "data-maid": ad.maid, text: ad.advertiser_name || ad.maid });
    var best = bestFor[ad.maid];
    var row = el("tr", { "data-maid": ad.maid, className: open ? "marked" : null }, [
      el("th", { scope: "row" }, [toggle]), el("td", { className: "nowrap", text: ad.maid }),
      el("td", {}, [el("span", { className: "chips" }, all.map(function (p) {
        return el("span", { className: "chip" + (here.indexOf(p) >= 0 ? " here" : ""),
          title: here.indexOf(p) >= 0 ? "held with this partner" : "held with another partner",
          text: p + (here.indexOf(p) >= 0 ? "" : " (elsewhere)") });
      }))]),
      td(count(ad.campaign_count), true), td(money(ad.known_budget), true),
      td(count(ad.campaigns_without_budget_data), true), td(money(ad.estimated_only_budget), true),
      el("td", {}, best ? [best.product_type, el("span", { className: "why", text: ": " + best.reason })] : [])]);
    return open ? [row, detailRow(range, ad.maid)] : [row];
  }
  // a phone shows a brief: the first rows of each long list, the rest a page
  // at a time behind "Show more"
  var CAP = window.matchMedia("(max-width: 600px)").matches ? 10 : 50, PAGE = 50;
  //: items of each long table on paper: the rows of the rest are "no-print"
  var PRINTED = { "pv-advertiser-table": 25, "pv-cross-sell": 10, "pv-outside": 10 };
  function noPrint(node) { node.classList.add("no-print"); return node; }
  function printNote(tableId, total, noun, where) {
    var old = $(tableId + "-note");
    if (old) old.remove();
    if (total <= PRINTED[tableId]) return;
    $(tableId).parentNode.insertAdjacentElement("afterend", el("p", { className: "print-only", id: tableId + "-note",
      text: "and " + count(total - PRINTED[tableId]) + " more " + noun + ": see " + where }));
  }
  // a long list of the view, built as it is seen: the rows on screen (the
  // first `shown`) and those paper keeps (PRINTED: built, hidden on screen;
  // the page's beforeprint shows them), never the rest; "Show more" (its id:
  // the table's, "-more") builds and shows the next PAGE. rowsFor(item) gives
  // an item's rows (an open advertiser: its row and its campaigns' row).
  // Returns show(n): the first n items on screen.
  function pagedRows(tableId, items, rowsFor, noun, onMore) {
    var body = $(tableId).querySelector("tbody"), built = 0, shown = 0;
    var more = $(tableId + "-more") || el("button", { type: "button", className: "more", id: tableId + "-more" });
    if (!more.parentNode) $(tableId).parentNode.insertAdjacentElement("afterend", more);
    body.textContent = "";
    function show(n) {
      shown = Math.min(items.length, n);
      var fragment = document.createDocumentFragment();
      for (; built < Math.min(items.length, Math.max(shown, PRINTED[tableId])); built++) {
        var past = built >= PRINTED[tableId];
        rowsFor(items[built]).forEach(function (row) { fragment.appendChild(past ? noPrint(row) : row); });
      }
      body.appendChild(fragment);
      var item = -1;
      for (var row = body.firstElementChild; row; row = row.nextElementSibling) {
        if (!row.classList.contains("detail")) item += 1;
        row.hidden = item >= shown;
      }
      var rest = items.length - shown;
      more.hidden = rest <= 0;
      more.textContent = showMore(Math.min(PAGE, rest), items.length, noun);
    }
    // the focus moves to the first row shown (the button is hidden once all are)
    more.onclick = function () {
      var first = shown;
      show(shown + PAGE);
      if (onMore) onMore(shown);
      var row = body.querySelectorAll("tr:not(.detail)")[first];
      if (!row) return;
      var next = row.querySelector("button") || row;
      if (next === row && !row.hasAttribute("tabindex")) row.setAttribute("tabindex", "-1");
      next.focus();
    };
    return show;
  }
  // ------------------------------------------------------------ the advertiser table: sort and filter
  // its columns: [rpt_partner_advertisers column to sort by (none: not sortable), header, numeric]
  var AD_COLUMNS = [["advertiser_name", "Advertiser"], ["maid", "MAID"], [null, "Product mix"],
    ["campaign_count", "Campaigns", true], ["known_budget", "Known budget", true],
    ["campaigns_without_budget_data", "No budget data", true], ["estimated_only_budget", "Estimated for those", true],
    [null, "Best cross-sell"]];
  var AD_KEYS = AD_COLUMNS.map(function (c) { return c[0]; }).filter(Boolean);
  //: the advertisers on screen (a phone: the first CAP; more, a page at a time), per partner
  var adShown = CAP, adShownFor = null;
  function adSortValue(ad, key) {
    if (key === "advertiser_name") return (ad.advertiser_name || ad.maid).toLowerCase();
    return key === "maid" ? ad.maid : ad[key] || 0;
  }
  // the partner's advertisers matching every word of the filter (name, MAID
  // or a product of its mix; the open one always), in the chosen order (the
  // model's when the sort is the default)
  function shownAdvertisers(name) {
    var words = state.adFind.toLowerCase().split(/\s+/).filter(Boolean), list = [];
    (advertisersByPartner[name] || []).forEach(function (ad, order) {
      var text = ((ad.advertiser_name || "") + " " + ad.maid + " " + (ad.all_product_types || "")).toLowerCase();
      if (ad.maid === state.advertiser || words.every(function (w) { return text.indexOf(w) >= 0; })) {
        list.push({ ad: ad, order: order });
      }
    });
    var key = AD_KEYS.indexOf(state.adSort) >= 0 ? state.adSort : DEFAULT_SORT.key, direction = state.adDir === "asc" ? 1 : -1;
    if (key !== DEFAULT_SORT.key || state.adDir !== DEFAULT_SORT.dir) {
      list.sort(function (x, y) {
        var u = adSortValue(x.ad, key), v = adSortValue(y.ad, key);
        return (typeof u === "string" ? u.localeCompare(v) : u - v) * direction || x.order - y.order;
      });
    }
    return list.map(function (x) { return x.ad; });
  }
  function drawAdvertisers(name, range) {
    var list = shownAdvertisers(name), total = (advertisersByPartner[name] || []).length;
    var bestFor = {};
    crossOf(name).forEach(function (o) { if (!bestFor[o.maid]) bestFor[o.maid] = o; });
    var show = pagedRows("pv-advertiser-table", list, function (ad) { return advertiserRows(ad, bestFor, range); },
      "advertisers", function (shown) { adShown = shown; });
    // the open advertiser is on screen
    for (var at = 0; state.advertiser && at < list.length; at++) if (list[at].maid === state.advertiser) break;
    show(Math.max(adShown, state.advertiser && at < list.length ? at + 1 : 0));
    var heads = document.querySelectorAll("#pv-advertiser-table th[data-key]");
    for (var i = 0; i < heads.length; i++) {
      heads[i].setAttribute("aria-sort", heads[i].getAttribute("data-key") !== state.adSort ? "none"
        : state.adDir === "asc" ? "ascending" : "descending");
    }
    $("pv-advertiser-status").textContent = state.adFind
      ? count(list.length) + " of " + count(total) + " advertisers match \u201c" + state.adFind + "\u201d" : "";
    printNote("pv-advertiser-table", list.length, "advertisers", "the CSV (Download its campaigns) or the page");
  }
  function advertiserSection(name, range) {
    if (adShownFor !== name) { adShown = CAP; adShownFor = name; }
    var find = el("input", { type: "search", id: "pv-advertiser-find", "data-focus": "pv-advertiser-find",
      placeholder: "Name, MAID or product", autocomplete: "off", "aria-controls": "pv-advertiser-table" });
    find.value = state.adFind;
    find.addEventListener("input", function () {
      state.adFind = find.value;
      replaceUrl();
      drawAdvertisers(name, range);
    });
    var head = el("tr", {}, AD_COLUMNS.map(function (c) {
      if (!c[0]) return th(c[1], c[2]);
      var sort = el("button", { type: "button", className: "sort", "data-key": c[0], "data-focus": "adsort-" + c[0], text: c[1] });
      sort.addEventListener("click", function () {
        if (state.adSort === c[0]) state.adDir = state.adDir === "asc" ? "desc" : "asc";
        else { state.adSort = c[0]; state.adDir = c[2] ? "desc" : "asc"; }
        replaceUrl();
        keepingFocus(function () { drawAdvertisers(name, range); });
      });
      return el("th", { scope: "col", className: c[2] ? "num" : null, "data-key": c[0], "data-label": c[1], "aria-sort": "none" }, [sort]);
    }));
    return [
      el("div", { className: "toolbar" }, [el("label", { for: "pv-advertiser-find", text: "Filter advertisers" }), find]),
      el("p", { id: "pv-advertiser-status", className: "status-line", role: "status", "aria-live": "polite" }),
      scrollBox(el("table", { id: "pv-advertiser-table" }, [
        el("caption", { className: "sr-only", text: "Advertisers of " + name + "; a column header sorts by it" }),
        el("thead", {}, [head]), el("tbody")]))];
  }
  function renderPartnerView() {
    var name = state.partner, p = partnerByName[name], range = partnerRange[name];
    view.textContent = "";
    if (!p || !range) {
      view.appendChild(el("p", { text: "No partner named \u201c" + name + "\u201d in this report." }));
      return;
    }
    var out = outside.filter(function (o) { return o.partner_name === name; });
    function ideaRows(o) {
      return [el("tr", { "data-maid": o.maid }, [el("td", {}, [advertiserLink(name, o.maid, nameOf(name, o.maid))]), td(o.product_type),
        el("td", { className: "reason", text: o.reason }), td(o.lift.toFixed(2), true), td(money(o.idea_score), true), td(money(o.expected_monthly_budget), true)])];
    }
    function outsideRows(o) {
      return [el("tr", { "data-campaign": o.campaign_id, tabindex: "-1" }, [td(o.campaign_id), td(o.campaign_name || ""),
        td((o.advertiser_name || "") + " (" + o.maid + ")"), td(o.am || ""), td(money(o.campaign_budget), true)])];
    }
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
      downloadCsv("campaigns-" + slug(name) + ".csv", labels(CAMPAIGN_COLUMNS), rows);
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
      moneyFigure("known monthly budget", p.known_budget, "pv-known"),
      moneyFigure("live known monthly budget (" + count(p.live_campaign_count) + " live campaigns)", p.live_known_budget, "pv-live"),
      el("li", { id: "pv-without" }, [
        gapButton("tunable", "", count(p.tunable_campaigns_without_budget_data), "value link"),
        el("span", { className: "label" }, ["gap 1: tunable campaigns without budget data; beside it, ",
          gapButton("fixed", "", count(p.fixed_fee_campaigns_without_budget_data), "link fixed-fee"), " fixed-fee without budget by design"])]),
      moneyFigure("gap 2: health budget outside the roster (" + count(p.unmatched_health_campaign_count) + " campaigns)", p.unmatched_health_budget, "pv-gap2"),
      moneyFigure("cross-sell: " + count(p.opportunity_count) + " opportunities, expected monthly", p.opportunity_expected_budget, "pv-opportunities"),
      p.budget_change === null ? figure("budget change since the last drop", "n/a", "pv-change")
        : moneyFigure("budget change since the last drop", p.budget_change, "pv-change", true)
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
    advertiserSection(name, range).forEach(function (node) { view.appendChild(node); });
    var gaps = el("div", { id: "pv-gaps" }, [el("h3", { text: "Gaps" }),
      el("p", { text: "Gap 1: " + count(p.campaigns_without_budget_data) + " of " + count(p.campaign_count) +
        " campaigns have no budget data: " + count(tunableWithout) + " tunable (expected in Health, so missing) and " +
        count(fixedWithout) + " fixed-fee (none by design). Estimated budget of those: " + money(p.estimated_only_budget) + "." }),
      table("pv-gap-products", "Campaigns without budget data by product", [["Product"], ["Expected in Health"], ["Campaigns", true]],
        productRecords.filter(function (r) { return byProduct[r.product_type]; }).map(function (r) {
          return el("tr", {}, [el("th", { scope: "row", text: r.product_type }), td(r.is_tunable ? "yes" : "no (by design)"),
            el("td", { className: "num" }, [gapButton("product", r.product_type, count(byProduct[r.product_type]), "link")])]);
        })),
      el("p", { text: "Gap 2: " + count(out.length) + " health campaigns outside the roster belong to this partner's advertisers (" +
        money(p.unmatched_health_budget) + " a month)." }),
      table("pv-outside", "Health campaigns outside the roster, attributed to " + name, [["Campaign ID"], ["Campaign"], ["Advertiser"], ["AM"], ["Monthly budget", true]], [])]);
    var estimates = el("div", { id: "pv-estimates" }, [el("h3", { text: "Estimates" }),
      el("p", { text: "Known " + money(p.known_budget) + " + estimated " + money(p.estimated_only_budget) + " for the campaigns without budget data." }),
      table("pv-estimate-sources", "Campaigns by basis", [["Basis"], ["Campaigns", true], ["Monthly budget", true]],
        ["actual", "history", "advertiser", "product_default", "none"].filter(function (s) { return bySource[s]; }).map(function (s) {
          return el("tr", {}, [el("th", { scope: "row", text: s.replace("_", " ") }), td(count(bySource[s].n), true), td(money(bySource[s].cents / 100), true)]);
        }))]);
    view.appendChild(el("div", { className: "pv-grid" }, [gaps, estimates]));
    // the tile counts every idea of the partner; the table, each advertiser's best three
    view.appendChild(el("h3", { id: "pv-cross-sell-title", text: "Cross-sell by advertiser: " + count(opportunities.length) + " of its " +
      count(p.opportunity_count) + " opportunities, each advertiser's best three" }));
    var callList = el("button", { type: "button", id: "pv-download-ideas", text: "Download its call list (CSV)" });
    callList.addEventListener("click", function () { downloadCallList("cross-sell-call-list-" + slug(name) + ".csv", opportunities); });
    view.appendChild(el("div", { className: "toolbar" }, [callList]));
    view.appendChild(table("pv-cross-sell", "Each advertiser's best three, highest score first (the advertiser's own evidence: its live products, budget and size)",
      [["Advertiser"], ["Could add"], ["Why"], ["Lift", true], ["Score", true], ["Expected budget", true]], []));
    // not on paper: the printed brief is the current drop
    view.appendChild(el("h3", { className: "no-print", text: "Budget history" }));
    view.appendChild(noPrint(table("pv-history", "Known monthly budget per Health drop, with the change from the drop before", [["Drop"], ["Known budget", true], ["Change", true]],
      points.map(function (h) {
        return el("tr", {}, [el("th", { scope: "row", className: "nowrap", text: h.as_of_date }), td(money(h.known_budget), true),
          el("td", { className: "num " + (h.budget_change > 0 ? "up" : h.budget_change < 0 ? "down" : ""), text: signed(h.budget_change) })]);
      }))));
    if (points.length) view.appendChild(noPrint(sparkline(points, "Budget trend of " + name)));
    // long lists show their first rows and their count, the rest on request;
    // on paper the brief keeps the first PRINTED rows of each and says so
    drawAdvertisers(name, range);
    pagedRows("pv-cross-sell", opportunities, ideaRows, "opportunities")(CAP);
    // the gap-2 campaign the URL names is on screen
    var named = out.map(function (o) { return o.campaign_id; }).indexOf(state.campaign);
    pagedRows("pv-outside", out, outsideRows, "campaigns")(Math.max(CAP, named + 1));
    printNote("pv-cross-sell", opportunities.length, "opportunities", "the call list (Download its call list) or the page");
    printNote("pv-outside", out.length, "health campaigns outside the roster", "the page, or the overview's list of them and its CSV");
  }
  view.addEventListener("click", function (event) {
    var gap = event.target.closest("button[data-partner-gap]");
    if (gap) {
      // the figure ignores the overview's filters: the list is of this partner alone
      state.partners = [state.partner]; state.products = []; state.statuses = []; state.budget = "";
      go({});
      renderOverview();
      openGap(gap.getAttribute("data-partner-gap"), gap.getAttribute("data-product"));
      return;
    }
    var link = event.target.closest("button[data-open-advertiser]");
    if (link) {
      go({ partner: link.getAttribute("data-open-partner"), advertiser: link.getAttribute("data-open-advertiser") });
      return;
    }
    var toggle = event.target.closest("button.toggle[data-maid]");
    if (!toggle) return;
    // only the rows change (the view stays as it is: a large partner's
    // view is not drawn again); Back and Forward draw the view from the URL
    var maid = toggle.getAttribute("data-maid"), before = state.advertiser;
    if (before) markOpen(before, false);
    if (before !== maid) markOpen(maid, true);
    state.advertiser = before === maid ? "" : maid;
    state.campaign = "";
    history.pushState(null, "", urlFor(state));
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

