"""The bad-workbook corpus, row level: awkward values, each with pinned behaviour.

Moved (issue 11): these rules now live in the dbt staging models; the file-level
cases (ingestion stops) are in test_corpus_files.py. On the ingest branch these
tests are skipped; the staging branch runs them through dbt.

Every case is made here, in the test (no binary fixtures). Its expectation is
one of:

- ``reject``: the row goes to the rejects with this reason (rows read = loaded
  + rejected still holds);
- ``cleared``: the row is loaded, this optional value is cleared and listed;
- ``loaded``: the row is loaded, normalized as the check says.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

import ingest
from conftest import HEALTH_HEADER, ROSTER_HEADER, tree_digest, write_workbook

pytestmark = pytest.mark.skip(
    reason="row-level rules moved to the dbt staging models (issue 11)"
)

GOOD_ROSTER = [ROSTER_HEADER, [1001, 500, "Bob's", "Acme Media", "Search"]]
GOOD_HEALTH = [HEALTH_HEADER, ["1001", "500", "Rivera", 100.0, 0.5]]


def roster(*rows: list[object]) -> dict[str, list[list[object]]]:
    return {"Breakout": [ROSTER_HEADER, *rows]}


def health(*rows: list[object]) -> dict[str, list[list[object]]]:
    return {"Health": [HEALTH_HEADER, *rows]}


@dataclass
class Case:
    """One corpus entry: what the roster/health files hold, and what must happen."""

    name: str
    expect: str  # error | reject | cleared | loaded
    detail: str  # message part, reason code, or column=value to find
    roster: object = None  # sheets dict, or a function(path) writing the file
    health: object = None
    hidden: tuple[str, ...] = ()


def _real_formula(path: Path, cached: str | None) -> None:
    """A roster whose product cell is a formula, with or without a cached value."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Breakout"
    sheet.append(ROSTER_HEADER)
    sheet.append([1001, 500, "Bob's", "Acme Media", '=CONCAT("Sea","rch")'])
    workbook.save(path)
    if cached is not None:  # as Excel saves a formula with a text result
        _rewrite_member(
            path,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b'<c r="E2"><f>', b'<c r="E2" t="str"><f>').replace(
                b"</f><v /></c>", b"</f><v>" + cached.encode() + b"</v></c>"
            ),
        )


def _rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == member else data)
    copy.replace(path)


