"""The dates people write for a Health drop: title rows and AS_OF."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest

from conftest import make_partners_arguments
from partners import cli
from partners.dates import as_of_argument, month_or_date

TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Health export 2026-10-15", dt.date(2026, 10, 15)),
        ("Campaign health, October 2026", dt.date(2026, 10, 1)),
        ("Oct 2026", dt.date(2026, 10, 1)),
        ("Sept. 2026 budgets", dt.date(2026, 9, 1)),
        ("oct-2026", dt.date(2026, 10, 1)),
        ("Health 2026-10", dt.date(2026, 10, 1)),
        ("Decorations 2026", None),  # a word that starts like a month is none
        ("Mayor 2026", None),
        ("Budget 2025-26", None),  # a fiscal year, not a month
        ("Health report", None),
    ],
)
def test_a_title_names_its_month_in_common_spellings(
    text: str, expected: dt.date | None
) -> None:
    """Month titles were read as "November 2026" only: "Oct 2026" fell back
    to the file's date, and two drops of one day replaced each other."""
    assert month_or_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-01", dt.date(2026, 11, 1)),
        ("2026-11", dt.date(2026, 11, 1)),
        ("Nov 2026", dt.date(2026, 11, 1)),
        (" November 2026 ", dt.date(2026, 11, 1)),
    ],
)
def test_as_of_accepts_the_spellings_people_type(text: str, expected: dt.date) -> None:
    assert as_of_argument(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "12/01/2026",
            "'12/01/2026' is ambiguous (day/month or month/day?): "
            "write it as YYYY-MM-DD (2026-11-01) or a month (2026-11, Nov 2026)",
        ),
        ("13/45/2026", "'13/45/2026' is not a date: write it as YYYY-MM-DD"),
        ("last month", "'last month' is not a date: write it as YYYY-MM-DD"),
        ("2026-11-01 and more", "is not a date"),
        ("2026-13-01", "is not a date"),
        ("2099-11-01", "'2099-11-01' is in the future"),
    ],
)
def test_as_of_names_the_spelling_it_wants(text: str, message: str) -> None:
    """AS_OF=12/01/2026 gave "invalid fromisoformat value", and a typo such
    as 2099-11-01 was accepted and stored."""
    with pytest.raises(argparse.ArgumentTypeError) as error:
        as_of_argument(text, today=TODAY)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (
            {
                "BREAKOUT": "-roster.xlsx",
                "HEALTH": "it's\nhealth $HOME.xlsx",
                "AS_OF": "Nov 2026",
                "FORCE": "0",
            },
            {
                "breakout": "-roster.xlsx",
                "health": "it's\nhealth $HOME.xlsx",
                "as_of": dt.date(2026, 11, 1),
                "force": False,
            },
        ),
        (
            {"BREAKOUT": "b.xlsx", "HEALTH": "h.xlsx", "FORCE": "1"},
            {"breakout": "b.xlsx", "health": "h.xlsx", "as_of": None, "force": True},
        ),
    ],
)
def test_every_path_and_option_reaches_the_program_as_typed(
    tmp_path: Path, variables: dict[str, str], expected: dict[str, object]
) -> None:
    """make partners hands paths with a leading dash, a quote, a newline or a
    `$` to the main job as typed, AS_OF in its spellings, and FORCE=0 does
    not force (a path with a leading dash was an argparse error, FORCE=0
    forced a rebuild)."""
    script, *arguments = make_partners_arguments(tmp_path, variables)
    assert script == "scripts/partners"
    args = cli.argument_parser().parse_args(arguments)
    assert args.breakout == Path(expected["breakout"])
    assert args.health == Path(expected["health"])
    assert args.as_of == expected["as_of"]
    assert args.force is expected["force"]
