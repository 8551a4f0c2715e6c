"""Measure the workbook readers the converter could use, on one large sheet.

Usage::

    python scripts/tools bench_readers [--workbook build/sample-100/breakout.xlsx]
        [--sheet Breakout] [--repeats 3]

Without ``--workbook`` it generates the scale-100 sample roster (206,714 rows)
first. Each reader runs in a fresh process; the table gives the median wall
time, CPU time (steadier on a busy machine) and peak memory of ``--repeats``
runs, and what each reader tells about a cell's type (number / text / date /
boolean / error).
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

LOG = logging.getLogger("bench_readers")
TOOLS_DIR = Path(__file__).resolve().parent
SCRIPTS = TOOLS_DIR.parent

#: reader name -> (code run in a fresh process on PATH / SHEET, what it tells per cell)
READERS = {
    "pandas.read_excel(engine='calamine')": (
        "import pandas; n = len(pandas.read_excel(PATH, sheet_name=SHEET, "
        "header=None, engine='calamine'))",
        "one dtype per column (mixed -> object); no error cells",
    ),
    "python-calamine to_python()": (
        "import python_calamine as c; n = len(c.CalamineWorkbook.from_path(PATH)"
        ".get_sheet_by_name(SHEET).to_python(skip_empty_area=False))",
        "per cell: float / str / date / datetime / bool; errors read as ''",
    ),
    "python-calamine iter_rows()": (
        "import python_calamine as c; n = sum(1 for _ in c.CalamineWorkbook"
        ".from_path(PATH).get_sheet_by_name(SHEET).iter_rows())",
        "per cell, as to_python(), one row at a time",
    ),
    "fastexcel to_arrow()": (
        "import fastexcel; n = fastexcel.read_excel(PATH).load_sheet(SHEET, "
        "header_row=None, schema_sample_rows=None).to_arrow().num_rows",
        "one dtype per column: a column with a title row above the header is "
        "all text (numbers as '1001', dates as '2025-03-01 00:00:00'); errors null",
    ),
    "this converter: pre-scan + iter_rows": (
        "from partners import readers; from pathlib import Path; n = sum(len(s.head) + "
        "sum(1 for _ in s.rest) for s in readers.read_sheets(Path(PATH)))",
        "per cell (calamine), plus error cells and uncalculated formulas "
        "from the pre-scan",
    ),
}

_HARNESS = """
import resource, sys, time
sys.path.insert(0, {scripts!r})
PATH, SHEET = {path!r}, {sheet!r}
started = time.perf_counter()
{code}
usage = resource.getrusage(resource.RUSAGE_SELF)
print(n, time.perf_counter() - started, usage.ru_utime + usage.ru_stime,
      usage.ru_maxrss // 1024)
"""


def measure(code: str, path: Path, sheet: str) -> tuple[int, float, float, int]:
    """Run ``code`` in a fresh interpreter: (rows, seconds, CPU seconds, peak MB)."""
    script = _HARNESS.format(
        scripts=str(SCRIPTS), path=str(path), sheet=sheet, code=code
    )
    completed = subprocess.run(  # noqa: S603 - this interpreter, code written above
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
    )
    rows, seconds, cpu, peak = completed.stdout.split()
    return int(rows), float(seconds), float(cpu), int(peak)


def run(path: Path, sheet: str, repeats: int) -> list[dict[str, object]]:
    """Median time and memory of each reader over ``repeats`` runs."""
    results = []
    for name, (code, types) in READERS.items():
        runs = [measure(code, path, sheet) for _ in range(repeats)]
        results.append(
            {
                "reader": name,
                "rows": runs[0][0],
                "seconds": statistics.median(r[1] for r in runs),
                "cpu_seconds": statistics.median(r[2] for r in runs),
                "peak_mb": statistics.median(r[3] for r in runs),
                "cell_types": types,
            }
        )
        LOG.info(
            "%s: %.2f s, %d MB", name, results[-1]["seconds"], results[-1]["peak_mb"]
        )
    return results


def as_markdown(results: list[dict[str, object]]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| reader | rows | median s | CPU s | peak MB | what it tells about a cell |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {r['reader']} | {r['rows']:,} | {r['seconds']:.2f} | "
        f"{r['cpu_seconds']:.2f} | {r['peak_mb']:,} | "
        f"{r['cell_types']} |"
        for r in results
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workbook", type=Path, help="default: the scale-100 roster")
    parser.add_argument("--sheet", default="Breakout")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    with tempfile.TemporaryDirectory() as scratch:
        path = args.workbook
        if path is None:
            subprocess.run(  # noqa: S603 - the project's own generator
                [sys.executable, str(TOOLS_DIR / "generate_sample.py"), "--out-dir",
                 scratch, "--scale", "100", "--no-history"],
                check=True,
            )  # fmt: skip
            path = Path(scratch) / "breakout.xlsx"
        results = run(path, args.sheet, args.repeats)
    print(as_markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
