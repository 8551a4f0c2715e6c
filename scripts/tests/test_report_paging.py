"""partners.html with an advertiser of more campaigns than one page shows
(CAMPAIGN_PAGE, 50, in partner.js): a build of its own, made here."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_report import focused, fragment, query

from conftest import NAMED_ROSTER_HEADER, built_project

#: the tests of this build, on the one worker that builds it (make test:
#: pytest-xdist, --dist loadgroup)
PAGING = pytest.mark.xdist_group("paging")
PARTNER = "Paging Media"
BIG, SMALL = "M700", "M701"
#: two pages of campaigns: the first 50, then the rest
CAMPAIGNS = 73


@pytest.fixture(scope="module")
def paging_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A roster whose one advertiser holds 73 campaigns (another holds 2),
    and a health sheet with budgets for a few of them."""
    products = ["Search", "Display", "SEO", "Chat"]
    big = [BIG, "Many Campaigns Co", PARTNER]
    campaigns = [
        [f"C{n:04d}", f"Campaign {n}", *big, products[n % 4]]
        for n in range(1, CAMPAIGNS + 1)
    ] + [
        ["D0001", "Other 1", SMALL, "Few Campaigns Co", PARTNER, "Search"],
        ["D0002", "Other 2", SMALL, "Few Campaigns Co", PARTNER, "SEO"],
    ]  # fmt: skip
    return built_project(
        tmp_path_factory.mktemp("paging"),
        [NAMED_ROSTER_HEADER, *campaigns],
        [
            ["CID", "Budget", "AM"],
            *([f"C{n:04d}", 100 + n, "Rivera"] for n in range(1, CAMPAIGNS, 4)),
            ["D0001", 250, "Rivera"],
        ],
    )


def shown_campaigns(page) -> list[str]:
    return page.locator("table.campaigns tr[data-campaign]").evaluate_all(
        "rows => rows.filter(r => r.offsetParent).map(r => r.dataset.campaign)"
    )


@PAGING
def test_an_advertisers_campaigns_show_a_page_at_a_time(
    paging_build: Path, open_report
) -> None:
    """Expanding an advertiser of 73 campaigns shows the first 50 in the
    model's order, the focus staying on its name; the pager's button shows
    the other 23 and moves the focus to the first of them (the button is
    gone: the focus is not lost); a link naming a campaign on the second
    page opens with that page shown and the campaign marked."""
    report = paging_build / "build" / "partners.html"
    ordered = [
        c
        for (c,) in query(
            paging_build,
            "select campaign_id from reports.rpt_campaigns where maid = ?"
            " order by sort_order",
            [BIG],
        )
    ]
    assert len(ordered) == CAMPAIGNS
    page = open_report(report, fragment(p=PARTNER)).page
    page.locator(f'[data-focus="adv-{BIG}"]').focus()
    page.keyboard.press("Enter")
    assert shown_campaigns(page) == ordered[:50]
    assert focused(page) == f"adv-{BIG}"
    more = page.locator("#partner-view tr.detail button.more")
    assert more.inner_text() == f"Show {CAMPAIGNS - 50} more of {CAMPAIGNS - 50}"
    more.focus()
    page.keyboard.press("Enter")
    assert shown_campaigns(page) == ordered
    assert more.is_hidden()
    assert page.evaluate("document.activeElement.dataset.campaign") == ordered[50]
    # a link to a campaign on the second page: that page is shown, the
    # campaign marked
    linked = ordered[60]
    again = open_report(report, fragment(p=PARTNER, a=BIG, c=linked)).page
    assert shown_campaigns(again) == ordered
    row = again.locator(f'table.campaigns tr[data-campaign="{linked}"]')
    assert row.is_visible()
    assert "marked" in row.get_attribute("class")
    # the other advertiser opens with its own campaigns, one page, no pager
    again.locator(f'[data-focus="adv-{SMALL}"]').click()
    assert sorted(shown_campaigns(again)) == ["D0001", "D0002"]
    assert again.locator("#partner-view tr.detail button.more").is_hidden()
