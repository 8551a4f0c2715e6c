"""partners.html in a real browser: find, filter, partner view, layout, exports."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Sequence
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
import report_browser

import export_html
from conftest import run_pipeline, write_workbook

PHONE = {"width": 390, "height": 844}


def query(project: Path, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
    database = project / "build" / "partners.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, parameters).fetchall()


def money(value: object) -> str:
    return export_html._money(value)


def fragment(**params: str) -> str:
    return "#" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


@pytest.fixture(scope="module")
def report(sample_build: Path) -> Path:
    return sample_build / "build" / "partners.html"


def headline(page) -> dict[str, str]:
    return {
        key: page.locator(f"#headline-{key} .value").inner_text()
        for key in (
            "campaigns",
            "advertisers",
            "partners",
            "product-types",
            "known-budget",
            "without-budget",
            "gap",
        )
    }


def partner_names(page) -> list[str]:
    return page.locator("#partner-body > tr[data-partner]").evaluate_all(
        "rows => rows.map(r => r.dataset.partner)"
    )


def focused(page) -> str | None:
    return page.evaluate(
        "document.activeElement && document.activeElement.dataset.focus"
    )


def wait_drawn(page) -> None:
    """Let the sections drawn when idle catch up."""
    page.evaluate(
        "new Promise(done => requestIdleCallback(() => done(), {timeout: 2000}))"
    )
    page.wait_for_timeout(50)


# ---------------------------------------------------------------- figures


def test_headline_and_partner_table_are_the_report_models(
    sample_build: Path, report: Path, open_report
) -> None:
    page = open_report(report).page
    [figures] = query(
        sample_build,
        """
        select campaign_count, advertiser_count, partner_count, product_type_count,
               known_budget, tunable_campaigns_without_budget_data,
               unmatched_health_budget
        from reports.rpt_headline""",
    )
    assert headline(page) == {
        "campaigns": "2,067",
        "advertisers": "588",
        "partners": f"{figures[2]:,}",
        "product-types": f"{figures[3]:,}",
        "known-budget": "$768,000.00",
        "without-budget": f"{figures[5]:,}",
        "gap": "$712,000.00",
    }
    assert figures[:2] == (2067, 588)
    expected = query(
        sample_build,
        """
        select partner_name, campaign_count, advertiser_count, product_type_count,
               known_budget, campaigns_without_budget_data, estimated_only_budget,
               unmatched_health_budget
        from reports.rpt_partners order by sort_order""",
    )
    rows = page.locator("#partner-body > tr[data-partner]")
    assert rows.count() == len(expected)
    for index, row in enumerate(expected):
        cells = [c.strip() for c in rows.nth(index).locator("th, td").all_inner_texts()]
        assert cells == [
            row[0],
            f"{row[1]:,}",
            f"{row[2]:,}",
            f"{row[3]:,}",
            money(row[4]),
            f"{row[5]:,}",
            money(row[6]),
            money(row[7]),
        ]
    # the page holds every campaign of the model
    ids = page.evaluate("partnersReport.data.campaigns.values.campaign_id.map(String)")
    assert sorted(ids) == sorted(
        r[0]
        for r in query(sample_build, "select campaign_id from reports.rpt_campaigns")
    )


def test_every_section_reads_a_report_model_in_its_sort_order() -> None:
    for section in export_html.report_sections():
        assert section.relation.startswith(("reports.rpt_", "marts.")), section.name
        assert "group by" not in section.sql.lower(), section.name
        assert "order by" in section.sql.lower(), section.name


# ---------------------------------------------------------------- search


def search_and_go(page, text: str) -> None:
    page.locator("#search").fill(text)
    page.wait_for_selector("#search-results li[role=option]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#partner-view:not([hidden])")


def test_find_an_advertiser_by_name_and_by_maid(
    sample_build: Path, report: Path, open_report
) -> None:
    [(partner, maid, name)] = query(
        sample_build,
        """
        select partner_name, maid, advertiser_name from reports.rpt_partner_advertisers
        where partner_count = 1 order by maid limit 1""",
    )
    page = open_report(report).page
    search_and_go(page, name)
    assert page.locator("#pv-title").inner_text() == partner
    assert focused(page) == f"adv-{maid}"
    assert page.locator(f'tr[data-maid="{maid}"]').first.is_visible()
    assert f"a={maid}" in page.url
    page.goto(page.url.split("#")[0])
    page.wait_for_selector("html[data-ready=true]")
    search_and_go(page, maid)
    assert page.locator("#pv-title").inner_text() == partner
    assert focused(page) == f"adv-{maid}"
    # the advertiser is open: its campaigns are listed
    campaigns = query(
        sample_build,
        "select campaign_id from reports.rpt_campaigns"
        " where partner_name = ? and maid = ?",
        [partner, maid],
    )
    shown = page.locator("table.campaigns tr[data-campaign]").evaluate_all(
        "rows => rows.map(r => r.dataset.campaign)"
    )
    assert sorted(shown) == sorted(c for (c,) in campaigns)


def test_find_a_campaign_by_id(sample_build: Path, report: Path, open_report) -> None:
    [(campaign, partner, _, budget)] = query(
        sample_build,
        """
        select campaign_id, partner_name, maid, known_budget
        from reports.rpt_campaigns where has_health_data
        order by campaign_id limit 1""",
    )
    page = open_report(report).page
    search_and_go(page, campaign)
    assert page.locator("#pv-title").inner_text() == partner
    row = page.locator(f'tr[data-campaign="{campaign}"]')
    assert row.is_visible()
    assert "marked" in row.get_attribute("class")
    assert page.evaluate("document.activeElement.dataset.campaign") == campaign
    assert money(budget) in row.inner_text()  # its known budget, not an estimate
    # Back returns to the overview, Forward to the campaign
    page.go_back()
    page.wait_for_selector("#partner-view[hidden]", state="attached")
    assert page.locator("#overview").is_visible()
    page.go_forward()
    page.wait_for_selector("#partner-view:not([hidden])")
    assert page.locator(f'tr[data-campaign="{campaign}"]').is_visible()


def test_search_lists_partners_advertisers_and_campaigns(
    report: Path, open_report
) -> None:
    page = open_report(report).page
    page.locator("#search").fill("vision")
    kinds = page.locator("#search-results li .kind").all_inner_texts()
    assert any(k.startswith("Advertiser") for k in kinds)
    assert any(k.startswith("Campaign") for k in kinds)
    page.locator("#search").fill("acme")
    assert page.locator("#search-results li .kind").first.inner_text() == "Partner"
    page.locator("#search").fill("zzzz-nothing")
    assert page.locator("#search-results li").inner_text() == "Nothing found"
    page.keyboard.press("Escape")
    assert page.locator("#search-results").is_hidden()


# ---------------------------------------------------------------- filters


def test_a_filter_changes_the_headline_and_every_section(
    sample_build: Path, report: Path, open_report
) -> None:
    opened = open_report(report)
    page = opened.page
    box = page.locator('#facet-product input[value="Chat"]')
    box.check()
    assert focused(page) == "facet-product-Chat"  # focus stays where the user acted
    [(campaigns, advertisers, partners)] = query(
        sample_build,
        """
        select count(*), count(distinct maid), count(distinct partner_name)
        from reports.rpt_campaigns where product_type = 'Chat'""",
    )
    shown = headline(page)
    assert shown["campaigns"] == f"{campaigns:,}"
    assert shown["advertisers"] == f"{advertisers:,}"
    assert shown["partners"] == f"{partners:,}"
    assert shown["known-budget"] == "$0.00"  # Chat is not tunable: no budget data
    # gap 1 counts tunable campaigns; Chat's are fixed-fee, beside it
    assert shown["without-budget"] == "0"
    fixed_fee = page.locator("#headline-without-budget .fixed-fee").inner_text()
    assert fixed_fee == f"{campaigns:,}"
    # the other facets count under this one: "with budget data" is 0
    budget_yes = page.locator('#facet-budget label[data-value="yes"] .count')
    assert budget_yes.inner_text() == "0"
    assert len(partner_names(page)) == partners
    wait_drawn(page)
    products = page.locator(
        "#cross-sell-table tbody tr td:nth-child(3)"
    ).all_text_contents()
    assert products
    assert set(products) == {"Chat"}
    coverage = page.locator("#coverage-body tr").evaluate_all(
        "rows => rows.map(r => r.dataset.product)"
    )
    assert coverage == ["Chat"]
    heat = page.locator('#heat-body button[data-product="Search"]').all_text_contents()
    assert set(heat) == {"0"}
    assert "product=Chat" in page.url
    # a status filter on top, then the link opened afresh keeps both
    page.locator('#facet-status input[value="Active"]').check()
    [(active,)] = query(
        sample_build,
        """select count(*) from reports.rpt_campaigns
        where product_type = 'Chat' and campaign_status = 'Active'""",
    )
    assert headline(page)["campaigns"] == f"{active:,}"
    link = page.url
    opened.goto(link[len(opened.url) :])
    page.reload()
    page.wait_for_selector("html[data-ready=true]")
    assert headline(page)["campaigns"] == f"{active:,}"
    page.click("#clear-filters")
    assert headline(page)["campaigns"] == "2,067"


def test_a_heat_map_cell_and_a_product_bar_filter(
    sample_build: Path, report: Path, open_report
) -> None:
    page = open_report(report).page
    [(partner, product, campaigns)] = query(
        sample_build,
        """
        select partner_name, product_type, campaign_count
        from reports.rpt_partner_product_mix order by sort_order limit 1""",
    )
    cell = page.locator(
        f'#heat-body button[data-partner="{partner}"][data-product="{product}"]'
    )
    cell.scroll_into_view_if_needed()
    wait_drawn(page)
    assert cell.text_content() == f"{campaigns:,}"
    cell.click()
    assert headline(page)["campaigns"] == f"{campaigns:,}"
    assert cell.get_attribute("aria-pressed") == "true"
    assert focused(page) == cell.get_attribute("data-focus")
    cell.click()  # again: the filter is cleared
    assert headline(page)["campaigns"] == "2,067"
    [(seo,)] = query(
        sample_build,
        "select campaign_count from reports.rpt_product_coverage"
        " where product_type = 'SEO'",
    )
    page.locator('#product-bars button[data-product="SEO"]').click()
    assert headline(page)["campaigns"] == f"{seo:,}"


def test_sorting_keeps_focus_and_orders_rows(report: Path, open_report) -> None:
    page = open_report(report).page
    button = page.locator('#partner-head button[data-key="campaign_count"]')
    button.click()
    counts = [
        int(t.replace(",", ""))
        for t in page.locator("#partner-body > tr td:nth-of-type(1)").all_inner_texts()
    ]
    assert counts == sorted(counts, reverse=True)
    assert focused(page) == "sort-campaign_count"
    page.keyboard.press("Enter")
    counts = [
        int(t.replace(",", ""))
        for t in page.locator("#partner-body > tr td:nth-of-type(1)").all_inner_texts()
    ]
    assert counts == sorted(counts)
    assert focused(page) == "sort-campaign_count"
    assert (
        page.locator("#partner-head th").nth(1).get_attribute("aria-sort")
        == "ascending"
    )
    assert "sort=campaign_count" in page.url
    assert "dir=asc" in page.url
    page.locator('#partner-head button[data-key="partner_name"]').click()
    names = partner_names(page)
    assert names == sorted(names, key=str.casefold)


def test_make_timings_measures_each_keystroke_and_filter_click(
    report: Path, open_report
) -> None:
    """What `make timings` reports (no time is asserted here: timings belong
    to `make timings` and `make bench`): one figure per keystroke and per
    filter click, each after the page redrew."""
    page = open_report(report).page
    report_browser.throttle(page, 4)
    typed = report_browser.keystrokes(page, "vision clinic")
    clicked = report_browser.filter_clicks(page)
    assert len(typed) == len("vision clinic")
    assert len(clicked) >= 2
    assert all(time >= 0 for time in typed + clicked)
    assert page.locator("#search-results li").count() > 0


# ---------------------------------------------------------------- the partner view


def test_the_partner_view_shows_the_partner_whole(
    sample_build: Path, report: Path, open_report
) -> None:
    [partner] = query(
        sample_build,
        "select * from reports.rpt_partners where unmatched_health_campaign_count > 0"
        " and opportunity_count > 0 order by sort_order limit 1",
    )
    columns = [
        r[0]
        for r in query(
            sample_build,
            "select column_name from information_schema.columns where table_schema"
            " = 'reports' and table_name = 'rpt_partners' order by ordinal_position",
        )
    ]
    p = dict(zip(columns, partner, strict=True))
    name = p["partner_name"]
    # a filter on the overview does not narrow the partner view
    page = open_report(report, fragment(p=name, product="Chat")).page
    assert page.locator("#overview").is_hidden()
    assert page.locator("#pv-title").inner_text() == name
    duplicated = page.evaluate(
        """(() => {
          const ids = Array.from(document.querySelectorAll('[id]'), e => e.id);
          return ids.filter((id, at) => ids.indexOf(id) !== at); })()"""
    )
    assert duplicated == []
    figures = page.locator("#pv-headline .value").all_inner_texts()
    assert figures[:7] == [
        f"{p['campaign_count']:,}",
        f"{p['advertiser_count']:,}",
        f"{p['product_type_count']:,}",
        money(p["known_budget"]),
        money(p["live_known_budget"]),
        f"{p['campaigns_without_budget_data']:,}",
        money(p["unmatched_health_budget"]),
    ]
    assert f"({p['live_campaign_count']:,} live campaigns)" in (
        page.locator("#pv-live .label").inner_text()
    )
    assert figures[7] == money(p["opportunity_expected_budget"])
    # its product mix is rpt_partner_product_mix's rows of the partner
    mix = query(
        sample_build,
        """select product_type, campaign_count, live_campaign_count, known_budget,
        live_known_budget from reports.rpt_partner_product_mix
        where partner_name = ? order by sort_order""",
        [name],
    )
    shown = page.locator("#pv-mix tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent).slice(0, 5))"
    )
    assert shown == [
        [product, f"{n:,}", f"{live:,}", money(known), money(live_known)]
        for product, n, live, known, live_known in mix
    ]
    assert len(shown) == p["product_type_count"]
    advertisers = query(
        sample_build,
        """select maid, all_product_types, product_types
        from reports.rpt_partner_advertisers
        where partner_name = ? order by sort_order""",
        [name],
    )
    rows = page.locator("#pv-advertiser-table tbody > tr[data-maid]")
    assert rows.count() == len(advertisers)
    for index, (_, everything, here) in enumerate(advertisers):
        chips = rows.nth(index).locator(".chip").all_inner_texts()
        assert [c.replace(" (elsewhere)", "") for c in chips] == everything.split(", ")
        assert [c for c in chips if "elsewhere" not in c] == here.split(", ")
    outside = query(
        sample_build,
        "select count(*) from reports.rpt_unmatched_health_campaigns"
        " where partner_name = ?",
        [name],
    )[0][0]
    assert page.locator("#pv-outside tbody tr").count() == outside > 0
    assert "Gap 1" in page.locator("#pv-gaps").inner_text()
    assert "fixed-fee" in page.locator("#pv-gaps").inner_text()
    [(opportunities,)] = query(
        sample_build,
        "select count(*) from reports.rpt_cross_sell where partner_name = ?"
        " and advertiser_rank <= 3",
        [name],
    )
    assert page.locator("#pv-cross-sell tbody tr").count() == opportunities
    reason = page.locator("#pv-cross-sell tbody tr").first.locator("td").nth(2)
    assert re.fullmatch(
        r"\d+% of advertisers with (.+) also hold .+; this one has \1 live"
        r"( \(and \d+ more live products? pointing to it\))?",
        reason.inner_text(),
    )
    drops = query(
        sample_build,
        "select known_budget, budget_change from reports.rpt_budget_history"
        " where partner_name = ? order by as_of_date",
        [name],
    )
    history = page.locator("#pv-history tbody tr")
    assert history.count() == len(drops) == 3
    assert history.last.locator("td").first.inner_text() == money(drops[-1][0])
    assert page.locator("#pv-estimates").inner_text().count("$") >= 2
    # expanding an advertiser keeps the focus on its button
    first = rows.first.locator("button.toggle")
    key = first.get_attribute("data-focus")
    first.click()
    assert focused(page) == key
    assert page.locator("table.campaigns").count() == 1
    # Back closes it again, Back again leaves the partner view
    page.go_back()
    page.wait_for_function("document.querySelectorAll('table.campaigns').length === 0")
    assert page.locator("#pv-title").inner_text() == name


def test_partner_view_prints_within_the_page(
    sample_build: Path, report: Path, open_report
) -> None:
    [(name,)] = query(
        sample_build,
        "select partner_name from reports.rpt_partners order by sort_order limit 1",
    )
    # an A4 page at 96 dpi less 12 mm margins is about 700 px wide
    page = open_report(
        report, fragment(p=name), viewport={"width": 700, "height": 990}
    ).page
    page.emulate_media(media="print")
    assert (
        page.locator(".finder").evaluate("e => getComputedStyle(e).display") == "none"
    )
    assert page.locator("#overview").is_hidden()
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    overflowing = page.evaluate(
        """Array.from(document.querySelectorAll('#partner-view table'))
        .filter(t => t.getBoundingClientRect().right > innerWidth + 1).length"""
    )
    assert overflowing == 0


def largest_partner(sample_build: Path) -> str:
    [(name,)] = query(
        sample_build,
        "select partner_name from reports.rpt_partners order by sort_order limit 1",
    )
    return name


#: the narrowest text cell of the visible tables (IDs and money excluded), in px
NARROWEST_TEXT_CELL_JS = """() => {
  let narrowest = Infinity;
  for (const cell of document.querySelectorAll('td, th')) {
    if (cell.classList.contains('num') || !cell.offsetParent) continue;
    if (cell.textContent.trim().length < 4) continue;
    narrowest = Math.min(narrowest, cell.getBoundingClientRect().width);
  }
  return narrowest;
}"""


@pytest.mark.parametrize("view", ["overview", "partner"])
def test_tables_stay_readable_on_a_phone(
    sample_build: Path, report: Path, open_report, view: str
) -> None:
    """At 390 px no text column shrinks below a readable width (names read
    one letter per line at 28 px before), and IDs and money never break."""
    name = largest_partner(sample_build)
    page = open_report(
        report, fragment(p=name) if view == "partner" else "", viewport=PHONE
    ).page
    wait_drawn(page)
    assert page.evaluate(NARROWEST_TEXT_CELL_JS) >= 80
    unbroken = page.evaluate(
        """() => Array.from(document.querySelectorAll('td.num'))
        .filter(c => c.offsetParent)
        .every(c => getComputedStyle(c).whiteSpace === 'nowrap')"""
    )
    assert unbroken
    assert (
        page.evaluate("getComputedStyle(document.querySelector('td')).overflowWrap")
        == "normal"
    )


def test_the_partner_view_on_a_phone_is_a_brief(
    sample_build: Path, report: Path, open_report
) -> None:
    """Tiles, product mix, the first advertisers and ideas, the rest behind
    "Show all": the largest partner's view was 53,766 px tall."""
    name = largest_partner(sample_build)
    page = open_report(report, fragment(p=name), viewport=PHONE).page
    wait_drawn(page)
    assert page.locator("#pv-mix").is_visible()
    shown = page.locator("#pv-advertiser-table tbody > tr:visible").count()
    assert shown == 10
    more = page.locator("#pv-advertiser-table-more")
    assert more.is_visible()
    assert page.evaluate("document.documentElement.scrollHeight") < 12_000
    more.click()
    assert page.locator("#pv-advertiser-table tbody > tr:visible").count() > 10


