"""``make bench`` rewrites its own section of docs/benchmarks.md and keeps the
rest: the earlier measurements and how to read them are written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark import SECTION, write_section
from report_timings import Timings, timings_table

START, END = SECTION


def test_the_measured_section_is_replaced_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text(f"intro\n{START}\nold figures\n{END}\n\n# Reading\nkept\n")
    write_section(path, "new figures\n")
    assert (
        path.read_text() == f"intro\n{START}\nnew figures\n{END}\n\n# Reading\nkept\n"
    )


def test_a_file_without_the_section_gets_it_on_top(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    write_section(path, "figures\n")
    assert path.read_text() == f"{START}\nfigures\n{END}\n"
    path.write_text("# Notes\n")
    write_section(path, "figures\n")
    assert path.read_text() == f"{START}\nfigures\n{END}\n\n# Notes\n"


def test_a_section_left_open_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text(f"{START}\nfigures\n# Notes\n")
    with pytest.raises(SystemExit, match="has no"):
        write_section(path, "new\n")
    assert path.read_text() == f"{START}\nfigures\n# Notes\n"


def test_a_section_of_its_own_goes_at_the_end(tmp_path: Path) -> None:
    """`make timings` keeps its own section, after the rest when new."""
    path = tmp_path / "benchmarks.md"
    path.write_text(f"{START}\nfigures\n{END}\n")
    marks = ("<!-- timings: start -->", "<!-- timings: end -->")
    write_section(path, "pages\n", marks, on_top=False)
    write_section(path, "pages again\n", marks, on_top=False)
    assert path.read_text() == (
        f"{START}\nfigures\n{END}\n\n{marks[0]}\npages again\n{marks[1]}\n"
    )


def test_the_timings_table_has_a_column_per_scale_and_medians(tmp_path: Path) -> None:
    """`make timings`: each action's median at 1x / 4x CPU, memory at its
    worst over the runs, one column per scale."""

    def run(ms: float, heap: float) -> Timings:
        return Timings(
            240_000, 200 + ms, [ms, ms], [ms], ms, [ms, ms / 2], [heap] * 5,
            [3 * heap] * 5, 4 * heap,
        )  # fmt: skip

    measured = {
        1: {1: [run(10, 4), run(12, 5), run(11, 4)], 4: [run(40, 4)] * 3},
        100: {1: [run(60, 90), run(50, 100), run(70, 95)], 4: [run(250, 99)] * 3},
    }
    table = timings_table(measured, 4, 3)
    rows = {line.split(" | ")[0]: line for line in table.splitlines() if "|" in line}
    assert "| | 1x | 100x |" in table
    assert rows["| the largest partner opened, ms at 1x / 4x CPU"].endswith(
        "| 11 / 40 | 60 / 250 |"
    )
    assert rows["| JavaScript heap after an action, MB at most"].endswith("| 5 | 100 |")
    assert rows["| roster campaigns"].endswith("| 2,067 | 206,700 |")
