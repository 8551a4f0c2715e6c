"""partners.html on a phone (390 px), at desktop width (1,440 px) and on paper:
no word broken inside, the heat map within its box, the partner view's
advertiser table sorted and filtered from the keyboard."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_report import (
    NARROWEST_TEXT_CELL_JS,
    PHONE,
    fragment,
    largest_partner,
    money,
    open_every_list,
    query,
    wait_drawn,
)

DESKTOP = {"width": 1440, "height": 900}
#: an A4 page less 12 mm margins at 96 dpi, as the print layout sees it
PAPER = {"width": 703, "height": 990}

#: the words of the visible cells and tiles that wrap onto a second line: a
#: word with a digit (money, an ID, a date, a count) must stay on one line, a
#: word of letters may break only after a hyphen ("cross-" / "sell")
BROKEN_WORDS_JS = r"""() => {
  const broken = [];
  for (const box of document.querySelectorAll('td, th, .headline .value')) {
    if (!box.offsetParent) continue;
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.offsetParent) continue;
      for (const word of node.textContent.matchAll(/\S+/g)) {
        const pieces = /\d/.test(word[0]) ? [word[0]] : word[0].split(/(?<=-)/);
        let at = word.index;
        for (const piece of pieces) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + piece.length);
          const rects = Array.from(range.getClientRects());
          const lines = new Set(rects.map(r => Math.round(r.top)));
          if (lines.size > 1) broken.push(word[0]);
          at += piece.length;
        }
      }
    }
  }
  return broken;
}"""


def open_view(report: Path, open_report, name: str, view: str, medium: str):
    page = open_report(
        report,
        fragment(p=name) if view == "partner" else "",
        viewport=PHONE if medium == "phone" else PAPER,
    ).page
    if medium == "print":
        page.emulate_media(media="print")
    open_every_list(page)
    return page


@pytest.mark.parametrize("medium", ["phone", "print"])
@pytest.mark.parametrize("view", ["overview", "partner"])
def test_no_word_breaks_inside_on_a_phone_or_on_paper(
    sample_build: Path, report: Path, open_report, view: str, medium: str
) -> None:
    """Money, IDs, dates and hashes stay whole in every cell and tile (the
    sha256 and the dates broke on a phone, the known budget's tile in print),
    and on paper nothing is wider than the page (the heat map was 826 px on a
    703 px page, so the browser shrank every page to fit it)."""
    page = open_view(report, open_report, largest_partner(sample_build), view, medium)
    assert page.evaluate(BROKEN_WORDS_JS) == []
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def count_in(text: str) -> int:
    """The one count a summary or heading holds ("Rejected rows (12)")."""
    [number] = re.findall(r"\d[\d,]*", text)
    return int(number.replace(",", ""))


def test_the_overview_prints_on_at_most_eight_pages(
    sample_build: Path, report: Path, open_report
) -> None:
    """Printing the overview (no partner open) gives at most 8 A4 pages (9
    before, though the lists of health campaigns outside the roster and of
    rejected rows printed empty: their rows were drawn after the printing).
    Each long list prints its first 10 rows and a line saying how many more
    the CSV holds; no word breaks, no text column wraps letter by letter,
    nothing is wider than the page."""
    page = open_report(report).page
    wait_drawn(page)
    [(ideas,)] = query(
        sample_build, "select count(*) from reports.rpt_cross_sell_best_three"
    )
    totals = {
        "#cross-sell-table": (ideas, "ideas"),
        "#win-back-table": (count_in(page.text_content("#win-back-title")),
                            "products to win back"),
        "#outside-table": (count_in(page.text_content("#outside-details summary")),
                           "health campaigns outside the roster"),
        "#rejected-table": (count_in(page.text_content("#rejected-details summary")),
                            "rejected rows"),
    }  # fmt: skip
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 8, pages
    # the page as printed: the lists the printing opened are drawn
    page.set_viewport_size(PAPER)
    page.emulate_media(media="print")
    for table, (total, noun) in totals.items():
        assert total > 10, table
        rows = page.locator(f"{table} > tbody > tr")
        assert rows.count() > 10, table
        assert page.locator(f"{table} > tbody > tr:visible").count() == 10, table
        note = page.locator(
            f"{table} >> xpath=following::p[contains(@class, 'print-note')][1]"
        )
        assert note.is_visible(), table
        assert note.inner_text().startswith(
            f"and {total - 10:,} more {noun}: see the CSV"
        ), table
    # the partner table whole
    assert page.locator("#partner-table > tbody > tr:visible").count() == count_in(
        page.text_content("#partner-table tfoot th")
    )
    assert page.evaluate(BROKEN_WORDS_JS) == []
    assert page.evaluate(NARROWEST_TEXT_CELL_JS) >= 6
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_heat_map_fits_its_box_at_desktop_width(
    sample_build: Path, report: Path, open_report
) -> None:
    """At 1,440 px the heat map's columns fit its box: 1,163 px of it were
    in a 612 px box before (every count column held a text column's minimum)."""
    page = open_report(report, viewport=DESKTOP).page
    page.locator("#mix-title").scroll_into_view_if_needed()
    wait_drawn(page)
    box = page.locator(".heat-scroll")
    widths = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert widths[0] <= widths[1], widths
    # every product has its column, every cell is a button with its count
    heads = page.locator("#heat-head th").count()
    [(products,)] = query(
        sample_build, "select count(*) from reports.rpt_product_coverage"
    )
    assert heads == products + 1
    assert page.locator("#heat-body button").first.inner_text().isdigit()


def advertiser_cells(page) -> list[list[str]]:
    return page.locator("#pv-advertiser-table tbody > tr[data-maid]").evaluate_all(
        "rows => rows.map(r => [r.dataset.maid, r.cells[3].textContent])"
    )


def sort_state(page) -> dict[str, str]:
    return dict(
        page.locator("#pv-advertiser-table th[aria-sort]").evaluate_all(
            "cells => cells.map(c => [c.dataset.key, c.getAttribute('aria-sort')])"
        )
    )


def test_advertiser_table_sorts_and_filters_from_the_keyboard(
    sample_build: Path, report: Path, open_report
) -> None:
    """A column header sorts the partner's advertisers (aria-sort says how,
    the focus stays on it), a text box filters them by name, MAID or
    product, and the URL keeps both: the link opens the same table."""
    name = largest_partner(sample_build)
    model = query(
        sample_build,
        """select maid, coalesce(advertiser_name, ''), campaign_count,
        all_product_types, sort_order from reports.rpt_partner_advertisers
        where partner_name = ? order by sort_order""",
        [name],
    )
    opened = open_report(report, fragment(p=name), viewport=DESKTOP)
    page = opened.page
    # the model's order: by known budget, largest first
    assert [m for m, _ in advertiser_cells(page)] == [r[0] for r in model]
    assert sort_state(page)["known_budget"] == "descending"
    # Enter on the Campaigns header: most campaigns first; again: fewest first
    page.locator('[data-focus="adsort-campaign_count"]').focus()
    page.keyboard.press("Enter")
    by_campaigns = sorted(model, key=lambda r: (-r[2], r[4]))
    assert advertiser_cells(page) == [[r[0], f"{r[2]:,}"] for r in by_campaigns]
    assert sort_state(page)["campaign_count"] == "descending"
    assert sort_state(page)["known_budget"] == "none"
    assert page.evaluate("document.activeElement.dataset.focus") == (
        "adsort-campaign_count"
    )
    page.keyboard.press("Enter")
    ascending = sorted(model, key=lambda r: (r[2], r[4]))
    assert [m for m, _ in advertiser_cells(page)] == [r[0] for r in ascending]
    assert sort_state(page)["campaign_count"] == "ascending"
    # typing in the filter keeps the matching advertisers, in the same order
    page.locator("#pv-advertiser-find").focus()
    page.keyboard.type("email")
    matching = [
        r[0]
        for r in ascending
        if "email" in f"{r[1]} {r[0]} {r[3]}".lower()  # name, MAID, products
    ]
    assert 0 < len(matching) < len(model)
    assert [m for m, _ in advertiser_cells(page)] == matching
    assert page.locator("#pv-advertiser-status").inner_text() == (
        f"{len(matching):,} of {len(model):,} advertisers match \u201cemail\u201d"
    )
    assert page.evaluate("document.activeElement.id") == "pv-advertiser-find"
    # the link keeps the sort and the filter
    params = urllib.parse.parse_qs(page.url.split("#", 1)[1])
    assert params == {
        "p": [name],
        "asort": ["campaign_count"],
        "adir": ["asc"],
        "afind": ["email"],
    }
    again = open_report(report, "#" + page.url.split("#", 1)[1], viewport=DESKTOP)
    assert [m for m, _ in advertiser_cells(again.page)] == matching
    assert again.page.locator("#pv-advertiser-find").input_value() == "email"
    # another partner opens unsorted and unfiltered
    page.click("#pv-back")
    page.locator("#partner-body button[data-open]").nth(1).click()
    assert page.locator("#pv-advertiser-find").input_value() == ""
    assert "asort" not in page.url
    assert "afind" not in page.url


def test_advertiser_rows_stay_short_on_a_phone(
    sample_build: Path, report: Path, open_report
) -> None:
    """On a phone an advertiser's row is a few lines tall: its best
    cross-sell without the reason (the cross-sell table gives it), which in
    a narrow last column made every row 9 to 10 lines (173 to 193 px)."""
    page = open_report(
        report, fragment(p=largest_partner(sample_build)), viewport=PHONE
    ).page
    page.click("#pv-advertiser-table-more")
    assert tallest_row_in_lines(page, "pv-advertiser-table") <= 6
    best = page.locator("#pv-advertiser-table tbody > tr").first.locator("td").last
    assert best.inner_text() == "" or ":" not in best.inner_text()


#: the tallest row shown of table ``id``, in lines of the page's text
TALLEST_ROW_JS = """(id) => {
  const line = parseFloat(getComputedStyle(document.body).lineHeight);
  const rows = Array.from(document.querySelectorAll(`#${id} > tbody > tr`))
    .filter(r => r.offsetParent);
  return Math.max(...rows.map(r => r.getBoundingClientRect().height)) / line;
}"""


def tallest_row_in_lines(page, table: str) -> float:
    page.locator(f"#{table}").scroll_into_view_if_needed()
    return page.evaluate(TALLEST_ROW_JS, table)


def test_ideas_stay_short_on_a_phone(
    sample_build: Path, report: Path, open_report
) -> None:
    """On a phone an idea's reason, a sentence, gets a column wide enough
    for a few lines (the table scrolls sideways in its box): in the
    narrowest column each idea was 12 lines (254 px) tall, the partner brief
    6,897 px."""
    page = open_report(
        report, fragment(p=largest_partner(sample_build)), viewport=PHONE
    ).page
    assert tallest_row_in_lines(page, "pv-cross-sell") <= 6
    overview = open_report(report, viewport=PHONE).page
    open_every_list(overview)
    for table in ("cross-sell-table", "win-back-table"):
        assert tallest_row_in_lines(overview, table) <= 6, table


#: every rule of axe-core, its experimental ones too (where an audit found the
#: product bars' names differing from their text)
AXE_RULES = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
            "best-practice", "experimental",
        ],
    }
}  # fmt: skip


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("view", ["overview", "partner"])
def test_axe_finds_nothing(
    sample_build: Path, report: Path, open_report, view: str, size: str
) -> None:
    """axe-core, every rule, on each view at both sizes with every section
    drawn and every list open: no violation. An audit found 11 product bars
    named otherwise than they read ("Search: 636 campaigns" on a button
    showing "Search 636") and, on a phone, tables that scroll sideways in a
    box the keyboard could not reach (5 on the overview, 3 in a partner's
    view)."""
    viewport = PHONE if size == "phone" else DESKTOP
    name = largest_partner(sample_build) if view == "partner" else ""
    page = open_report(report, fragment(p=name) if name else "", viewport=viewport)
    page = page.page
    open_every_list(page)
    violations = Axe().run(page, options=AXE_RULES).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []


#: the ids of the tables shown without a row
EMPTY_TABLES_JS = """() => [...document.querySelectorAll('table')]
  .filter(t => t.offsetParent && !t.querySelector('tbody tr')).map(t => t.id)"""
#: the contents links shown whose target is not
DEAD_LINKS_JS = """() => [...document.querySelectorAll('nav a[href^="#"]')]
  .filter(a => a.offsetParent && !document.querySelector(a.getAttribute('href'))
    .offsetParent).map(a => a.getAttribute('href'))"""


@pytest.mark.parametrize(
    "viewport", [PHONE, DESKTOP, PAPER], ids=["phone", "desktop", "paper"]
)
def test_a_page_past_its_campaigns_shows_the_figures_without_a_script(
    sample_build: Path, tmp_path: Path, browser, viewport: dict[str, int]
) -> None:
    """A build of more campaigns than the page carries (export_html.
    PAGE_MAX_CAMPAIGNS; here the sample with a limit one below its campaigns)
    gets the template's figures, visible at once, with no script to wait for,
    and the line saying where the tables are; nothing the script would fill
    is left showing empty."""
    from partners import export_html

    page_file = tmp_path / "partners.html"
    database = sample_build / "build" / "partners.duckdb"
    [(campaigns, known)] = query(
        sample_build, "select campaign_count, known_budget from reports.rpt_headline"
    )
    export_html.export(database, page_file, max_campaigns=campaigns - 1)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    if viewport is PAPER:
        page.emulate_media(media="print")
    page.goto(page_file.resolve().as_uri())
    notice = page.locator("#page-limit")
    assert notice.is_visible()
    assert notice.inner_text().startswith(f"This build has {campaigns:,} campaigns")
    assert page.locator("#headline-campaigns .value").inner_text() == f"{campaigns:,}"
    assert page.locator("#headline-known-budget .value").inner_text() == money(known)
    assert page.locator("#main").evaluate("e => getComputedStyle(e).visibility") == (
        "visible"
    )
    assert page.locator(".needs-js:visible").count() == 0
    # no button that would do nothing without the script (a gap figure is text)
    assert page.locator("button:visible").count() == 0
    assert (
        page.locator("#gap1-count").text_content()
        == page.locator("#headline-without-budget .value").text_content()
    )
    # the partner table: the model's rows in its order, and the total
    partners = query(
        sample_build,
        "select partner_name, known_budget from reports.rpt_partners"
        " order by sort_order",
    )
    names = page.locator("#partner-body th").all_inner_texts()
    assert names == [name for name, _ in partners]
    first = page.locator("#partner-body tr").first.locator("td")
    assert first.nth(3).inner_text() == money(partners[0][1])
    assert page.locator("#partner-foot td").nth(3).inner_text() == money(known)
    # no table the script would fill is shown empty, no contents link leads
    # to a hidden section
    assert page.evaluate(EMPTY_TABLES_JS) == []
    assert page.evaluate(DEAD_LINKS_JS) == []
    overflow = "() => document.documentElement.scrollWidth - innerWidth"
    assert page.evaluate(overflow) <= 0
    assert problems == []
    context.close()


def test_a_sortable_heading_prints_as_its_text(
    sample_build: Path, report: Path, open_report
) -> None:
    """On paper a table's header row repeats on each page it runs onto, and
    Chromium left its sort buttons blank there (the partner table's second
    page, the partner view's advertisers): a sortable heading prints as its
    text, the button's own label."""
    name = largest_partner(sample_build)
    page = open_report(report, fragment(p=name), viewport=PAPER).page
    page.emulate_media(media="print")
    headings = page.evaluate(
        """() => Array.from(document.querySelectorAll('th > button.sort')).map(b => [
          getComputedStyle(b).display,
          getComputedStyle(b.parentElement, '::before').content,
          JSON.stringify(b.textContent)])"""
    )
    assert len(headings) > 8  # the partner table's 8, and the advertisers'
    assert {display for display, _, _ in headings} == {"none"}
    assert all(before == label for _, before, label in headings)
