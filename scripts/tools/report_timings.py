"""How fast partners.html is in Debian's Chromium, and how much memory it takes.

Usage::

    python scripts/tools report_timings [--html build/partners.html] [--throttle 4]
    python scripts/tools report_timings --scales 1 100 [--repeats 3]
        [--output docs/benchmarks.md]

It prints how long the page takes to be ready and, with the CPU slowed
``--throttle`` times (Chrome DevTools' Emulation.setCPUThrottlingRate), how
long one keystroke in the search box, one filter click, opening the largest
partner and expanding (and collapsing) one of its advertisers take, and after
each the page's JavaScript heap beside the whole tab's memory: the resident
memory (VmRSS) of the renderer process drawing the page, found through
Chromium's trace, with its peak (VmHWM). With ``--scales`` (``make
timings``) it builds the page of each scale's sample workbooks (the main job
in a copy of the project; the workbooks shared with ``make bench``),
measures each with the CPU unslowed and slowed, the median of ``--repeats``
runs, and writes the table into its own section of ``--output``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark import (
    BENCHMARKS_FILE,
    ROSTER_ROWS_PER_SCALE,
    WORK_DIR,
    sample_inputs,
    write_section,
)
from partners.errors import exit_code
from partners.project import BUILD_DIR, REPORT_PAGE
from report_browser import DESKTOP, BrowserError, chromium, largest_partner, open_report
from workspace import copy_project

LOG = logging.getLogger("report_timings")

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

#: opens a partner's view from its link in the partner table; returns the
#: milliseconds until the view is drawn and laid out
OPEN_PARTNER_JS = """
(name) => {
  const link = document.querySelector(
    `#partner-body button[data-open="${CSS.escape(name)}"]`);
  const start = performance.now();
  link.click();
  void document.getElementById('partner-view').offsetHeight;
  return performance.now() - start;
}
"""

#: expands the partner view's first advertiser, then collapses it; returns
#: milliseconds per click, each until the view is laid out again
TOGGLE_ADVERTISER_JS = """
() => [0, 1].map(() => {
  const toggle = document.querySelector('#partner-view button.toggle[data-maid]');
  const start = performance.now();
  toggle.click();
  void document.getElementById('partner-view').offsetHeight;
  return performance.now() - start;
})
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


#: what ``measure`` did before each memory reading
ACTIONS = ("loaded", "typed", "filtered", "partner opened", "advertiser toggled")


@dataclass(frozen=True)
class Timings:
    """How fast the report is, in milliseconds."""

    bytes: int
    ready_ms: float
    keystroke_ms: list[float]
    filter_ms: list[float]
    open_partner_ms: float
    toggle_ms: list[float]
    #: the page's JavaScript heap in use after each action, in MB
    heap_mb: list[float]
    #: the resident memory of the tab's renderer process after each action,
    #: and its peak over the whole run, in MB
    resident_mb: list[float]
    resident_peak_mb: float

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{self.bytes / 1e6:.1f} MB; ready in {self.ready_ms:.0f} ms; "
            f"search keystroke median {statistics.median(self.keystroke_ms):.0f} ms, "
            f"max {max(self.keystroke_ms):.0f} ms; filter click median "
            f"{statistics.median(self.filter_ms):.0f} ms, max "
            f"{max(self.filter_ms):.0f} ms; largest partner opened in "
            f"{self.open_partner_ms:.0f} ms; an advertiser expanded in "
            f"{self.toggle_ms[0]:.0f} ms, collapsed in {self.toggle_ms[1]:.0f} ms; "
            f"JavaScript heap at most {max(self.heap_mb):.0f} MB, the tab's "
            f"renderer resident at most {max(self.resident_mb):.0f} MB (peak "
            f"{self.resident_peak_mb:.0f} MB)"
        )

    def memory(self) -> str:
        """A second line: the memory after each action, heap beside resident."""
        pairs = ", ".join(
            f"{action} {heap:.0f} / {resident:.0f}"
            for action, heap, resident in zip(
                ACTIONS, self.heap_mb, self.resident_mb, strict=True
            )
        )
        return f"MB of JavaScript heap / renderer resident after each action: {pairs}"


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


