"""Benchmark the main job, stage by stage, at several scales.

Usage::

    python scripts/tools benchmark [--scales 1 10 100] [--repeats 3]
        [--output docs/benchmarks.md]

For each scale it generates the sample workbooks (``build/bench/scale-N/``,
reused when present), then, in a throw-away copy of the project, measures the
median wall time and the peak memory (RSS) of each stage of the main job over
``--repeats`` runs: read + convert (``ingest.convert`` into a new raw seed
set), load raw (DuckDB's CSV reader into the ``raw`` tables), dbt build (one
in-process ``dbt build``, raw seeds and unit tests excluded, as the main job
runs it), export partners.html, and the whole main job (``partners``,
publishing included). In the same run it times two references on the same
files: the *floor* (only reading both workbooks with the fastest reader,
fastexcel into Arrow) and the *pandas job* (what an analyst would write:
``read_excel`` with openpyxl, clean IDs, left merge, group by, ``to_html``).
It also opens partners.html in headless Chromium and reports its size and
time to ready.

Each measurement runs in its own process, so peak memory is that stage's own.
Timings on shared machines are noisy: compare the ratios measured in one run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from partners.project import DATABASE_FILE, REPORT_PAGE
from workspace import CHROMIUM, CHROMIUM_ARGS, PROJECT_DIR, copy_project

LOG = logging.getLogger("benchmark")
LOAD_AT_START = " / ".join(f"{load:.1f}" for load in os.getloadavg())

STAGES = (
    "read + convert",
    "load raw",
    "dbt build",
    "export partners.html",
    "main job",
    "floor: read only",
    "pandas job",
)
ROSTER_ROWS_PER_SCALE = 2067
#: where the measured sections go, and the workbooks of each scale (shared
#: by make bench and make timings)
BENCHMARKS_FILE = PROJECT_DIR / "docs" / "benchmarks.md"
WORK_DIR = PROJECT_DIR / "build" / "bench"
#: scales from here on are measured once (minutes per run); 500 x 2,067 =
#: 1,033,500 roster rows, the largest sample that fits one Excel sheet
LARGE_SCALE = 500


# --------------------------------------------------------------------------
# Stages, each run in a fresh process by ``--stage``
# --------------------------------------------------------------------------


def run_stage(stage: str, project: Path, inputs: Path) -> float:
    """Run one stage in this process (started from the copy's own tools, so
    ``partners`` is the copy's package); return its wall time in seconds.

    The stages of the main job run on the previous stage's output (the raw
    seed set in ``build/.work/raw``, then ``build/.work/partners.duckdb``),
    made first, untimed, when it is missing.
    """
    from partners import build as dbt_side
    from partners import export_html, ingest, pipeline, raw_load, run_history
    from partners import project as where

    breakout, health = inputs / "breakout.xlsx", inputs / "health.xlsx"
    # the main job's own paths, so the stage shares its dbt partial-parse cache
    database = project / "build" / ".work" / DATABASE_FILE
    raw = project / "build" / ".work" / "raw"

    def convert() -> None:
        shutil.rmtree(raw, ignore_errors=True)
        ingest.convert(breakout, health, raw)
        run_history.write_seed(where.build_history_file(where.HISTORY_DIR), raw)

    def load() -> list[str]:
        database.unlink(missing_ok=True)
        return raw_load.load_raw_tables(database, raw)

    def build() -> None:
        with raw_load.seed_nodes_for(where.SEEDS_DIR, raw):
            dbt_side.dbt_build(database)

    actions: dict[str, Callable[[], object]] = {
        "read + convert": convert,
        "load raw": load,
        "dbt build": build,
        "export partners.html": lambda: export_html.export(
            database, project / "build" / "bench.html"
        ),
        "main job": lambda: pipeline.run(breakout, health, force=True),
        "floor: read only": lambda: read_only(breakout, health),
        "pandas job": lambda: old_way(breakout, health, project / "build"),
    }
    if stage in ("load raw", "dbt build", "export partners.html"):
        if not raw.exists():
            convert()
        if stage != "load raw" and not database.exists():
            load()
            if stage == "export partners.html":
                build()
    started = time.perf_counter()
    actions[stage]()
    return time.perf_counter() - started


def read_only(breakout: Path, health: Path) -> None:
    """The floor: every sheet of both workbooks into Arrow with fastexcel (Rust,
    calamine underneath), the fastest reader measured (tools/bench_readers.py)."""
    import fastexcel  # only this reference needs it directly

    for path in (breakout, health):
        workbook = fastexcel.read_excel(path)
        for name in workbook.sheet_names:
            workbook.load_sheet(name, header_row=None).to_arrow()


def old_way(breakout: Path, health: Path, out_dir: Path) -> None:
    """What an analyst would write without the product, for comparison."""
    import pandas as pd  # only this reference needs pandas

    roster = pd.read_excel(breakout, sheet_name="Breakout", header=3, engine="openpyxl")
    perf = pd.read_excel(health, sheet_name="Health", header=1, engine="openpyxl")
    roster.columns = [
        "campaign_id",
        "campaign_name",
        "maid",
        "advertiser_name",
        "partner_name",
        "product_type",
        "status",
        "start_date",
    ]
    perf.columns = [
        "campaign_id",
        "campaign_name",
        "maid",
        "advertiser_name",
        "am",
        "product",
        "campaign_budget",
        "utilization",
    ]
    for frame in (roster, perf):
        frame.dropna(subset=["campaign_id"], inplace=True)
        frame["campaign_id"] = (
            frame["campaign_id"]
            .astype(str)
            .str.strip()
            .str.replace(r"\.0$", "", regex=True)
        )
    roster = roster.drop_duplicates()
    perf = perf.drop_duplicates(subset=["campaign_id"])
    perf["campaign_budget"] = pd.to_numeric(
        perf["campaign_budget"].astype(str).str.replace(r"[$,\s]", "", regex=True),
        errors="coerce",
    )
    merged = roster.merge(
        perf[["campaign_id", "campaign_budget", "am", "utilization"]],
        on="campaign_id",
        how="left",
    )
    merged["campaign_budget"] = merged["campaign_budget"].fillna(0)
    summary = merged.groupby(["partner_name", "maid", "product_type"]).agg(
        campaigns=("campaign_id", "count"), budget=("campaign_budget", "sum")
    )
    (out_dir / "old_way.html").write_text(summary.to_html(), encoding="utf-8")


def measure(stage: str, project: Path, inputs: Path) -> dict[str, float]:
    """Run one stage in a fresh process; return its seconds and peak RSS in MB."""
    completed = subprocess.run(  # noqa: S603 - this script with fixed arguments
        [
            sys.executable,
            str(project / "scripts" / "tools"),  # the copy's own tools and package
            "benchmark",
            "--stage",
            stage,
            "--project",
            str(project),
            "--inputs",
            str(inputs),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"stage {stage!r} failed:\n{completed.stdout}{completed.stderr}"
        )
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------
# The report in a browser
# --------------------------------------------------------------------------


def render_seconds(report: Path, repeats: int) -> float:
    """Median time from navigation to the report being ready, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        for _ in range(repeats):
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(report.resolve().as_uri())
            page.wait_for_selector("html[data-ready=true]", timeout=60_000)
            timings.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return statistics.median(timings)


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------


