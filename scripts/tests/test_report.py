"""partners.html in a real browser: find, filter, partner view, layout, exports."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

import report_browser
import report_timings
from conftest import (
    NAMED_ROSTER_HEADER,
    built_project,
    download,
)
from partners import export_html

PHONE = {"width": 390, "height": 844}
#: the tests of the hostile-names build, on the one worker that builds it
#: (make test: pytest-xdist, --dist loadgroup)
HOSTILE = pytest.mark.xdist_group("hostile")


def query(project: Path, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
    database = project / "build" / "partners.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, parameters).fetchall()


def money(value: object) -> str:
    return export_html._money(value)


def compact_money(value: object) -> str:
    """A tile's amount: three significant digits and K, M, B or T ($768K)."""
    amount = Decimal(str(value or 0))
    sign, amount = ("-" if amount < 0 else ""), abs(amount)
    if amount:
        step = Decimal(1).scaleb(amount.adjusted() - 2)
        amount = amount.quantize(step, rounding=ROUND_HALF_UP)
    for exponent, suffix in ((12, "T"), (9, "B"), (6, "M"), (3, "K"), (0, "")):
        if amount >= Decimal(10) ** exponent or not exponent:
            scaled = amount.scaleb(-exponent).normalize()
            return f"{sign}${scaled:f}{suffix}"
    raise AssertionError(value)


def fragment(**params: str) -> str:
    return "#" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


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


def open_every_list(page) -> None:
    """Open every collapsed list (details) of the page and let it draw."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    wait_drawn(page)


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
        "known-budget": "$768K",
        "without-budget": f"{figures[5]:,}",
        "gap": "$712K",
    }
    # the tiles' money is compact, exact on hover
    for key, exact in (("known-budget", "$768,000.00"), ("gap", "$712,000.00")):
        assert page.locator(f"#headline-{key} .value").get_attribute("title") == exact
    assert [compact_money(figures[4]), compact_money(figures[6])] == ["$768K", "$712K"]
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


def amount(text: str | None) -> Decimal:
    """A money cell's value ("$1,234.50")."""
    return Decimal((text or "").strip().replace("$", "").replace(",", ""))


def test_the_partner_tables_gap_two_adds_up_to_its_total(
    sample_build: Path, report: Path, open_report
) -> None:
    """Part of gap 2 belongs to no partner (advertisers the roster does not
    know): its row under the total makes the column add up (the partners'
    rows summed to $363,665.45 under a total of $712,000.00). Under a partner
    filter gap 2 is the partner's, and that row goes."""
    page = open_report(report).page
    rows = page.locator("#partner-body tr td:last-child").all_text_contents()
    assert len(rows) == len(query(sample_build, "select 1 from reports.rpt_partners"))
    total = page.locator("#partner-foot tr").first.locator("td").last.text_content()
    none = page.locator("#partner-foot tr.no-partner td").last.text_content()
    [(unattributed, gap)] = query(
        sample_build,
        "select unattributed_health_budget, unmatched_health_budget"
        " from reports.rpt_headline",
    )
    assert amount(none) == unattributed > 0
    assert amount(total) == gap
    assert sum(map(amount, rows)) + amount(none) == amount(total)
    name = largest_partner(sample_build)
    filtered = open_report(report, fragment(partner=name)).page
    assert filtered.locator("#partner-foot tr.no-partner").count() == 0
    [only] = filtered.locator("#partner-body tr td:last-child").all_text_contents()
    last = filtered.locator("#partner-foot tr").first.locator("td").last
    assert amount(last.text_content()) == amount(only)


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


#: what the search box covers, as the models hold it: (kind, rows) for the
#: rows whose text (lowered) contains ``text``, for a single word or ID
MATCHES_SQL = """
with texts as (
    select partner_name as a, null as b, null as c, null as d
    from reports.rpt_partners
    union all
    select distinct am, null, null, partner_name from (
        select am, partner_name from reports.rpt_campaigns
        union all
        select am, partner_name from reports.rpt_unmatched_health_campaigns
        where partner_name is not null
    ) where am is not null
    union all
    select advertiser_name, maid, null, null from reports.rpt_partner_advertisers
    union all
    select campaign_name, campaign_id, null, null from reports.rpt_campaigns
    union all
    select campaign_name, campaign_id, maid, null
    from reports.rpt_unmatched_health_campaigns
)
select count(*) from texts
where contains(lower(coalesce(a, '')), $text)
    or contains(lower(coalesce(b, '')), $text)
    or contains(lower(coalesce(c, '')), $text)
"""


