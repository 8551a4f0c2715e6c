"""partners.html with an advertiser of more campaigns than one page shows
(CAMPAIGN_PAGE, 50, in partner.js), and a partner of more advertisers and
outside-roster campaigns than one page shows (CAP and PAGE): a build of its
own, made here."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_report import PHONE, focused, fragment, query

from conftest import HEALTH_HEADER, NAMED_ROSTER_HEADER, built_project

#: the tests of this build, on the one worker that builds it (make test:
#: pytest-xdist, --dist loadgroup)
PAGING = pytest.mark.xdist_group("paging")
PARTNER = "Paging Media"
BIG, SMALL = "M700", "M701"
#: two pages of campaigns: the first 50, then the rest
CAMPAIGNS = 73
#: a partner of 130 advertisers (one campaign each) and 70 Health campaigns
#: outside the roster under its advertisers' MAIDs: more than a page of each
WIDE, ADVERTISERS, OUTSIDE = "Wide Media", 130, 70
#: the partner view's rules (partner.js): rows on screen at first (CAP; a
#: phone's) and per "Show more" (PAGE), and the advertisers paper keeps
#: (PRINTED); the gap-2 list keeps as many on paper as a phone shows
PAGE, PHONE_PAGE, PRINTED_ADVERTISERS = 50, 10, 25


@pytest.fixture(scope="module")
def paging_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A roster whose one advertiser holds 73 campaigns (another holds 2),
    a partner of 130 one-campaign advertisers, and a health sheet with
    budgets for a few of the campaigns and 70 campaigns outside the roster
    under the wide partner's advertisers."""
    products = ["Search", "Display", "SEO", "Chat"]
    big = [BIG, "Many Campaigns Co", PARTNER]
    campaigns = [
        [f"C{n:04d}", f"Campaign {n}", *big, products[n % 4]]
        for n in range(1, CAMPAIGNS + 1)
    ] + [
        ["D0001", "Other 1", SMALL, "Few Campaigns Co", PARTNER, "Search"],
        ["D0002", "Other 2", SMALL, "Few Campaigns Co", PARTNER, "SEO"],
    ] + [
        [f"E{n:04d}", f"Wide {n}", f"W{n:03d}", f"Wide Co {n:03d}", WIDE, "Search"]
        for n in range(ADVERTISERS)
    ]  # fmt: skip
    return built_project(
        tmp_path_factory.mktemp("paging"),
        [NAMED_ROSTER_HEADER, *campaigns],
        [
            HEALTH_HEADER,
            *([f"C{n:04d}", BIG, "Rivera", 100 + n, None]
              for n in range(1, CAMPAIGNS, 4)),
            ["D0001", SMALL, "Rivera", 250, None],
            *([f"X{n:04d}", f"W{n:03d}", "Rivera", 10 + n, None]
              for n in range(OUTSIDE)),
        ],
    )  # fmt: skip


def in_model_order(project: Path, key: str, model: str, **where: str) -> list[str]:
    """``key`` of the rows of report model ``model`` matching ``where`` (one
    column = value), in the model's order (sort_order)."""
    [(column, value)] = where.items()
    return [
        k
        for (k,) in query(
            project,
            f"select {key} from reports.{model} where {column} = ?"  # noqa: S608 - the tests own names
            " order by sort_order",
            [value],
        )
    ]


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
    ordered = in_model_order(paging_build, "campaign_id", "rpt_campaigns", maid=BIG)
    assert len(ordered) == CAMPAIGNS
    page = open_report(report, fragment(p=PARTNER)).page
    page.locator(f'[data-focus="adv-{BIG}"]').focus()
    page.keyboard.press("Enter")
    assert shown_campaigns(page) == ordered[:50]
    assert focused(page) == f"adv-{BIG}"
    more = page.locator("#partner-view tr.detail button.more")
    assert more.inner_text() == f"Show {CAMPAIGNS - 50} more ({CAMPAIGNS} in all)"
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


