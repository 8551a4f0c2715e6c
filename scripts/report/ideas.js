  /* ideas.js: the cross-sell ideas (rpt_cross_sell_best_three, ranked by the
   * model's idea score) and the win-back list (rpt_cross_sell_win_back); each
   * advertiser opens the partner view at it, each list downloads as a CSV
   * call list. Both follow the partner and product filters. */
  // ------------------------------------------------------------ ideas and win-back
  var winBack = records(DATA.cross_sell_win_back);
  function advertiserLink(partner, maid, name) {
    return el("button", { type: "button", className: "link", "data-open-partner": partner, "data-open-advertiser": maid,
      "data-focus": "idea-" + partner + "-" + maid, text: name || maid,
      title: "Open " + partner + " at this advertiser" });
  }
  var crossSellPager = pager($("cross-sell-table").querySelector("tbody"), $("cross-sell-more"), 25, function (o) {
    return el("tr", { "data-maid": o.maid }, [td(o.partner_name),
      el("td", {}, [advertiserLink(o.partner_name, o.maid, o.advertiser_name || nameOf(o.partner_name, o.maid))]),
      td(o.product_type), el("td", { className: "reason", text: o.reason }), td(o.lift.toFixed(2), true), td(money(o.idea_score), true),
      td(money(o.expected_monthly_budget), true)]);
  }, { noun: "ideas", csv: "Download the call list" });
  var winBackPager = pager($("win-back-table").querySelector("tbody"), $("win-back-more"), 25, function (o) {
    return el("tr", { "data-maid": o.maid }, [td(o.partner_name),
      el("td", {}, [advertiserLink(o.partner_name, o.maid, o.advertiser_name)]), td(o.product_type),
      td(count(o.campaign_count), true), td(money(o.known_budget), true), el("td", { className: "reason", text: o.win_back_reason })]);
  }, { noun: "products to win back", csv: "Download the win-back list" });
  function onFilteredList(o) {
    return (!state.partners.length || state.partners.indexOf(o.partner_name) >= 0) &&
      (!state.products.length || state.products.indexOf(o.product_type) >= 0);
  }
  function shownOf(list) {
    return state.partners.length || state.products.length ? lazyFilter(list, onFilteredList) : list;
  }
  function renderCrossSell() {
    crossSellPager.set(shownOf(crossSell));
    var back = shownOf(winBack);
    winBackPager.set(back);
    $("win-back-count").textContent = count(back.length);
  }
  $("cross-sell-title").closest("section").addEventListener("click", function (event) {
    var link = event.target.closest("button[data-open-advertiser]");
    if (link) go({ partner: link.getAttribute("data-open-partner"), advertiser: link.getAttribute("data-open-advertiser") });
  });
  // a call list of ideas: the overview's (filtered) and a partner's
  function downloadCallList(file, ideas) {
    downloadCsv(file, labels(["partner_name", "advertiser_name", "maid", "product_to_offer", "reason",
      "idea_score", "lift", "expected_monthly_budget"]), ideas.map(function (o) {
      return [o.partner_name, o.advertiser_name || nameOf(o.partner_name, o.maid), o.maid, o.product_type, o.reason,
        csvMoney(o.idea_score), o.lift.toFixed(2), csvMoney(o.expected_monthly_budget)];
    }));
  }
  $("download-ideas").addEventListener("click", function () {
    downloadCallList(fileName("cross-sell-call-list", ALL_FILTERS), crossSell.filter(onFilteredList));
  });
  $("download-win-back").addEventListener("click", function () {
    downloadCsv(fileName("win-back-call-list", ALL_FILTERS), labels(["partner_name", "advertiser_name", "maid", "product_type", "campaign_count",
      "known_monthly_budget", "nothing_live", "reason"]), winBack.filter(onFilteredList).map(function (o) {
      return [o.partner_name, o.advertiser_name, o.maid, o.product_type, o.campaign_count, csvMoney(o.known_budget),
        yesNo(o.is_nothing_live), o.win_back_reason];
    }));
  });