def open_partner(page: Any, name: str) -> float:
    """Milliseconds to open partner ``name``'s view from the partner table."""
    return page.evaluate(OPEN_PARTNER_JS, name)


def toggle_advertiser(page: Any) -> list[float]:
    """Milliseconds to expand the partner view's first advertiser, and to
    collapse it again."""
    return page.evaluate(TOGGLE_ADVERTISER_JS)


def heap_mb(page: Any) -> float:
    """The page's JavaScript heap in use, in MB (after a garbage collection)."""
    session = page.context.new_cdp_session(page)
    session.send("HeapProfiler.collectGarbage")
    session.send("Performance.enable")
    metrics = session.send("Performance.getMetrics")["metrics"]
    used = next(m["value"] for m in metrics if m["name"] == "JSHeapUsedSize")
    session.detach()
    return used / 1e6


def renderer_pid(browser: Any, page: Any) -> int:
    """The id of the renderer process drawing ``page``: Chromium's trace
    names the process of each frame when it starts (TracingStartedInBrowser)."""
    browser.start_tracing(
        page=page, categories=["disabled-by-default-devtools.timeline"]
    )
    trace = json.loads(browser.stop_tracing())
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    for event in events:
        if event.get("name") != "TracingStartedInBrowser":
            continue
        for frame in event["args"]["data"].get("frames", []):
            if frame.get("isOutermostMainFrame") and frame.get("processId"):
                return int(frame["processId"])
    raise BrowserError("Chromium's trace names no renderer process for the page")