def matches_in_models(project: Path, text: str) -> int:
    """How many results the search must count for one word or ID typed
    (an AM counts once per partner: the AM's row of the list opens each)."""
    database = project / "build" / "partners.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        [(n,)] = connection.execute(MATCHES_SQL, {"text": text.lower()}).fetchall()
    return n


def search_for(page, text: str) -> list[dict[str, str]]:
    """Type ``text``; open every match ("Show all"); the options listed."""
    page.locator("#search").fill(text)
    while page.locator("#search-results li.show-all").count():
        page.locator("#search-results li.show-all").dispatch_event("mousedown")
    return page.locator("#search-results li[role=option]").evaluate_all(
        """items => items.map(i => ({
            what: i.querySelector('.what').textContent,
            kind: i.querySelector('.kind').textContent }))"""
    )


def match_count(page) -> str:
    return page.locator("#search-results li.count").inner_text()


def test_search_finds_an_id_by_its_start_or_any_part_of_it(
    sample_build: Path, report: Path, open_report
) -> None:
    """A campaign ID is text: pasted whole, its start or a piece from its
    middle finds it (before, only its start did)."""
    [(campaign, partner)] = query(
        sample_build,
        "select campaign_id, partner_name from reports.rpt_campaigns"
        " order by sort_order limit 1",
    )
    page = open_report(report).page
    for text in (campaign[:5], campaign[2:6]):
        found = search_for(page, text)
        expected = matches_in_models(sample_build, text)
        noun = "match" if expected == 1 else "matches"
        assert match_count(page) == f"{expected:,} {noun}"
        assert len(found) == expected
        kinds = [f["kind"] for f in found]
        assert f"Campaign {campaign} · {partner}" in kinds
    # the piece from the middle opens the campaign
    page.locator("#search-results li[role=option]").nth(
        kinds.index(f"Campaign {campaign} · {partner}")
    ).dispatch_event("mousedown")
    page.wait_for_selector("#partner-view:not([hidden])")
    assert page.evaluate("document.activeElement.dataset.campaign") == campaign


def test_search_counts_every_match_and_shows_them_all(
    sample_build: Path, report: Path, open_report
) -> None:
    """The true count ("193 matches"), the first few listed and a control
    that lists the rest (before: "16 found", 8 a kind, the rest unsaid)."""
    expected = matches_in_models(sample_build, "vision")
    assert expected > 100
    page = open_report(report).page
    page.locator("#search").fill("vision")
    assert match_count(page) == f"{expected:,} matches"
    assert page.locator("#search-status").text_content() == f"{expected:,} matches"
    listed = page.locator("#search-results li[role=option]:not(.show-all)").count()
    assert listed < expected
    more = page.locator("#search-results li.show-all")
    assert more.inner_text() == f"Show all {expected:,} matches"
    # the first look: a few of each kind
    first = page.locator("#search-results li[role=option] .kind").all_inner_texts()
    assert {k.split(" ")[0] for k in first} == {"Advertiser", "Campaign", "Health"}
    # by keyboard: down to the control, Enter; a match not listed before is
    # active, and every match is listed
    for _ in range(listed):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    options = page.locator("#search-results li[role=option]")
    assert options.count() == expected
    assert page.locator("#search-results li.show-all").count() == 0
    active = page.locator("#search-results li[aria-selected=true]")
    assert active.count() == 1
    assert active.get_attribute("id") == page.locator("#search").get_attribute(
        "aria-activedescendant"
    )
    assert active.locator(".kind").inner_text() not in first