def _merged_title(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Breakout"
    sheet["A1"] = "Campaign Breakout - all partners"
    sheet.merge_cells("A1:E1")
    sheet.append(ROSTER_HEADER)
    sheet.append([1001, 500, "Bob's", "Acme Media", "Search"])
    workbook.save(path)


LONG = "A" * 10_000
CASES = [
    # ----------------------------------------------------------- structure
    Case("header on row 1", "loaded", "campaign_id=1001", {"Breakout": GOOD_ROSTER}),
    Case(
        "header on row 4",
        "loaded",
        "campaign_id=1001",
        {"Breakout": [["Roster"], ["exported today"], [], *GOOD_ROSTER]},
    ),
    Case("header under a merged title", "loaded", "campaign_id=1001", _merged_title),
    Case(
        "hidden sheet with the expected columns",
        "loaded",
        "campaign_id=1001",
        {
            "Stale": [ROSTER_HEADER, [9, 9, "x", "Stale", "SEO"]],
            "Breakout": GOOD_ROSTER,
        },
        hidden=("Stale",),
    ),
    # ----------------------------------------------------------- file formats
    # ----------------------------------------------------------- IDs
    Case(
        "ID as float",
        "loaded",
        "campaign_id=12345",
        roster([12345.0, 500, "Bob", "Acme", "SEO"]),
    ),
    Case(
        "ID with leading zeros",
        "loaded",
        "campaign_id=00123",
        roster(["00123", "0500", "Bob", "Acme", "SEO"]),
    ),
    Case(
        "ID with spaces and NBSP",
        "loaded",
        "campaign_id=12345",
        roster([" 12345\u00a0", 500, "Bob", "Acme", "SEO"]),
    ),
    Case(
        "blank ID", "reject", "missing-value", roster([None, 500, "Bob", "Acme", "SEO"])
    ),
    Case(
        "fractional ID",
        "reject",
        "invalid-id",
        roster([1.5, 500, "Bob", "Acme", "SEO"]),
    ),
    # ----------------------------------------------------------- duplicates
    Case(
        "exact duplicate rows",
        "reject",
        "duplicate-row",
        roster(GOOD_ROSTER[1], GOOD_ROSTER[1]),
    ),
    Case(
        "conflicting duplicate (partner)",
        "reject",
        "conflicting-duplicate",
        roster([7, 500, "Bob", "Acme", "SEO"], [7, 500, "Bob", "Beta", "SEO"]),
    ),
    Case(
        "conflicting duplicate (budget)",
        "reject",
        "conflicting-duplicate",
        None,
        health(
            ["1001", "500", "Rivera", 100, 0.5], ["1001", "500", "Rivera", 200, 0.5]
        ),
    ),
    # ----------------------------------------------------------- money and percent
    Case(
        "currency text (US)",
        "loaded",
        "campaign_budget=1234.50",
        None,
        health(["1001", "500", "Rivera", "$1,234.50", 0.5]),
    ),
    Case(
        "currency text (European)",
        "loaded",
        "campaign_budget=1234.50",
        None,
        health(["1001", "500", "Rivera", "1.234,50 €", 0.5]),
    ),
    Case(
        "accounting negative",
        "reject",
        "negative-money",
        None,
        health(["1001", "500", "Rivera", "(1,234.00)", 0.5]),
    ),
    Case(
        "negative budget",
        "reject",
        "negative-money",
        None,
        health(["1001", "500", "Rivera", -5, 0.5]),
    ),
    Case(
        "absurd budget",
        "reject",
        "implausible-money",
        None,
        health(["1001", "500", "Rivera", 5e9, 0.5]),
    ),
    Case(
        "percent text",
        "loaded",
        "utilization=0.85",
        None,
        health(["1001", "500", "Rivera", 100, "85%"]),
    ),
    Case(
        "bare percent number",
        "cleared",
        "implausible-percent",
        None,
        health(["1001", "500", "Rivera", 100, "85"]),
    ),
    # ----------------------------------------------------------- Excel values
    Case(
        "Excel error #N/A",
        "reject",
        "excel-error",
        None,
        health(["1001", "500", "Rivera", "#N/A", 0.5]),
    ),
    Case(
        "Excel error #REF!",
        "reject",
        "excel-error",
        None,
        health(["1001", "500", "Rivera", "#REF!", 0.5]),
    ),
    Case(
        "Excel error #DIV/0! in an optional column",
        "cleared",
        "excel-error",
        None,
        health(["1001", "500", "Rivera", 100, "#DIV/0!"]),
    ),
    Case(
        "formula with a cached value",
        "loaded",
        "product_type=Search",
        lambda path: _real_formula(path, "Search"),
    ),
    Case(
        "date as serial number",
        "loaded",
        "start_date=2025-03-01",
        {"Breakout": [[*ROSTER_HEADER, "Start Date"], [1, 2, "a", "b", "SEO", 45717]]},
    ),
    Case(
        "date as text",
        "loaded",
        "start_date=2025-03-01",
        {
            "Breakout": [
                [*ROSTER_HEADER, "Start Date"],
                [1, 2, "a", "b", "SEO", "03/01/2025"],
            ]
        },
    ),
    Case(
        "unreadable date",
        "cleared",
        "invalid-date",
        {
            "Breakout": [
                [*ROSTER_HEADER, "Start Date"],
                [1, 2, "a", "b", "SEO", "2024-13-01"],
            ]
        },
    ),
    # ----------------------------------------------------------- rows
    Case(
        "totals row",
        "reject",
        "total-row",
        roster(GOOD_ROSTER[1], ["Total", None, None, None, 1]),
    ),
    Case(
        "subtotal row",
        "reject",
        "total-row",
        roster(GOOD_ROSTER[1], [None, None, "Subtotal Acme", None, None]),
    ),
    Case(
        "blank rows in the middle",
        "loaded",
        "campaign_id=1002",
        roster(
            GOOD_ROSTER[1], [None] * 5, [None] * 5, [1002, 500, "Bob", "Acme", "SEO"]
        ),
    ),
    # ----------------------------------------------------------- text
    Case(
        "10,000-character required value",
        "reject",
        "too-long",
        roster([1, 500, "Bob", LONG, "SEO"]),
    ),
    Case(
        "10,000-character optional value",
        "cleared",
        "too-long",
        roster([1, 500, LONG, "Acme", "SEO"]),
    ),
    Case(
        "unicode, emoji and right-to-left names",
        "loaded",
        "partner_name=شريك 🚀 Café",
        roster([1, 500, "広告主", "شريك 🚀 Cafe\u0301", "SEO"]),
    ),
    Case(
        "bidi override in a name",
        "reject",
        "control-characters",
        roster([1, 500, "Bob", "abc\u202etxt.exe", "SEO"]),
    ),
    Case(
        "HTML/JS in names",
        "loaded",
        "partner_name=<img src=x onerror=alert(1)>",
        roster(
            [
                1,
                500,
                "</script><script>alert(1)</script>",
                "<img src=x onerror=alert(1)>",
                "SEO",
            ]
        ),
    ),
    Case(
        "formula injection text in names",
        "loaded",
        'advertiser_name==HYPERLINK("x")',
        roster([1, 500, '=HYPERLINK("x")', "+cmd|' /C calc'!A0", "@SUM(1)"]),
    ),
    Case(
        "unknown product type",
        "loaded",
        "product_type=Hologram Ads",
        roster([1, 500, "Bob", "Acme", "Hologram Ads"]),
    ),
]


def write_case_file(path: Path, content: object, hidden: tuple[str, ...]) -> Path:
    if callable(content):
        content(path)
    else:
        write_workbook(path, content, hidden)
    return path


def read_seed(seeds: Path, name: str) -> list[dict[str, str]]:
    with (seeds / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_case(case: Case, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds" / "raw"
    good_roster = write_workbook(
        tmp_path / "good_roster.xlsx", {"Breakout": GOOD_ROSTER}
    )
    good_health = write_workbook(tmp_path / "good_health.xlsx", {"Health": GOOD_HEALTH})
    ingest.ingest(good_roster, good_health, seeds)  # the previous, good seed set
    before = tree_digest(seeds)
    breakout = (
        good_roster
        if case.roster is None
        else write_case_file(tmp_path / "breakout.xlsx", case.roster, case.hidden)
    )
    health_file = (
        good_health
        if case.health is None
        else write_case_file(tmp_path / "health.xlsx", case.health, case.hidden)
    )
    role = "breakout" if case.roster is not None else "health"

    if case.expect == "error":
        with pytest.raises(ingest.IngestError) as error:
            ingest.ingest(breakout, health_file, seeds)
        assert case.detail in str(error.value)
        assert str(breakout if role == "breakout" else health_file) in str(error.value)
        assert tree_digest(seeds) == before
        return

    results = ingest.ingest(breakout, health_file, seeds)
    for result in results:
        assert result.rows_read == len(result.rows) + result.rows_rejected
    rejects = [
        r for r in read_seed(seeds, "raw_ingest_rejects") if r["source_role"] == role
    ]
    seed = "raw_breakout_campaigns" if role == "breakout" else "raw_health_campaigns"
    loaded = read_seed(seeds, seed)
    if case.expect == "reject":
        assert case.detail in {r["reason"] for r in rejects if r["scope"] == "row"}
    elif case.expect == "cleared":
        assert [(r["reason"], r["scope"]) for r in rejects] == [(case.detail, "value")]
        assert len(loaded) == 1
    else:
        column, value = case.detail.split("=", 1)
        assert value in {row[column] for row in loaded}, (loaded, rejects)
        assert not [r for r in rejects if r["scope"] == "row"]


def test_corpus_is_at_least_35_cases() -> None:
    assert len(CASES) >= 35
