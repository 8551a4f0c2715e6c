"""partners.html in Debian's Chromium: the browser, and screenshots.

Usage::

    python scripts/tools report_browser [--html build/partners.html]
        [--out-dir build/screenshots] [--docs docs/partners-phone.png]

It writes desktop.png, phone.png, partner.png, partner-phone.png and
partner-print.png (the largest partner's view at desktop and phone size,
and its brief's first printed page) into ``--out-dir``, and with ``--docs``
the phone brief the README shows. The timings are ``report_timings``.
"""

from __future__ import annotations

import argparse
import base64
import logging
import sys
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from partners.errors import exit_code
from partners.project import BUILD_DIR, REPORT_PAGE
from workspace import CHROMIUM, CHROMIUM_ARGS

LOG = logging.getLogger("report_browser")

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: an A4 sheet at CSS pixels (96 per inch), for the printed partner brief
A4_PAGE = {"width": 794, "height": 1123}


class BrowserError(Exception):
    """The browser cannot be used; the message says why."""


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise BrowserError(f"{CHROMIUM} not found: install Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def open_report(browser: Any, html: Path, fragment: str = "", **context: Any) -> Any:
    """A new page showing the report, once its script has run."""
    page = browser.new_context(**context).new_page()
    page.goto(html.resolve().as_uri() + fragment)
    page.wait_for_selector("html[data-ready=true]", timeout=60_000)
    return page


def largest_partner(page: Any) -> str:
    """The first partner of the partner table (the largest known budget)."""
    return page.locator("#partner-body tr[data-partner]").first.get_attribute(
        "data-partner"
    )


def partner_fragment(name: str) -> str:
    """The URL fragment of a partner's view."""
    return "#" + urllib.parse.urlencode({"p": name}, quote_via=urllib.parse.quote)


def screenshots(html: Path, out_dir: Path, docs: Path | None = None) -> list[Path]:
    """Desktop, phone and partner-view screenshots of ``html``, and the
    partner brief's first printed page (print media, as the page prepares
    for paper); ``docs``, the top of the phone partner view."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with chromium() as browser:
        page = open_report(browser, html, viewport=DESKTOP)
        partner = partner_fragment(largest_partner(page))
        page.context.close()
        # name: (fragment, viewport, printed), the phone partner view last
        shots = {
            "desktop": ("", DESKTOP, False),
            "phone": ("", PHONE, False),
            "partner": (partner, DESKTOP, False),
            "partner-print": (partner, A4_PAGE, True),
            "partner-phone": (partner, PHONE, False),
        }
        for name, (fragment, viewport, printed) in shots.items():
            page = open_report(
                browser, html, fragment, viewport=viewport, device_scale_factor=1
            )
            if printed:
                page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
                page.emulate_media(media="print")
            page.screenshot(path=str(out_dir / f"{name}.png"))
            written.append(out_dir / f"{name}.png")
            if docs and name == "partner-phone":
                docs.parent.mkdir(parents=True, exist_ok=True)
                docs.write_bytes(brief_picture(browser, page))
                written.append(docs)
            page.context.close()
    return written


#: the phone partner brief in the README: a screen from the top of each part
#: (tiles; product mix and the first advertisers; the first ideas)
BRIEF_PARTS = ("#pv-title", "#pv-mix-title", "#pv-cross-sell-title")
BRIEF_SCREEN = 620


def brief_picture(browser: Any, page: Any) -> bytes:
    """One PNG of the phone partner view's brief: a screen from each of
    BRIEF_PARTS side by side, drawn by the browser itself (small enough to
    commit: well under 200 KB)."""
    screens = []
    for selector in BRIEF_PARTS:
        top = page.locator(selector).evaluate(
            "e => e.getBoundingClientRect().top + window.scrollY"
        )
        png = page.screenshot(
            full_page=True,
            clip={"x": 0, "y": max(0, top - 8), "width": PHONE["width"],
                  "height": BRIEF_SCREEN},
        )  # fmt: skip
        screens.append(base64.b64encode(png).decode("ascii"))
    width = len(screens) * (PHONE["width"] + 12)
    sheet = browser.new_page(
        viewport={"width": width, "height": BRIEF_SCREEN}, device_scale_factor=1
    )
    try:
        sheet.set_content(
            '<body style="margin:0;display:flex;gap:12px;background:#888">'
            + "".join(f'<img src="data:image/png;base64,{s}">' for s in screens)
            + "</body>"
        )
        return sheet.screenshot(
            clip={"x": 0, "y": 0, "width": width - 12, "height": BRIEF_SCREEN}
        )
    finally:
        sheet.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=BUILD_DIR / REPORT_PAGE)
    parser.add_argument("--out-dir", type=Path, default=BUILD_DIR / "screenshots")
    parser.add_argument("--docs", type=Path, help="also write a small PNG here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    if not args.html.exists():
        LOG.error("%s: no report; run `make partners` first", args.html)
        return 1

    def command() -> None:
        for path in screenshots(args.html, args.out_dir, args.docs):
            LOG.info("wrote %s (%.0f kB)", path, path.stat().st_size / 1024)

    return exit_code(command, LOG, (BrowserError,))


if __name__ == "__main__":
    sys.exit(main())