def sample_inputs(scale: int, work_dir: Path, messy: bool = False) -> Path:
    """The folder of the sample workbooks at ``scale`` (``messy``: a messy
    export of that size), generated when missing, reused when present."""
    inputs = work_dir / f"{'messy-' if messy else ''}scale-{scale}"
    if not (inputs / "breakout.xlsx").exists() or not (inputs / "health.xlsx").exists():
        LOG.info("%sx: generating the workbooks in %s", scale, inputs)
        # in its own process: a stage's peak memory (ru_maxrss) counts the
        # process it was forked from, so this one must stay small
        subprocess.run(  # noqa: S603 - this venv's Python with fixed arguments
            [sys.executable, str(Path(__file__).with_name("generate_sample.py")),
             "--out-dir", str(inputs), "--scale", str(scale), "--no-history",
             *(["--messy"] if messy else [])],
            check=True,
        )  # fmt: skip
    return inputs


def benchmark_scale(
    scale: int, repeats: int, work_dir: Path, messy: bool = False
) -> dict[str, object]:
    """Every stage at one scale: medians and peaks over ``repeats`` runs; with
    ``messy``, on a messy export of that size (generate_sample --messy)."""
    label = f"{scale}x{' messy' if messy else ''}"
    inputs = sample_inputs(scale, work_dir, messy)
    project = copy_project(work_dir / "project")
    results: dict[str, object] = {
        "scale": scale, "messy": messy, "label": label,
        "rows": ROSTER_ROWS_PER_SCALE * scale,
    }  # fmt: skip
    for stage in STAGES:
        runs = []
        runs_here = repeats if scale < LARGE_SCALE else 1
        for repeat in range(runs_here):
            LOG.info("%s: %s (run %d of %d)", label, stage, repeat + 1, runs_here)
            runs.append(measure(stage, project, inputs))
        results[stage] = {
            "seconds": statistics.median(run["seconds"] for run in runs),
            "peak_mb": max(run["peak_mb"] for run in runs),
            "cpu": statistics.median(run["cpu"] for run in runs),
        }
    report = project / "build" / REPORT_PAGE
    results["report_mb"] = report.stat().st_size / 1e6
    results["render_seconds"] = render_seconds(report, repeats)
    return results