def test_search_finds_health_campaigns_outside_the_roster(
    sample_build: Path, report: Path, open_report
) -> None:
    """One with a partner opens the partner's gap-2 row; one whose
    advertiser the roster lacks opens the overview's gap-2 list at its row
    (the last of the list: paged on to it)."""
    [(attributed, partner)] = query(
        sample_build,
        "select campaign_id, partner_name from reports.rpt_unmatched_health_campaigns"
        " where partner_name is not null order by sort_order desc limit 1",
    )
    [(orphan,)] = query(
        sample_build,
        "select campaign_id from reports.rpt_unmatched_health_campaigns"
        " where partner_name is null order by sort_order desc limit 1",
    )
    page = open_report(report).page
    found = search_for(page, attributed)
    assert found[0]["kind"] == (
        f"Health campaign {attributed} outside the roster · {partner} (gap 2)"
    )
    search_and_go(page, attributed)
    assert page.locator("#pv-title").inner_text() == partner
    row = page.locator(f'#pv-outside tr[data-campaign="{attributed}"]')
    assert row.is_visible()
    assert "marked" in row.get_attribute("class")
    assert page.evaluate("document.activeElement.dataset.campaign") == attributed
    page.click("#pv-back")
    found = search_for(page, orphan)
    assert found[0]["kind"] == (
        f"Health campaign {orphan} outside the roster · no partner (gap 2)"
    )
    page.keyboard.press("Enter")
    row = page.locator(f'#outside-table tr[data-campaign="{orphan}"]')
    row.wait_for()
    assert page.locator("#outside-details").get_attribute("open") is not None
    assert row.is_visible()
    assert "marked" in row.get_attribute("class")
    assert page.evaluate("document.activeElement.dataset.campaign") == orphan


def test_search_finds_an_account_manager(
    sample_build: Path, report: Path, open_report
) -> None:
    """An AM is listed once per partner of their campaigns, the partner
    with most first; choosing one opens that partner."""
    pairs = query(
        sample_build,
        """
        with campaigns as (
            select am, partner_name from reports.rpt_campaigns
            union all
            select am, partner_name from reports.rpt_unmatched_health_campaigns
            where partner_name is not null
        ),
        first_am as (select min(am) as am from campaigns)
        select am, partner_name, count(*) from campaigns
        where am = (select am from first_am)
        group by 1, 2 order by 3 desc, 2""",
    )
    am, partner, campaigns = pairs[0]
    page = open_report(report).page
    found = search_for(page, am.split(" ")[-1])
    mine = [f for f in found if f["what"] == am]
    assert len(mine) == len(pairs)
    assert mine[0]["kind"] == (
        f"Account manager · {campaigns:,} campaigns with {partner}"
    )
    search_and_go(page, am)
    assert page.locator("#pv-title").inner_text() == partner


def test_search_forgives_a_typo_and_words_in_another_order(
    sample_build: Path, report: Path, open_report
) -> None:
    [(name, partner, maid)] = query(
        sample_build,
        r"""select advertiser_name, partner_name, maid
        from reports.rpt_partner_advertisers
        where regexp_matches(advertiser_name, '^[A-Za-z]{6,} [A-Za-z]{5,} ')
        order by sort_order limit 1""",
    )
    first, second = name.split(" ")[:2]
    page = open_report(report).page
    in_order = search_for(page, f"{first} {second}")
    count_in_order = match_count(page)
    reversed_order = search_for(page, f"{second} {first}")
    assert match_count(page) == count_in_order
    # the same matches (ranked apart where the words are not side by side)
    assert sorted(reversed_order, key=str) == sorted(in_order, key=str)
    advertiser = f"Advertiser · MAID {maid} · {partner}"
    assert {"what": name, "kind": advertiser} in reversed_order
    # one typo: two different letters swapped in the first word
    at = next(i for i in range(1, len(first) - 1) if first[i] != first[i + 1])
    typo = first[:at] + first[at + 1] + first[at] + first[at + 2 :]
    near = search_for(page, f"{typo} {second}")
    assert {"what": name, "kind": f"{advertiser} · near match"} in near
    assert f"\u201c{typo.lower()}\u201d as {first.lower()}" in match_count(page)
    # and one letter wrong in the second
    wrong = second[:-1] + ("x" if second[-1] != "x" else "y")
    near = search_for(page, f"{first} {wrong}")
    assert {"what": name, "kind": f"{advertiser} · near match"} in near
    # short words are never guessed at
    assert search_for(page, "zqx") == []