def built_rows(page, table: str) -> int:
    """Rows of a partner-view table in the page, shown or not (an open
    advertiser's campaigns, its second row, left out)."""
    return page.locator(f"#{table} > tbody > tr:not(.detail)").count()


def shown_rows(page, table: str) -> int:
    return page.locator(f"#{table} > tbody > tr:not(.detail):visible").count()


#: every change to the partner view's children from now on: [target, added, removed]
WATCH_JS = """() => {
  window.changes = [];
  new MutationObserver(records => records.forEach(r => window.changes.push(
    [r.target.id || r.target.tagName,
     Array.from(r.addedNodes, n => n.className || n.nodeName), r.removedNodes.length]
  ))).observe(document.getElementById('partner-view'),
    {childList: true, subtree: true});
}"""


@PAGING
def test_a_large_partner_builds_only_the_rows_it_shows(
    paging_build: Path, open_report
) -> None:
    """A partner of 130 advertisers and 70 outside-roster campaigns builds
    the 50 of each on screen, not the rest (a 100x partner's view built all
    454 advertiser rows, 562 ideas and 117 gap-2 rows and hid most); "Show
    more" builds the next 50 and moves the focus to the first of them;
    opening an advertiser adds its one row of campaigns and changes nothing
    else; a link to the 120th advertiser builds the rows down to it alone.
    On a phone: the 10 on screen and the 25 that paper keeps."""
    report = paging_build / "build" / "partners.html"
    ordered = in_model_order(
        paging_build, "maid", "rpt_partner_advertisers", partner_name=WIDE
    )
    assert len(ordered) == ADVERTISERS
    page = open_report(report, fragment(p=WIDE)).page
    assert built_rows(page, "pv-advertiser-table") == PAGE
    assert shown_rows(page, "pv-advertiser-table") == PAGE
    assert built_rows(page, "pv-outside") == PAGE
    more = page.locator("#pv-advertiser-table-more")
    rest = ADVERTISERS - PAGE
    # how many more it shows, and how many there are ("of" the rest read as
    # "of" all: "Show 29 more of 29 advertisers" where there were 39)
    assert more.inner_text() == f"Show {PAGE} more ({ADVERTISERS} advertisers in all)"
    more.click()
    assert built_rows(page, "pv-advertiser-table") == 2 * PAGE
    assert focused(page) == f"adv-{ordered[PAGE]}"
    rest -= PAGE
    assert more.inner_text() == f"Show {rest} more ({ADVERTISERS} advertisers in all)"
    # opening an advertiser adds its campaigns' row and nothing else
    page.evaluate(WATCH_JS)
    page.locator(f'[data-focus="adv-{ordered[3]}"]').click()
    assert page.evaluate("window.changes") == [["TBODY", ["detail"], 0]]
    assert page.locator("#partner-view tr.detail").count() == 1
    # a link to an advertiser far down: the rows down to it, no further
    far = 119
    again = open_report(report, fragment(p=WIDE, a=ordered[far])).page
    assert built_rows(again, "pv-advertiser-table") == far + 1
    assert again.locator(f'[data-focus="adv-{ordered[far]}"]').is_visible()
    rest = ADVERTISERS - (far + 1)
    assert again.locator("#pv-advertiser-table-more").inner_text() == (
        f"Show {rest} more ({ADVERTISERS} advertisers in all)"
    )
    # a phone: the first PHONE_PAGE on screen, those paper keeps built too
    phone = open_report(report, fragment(p=WIDE), viewport=PHONE).page
    assert shown_rows(phone, "pv-advertiser-table") == PHONE_PAGE
    assert built_rows(phone, "pv-advertiser-table") == PRINTED_ADVERTISERS
    assert built_rows(phone, "pv-outside") == PHONE_PAGE
    phone.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    phone.emulate_media(media="print")
    assert shown_rows(phone, "pv-advertiser-table") == PRINTED_ADVERTISERS