def resident_mb(pid: int) -> tuple[float, float]:
    """Process ``pid``'s resident memory now and at its peak (VmRSS and
    VmHWM of /proc/<pid>/status), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError as error:
        raise BrowserError(
            f"/proc/{pid}/status: cannot read the renderer's memory "
            f"({error.strerror}); it is measured on Linux only"
        ) from error
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    kilobytes = [int(fields[key].split()[0]) for key in ("VmRSS", "VmHWM")]
    return kilobytes[0] / 1024, kilobytes[1] / 1024


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
        pid = renderer_pid(browser, page)
        heap, resident = [], []

        def memory() -> None:
            heap.append(heap_mb(page))  # after a garbage collection
            resident.append(resident_mb(pid)[0])

        memory()
        partner = largest_partner(page)
        throttle(page, rate)
        typed = keystrokes(page, text)
        memory()
        clicked = filter_clicks(page)
        memory()
        opened = open_partner(page, partner)
        memory()
        toggled = toggle_advertiser(page)
        memory()
        peak = resident_mb(pid)[1]
        page.context.close()
    return Timings(
        html.stat().st_size, ready_ms, typed, clicked, opened, toggled, heap,
        resident, peak,
    )  # fmt: skip


#: make timings' own section of docs/benchmarks.md (make bench keeps its own)
TIMINGS_SECTION = (
    "<!-- written by make timings: start -->",
    "<!-- written by make timings: end -->",
)


def built_page(scale: int, work_dir: Path) -> Path:
    """partners.html of the sample workbooks at ``scale``, built by the main
    job in a copy of the project under ``work_dir``."""
    inputs = sample_inputs(scale, work_dir)
    project = copy_project(work_dir / "timings-project")
    LOG.info("%sx: building partners.html (the main job)", scale)
    subprocess.run(  # noqa: S603 - this venv's Python with fixed arguments
        [sys.executable, str(project / "scripts" / "partners"), "--force",
         f"--breakout={inputs / 'breakout.xlsx'}",
         f"--health={inputs / 'health.xlsx'}"],
        cwd=project, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return project / "build" / REPORT_PAGE


#: the actions of a timings table: label, the figure of one run (ms)
TIMED: tuple[tuple[str, Callable[[Timings], float]], ...] = (
    ("a search keystroke, median", lambda t: statistics.median(t.keystroke_ms)),
    ("a product filter click, median", lambda t: statistics.median(t.filter_ms)),
    ("the largest partner opened", lambda t: t.open_partner_ms),
    ("its first advertiser expanded", lambda t: t.toggle_ms[0]),
    ("... and collapsed", lambda t: t.toggle_ms[1]),
)
#: the memory of a timings table: label, the figure of one run (MB)
MEMORY: tuple[tuple[str, Callable[[Timings], float]], ...] = (
    ("JavaScript heap after an action", lambda t: max(t.heap_mb)),
    ("the tab's renderer resident after an action", lambda t: max(t.resident_mb)),
    ("the renderer's peak (VmHWM), loading included", lambda t: t.resident_peak_mb),
)


def timings_table(
    measured: dict[int, dict[float, list[Timings]]], rate: float, repeats: int
) -> str:
    """The markdown section: one column per scale; each action's median at
    1x / ``rate`` CPU slowdown, memory at its worst over the runs."""
    scales = list(measured)

    def median_ms(figure: Callable[[Timings], float], scale: int) -> str:
        runs = measured[scale]
        return " / ".join(
            f"{statistics.median(figure(t) for t in runs[r]):,.0f}" for r in (1, rate)
        )

    def every(scale: int) -> list[Timings]:
        return [t for runs in measured[scale].values() for t in runs]

    def worst_mb(figure: Callable[[Timings], float], scale: int) -> str:
        return f"{max(figure(t) for t in every(scale)):,.0f}"

    first = {scale: measured[scale][1][0] for scale in scales}
    rows = [
        ("roster campaigns", [f"{ROSTER_ROWS_PER_SCALE * s:,}" for s in scales]),
        ("partners.html, MB", [f"{first[s].bytes / 1e6:.2f}" for s in scales]),
        ("ready (navigation start to the script done, CPU unslowed), ms",
         [f"{statistics.median(t.ready_ms for t in every(s)):,.0f}" for s in scales]),
        *((f"{label}, ms at 1x / {rate:g}x CPU", [median_ms(figure, s) for s in scales])
          for label, figure in TIMED),
        *((f"{label}, MB at most", [worst_mb(figure, s) for s in scales])
          for label, figure in MEMORY),
    ]  # fmt: skip
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return "\n".join([
        f"# partners.html in Chromium by scale ({time.strftime('%Y-%m-%d')})",
        "",
        "Written by `make timings`: each page built by the main job from",
        "`generate_sample --scale N` workbooks and opened in Debian's Chromium at",
        f"{DESKTOP['width']} x {DESKTOP['height']} px; each time the median of "
        f"{repeats} runs, with",
        f"the CPU unslowed (1x, this machine's own) / slowed {rate:g} times (Chrome",
        "DevTools' CPU throttling); memory (after a garbage collection) at its",
        f"worst over all runs. Load average when written: {load}.",
        "",
        "| | " + " | ".join(f"{s}x" for s in scales) + " |",
        "|---|" + "---:|" * len(scales),
        *(f"| {label} | {' | '.join(cells)} |" for label, cells in rows),
        "",
    ])  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=BUILD_DIR / REPORT_PAGE)
    parser.add_argument("--throttle", type=float, default=4.0)
    parser.add_argument("--scales", type=int, nargs="+", help="build and measure these")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=BENCHMARKS_FILE)
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    if not args.scales and not args.html.exists():
        LOG.error("%s: no report; run `make partners` first", args.html)
        return 1

    def by_scale() -> None:
        measured = {}
        for scale in args.scales:
            html = built_page(scale, args.work_dir.resolve())
            measured[scale] = {
                rate: [measure(html, rate) for _ in range(args.repeats)]
                for rate in (1, args.throttle)
            }
            for rate, runs in measured[scale].items():
                LOG.info("%sx at %gx CPU: %s", scale, rate, runs[-1].summary())
        write_section(
            args.output,
            timings_table(measured, args.throttle, args.repeats),
            TIMINGS_SECTION,
            on_top=False,
        )
        LOG.info("wrote the timings section of %s", args.output)

    def one_page() -> None:
        timings = measure(args.html, args.throttle)
        LOG.info("%s at %gx CPU slowdown: %s", args.html, args.throttle,
                 timings.summary())  # fmt: skip
        LOG.info("%s", timings.memory())

    return exit_code(by_scale if args.scales else one_page, LOG, (BrowserError,))


if __name__ == "__main__":
    sys.exit(main())