@HOSTILE
def test_search_finds_ids_whatever_characters_they_hold(
    hostile_build: Path, open_report
) -> None:
    """IDs with leading zeros and dashes, found by their start, a piece of
    them, or pasted with a space or without the dash."""
    page = open_report(hostile_build / "build" / "partners.html").page
    for text in ("0042", "0042-7781", "42-77", "42 77", "004277"):
        assert search_for(page, text)[0] == {
            "what": "Zero lead",
            "kind": "Campaign 0042-7781 · Acme",
        }, text
    assert search_for(page, "007")[0]["kind"] == "Advertiser · MAID 0070 · Acme"
    for text in ("00-99", "9911", "99 11"):
        assert search_for(page, text)[0]["kind"] == (
            "Health campaign 00-9911 outside the roster · no partner (gap 2)"
        ), text


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
    assert shown["known-budget"] == "$0"  # Chat is not tunable: no budget data
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
    report: Path, open_report, browser
) -> None:
    """What `make timings` reports (no time is asserted here: timings belong
    to `make timings` and `make bench`): one figure per keystroke and per
    filter click, each after the page redrew."""
    page = open_report(report).page
    report_timings.throttle(page, 4)
    typed = report_timings.keystrokes(page, "vision clinic")
    clicked = report_timings.filter_clicks(page)
    assert len(typed) == len("vision clinic")
    assert len(clicked) >= 2
    assert all(time >= 0 for time in typed + clicked)
    assert page.locator("#search-results li").count() > 0
    # the largest partner opened from its link, an advertiser expanded and
    # collapsed, and the page's heap measured after each
    partner = report_browser.largest_partner(page)
    assert report_timings.open_partner(page, partner) >= 0
    assert page.locator("#pv-title").inner_text() == partner
    first = page.locator("#partner-view button.toggle[data-maid]").first
    toggled = report_timings.toggle_advertiser(page)
    assert len(toggled) == 2
    assert first.get_attribute("aria-expanded") == "false"
    assert page.locator("#partner-view tr.detail").count() == 0
    heap = report_timings.heap_mb(page)
    assert 1 < heap < 400
    # the whole tab: the renderer process drawing the page, its resident
    # memory beside the heap, and its peak
    pid = report_timings.renderer_pid(browser, page)
    # (a renderer writes its command line as one string, spaces between)
    command = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    assert "--type=renderer" in command.split()
    resident, peak = report_timings.resident_mb(pid)
    assert heap < resident <= peak < 4000


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
        compact_money(p["known_budget"]),
        compact_money(p["live_known_budget"]),
        f"{p['tunable_campaigns_without_budget_data']:,}",  # gap 1, as overview
        compact_money(p["unmatched_health_budget"]),
    ]
    assert (
        f"{p['fixed_fee_campaigns_without_budget_data']:,} fixed-fee without budget"
        in page.locator("#pv-without .label").inner_text()
    )
    # money tiles compact ($14.3K), the exact amount on hover
    titles = page.locator("#pv-headline .value").evaluate_all(
        "values => values.map(v => v.title)"
    )
    assert [titles[3], titles[4], titles[6], titles[7]] == [
        money(p[k])
        for k in (
            "known_budget",
            "live_known_budget",
            "unmatched_health_budget",
            "opportunity_expected_budget",
        )
    ]
    assert f"({p['live_campaign_count']:,} live campaigns)" in (
        page.locator("#pv-live .label").inner_text()
    )
    assert figures[7] == compact_money(p["opportunity_expected_budget"])
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
    # expanding an advertiser keeps the focus on its button, and changes its
    # row only: the view is not drawn again (the title is the same node)
    first = rows.first.locator("button.toggle")
    key = first.get_attribute("data-focus")
    page.evaluate("document.getElementById('pv-title').dataset.kept = 'yes'")
    first.click()
    assert focused(page) == key
    assert page.locator("table.campaigns").count() == 1
    assert first.get_attribute("aria-expanded") == "true"
    assert page.locator("#pv-title[data-kept=yes]").count() == 1
    assert f"a={first.get_attribute('data-maid')}" in urllib.parse.unquote(page.url)
    # the second advertiser opened closes the first
    second = rows.nth(1).locator("button.toggle")
    second.click()
    assert page.locator("table.campaigns").count() == 1
    assert first.get_attribute("aria-expanded") == "false"
    page.go_back()
    page.wait_for_function("document.querySelectorAll('table.campaigns').length === 1")
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


