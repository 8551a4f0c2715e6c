"""partners.html in Debian's Chromium: screenshots and timings.

Usage::

    python scripts/tools report_browser screenshots [--html build/partners.html]
        [--out-dir build/screenshots] [--docs docs/partners-phone.png]
    python scripts/tools report_browser timings [--html build/partners.html]
        [--throttle 4]

``screenshots`` writes desktop.png, phone.png and partner.png (the partner
view of the largest partner, at desktop and phone size) into ``--out-dir``,
and with ``--docs`` a small phone screenshot of the partner view for the
README. ``timings`` prints how long the page takes to be ready and how long
one keystroke in the search box and one filter click take with the CPU slowed
``--throttle`` times (Chrome DevTools' Emulation.setCPUThrottlingRate).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workspace import CHROMIUM, CHROMIUM_ARGS, PROJECT_DIR

LOG = logging.getLogger("report_browser")

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

#: types ``text`` into the search box one character at a time; returns the
#: milliseconds each keystroke took until its results were laid out
KEYSTROKES_JS = """
(text) => {
  const input = document.getElementById('search');
  const results = document.getElementById('search-results');
  input.focus();
  input.value = '';
  const times = [];
  for (const ch of text) {
    input.value += ch;
    const start = performance.now();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    void results.offsetHeight;  // the layout of the results is part of the cost
    times.push(performance.now() - start);
  }
  return times;
}
"""

#: clicks each product checkbox on and off; returns milliseconds per click,
#: each until every section was redrawn and laid out
FILTER_CLICKS_JS = """
() => {
  const boxes = Array.from(document.querySelectorAll('#facet-product input'));
  const times = [];
  for (const box of boxes) {
    for (let i = 0; i < 2; i++) {
      const start = performance.now();
      box.click();
      void document.body.offsetHeight;
      times.push(performance.now() - start);
    }
  }
  return times;
}
"""


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
    """Desktop, phone and partner-view screenshots of ``html``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with chromium() as browser:
        page = open_report(browser, html, viewport=DESKTOP)
        partner = largest_partner(page)
        page.screenshot(path=str(out_dir / "desktop.png"))
        written.append(out_dir / "desktop.png")
        page.context.close()
        page = open_report(browser, html, viewport=PHONE, device_scale_factor=1)
        page.screenshot(path=str(out_dir / "phone.png"))
        written.append(out_dir / "phone.png")
        page.context.close()
        page = open_report(browser, html, partner_fragment(partner), viewport=DESKTOP)
        page.screenshot(path=str(out_dir / "partner.png"))
        written.append(out_dir / "partner.png")
        page.context.close()
        page = open_report(browser, html, partner_fragment(partner), viewport=PHONE)
        page.screenshot(path=str(out_dir / "partner-phone.png"))
        written.append(out_dir / "partner-phone.png")
        if docs:
            docs.parent.mkdir(parents=True, exist_ok=True)
            # small enough to commit: the top of the phone view, 8-bit greys
            # are not worth it; a crop keeps it well under 200 KB
            page.screenshot(
                path=str(docs),
                clip={"x": 0, "y": 0, "width": PHONE["width"], "height": 760},
            )
            written.append(docs)
        page.context.close()
    return written


@dataclass(frozen=True)
class Timings:
    """How fast the report is, in milliseconds."""

    bytes: int
    ready_ms: float
    keystroke_ms: list[float]
    filter_ms: list[float]

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{self.bytes / 1e6:.1f} MB; ready in {self.ready_ms:.0f} ms; "
            f"search keystroke median {statistics.median(self.keystroke_ms):.0f} ms, "
            f"max {max(self.keystroke_ms):.0f} ms; filter click median "
            f"{statistics.median(self.filter_ms):.0f} ms, max "
            f"{max(self.filter_ms):.0f} ms"
        )


def throttle(page: Any, rate: float) -> None:
    """Slow the page's CPU ``rate`` times (1 = no slowdown)."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": rate})


def keystrokes(page: Any, text: str) -> list[float]:
    """Milliseconds per keystroke typing ``text`` into the search box."""
    return page.evaluate(KEYSTROKES_JS, text)


def filter_clicks(page: Any) -> list[float]:
    """Milliseconds per product-filter click (each product on, then off)."""
    return page.evaluate(FILTER_CLICKS_JS)


def measure(html: Path, rate: float = 4, text: str = "vision clinic") -> Timings:
    """Ready time (unthrottled, wall clock) and per-action times at ``rate``."""
    with chromium() as browser:
        page = open_report(browser, html, viewport=DESKTOP)
        # from the start of navigation to the report's script being done
        ready_ms = page.evaluate("partnersReport.profile.readyMs")
        # what the page does once idle (the search index, the sections off
        # screen) is done before a reader could type
        page.evaluate(
            "new Promise(done => requestIdleCallback(() => done(), {timeout: 3000}))"
        )
        page.wait_for_timeout(500)
        throttle(page, rate)
        typed = keystrokes(page, text)
        clicked = filter_clicks(page)
        page.context.close()
    return Timings(html.stat().st_size, ready_ms, typed, clicked)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["screenshots", "timings"])
    parser.add_argument(
        "--html", type=Path, default=PROJECT_DIR / "build" / "partners.html"
    )
    parser.add_argument(
        "--out-dir", type=Path, default=PROJECT_DIR / "build" / "screenshots"
    )
    parser.add_argument("--docs", type=Path, help="also write a small PNG here")
    parser.add_argument("--throttle", type=float, default=4.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    if not args.html.exists():
        LOG.error("%s: no report; run `make partners` first", args.html)
        return 1
    try:
        if args.command == "screenshots":
            for path in screenshots(args.html, args.out_dir, args.docs):
                LOG.info("wrote %s (%.0f kB)", path, path.stat().st_size / 1024)
        else:
            LOG.info(
                "%s at %gx CPU slowdown: %s",
                args.html,
                args.throttle,
                measure(args.html, args.throttle).summary(),
            )
    except BrowserError as error:
        LOG.error("%s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