def test_a_partner_prints_as_a_brief_of_at_most_four_pages(
    sample_build: Path, report: Path, open_report
) -> None:
    """Printing the largest partner gives at most 4 A4 pages (15 before):
    tiles, product mix, the first 25 advertisers and 10 ideas, the gap-2
    list, and a line saying how many more are in the CSV; no text column
    wraps letter by letter."""
    name = largest_partner(sample_build)
    page = open_report(report, fragment(p=name)).page
    wait_drawn(page)
    [(advertisers,)] = query(
        sample_build,
        "select count(*) from reports.rpt_partner_advertisers where partner_name = ?",
        [name],
    )
    assert advertisers > 25
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 4, pages
    page.emulate_media(media="print")
    printed = page.locator("#pv-advertiser-table tbody > tr:visible").count()
    assert printed == 25
    note = page.locator("#partner-view .print-only").first
    assert note.is_visible()
    assert note.inner_text().startswith(f"and {advertisers - 25:,} more advertisers")
    assert page.locator("#pv-mix").is_visible()
    assert page.locator("#pv-outside").is_visible()
    assert page.evaluate(NARROWEST_TEXT_CELL_JS) >= 40


# ---------------------------------------------------------------- layout, accessibility


@pytest.mark.parametrize("view", ["overview", "partner"])
def test_no_sideways_scroll_on_a_phone(
    sample_build: Path, report: Path, open_report, view: str
) -> None:
    [(name,)] = query(
        sample_build,
        "select partner_name from reports.rpt_partners order by sort_order limit 1",
    )
    page = open_report(
        report, fragment(p=name) if view == "partner" else "", viewport=PHONE
    ).page
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    wait_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # wide tables scroll inside their own box
    assert page.locator("#partner-table").evaluate(
        "t => getComputedStyle(t.parentElement).overflowX"
    ) in ("auto", "scroll")