#: the narrowest text cell of the visible tables (IDs and money excluded), in
#: characters: its content box over the width of a "0" in its font
NARROWEST_TEXT_CELL_JS = """() => {
  let narrowest = Infinity;
  const ruler = document.createElement('canvas').getContext('2d');
  for (const cell of document.querySelectorAll('td, th')) {
    if (cell.classList.contains('num') || !cell.offsetParent) continue;
    if (cell.textContent.trim().length < 4) continue;
    const style = getComputedStyle(cell);
    ruler.font = style.font;
    const room = cell.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight);
    narrowest = Math.min(narrowest, room / ruler.measureText('0').width);
  }
  return narrowest;
}"""


@pytest.mark.parametrize("view", ["overview", "partner"])
def test_tables_stay_readable_on_a_phone(
    sample_build: Path, report: Path, open_report, view: str
) -> None:
    """At 390 px no text column shrinks below six characters (names read
    one letter per line at 28 px, 3.6 characters, before), and IDs and money
    never break."""
    name = largest_partner(sample_build)
    page = open_report(
        report, fragment(p=name) if view == "partner" else "", viewport=PHONE
    ).page
    wait_drawn(page)
    assert page.evaluate(NARROWEST_TEXT_CELL_JS) >= 6
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
    assert page.evaluate(NARROWEST_TEXT_CELL_JS) >= 6


def test_a_printed_partner_keeps_its_first_ten_outside_campaigns_and_says_how_many_more(
    sample_build: Path, report: Path, open_report
) -> None:
    """On paper the gap-2 list keeps its first 10 rows and says how many
    more (a 100x partner printed all 117 of them, 8 pages); after printing
    the screen hides again what "Show all" keeps back."""
    [(name, outside)] = query(
        sample_build,
        "select partner_name, count(*) from reports.rpt_unmatched_health_campaigns"
        " where partner_name is not null group by 1 order by 2 desc, 1 limit 1",
    )
    assert outside > 10
    page = open_report(report, fragment(p=name), viewport=PHONE).page
    wait_drawn(page)
    hidden = page.locator("#partner-view tr[hidden]").count()
    assert hidden > 0
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert page.locator("#pv-outside > tbody > tr:visible").count() == 10
    note = page.locator("#pv-outside-note")
    assert note.is_visible()
    assert note.inner_text().startswith(
        f"and {outside - 10:,} more health campaigns outside the roster: see"
    )
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("#partner-view tr[hidden]").count() == hidden


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
    open_every_list(page)
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


def test_nothing_shifts_as_the_page_loads(report: Path, open_report, browser) -> None:
    """Cumulative layout shift 0 at desktop and phone sizes (sections off
    screen keep their height, nothing is drawn above what is read)."""
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
            assert page.evaluate("window.__cls") == 0
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


CAMPAIGN_CSV_HEADER = [
    "Campaign ID",
    "Campaign",
    "MAID",
    "Advertiser",
    "Partner",
    "Product type",
    "Tunable (expected in Health)",
    "Status",
    "Start date",
    "AM",
    "Budget data",
    "Known monthly budget ($)",
    "Estimated monthly budget ($)",
    "Estimate basis",
]


