"""partners.html in a real browser: cross-sell ideas, win-back and the gap lists."""

from __future__ import annotations

import re
import urllib.parse
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pytest

from conftest import download, shown_text


def query(project: Path, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
    database = project / "build" / "partners.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, parameters).fetchall()


@pytest.fixture(scope="module")
def report(sample_build: Path) -> Path:
    return sample_build / "build" / "partners.html"


def opened(open_report, report: Path, fragment: str = ""):
    page = open_report(report, fragment).page
    page.locator("#cross-sell-title").scroll_into_view_if_needed()
    page.wait_for_selector("#cross-sell-table tbody tr")
    return page


def rule_of(reason: str) -> str:
    """The rule a reason states ("74% of advertisers with Email also hold Social")."""
    return reason.split(";")[0]


def test_ideas_of_one_rule_are_ranked_by_their_advertisers_evidence(
    sample_build: Path, report: Path, open_report
) -> None:
    # in the model: ideas of one rule get different scores
    [(ideas, rules, spread)] = query(
        sample_build,
        """select count(*), count(distinct (antecedent_product_type, product_type)),
                  count(distinct (antecedent_product_type, product_type, idea_score))
           from reports.rpt_cross_sell""",
    )
    assert spread > rules
    # on the page: the score column, highest first, differing within a rule
    page = opened(open_report, report)
    rows = page.locator("#cross-sell-table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    scores = [float(re.sub(r"[$,]", "", row[5])) for row in rows]
    assert scores == sorted(scores, reverse=True)
    by_rule: dict[str, set[float]] = defaultdict(set)
    for row, score in zip(rows, scores, strict=True):
        by_rule[rule_of(row[3])].add(score)
    assert any(len(shown) > 1 for shown in by_rule.values())
    assert ideas > len(rows)


def test_the_floor_is_stated_in_words(
    sample_build: Path, report: Path, open_report
) -> None:
    [(attach, lift, rules, above, ideas, total, total_budget)] = query(
        sample_build,
        """select min_attach_rate, min_lift, rule_count, rules_above_floor,
                  idea_count, opportunity_count, opportunity_budget
           from reports.rpt_cross_sell_rule_set""",
    )
    assert (float(attach), float(lift)) == (0.15, 1.2)  # the documented defaults
    page = opened(open_report, report)
    floor = shown_text(page.locator("#cross-sell-floor"))
    assert f"Ideas rest on {above} of the {rules} rules" in floor
    assert "attach rate is at least 15%" in floor
    assert "lift is at least 1.2" in floor
    rule_set = shown_text(page.locator("#cross-sell-rule-set"))
    assert f"all {total:,} opportunities (${total_budget:,.2f}" in rule_set
    assert f"these {ideas:,} ideas" in rule_set


def test_advertisers_with_nothing_live_are_won_back_not_sold_to(
    sample_build: Path, report: Path, open_report
) -> None:
    expected = query(
        sample_build,
        """select partner_name, maid, product_type, is_nothing_live
           from reports.rpt_cross_sell_win_back order by sort_order""",
    )
    nothing_live = {maid for _, maid, _, idle in expected if idle}
    assert nothing_live
    page = opened(open_report, report)
    assert shown_text(page.locator("#win-back-count")) == f"{len(expected):,}"
    rows = page.locator("#win-back-table tbody tr")
    assert rows.count() == min(25, len(expected))
    rows.first.scroll_into_view_if_needed()
    first = rows.first.locator("td").all_inner_texts()
    assert first[0] == expected[0][0]
    assert first[2] == expected[0][2]
    idea_maids = set(
        page.evaluate("partnersReport.data.cross_sell_best_three.values.maid")
    )
    assert idea_maids
    assert not idea_maids & nothing_live


def test_an_idea_opens_its_advertiser(
    sample_build: Path, report: Path, open_report
) -> None:
    [(partner, maid)] = query(
        sample_build,
        """select partner_name, maid from reports.rpt_cross_sell_best_three
           order by sort_order limit 1""",
    )
    page = opened(open_report, report)
    page.locator("#cross-sell-table tbody tr").first.locator("button").click()
    page.wait_for_selector("#partner-view:not([hidden])")
    assert page.locator("#pv-title").inner_text() == partner
    assert f"a={maid}" in page.url
    assert page.evaluate("document.activeElement.dataset.focus") == f"adv-{maid}"
    page.go_back()
    page.wait_for_selector("#overview:not([hidden])")


def test_each_list_downloads_as_a_call_list(
    sample_build: Path, report: Path, open_report
) -> None:
    [(partner,)] = query(
        sample_build,
        """select partner_name from reports.rpt_cross_sell_best_three
           group by 1 order by count(*) desc, 1 limit 1""",
    )
    ideas = query(
        sample_build,
        """select maid, product_type, idea_score from reports.rpt_cross_sell_best_three
           where partner_name = ? order by sort_order""",
        [partner],
    )
    page = opened(open_report, report)
    page.locator(f'#facet-partner input[value="{partner}"]').check()
    name, rows = download(page, "#download-ideas")
    slug = re.sub("[^a-z0-9]+", "-", partner.lower()).strip("-")
    assert name == f"cross-sell-call-list-{slug}.csv"
    assert list(rows[0]) == [
        "Partner",
        "Advertiser",
        "MAID",
        "Product to offer",
        "Reason",
        "Idea score ($ a month)",
        "Lift",
        "Expected monthly budget ($)",
    ]
    assert [(r["MAID"], r["Product to offer"]) for r in rows] == [
        (maid, product) for maid, product, _ in ideas
    ]
    assert [r["Idea score ($ a month)"] for r in rows] == [
        f"{score:.2f}" for *_, score in ideas
    ]
    [(win_back,)] = query(
        sample_build,
        "select count(*) from reports.rpt_cross_sell_win_back where partner_name = ?",
        [partner],
    )
    name, rows = download(page, "#download-win-back")
    assert name == f"win-back-call-list-{slug}.csv"
    assert len(rows) == win_back
    assert {r["Nothing live"] for r in rows} <= {"yes", "no"}


def test_a_partners_ideas_agree_with_its_tile_open_their_advertiser_and_download(
    sample_build: Path, report: Path, open_report
) -> None:
    """The partner view's cross-sell table: its heading counts the tile's
    opportunities too (48 against 47 read as a contradiction), rows follow
    the idea score and show it, each advertiser opens in place, and the
    partner's ideas download as its call list."""
    [(partner, opportunities)] = query(
        sample_build,
        "select partner_name, opportunity_count from reports.rpt_partners"
        " order by sort_order limit 1",
    )
    ideas = query(
        sample_build,
        """select maid, product_type, idea_score from reports.rpt_cross_sell_best_three
           where partner_name = ? order by sort_order""",
        [partner],
    )
    assert 0 < len(ideas) < opportunities
    view = urllib.parse.urlencode({"p": partner}, quote_via=urllib.parse.quote)
    page = open_report(report, "#" + view).page
    tile = page.locator("#pv-opportunities").inner_text()
    assert f"{opportunities:,} opportunities" in tile
    assert page.locator("#pv-cross-sell-title").inner_text() == (
        f"Cross-sell by advertiser: {len(ideas):,} of its {opportunities:,}"
        " opportunities, each advertiser's best three"
    )
    rows = page.locator("#pv-cross-sell tbody tr")
    assert [
        (row.get_attribute("data-maid"), row.locator("td").nth(1).inner_text())
        for row in rows.all()
    ] == [(maid, product) for maid, product, _ in ideas]
    assert rows.first.locator("td").nth(4).inner_text() == f"${ideas[0][2]:,.2f}"
    name, listed = download(page, "#pv-download-ideas")
    slug = re.sub("[^a-z0-9]+", "-", partner.lower()).strip("-")
    assert name == f"cross-sell-call-list-{slug}.csv"
    assert [(r["MAID"], r["Product to offer"]) for r in listed] == [
        (maid, product) for maid, product, _ in ideas
    ]
    maid = ideas[0][0]
    rows.first.locator("button[data-open-advertiser]").click()
    page.wait_for_function(f"location.hash.includes('a={maid}')")
    assert page.locator("#pv-title").inner_text() == partner
    assert page.evaluate("document.activeElement.dataset.focus") == f"adv-{maid}"


def test_gap_one_counts_tunable_campaigns_with_fixed_fee_beside_it(
    sample_build: Path, report: Path, open_report
) -> None:
    [(tunable, fixed)] = query(
        sample_build,
        """select tunable_campaigns_without_budget_data,
                  fixed_fee_campaigns_without_budget_data from reports.rpt_headline""",
    )
    assert tunable == 812
    page = open_report(report).page
    tile = page.locator("#headline-without-budget")
    assert shown_text(tile.locator(".value")) == "812"
    assert shown_text(tile.locator(".fixed-fee")) == f"{fixed:,}"
    assert "by design" in shown_text(tile)
    assert page.locator("#gap1-count").text_content() == "812"
    assert page.locator("#gap1-fixed").text_content() == f"{fixed:,}"


def test_a_gap_figure_opens_its_campaigns_with_their_csv(
    sample_build: Path, report: Path, open_report
) -> None:
    page = open_report(report).page
    page.locator("#gap1-count").click()
    title = page.locator("#gap-list-title")
    title.wait_for()
    assert shown_text(title) == "Gap 1: tunable campaigns without budget data (812)"
    assert page.evaluate("document.activeElement.id") == "gap-list-title"
    assert page.locator("#gap-list-table tbody tr").count() == 50  # a page of 812
    name, rows = download(page, "#download-gap-list")
    assert name == "gap1-tunable-without-budget-data.csv"
    assert len(rows) == 812
    assert {(r["Tunable (expected in Health)"], r["Budget data"]) for r in rows} == {
        ("yes", "no")
    }
    # a product's count opens that product's list
    [(without,)] = query(
        sample_build,
        """select campaigns_without_budget_data from reports.rpt_product_coverage
           where product_type = 'Chat'""",
    )
    page.locator('#coverage-body button[data-product="Chat"]').click()
    assert shown_text(title) == f"Chat: campaigns without budget data ({without:,})"
    name, rows = download(page, "#download-gap-list")
    assert name == "without-budget-data-chat.csv"
    assert {r["Product type"] for r in rows} == {"Chat"}
    assert len(rows) == without
    # the fixed-fee figure beside gap 1, and gap 2's opens its own list
    page.locator("#headline-without-budget .fixed-fee").click()
    assert shown_text(title).startswith("Fixed-fee campaigns without budget data")
    page.locator("#headline-gap .value").click()
    assert page.locator("#outside-details").evaluate("d => d.open")
    assert page.locator("#outside-table tbody tr").count() > 0


def test_a_partners_gap_figures_open_its_campaigns(
    sample_build: Path, report: Path, open_report
) -> None:
    """The partner view's gap-1 figures (tunable, fixed-fee beside it, each
    product's count) open the list of that partner's campaigns behind them,
    with their CSV, under a filter on the partner alone; Back returns."""
    [(partner, tunable, fixed)] = query(
        sample_build,
        """select partner_name, tunable_campaigns_without_budget_data,
                  fixed_fee_campaigns_without_budget_data
           from reports.rpt_partners order by sort_order limit 1""",
    )
    view = urllib.parse.urlencode({"p": partner}, quote_via=urllib.parse.quote)
    page = open_report(report, "#" + view).page
    page.locator("#pv-without .value").click()
    title = page.locator("#gap-list-title")
    title.wait_for()
    assert shown_text(title) == (
        f"Gap 1: tunable campaigns without budget data ({tunable:,})"
    )
    assert "partner=" in page.url
    assert "p=" not in page.url.split("#")[1].split("&")[0]
    slug = re.sub("[^a-z0-9]+", "-", partner.lower()).strip("-")
    name, rows = download(page, "#download-gap-list")
    assert name == f"gap1-tunable-without-budget-data-{slug}.csv"
    assert len(rows) == tunable
    assert {r["Partner"] for r in rows} == {partner}
    page.go_back()
    page.wait_for_selector("#partner-view:not([hidden])")
    page.locator("#pv-without .fixed-fee").click()
    assert shown_text(title) == (
        f"Fixed-fee campaigns without budget data (by design, not in gap 1) ({fixed:,})"
    )
    page.go_back()
    page.wait_for_selector("#partner-view:not([hidden])")
    product = page.locator("#pv-gap-products button[data-partner-gap]").first
    kind, shown = product.get_attribute("data-product"), int(product.inner_text())
    product.click()
    assert shown_text(title) == f"{kind}: campaigns without budget data ({shown:,})"