def test_skip_link_contents_and_long_tables_collapsed(
    report: Path, open_report
) -> None:
    page = open_report(report).page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # the second skip link leads to the partner table: its first partner is
    # a few Tab presses away (the column headers), not dozens
    page.goto(page.url.split("#")[0])
    page.wait_for_selector("html[data-ready=true]")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    presses = 0
    while focused(page) != "open-" + partner_names(page)[0] and presses < 20:
        page.keyboard.press("Tab")
        presses += 1
    assert presses <= 10
    links = page.locator("nav.contents a").evaluate_all("a => a.map(x => x.hash)")
    assert len(links) >= 6
    for link in links:
        assert page.locator(link).count() == 1
    outside = page.locator("#outside-details")
    assert outside.get_attribute("open") is None
    assert "(351)" in outside.locator("summary").text_content()
    assert page.locator("#rejected-details").get_attribute("open") is None


def test_layout_shift_stays_below_a_tenth(report: Path, open_report, browser) -> None:
    context = browser.new_context()
    context.add_init_script(
        """window.__cls = 0; new PerformanceObserver(list => { for (const e of
        list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
        .observe({type: 'layout-shift', buffered: true});"""
    )
    try:
        for size in ({"width": 1280, "height": 900}, PHONE):
            page = context.new_page()
            page.set_viewport_size(size)
            page.goto(report.resolve().as_uri())
            page.wait_for_selector("html[data-ready=true]")
            wait_drawn(page)
            page.wait_for_timeout(500)
            assert page.evaluate("window.__cls") < 0.1
            page.close()
    finally:
        context.close()