def test_campaign_csv_is_for_people(
    sample_build: Path, report: Path, open_report
) -> None:
    page = open_report(report).page
    page.locator('#facet-status input[value="Active"]').check()
    page.locator('#facet-product input[value="Search"]').check()
    name, rows = download(page, "#download-campaigns")
    assert name == "campaigns-search-active.csv"
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
    assert list(rows[0]) == CAMPAIGN_CSV_HEADER
    for row in rows:
        status, am, start, has_data, known, estimate, source = expected[
            row["Campaign ID"]
        ]
        assert row["Status"] == status
        assert row["Tunable (expected in Health)"] == "yes"
        assert row["Start date"] == (start.isoformat() if start else "")
        assert row["Budget data"] == ("yes" if has_data else "no")
        assert row["AM"] == (am or "")
        if has_data:
            assert Decimal(row["Known monthly budget ($)"]) == known
            assert re.fullmatch(r"\d+\.\d\d", row["Known monthly budget ($)"])
            assert row["Estimated monthly budget ($)"] == row["Estimate basis"] == ""
        else:
            assert row["Known monthly budget ($)"] == ""  # unknown, not 0
            assert row["Estimate basis"] == source.replace("_", " ")
            if source != "none":
                assert Decimal(row["Estimated monthly budget ($)"]) == estimate
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
    slug = re.sub("[^a-z0-9]+", "-", name.lower()).strip("-")
    page = open_report(report, fragment(p=name)).page
    file_name, rows = download(page, "#pv-download")
    assert file_name == f"campaigns-{slug}.csv"
    assert len(rows) == campaigns
    assert list(rows[0]) == CAMPAIGN_CSV_HEADER
    assert {row["Partner"] for row in rows} == {name}
    page.click("#pv-back")
    page.locator(f'#facet-partner input[value="{name}"]').check()
    page.locator('#facet-status input[value="Active"]').check()
    # the partner table as shown, headed as the page heads it
    file_name, rows = download(page, "#download-partners")
    assert file_name == f"partners-{slug}-active.csv"
    assert list(rows[0]) == [
        "Partner",
        "Campaigns",
        "Advertisers",
        "Products",
        "Known budget ($)",
        "No budget data",
        "Estimated for those ($)",
        "Gap 2: outside roster ($)",
    ]
    [(active_campaigns,)] = query(
        sample_build,
        "select count(*) from reports.rpt_campaigns"
        " where partner_name = ? and campaign_status = 'Active'",
        [name],
    )
    assert [(r["Partner"], int(r["Campaigns"])) for r in rows] == [
        (name, active_campaigns)
    ]
    # the gap-2 list follows the partner filter only: its name says only that
    page.locator("#outside-details summary").click()
    file_name, rows = download(page, "#download-outside")
    assert file_name == f"outside-roster-{slug}.csv"
    assert list(rows[0]) == [
        "Campaign ID",
        "Campaign",
        "MAID",
        "Advertiser",
        "Advertiser in roster",
        "Partner (attributed)",
        "Partner attribution",
        "AM",
        "Monthly budget ($)",
    ]
    assert {row["Partner (attributed)"] for row in rows} == {name}
    assert {row["Advertiser in roster"] for row in rows} <= {"yes", "no"}
    assert all(re.fullmatch(r"\d+\.\d\d", row["Monthly budget ($)"]) for row in rows)
    # no filter applies to the rejected rows: none is named
    page.locator("#rejected-details summary").click()
    file_name, rows = download(page, "#download-rejected")
    assert file_name == "rejected-rows.csv"
    assert list(rows[0]) == [
        "File",
        "Sheet",
        "Row",
        "Column",
        "Value found",
        "Reason",
        "Detail",
    ]


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
    return built_project(
        tmp_path_factory.mktemp("hostile"),
        [
            NAMED_ROSTER_HEADER,
            [1, XSS_CAMPAIGN, 7, XSS_ADVERTISER, XSS_PARTNER, "Search"],
            [2, "<!-- <script>", 7, XSS_ADVERTISER, XSS_PARTNER, "SEO"],
            [3, "Plain", 8, "Bob's & Co", "Acme", "Chat"],
            ["0042-7781", "Zero lead", "0070", "Zero Lead Co", "Acme", "Search"],
        ],
        [
            ["CID", "Budget", "AM"],
            [1, 100, "<b>bold</b>"],
            [99, 5, "'); alert(1); ('"],
            ["00-9911", 7, "Q. Tester"],
        ],
    )


@HOSTILE
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
    assert {row["Campaign"] for row in rows} >= {"'" + XSS_CAMPAIGN}
    data = page.evaluate("partnersReport.data")
    assert XSS_PARTNER in data["campaigns"]["values"]["partner_name"]


def test_screenshots_are_written_by_a_command(report: Path, tmp_path: Path) -> None:
    shots, docs = tmp_path / "shots", tmp_path / "docs" / "partners.png"
    completed = subprocess.run(
        [sys.executable, str(Path(report_browser.__file__).parent),
         "report_browser", "--html", str(report),
         "--out-dir", str(shots), "--docs", str(docs)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    names = sorted(p.name for p in shots.iterdir())
    assert names == [
        "desktop.png",
        "partner-phone.png",
        "partner-print.png",
        "partner.png",
        "phone.png",
    ]
    assert all(p.stat().st_size > 10_000 for p in shots.iterdir())
    assert 10_000 < docs.stat().st_size < 200_000
    # the phone brief: a screen of each of its three parts side by side
    # (it was the top screen alone: the tiles)
    png = docs.read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    phone = report_browser.PHONE["width"]
    assert (width, height) == (3 * phone + 2 * 12, report_browser.BRIEF_SCREEN)
