"""partners.html in a real browser: figures, sorting, filters, drill-down, safety."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

import export_html
from conftest import run_pipeline, write_workbook
from workspace import PROJECT_DIR, copy_project


def marts(project: Path, sql: str, parameters: Sequence[object] = ()) -> list[tuple]:
    database = project / "build" / "partners.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql, parameters).fetchall()


def money(value: object) -> str:
    return export_html._money(value)


@pytest.fixture(scope="module")
def report(sample_build: Path) -> Path:
    return sample_build / "build" / "partners.html"


def partner_names(page) -> list[str]:
    return page.locator("#partner-body > tr[data-partner]").evaluate_all(
        "rows => rows.map(r => r.dataset.partner)"
    )


def test_headline_and_partner_table_match_the_marts(
    sample_build: Path, report: Path, open_report
) -> None:
    page = open_report(report).page
    [summary] = marts(
        sample_build,
        """
        select campaign_count, advertiser_count, partner_count, product_type_count,
               known_budget, campaigns_without_budget_data, unmatched_health_budget
        from marts.portfolio_summary""",
    )
    ids = [
        "campaigns",
        "advertisers",
        "partners",
        "product-types",
        "known-budget",
        "without-budget",
        "gap",
    ]
    shown = [page.locator(f"#headline-{i} .value").inner_text() for i in ids]
    assert shown == [
        *(f"{n:,}" for n in summary[:4]),
        money(summary[4]),
        f"{summary[5]:,}",
        money(summary[6]),
    ]
    assert shown[:2] == ["2,067", "588"]
    expected = marts(
        sample_build,
        """
        select partner_name, campaign_count, advertiser_count, product_type_count,
               known_budget
        from marts.partners
        order by known_budget desc, partner_name""",
    )
    rows = page.locator("#partner-body > tr[data-partner]")
    assert rows.count() == len(expected)
    for index, (name, campaigns, advertisers, products, budget) in enumerate(expected):
        cells = rows.nth(index).locator("th, td").all_inner_texts()
        assert [c.strip() for c in cells[:5]] == [
            name,
            f"{campaigns:,}",
            f"{advertisers:,}",
            f"{products:,}",
            money(budget),
        ]
    screenshot = PROJECT_DIR / "build" / "partners.png"
    screenshot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000


def test_sorting_by_every_column_with_mouse_and_keyboard(
    report: Path, open_report
) -> None:
    page = open_report(report).page
    keys = page.locator("#partner-head button.sort").evaluate_all(
        "buttons => buttons.map(b => b.dataset.key)"
    )
    assert keys == [
        "partner_name",
        "campaign_count",
        "advertiser_count",
        "product_type_count",
        "total_budget",
        "budget_coverage",
    ]
    campaigns = page.locator('#partner-head button[data-key="campaign_count"]')
    campaigns.click()
    counts = [
        int(t.replace(",", ""))
        for t in page.locator(
            "#partner-body > tr[data-partner] td:nth-of-type(1)"
        ).all_inner_texts()
    ]
    assert counts == sorted(counts, reverse=True)
    assert (
        page.locator("#partner-head th").nth(1).get_attribute("aria-sort")
        == "descending"
    )
    campaigns.focus()
    page.keyboard.press("Enter")
    counts = [
        int(t.replace(",", ""))
        for t in page.locator(
            "#partner-body > tr[data-partner] td:nth-of-type(1)"
        ).all_inner_texts()
    ]
    assert counts == sorted(counts)
    assert "sort=campaign_count" in page.url
    assert "dir=asc" in page.url
    page.locator('#partner-head button[data-key="partner_name"]').click()
    names = partner_names(page)
    assert names == sorted(names, key=str.casefold)


def test_text_filter_and_facets_with_live_counts_live_in_the_url(
    sample_build: Path, report: Path, open_report
) -> None:
    opened = open_report(report)
    page = opened.page
    page.fill("#partner-filter", "media")
    names = partner_names(page)
    assert names
    assert all("media" in name.lower() for name in names)
    assert "q=media" in page.url
    page.fill("#partner-filter", "")
    page.locator('#facet-product input[value="SEO"]').check()
    [(seo_campaigns, seo_partners)] = marts(
        sample_build,
        """
        select sum(campaign_count), count(*) from marts.partner_product_mix
        where product_type = 'SEO'""",
    )
    assert len(partner_names(page)) == seo_partners
    assert page.locator("#partner-foot td").first.inner_text() == f"{seo_campaigns:,}"
    # facet counts follow the other facets: with SEO chosen, "with budget data" is 0
    budget_yes = page.locator('#facet-budget label:has(input[value="yes"]) .count')
    assert budget_yes.inner_text() == "0"
    link = page.url
    assert "product=SEO" in link
    opened.goto(link[len(opened.url) :])  # the same link, opened afresh
    page.reload()
    page.wait_for_selector("html[data-ready=true]")
    assert page.locator('#facet-product input[value="SEO"]').is_checked()
    assert len(partner_names(page)) == seo_partners


def test_drill_down_reaches_every_campaign(
    sample_build: Path, report: Path, open_report
) -> None:
    page = open_report(report).page
    for name, advertisers in marts(
        sample_build, "select partner_name, advertiser_count from marts.partners"
    ):
        page.locator(f'#partner-body > tr[data-partner="{name}"] button.toggle').click()
        assert (
            page.locator(
                "#partner-body table.advertisers tbody > tr[data-maid]"
            ).count()
            == advertisers
        )
    [(partner, maid, campaigns)] = marts(
        sample_build,
        """
        select partner_name, maid, campaign_count from marts.partner_advertisers
        order by campaign_count desc, maid limit 1""",
    )
    page.locator(f'#partner-body > tr[data-partner="{partner}"] button.toggle').click()
    page.locator(f'tr[data-maid="{maid}"] button.toggle').click()
    shown = page.locator("table.campaigns tbody > tr[data-campaign]").evaluate_all(
        "rows => rows.map(r => [r.dataset.campaign, r.cells[1].textContent])"
    )
    expected = marts(
        sample_build,
        "select campaign_id, campaign_name from marts.campaigns"
        " where partner_name = ? and maid = ?",
        [partner, maid],
    )
    # names arrive front-coded: they must decode to exactly the mart's text
    assert sorted(map(tuple, shown)) == sorted(expected)
    assert len(shown) == campaigns
    # and the page holds every campaign of the mart, so every one can be opened
    embedded = page.evaluate(
        "JSON.parse(document.getElementById('report-data').textContent).campaigns.rows"
        ".map(r => r[0])"
    )
    assert sorted(embedded) == sorted(
        r[0] for r in marts(sample_build, "select campaign_id from marts.campaigns")
    )


def test_csv_download_of_the_current_view(report: Path, open_report) -> None:
    page = open_report(report).page
    page.locator('#facet-product input[value="Chat"]').check()
    with page.expect_download() as download:
        page.click("#download-campaigns")
    rows = list(
        csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8")))
    )
    assert rows
    assert {row["product_type"] for row in rows} == {"Chat"}
    footer = page.locator("#partner-foot td").first.inner_text()
    assert f"{len(rows):,}" == footer
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


def test_print_expands_and_hides_the_controls(report: Path, open_report) -> None:
    page = open_report(report, "#open=Acme%20Media").page
    page.emulate_media(media="print")
    assert (
        page.locator(".facets").evaluate("e => getComputedStyle(e).display") == "none"
    )
    assert page.locator("#heatmap-table").is_visible()
    assert page.locator("#partner-body table.advertisers").is_visible()
    assert (
        page.locator("#partner-body tr").first.evaluate(
            "e => getComputedStyle(e).breakInside"
        )
        == "avoid"
    )


def test_dark_mode_follows_the_system(report: Path, open_report) -> None:
    page = open_report(report, color_scheme="dark").page
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(19, 22, 28)"


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
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    for text in (inline, style):
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
    page.locator("#partner-body > tr[data-partner] button.toggle").first.click()
    page.locator("tr[data-maid] button.toggle").first.click()
    assert page.locator("table.advertisers").inner_text().count(XSS_ADVERTISER) == 2
    assert page.locator("table.campaigns").inner_text().count(XSS_CAMPAIGN) == 1
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2
    assert page.evaluate("typeof window.alert") == "function"  # page intact
    with page.expect_download() as download:
        page.click("#download-campaigns")
    content = Path(download.value.path()).read_text("utf-8")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in content
    # the data round-trips exactly through the JSON block
    data = page.evaluate(
        "JSON.parse(document.getElementById('report-data').textContent)"
    )
    assert XSS_PARTNER in data["campaigns"]["dictionaries"]["partner_name"]


def test_phase_two_sections_show_the_marts(
    sample_build: Path, report: Path, open_report
) -> None:
    page = open_report(report).page
    sources = marts(
        sample_build,
        """
        select budget_source, count(*), sum(known_and_estimated_budget)
        from marts.campaigns group by 1""",
    )
    for source, campaigns, budget in sources:
        row = page.locator(f'#estimates-by-source tr[data-source="{source}"] td')
        assert row.all_inner_texts() == [f"{campaigns:,}", money(budget)]
    [(estimated,)] = marts(
        sample_build, "select sum(known_and_estimated_budget) from marts.campaigns"
    )
    assert page.locator("#estimated-total").inner_text() == money(estimated)
    ranked = marts(
        sample_build,
        """
        select partner_name from marts.partner_whitespace order by whitespace_rank""",
    )
    shown = page.locator("#whitespace-table tbody th").all_inner_texts()
    assert shown == [name for (name,) in ranked]
    assert page.locator("#cross-sell-table tbody tr").count() == 25
    [(partners, drops)] = marts(
        sample_build,
        """
        select count(distinct coalesce(partner_name, '(not in roster)')),
               count(distinct as_of_date)
        from marts.budget_history""",
    )
    assert page.locator("#history-table svg.sparkline polyline").count() == partners
    assert drops == 3  # the sample's September, October and November drops
    assert page.locator("#history-table thead th.num").count() == drops