CONTRAST_JS = """
() => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = e => { const s = getComputedStyle(e);
    const a = lum(rgb(s.color)), b = lum(rgb(s.backgroundColor));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
  const cells = Array.from(document.querySelectorAll(
    '#heat-body button, #heat-legend .swatch'));
  return { n: cells.length, worst: Math.min(...cells.map(ratio)),
           shades: new Set(cells.map(e => e.className)).size };
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_heat_map_legend_and_label_contrast(
    report: Path, open_report, scheme: str
) -> None:
    page = open_report(report, color_scheme=scheme).page
    page.locator("#heat-legend").scroll_into_view_if_needed()
    wait_drawn(page)
    swatches = page.locator("#heat-legend .swatch").all_text_contents()
    assert swatches[0] == "0"
    assert len(swatches) >= 4
    result = page.evaluate(CONTRAST_JS)
    assert result["n"] > 100
    assert result["shades"] >= 4
    assert result["worst"] >= 4.5, result


def test_dark_mode_follows_the_system(report: Path, open_report) -> None:
    page = open_report(report, color_scheme="dark").page
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(19, 22, 28)"


# ---------------------------------------------------------------- exports


def download(page, selector: str) -> tuple[str, list[dict[str, str]]]:
    with page.expect_download() as event:
        page.click(selector)
    text = Path(event.value.path()).read_text("utf-8")
    return event.value.suggested_filename, list(csv.DictReader(io.StringIO(text)))


def test_campaign_csv_is_for_people(
    sample_build: Path, report: Path, open_report
) -> None:
    page = open_report(report).page
    page.locator('#facet-status input[value="Active"]').check()
    page.locator('#facet-product input[value="Search"]').check()
    name, rows = download(page, "#download-campaigns")
    assert name == "campaigns_product-Search_status-Active.csv"
    expected = {
        r[0]: r[1:]
        for r in query(
            sample_build,
            """select campaign_id, campaign_status, am, start_date, has_health_data,
                      known_budget, estimated_only_budget, budget_source
            from reports.rpt_campaigns
            where product_type = 'Search' and campaign_status = 'Active'""",
        )
    }
    assert (
        len(rows) == len(expected) == int(headline(page)["campaigns"].replace(",", ""))
    )
    assert list(rows[0]) == [
        "campaign_id",
        "campaign_name",
        "maid",
        "advertiser_name",
        "partner_name",
        "product_type",
        "tunable",
        "campaign_status",
        "start_date",
        "am",
        "has_health_data",
        "known_monthly_budget",
        "estimated_monthly_budget",
        "estimate_basis",
    ]
    for row in rows:
        status, am, start, has_data, known, estimate, source = expected[
            row["campaign_id"]
        ]
        assert row["campaign_status"] == status
        assert row["tunable"] == "yes"
        assert row["start_date"] == (start.isoformat() if start else "")
        assert row["has_health_data"] == ("yes" if has_data else "no")
        assert row["am"] == (am or "")
        if has_data:
            assert Decimal(row["known_monthly_budget"]) == known
            assert re.fullmatch(r"\d+\.\d\d", row["known_monthly_budget"])
            assert row["estimated_monthly_budget"] == row["estimate_basis"] == ""
        else:
            assert row["known_monthly_budget"] == ""  # unknown, not 0
            assert row["estimate_basis"] == source.replace("_", " ")
            if source != "none":
                assert Decimal(row["estimated_monthly_budget"]) == estimate
    neutralized = page.evaluate(
        "['=HYPERLINK(\"x\")', '+cmd', '-2+3', '@SUM(1)', 'plain']"
        ".map(partnersReport.csvCell)"
    )
    assert neutralized == [
        '"\'=HYPERLINK(""x"")"',
        '"\'+cmd"',
        '"\'-2+3"',
        '"\'@SUM(1)"',
        '"plain"',
    ]


def test_partner_and_unmatched_health_csv(
    sample_build: Path, report: Path, open_report
) -> None:
    [(name, campaigns)] = query(
        sample_build,
        "select partner_name, campaign_count from reports.rpt_partners"
        " order by sort_order limit 1",
    )
    page = open_report(report, fragment(p=name)).page
    file_name, rows = download(page, "#pv-download")
    assert (
        file_name
        == f"partner-{re.sub('[^A-Za-z0-9]+', '-', name).strip('-')}_campaigns.csv"
    )
    assert len(rows) == campaigns
    assert {row["partner_name"] for row in rows} == {name}
    page.click("#pv-back")
    page.locator(f'#facet-partner input[value="{name}"]').check()
    page.locator("#outside-details summary").click()
    file_name, rows = download(page, "#download-outside")
    assert file_name.startswith("outside-roster_partner-")
    assert rows
    assert {row["attributed_partner"] for row in rows} == {name}
    assert {row["advertiser_in_roster"] for row in rows} <= {"yes", "no"}
    assert all(re.fullmatch(r"\d+\.\d\d", row["monthly_budget"]) for row in rows)


# ---------------------------------------------------------------- the other sections


def test_estimates_cross_sell_and_history_show_the_models(
    sample_build: Path, report: Path, open_report
) -> None:
    page = open_report(report).page
    wait_drawn(page)
    for source, campaigns, budget in query(
        sample_build,
        "select budget_source, campaign_count, known_and_estimated_budget"
        " from reports.rpt_estimate_sources",
    ):
        row = page.locator(f'#estimates-by-source tr[data-source="{source}"] td')
        assert row.all_text_contents() == [f"{campaigns:,}", money(budget)]
    top = query(
        sample_build,
        """select product_type, reason, lift from reports.rpt_cross_sell
        where advertiser_rank <= 3 order by sort_order limit 25""",
    )
    rows = page.locator("#cross-sell-table tbody tr")
    assert rows.count() == 25
    for index, (product, reason, lift) in enumerate(top):
        cells = rows.nth(index).locator("td").all_text_contents()
        assert cells[2:5] == [product, reason, f"{lift:.2f}"]
        assert lift > 1
    [(partners, drops)] = query(
        sample_build,
        """select count(distinct partner_name), count(distinct as_of_date)
        from reports.rpt_budget_history""",
    )
    assert page.locator("#history-table svg.sparkline polyline").count() == partners
    assert drops == 3  # the sample's September, October and November drops
    assert page.locator("#history-table thead th.num").count() == drops + 1


def test_the_page_speaks_no_database_jargon(report: Path, open_report) -> None:
    page = open_report(report).page
    wait_drawn(page)
    text = page.evaluate("document.body.innerText")
    for word in ("rpt_", "reports.", "schema", "export_html", "dbt"):
        assert word not in text, word


# ---------------------------------------------------------------- safety


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_page_is_self_contained_and_locked_down(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    head = [tag for tag in parser.tags if tag[0] in ("meta", "style", "script", "link")]
    assert head[0] == ("meta", {"charset": "utf-8"})
    assert head[1][1].get("http-equiv") == "Content-Security-Policy"
    policy = head[1][1]["content"]
    assert "default-src 'none'" in policy
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "report-data"}, {}]
    inline = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 2  # the page's, and the one for readers without JavaScript
    for text in (inline, *styles):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert not [tag for tag, attrs in parser.tags if tag == "link"]
    assert not re.search(r"(src|href)=[\"']?https?:", html)
    assert not [a for _, attrs in parser.tags for a in attrs if a.startswith("on")]


XSS_PARTNER = "</script><script>alert(1)</script>"
XSS_ADVERTISER = "<img src=x onerror=alert(1)>"
XSS_CAMPAIGN = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workspace import copy_project

    tmp = tmp_path_factory.mktemp("hostile")
    project = copy_project(tmp / "project")
    header = [
        "Campaign ID",
        "Campaign Name",
        "MAID",
        "Advertiser",
        "Partner",
        "Product",
    ]
    roster = write_workbook(
        tmp / "roster.xlsx",
        {
            "Roster": [
                header,
                [1, XSS_CAMPAIGN, 7, XSS_ADVERTISER, XSS_PARTNER, "Search"],
                [2, "<!-- <script>", 7, XSS_ADVERTISER, XSS_PARTNER, "SEO"],
                [3, "Plain", 8, "Bob's & Co", "Acme", "Chat"],
            ]
        },
    )
    health = write_workbook(
        tmp / "health.xlsx",
        {
            "Health": [
                ["CID", "Budget", "AM"],
                [1, 100, "<b>bold</b>"],
                [99, 5, "'); alert(1); ('"],
            ]
        },
    )
    completed = run_pipeline(
        project, "--breakout", str(roster), "--health", str(health)
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return project


def test_hostile_names_render_as_text_and_run_nothing(
    hostile_build: Path, open_report
) -> None:
    opened = open_report(hostile_build / "build" / "partners.html")
    page = opened.page
    assert sorted(partner_names(page)) == sorted([XSS_PARTNER, "Acme"])
    page.locator("#search").fill("img src")
    assert page.locator("#search-results li .what").first.inner_text() == XSS_ADVERTISER
    page.keyboard.press("Enter")
    page.wait_for_selector("#partner-view:not([hidden])")
    assert page.locator("#pv-title").inner_text() == XSS_PARTNER
    assert XSS_ADVERTISER in page.locator("#pv-advertiser-table").inner_text()
    assert page.locator("table.campaigns").inner_text().count(XSS_CAMPAIGN) == 1
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2
    assert page.evaluate("typeof window.alert") == "function"  # page intact
    _, rows = download(page, "#pv-download")
    assert {row["campaign_name"] for row in rows} >= {"'" + XSS_CAMPAIGN}
    data = page.evaluate("partnersReport.data")
    assert XSS_PARTNER in data["campaigns"]["values"]["partner_name"]


def test_screenshots_are_written_by_a_command(report: Path, tmp_path: Path) -> None:
    shots, docs = tmp_path / "shots", tmp_path / "docs" / "partners.png"
    completed = subprocess.run(
        [sys.executable, str(Path(report_browser.__file__)), "screenshots",
         "--html", str(report), "--out-dir", str(shots), "--docs", str(docs)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    names = sorted(p.name for p in shots.iterdir())
    assert names == ["desktop.png", "partner-phone.png", "partner.png", "phone.png"]
    assert all(p.stat().st_size > 10_000 for p in shots.iterdir())
    assert 10_000 < docs.stat().st_size < 200_000