def markdown(results: list[dict], repeats: int) -> str:
    """docs/benchmarks.md: one table per scale, ratios, and growth across scales."""
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`scripts/tools/benchmark.py`) on "
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores; medians of "
        f"{repeats} runs, each stage in its own process, peak memory = the "
        "stage's maximum resident set size; CPU s = user + system time of the "
        "stage's whole process (Python start-up and imports included). Timings "
        "on shared machines are noisy: read the ratios, measured in one run, "
        f"and the CPU times. Load average when the run started: {LOAD_AT_START}.",
        "",
    ]
    for result in results:
        main = result["main job"]["seconds"]
        floor = result["floor: read only"]["seconds"]
        old = result["pandas job"]["seconds"]
        kind = ", a messy export" if result["messy"] else ""
        lines += [
            f"## Scale {result['scale']}x{kind}: {result['rows']:,} roster campaigns",
            "",
            "| stage | median s | CPU s (process) | peak MB |",
            "|---|---:|---:|---:|",
        ]
        for stage in STAGES:
            seconds, peak = result[stage]["seconds"], result[stage]["peak_mb"]
            cpu = result[stage]["cpu"]
            lines.append(f"| {stage} | {seconds:.2f} | {cpu:.2f} | {peak:.0f} |")
        lines += [
            "",
            f"- main job / floor: **{main / floor:.1f}x**",
            f"- pandas job / main job: **{old / main:.1f}x** "
            "(how many times faster the main job is than the plain pandas job)",
            f"- partners.html: {result['report_mb']:.1f} MB, ready in Chromium in "
            f"{result['render_seconds']:.2f} s",
            "",
        ]
    lines += targets(results)
    results = [result for result in results if not result["messy"]]
    if len(results) > 1:
        lines += [
            "## Growth from scale to scale",
            "",
            "Time ratio divided by row ratio: 1.0 is linear growth, below 1 is "
            "fixed costs (start-up) being spread, above 1 is worse than linear.",
            "",
            "| stage | "
            + " | ".join(
                f"{a['scale']}x -> {b['scale']}x"
                for a, b in itertools.pairwise(results)
            )
            + " |",
            "|---|" + "---:|" * (len(results) - 1),
        ]
        for stage in STAGES:
            cells = []
            for before, after in itertools.pairwise(results):
                time_ratio = after[stage]["seconds"] / max(
                    before[stage]["seconds"], 1e-9
                )
                cells.append(f"{time_ratio / (after['rows'] / before['rows']):.2f}")
            lines.append(f"| {stage} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def targets(results: list[dict]) -> list[str]:
    """The product's performance targets (issue 11), each met or missed."""
    by_scale = {result["scale"]: result for result in results if not result["messy"]}
    checks = []
    if 1 in by_scale:
        main = by_scale[1]["main job"]["seconds"]
        checks.append(("1x: main job <= 5 s", f"{main:.1f} s", main <= 5))
    if 100 in by_scale:
        result = by_scale[100]
        main = result["main job"]["seconds"]
        faster = result["pandas job"]["seconds"] / main
        floor = main / result["floor: read only"]["seconds"]
        checks += [
            ("100x: >= 3x faster than the pandas job", f"{faster:.1f}x", faster >= 3),
            ("100x: <= 3x the floor", f"{floor:.1f}x", floor <= 3),
            ("100x: partners.html < 20 MB", f"{result['report_mb']:.1f} MB",
             result["report_mb"] < 20),
            ("100x: partners.html ready in < 3 s", f"{result['render_seconds']:.2f} s",
             result["render_seconds"] < 3),
        ]  # fmt: skip
    if LARGE_SCALE in by_scale:
        main = by_scale[LARGE_SCALE]["main job"]
        checks += [
            ("~1M rows: main job <= 60 s", f"{main['seconds']:.0f} s",
             main["seconds"] <= 60),
            ("~1M rows: peak memory <= 2 GB", f"{main['peak_mb']:,.0f} MB",
             main["peak_mb"] <= 2048),
        ]  # fmt: skip
    for result in results:
        if result["messy"]:
            faster = result["pandas job"]["seconds"] / result["main job"]["seconds"]
            checks.append((f"{result['label']}: >= 3x faster than the pandas job",
                           f"{faster:.1f}x", faster >= 3))  # fmt: skip
    lines = ["## Targets", "", "| target | measured | |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {'met' if ok else 'missed'} |"
              for name, value, ok in checks]  # fmt: skip
    return [*lines, ""]


#: the lines around the part of docs/benchmarks.md that ``make bench`` writes;
#: the rest (earlier measurements and their reading) is kept as it is
SECTION = (
    "<!-- written by make bench: start -->",
    "<!-- written by make bench: end -->",
)


def write_section(
    path: Path,
    measured: str,
    section: tuple[str, str] = SECTION,
    on_top: bool = True,
) -> None:
    """Put ``measured`` between the ``section`` lines of ``path`` (at its top,
    or its end unless ``on_top``, when it has none, or is new), keeping the
    rest of the file."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = section
    before, found, rest = text.partition(start + "\n")
    if found:
        _, found, after = rest.partition(end + "\n")
        if not found:
            raise SystemExit(f"{path}: {start!r} has no {end!r} after it")
    elif on_top:
        before, after = "", text and "\n" + text
    else:
        before, after = text and text.rstrip("\n") + "\n\n", ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{before}{start}\n{measured}{end}\n{after}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales", type=int, nargs="+", default=[1, 10, 100, LARGE_SCALE]
    )
    parser.add_argument(
        "--messy-scales",
        type=int,
        nargs="*",
        default=[100],
        help="scales measured again on a messy export (generate_sample --messy)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=BENCHMARKS_FILE)
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR)
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:  # one measurement, in its own process
        logging.basicConfig(level=logging.WARNING)
        seconds = run_stage(args.stage, args.project, args.inputs)
        usage = [resource.getrusage(who) for who in
                 (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]  # fmt: skip
        peak_kb = max(u.ru_maxrss for u in usage)
        cpu = sum(u.ru_utime + u.ru_stime for u in usage)
        print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "cpu": cpu}))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    work_dir = args.work_dir.resolve()
    results = [
        *(benchmark_scale(scale, args.repeats, work_dir) for scale in args.scales),
        *(benchmark_scale(scale, args.repeats, work_dir, messy=True)
          for scale in args.messy_scales),
    ]  # fmt: skip
    write_section(args.output, markdown(results, args.repeats))
    LOG.info("wrote the measured section of %s", args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
