"""``make bench`` rewrites its own section of docs/benchmarks.md and keeps the
rest: the earlier measurements and how to read them are written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark import SECTION, write_section

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
