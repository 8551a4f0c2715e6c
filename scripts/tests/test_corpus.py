"""The bad-row corpus: awkward values and rows, each with pinned behaviour.

Every case is made here, in the test (no binary fixtures), and runs through
the real converter (``ingest.convert``) AND the real staging SQL: each case's
files get their own names, all cases' raw seeds are concatenated into one seed
set (``source_file`` tells them apart), and dbt runs once (one subprocess)
into a temporary DuckDB (the staging, intermediate, ``rejected_rows`` and
``input_files`` models). Each case is then asserted from the tables. Its
expectation is one of:

- ``reject``: a row of the case's file is rejected with this reason (and rows
  read = loaded + rejected for the file);
- ``cleared``: the row is loaded, this optional value cleared and listed
  (exactly one listed value, no rejected row);
- ``loaded``: the row is loaded, ``column=value`` among the loaded rows, no
  rejected row;
- ``same``: every loaded row of the file has ``column=value`` (two spellings
  became one);
- ``matched``: the Health campaign matches the roster campaign on
  ``campaign_key``, shown with the roster's spelling ``detail``.

The file-level cases (files the converter stops on, or reads as Excel does)
are in test_corpus_files.py.

Expectations changed by the move into SQL (issue 12):
- "currency text (European)" (``1.234,50 €``) was loaded as $1,234.50; euros
  are now rejected as non-dollar-currency: never summed as dollars.
- "date as text" (``03/01/2025`` alone in its file) was read as month/day;
  day and month are undecidable there, so the value is now cleared as
  ambiguous-date ("date as text with month/day evidence" keeps the old
  reading where the file itself says month/day).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from conftest import (
    HEALTH_HEADER,
    ROSTER_HEADER,
    formula_workbook,
    rewrite_member,
    write_workbook,
)
from partners import dbt_runner, ingest, run_history
from workspace import copy_project

#: one worker builds this module's project (make test: pytest-xdist, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("corpus")

GOOD_ROSTER = [ROSTER_HEADER, [1001, 500, "Bob's", "Acme Media", "Search"]]
GOOD_HEALTH = [HEALTH_HEADER, ["1001", "500", "Rivera", 100.0, 0.5]]
RAW_SEEDS = (
    "raw_breakout_campaigns",
    "raw_health_campaigns",
    "raw_ingest_files",
)


def roster(*rows: list[object]) -> dict[str, list[list[object]]]:
    return {"Breakout": [ROSTER_HEADER, *rows]}


def health(*rows: list[object]) -> dict[str, list[list[object]]]:
    return {"Health": [HEALTH_HEADER, *rows]}


def dated(*dates: object) -> dict[str, list[list[object]]]:
    """A roster with a Start Date column, one campaign per date."""
    header = [*ROSTER_HEADER, "Start Date"]
    rows = [[i + 1, 2, "a", "b", "SEO", d] for i, d in enumerate(dates)]
    return {"Breakout": [header, *rows]}


@dataclass
class Case:
    """One corpus entry: what the roster/health files hold, and what must happen."""

    name: str
    expect: str  # reject | cleared | loaded | same | matched
    detail: str  # reason code, or column=value, or the roster's ID spelling
    roster: object = None  # sheets dict, or a function(path) writing the file
    health: object = None
    hidden: tuple[str, ...] = ()
    suffix: str = ".xlsx"  # of the file the case writes (.csv: the first sheet)


def _merged_title(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Breakout"
    sheet["A1"] = "Campaign Breakout - all partners"
    sheet.merge_cells("A1:E1")
    sheet.append(ROSTER_HEADER)
    sheet.append([1001, 500, "Bob's", "Acme Media", "Search"])
    workbook.save(path)


def _write_parquet(path: Path, budget: str) -> None:
    """A Health export in Parquet whose budget is the double ``budget``."""
    connection = duckdb.connect()
    connection.execute(
        "create table health as select '1001' as \"Campaign ID\", '500' as "
        '"MAID", \'Rivera\' as "AM", cast(? as double) as "Monthly Budget", '
        '0.5 as "Utilization"',
        [budget],
    )
    connection.execute(f"copy health to '{path}' (format parquet)")
    connection.close()


def _table_totals(path: Path) -> None:
    """A Health sheet made an Excel table with a totals row (totalsRowCount)."""
    from openpyxl.worksheet.table import Table

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Health"
    for row in (
        HEALTH_HEADER,
        ["1001", "500", "Rivera", 100, 0.5],
        ["1002", "500", "Rivera", 200, 0.5],
        [7, None, None, 300, None],  # the totals row: only the table part says so
    ):
        sheet.append(row)
    sheet.add_table(Table(displayName="Budgets", ref="A1:E4", totalsRowCount=1))
    workbook.save(path)


def _count_formula(path: Path) -> None:
    """A totals row whose ID cell is a SUBTOTAL count, as Excel saved it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Health"
    for row in (HEALTH_HEADER, ["1001", "500", "Rivera", 100, 0.5]):
        sheet.append(row)
    sheet.append(["=SUBTOTAL(103,A2:A2)", None, None, 100, None])
    workbook.save(path)
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"<f>SUBTOTAL(103,A2:A2)</f><v></v>", b"<f>SUBTOTAL(103,A2:A2)</f><v>9</v>"
        ).replace(
            b"<f>SUBTOTAL(103,A2:A2)</f><v />", b"<f>SUBTOTAL(103,A2:A2)</f><v>9</v>"
        ),
    )


def _date1904(path: Path) -> None:
    """A Mac-style workbook (1904 date system) with a date-formatted ID."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Breakout"
    sheet.append([*ROSTER_HEADER, "Start Date"])
    sheet.append([45717, 500, "Bob", "Acme", "SEO", 44255])
    for cell in (sheet["A2"], sheet["F2"]):
        cell.number_format = "yyyy-mm-dd"
    workbook.save(path)
    rewrite_member(
        path,
        "xl/workbook.xml",
        lambda xml: re.sub(rb"<workbookPr\b", b'<workbookPr date1904="1"', xml),
    )


def _merged_partner(path: Path) -> None:
    """One partner cell merged over the two campaigns it is the partner of."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Breakout"
    sheet.append(ROSTER_HEADER)
    sheet.append([1001, 500, "Bob", "Acme Media", "SEO"])
    sheet.append([1002, 500, "Bob", None, "SEO"])
    sheet.merge_cells("D2:D3")
    workbook.save(path)


def _zoned_parquet(path: Path) -> None:
    """A roster in Parquet whose start is a time-zone timestamp (8 pm in New York)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    start = dt.datetime(2025, 3, 1, 20, 0, tzinfo=dt.UTC) + dt.timedelta(hours=5)
    table = pa.table(
        {
            "Campaign ID": [1001],
            "MAID": [500],
            "Partner": ["Acme"],
            "Product": ["SEO"],
            "Start Date": pa.array(
                [start], type=pa.timestamp("us", tz="America/New_York")
            ),
        }
    )
    pq.write_table(table, path)


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
    Case(
        "ID cell typed as a date",
        "loaded",
        "campaign_id=1001",
        roster([dt.datetime(1902, 9, 27), 500, "Bob", "Acme", "SEO"]),
    ),
    Case(
        "ID cell typed as a boolean",
        "reject",
        "invalid-id",
        roster([True, 500, "Bob", "Acme", "SEO"]),
    ),
    Case(
        "padded health IDs match numeric roster IDs",
        "matched",
        "1001",
        None,
        health(["0000001001", "00500", "Rivera", 100, 0.5]),
    ),
    Case(
        "two padded IDs colliding in one file",
        "reject",
        "conflicting-duplicate",
        None,
        health(
            ["0001001", "500", "Rivera", 100, 0.5], ["1001", "500", "Rivera", 200, 0.5]
        ),
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
        "conflicting duplicate keeps its Health budget",
        "reject",
        "conflicting-duplicate",
        roster(GOOD_ROSTER[1], [1001, 500, "Bob's", "Beta Media", "Search"]),
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
        "currency text (European grouping, dollars)",
        "loaded",
        "campaign_budget=1234.50",
        None,
        health(["1001", "500", "Rivera", "1.234,50", 0.5]),
    ),
    Case(  # changed: was loaded as 1234.50 dollars
        "currency text (European)",
        "reject",
        "non-dollar-currency",
        None,
        health(["1001", "500", "Rivera", "1.234,50 €", 0.5]),
    ),
    Case(
        "pounds",
        "reject",
        "non-dollar-currency",
        None,
        health(["1001", "500", "Rivera", "£1,234.50", 0.5]),
    ),
    Case(
        "Canadian dollars",
        "reject",
        "non-dollar-currency",
        None,
        health(["1001", "500", "Rivera", "CAD 1,234.50", 0.5]),
    ),
    Case(
        "yen",
        "reject",
        "non-dollar-currency",
        None,
        health(["1001", "500", "Rivera", "¥120000", 0.5]),
    ),
    Case(
        "ambiguous 1.234",
        "reject",
        "ambiguous-money",
        None,
        health(["1001", "500", "Rivera", "1.234", 0.5]),
    ),
    Case(
        "extra decimals beyond cents",
        "reject",
        "too-many-decimals",
        None,
        health(["1001", "500", "Rivera", 1234.567, 0.5]),
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
        "1e30 budget",
        "reject",
        "implausible-money",
        None,
        health(["1001", "500", "Rivera", 1e30, 0.5]),
    ),
    Case(
        "inf budget in Parquet",
        "reject",
        "implausible-money",
        None,
        lambda path: _write_parquet(path, "inf"),
        suffix=".parquet",
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
    Case(  # was published as 400% (85 beside it cleared)
        "bare utilization 4 beside 85 in the same file",
        "loaded",
        "utilization=0.04",
        None,
        health(
            ["1001", "500", "Rivera", 100, "4"], ["1002", "500", "Rivera", 100, "85"]
        ),
    ),
    Case(  # was published as 400%
        "bare utilization 4 alone in its file",
        "cleared",
        "implausible-percent",
        None,
        health(["1001", "500", "Rivera", 100, "4"]),
    ),
    Case(  # was published as -5%
        "negative utilization",
        "cleared",
        "negative-percent",
        None,
        health(["1001", "500", "Rivera", 100, "-5%"]),
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
        "#N/A text in a CSV",
        "reject",
        "excel-error",
        None,
        health(["1001", "500", "Rivera", "#N/A", "0.5"]),
        suffix=".csv",
    ),
    Case(
        "NULL text in a required column",
        "reject",
        "missing-value",
        roster([1001, "NULL", "Bob", "Acme", "SEO"]),
        suffix=".csv",
    ),
    Case(
        "null text in an optional column",
        "loaded",
        "campaign_id=1001",
        roster([1001, 500, "null", "Acme", "SEO"]),
        suffix=".csv",
    ),
    Case(
        "formula with a cached value",
        "loaded",
        "product_type=Search",
        lambda path: formula_workbook(path, "Search"),
    ),
    # ----------------------------------------------------------- dates
    Case(
        "date as serial number",
        "loaded",
        "start_date=2025-03-01",
        {"Breakout": [[*ROSTER_HEADER, "Start Date"], [1, 2, "a", "b", "SEO", 45717]]},
    ),
    Case(  # changed: was read as month/day, 2025-03-01
        "date as text",
        "cleared",
        "ambiguous-date",
        dated("03/01/2025"),
    ),
    Case(
        "date as text with month/day evidence in the file",
        "loaded",
        "start_date=2025-03-01",
        dated("03/01/2025", "12/25/2025"),
    ),
    Case(
        "day/month-ambiguous date",
        "cleared",
        "ambiguous-date",
        dated("01/03/2025"),
    ),
    Case(
        "unreadable date",
        "cleared",
        "invalid-date",
        dated("2024-13-01"),
    ),
    Case(
        "date cell",
        "loaded",
        "start_date=2025-03-01",
        dated(dt.datetime(2025, 3, 1)),
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
    Case(  # trust round 3: was loaded as a Health campaign (ID 7)
        "Excel table totals row",
        "reject",
        "total-row",
        None,
        _table_totals,
    ),
    Case(  # was loaded as campaign "Sum"
        "Sum label in the ID column",
        "reject",
        "total-row",
        None,
        health(["1001", "500", "Rivera", 100, 0.5], ["Sum", None, None, 100, None]),
    ),
    Case(  # was rejected as missing-value
        "Gesamtergebnis label before the numbers",
        "reject",
        "total-row",
        None,
        health(
            ["1001", "500", "Rivera", 100, 0.5], [None, "Gesamtergebnis", None, 100]
        ),
    ),
    Case(  # was rejected as missing-value
        "Grand Total in a column not read",
        "reject",
        "total-row",
        None,
        {
            "Health": [
                ["Region", *HEALTH_HEADER],
                ["West", "1001", "500", "Rivera", 100, 0.5],
                ["Grand Total", None, None, None, 100, None],
            ]
        },
    ),
    Case(  # was loaded as a Health campaign outside the roster (ID 2)
        "count of the rows above in the ID column",
        "reject",
        "total-row",
        None,
        health(
            ["1001", "500", "Rivera", 100, 0.5],
            ["1002", "500", "Rivera", 100, 0.5],
            [2, None, None, 200, None],
        ),
    ),
    Case(  # was loaded as a Health campaign outside the roster (ID 9)
        "SUBTOTAL count formula in the ID column",
        "reject",
        "total-row",
        None,
        _count_formula,
    ),
    Case(  # was published as campaign "CID" under partner "Partner"
        "repeated header row of a second pasted block",
        "reject",
        "repeated-header",
        roster(
            GOOD_ROSTER[1],
            ["CID", "MAID", "Advertiser", "Partner", "Product"],
            [1002, 500, "Bob", "Acme", "SEO"],
        ),
    ),
    Case(  # was published as 47179 (1,462 days off)
        "date-formatted ID in a 1904 workbook",
        "loaded",
        "campaign_id=45717",
        _date1904,
    ),
    Case(  # the same cell's date, as the 1904 workbook shows it
        "date in a 1904 workbook",
        "loaded",
        "start_date=2025-03-01",
        _date1904,
    ),
    Case(  # was published as campaign ID 2025-03-01
        "ISO-date-looking ID in a CSV",
        "reject",
        "date-like-id",
        roster(["2025-03-01", 500, "Bob", "Acme", "SEO"]),
        suffix=".csv",
    ),
    Case(  # the second row was rejected: partner blank
        "partner cell merged over two campaigns",
        "same",
        "partner_name=Acme Media",
        _merged_partner,
    ),
    Case(  # was cleared as invalid-date (2025-03-01T20:00:00-05:00)
        "time-zone timestamp in Parquet",
        "loaded",
        "start_date=2025-03-01",
        _zoned_parquet,
        suffix=".parquet",
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
        "zero-width space in a partner name",
        "same",
        "partner_name=Acme Media",
        roster(
            [1, 500, "Bob", "Acme Media", "SEO"],
            [2, 500, "Bob", "Acme\u200b Media", "SEO"],
        ),
    ),
    Case(
        "soft hyphen in a partner name",
        "same",
        "partner_name=Acme Media",
        roster(
            [1, 500, "Bob", "Acme Media", "SEO"],
            [2, 500, "Bob", "Acme Me\u00addia", "SEO"],
        ),
    ),
    Case(
        "partner spellings differing in case",
        "same",
        "partner_name=Acme Media",
        roster(
            [1, 500, "Bob", "Acme Media", "SEO"],
            [2, 500, "Bob", "Acme Media", "SEO"],
            [3, 500, "Bob", "ACME  MEDIA", "SEO"],
        ),
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
    # ------------------------------------------------ trust round 3, more forms
    Case(
        "accounting zero '$ -'",
        "loaded",
        "campaign_budget=0",
        None,
        health(["1001", "500", "Rivera", "$ -", 0.5]),
    ),
    Case(
        "accounting zero '-'",
        "loaded",
        "campaign_budget=0",
        None,
        health(["1001", "500", "Rivera", "-", 0.5]),
    ),
    Case(
        "accounting zero padded ' $   -   '",
        "loaded",
        "campaign_budget=0",
        None,
        health(["1001", "500", "Rivera", " $   -   ", 0.5]),
    ),
    Case(
        "currency text with a space after the sign",
        "loaded",
        "campaign_budget=1234.50",
        None,
        health(["1001", "500", "Rivera", "$ 1,234.50", 0.5]),
    ),
    Case(
        "TOTAL in capitals in the ID column",
        "reject",
        "total-row",
        None,
        health(["1001", "500", "Rivera", 100, 0.5], ["TOTAL", None, None, 100, None]),
    ),
    Case(
        "Grand Total in the ID column",
        "reject",
        "total-row",
        None,
        health(
            ["1001", "500", "Rivera", 100, 0.5], ["Grand Total", None, None, 100, None]
        ),
    ),
    Case(
        "percent text with a space before the sign",
        "loaded",
        "utilization=0.85",
        None,
        health(["1001", "500", "Rivera", 100, "85 %"]),
    ),
    Case(
        "percent text with decimals",
        "loaded",
        "utilization=0.855",
        None,
        health(["1001", "500", "Rivera", 100, "85.5%"]),
    ),
    Case(
        "Excel error #VALUE! in the ID column",
        "reject",
        "excel-error",
        roster(["#VALUE!", 500, "Bob", "Acme", "SEO"]),
    ),
    Case(
        "Excel error #NAME? in an optional column",
        "cleared",
        "excel-error",
        roster([1001, 500, "#NAME?", "Acme", "SEO"]),
    ),
    Case(
        "MAID as float",
        "loaded",
        "maid=500",
        roster([1001, 500.0, "Bob", "Acme", "SEO"]),
    ),
    Case(
        "product alias in lower case",
        "loaded",
        "product_type=Search",
        roster([1001, 500, "Bob", "Acme", "paid search"]),
    ),
    Case(
        "product abbreviation",
        "loaded",
        "product_type=Search",
        roster([1001, 500, "Bob", "Acme", "PPC"]),
    ),
    Case(
        "partner spellings differing in spaces",
        "same",
        "partner_name=Acme Media",
        roster(
            [1001, 500, "Bob", "Acme Media", "SEO"],
            [1002, 500, "Bob", " Acme  Media ", "SEO"],
        ),
    ),
    Case(
        "repeated header row in the Health file",
        "reject",
        "repeated-header",
        None,
        health(
            ["1001", "500", "Rivera", 100, 0.5],
            HEALTH_HEADER,
            ["1002", "500", "Rivera", 100, 0.5],
        ),
    ),
    Case(
        "ISO-date-looking ID in a Health CSV",
        "reject",
        "date-like-id",
        None,
        health(["2025-03-01", "500", "Rivera", 100, 0.5]),
        suffix=".csv",
    ),
    Case(
        "exact duplicate rows in the Health file",
        "reject",
        "duplicate-row",
        None,
        health(
            ["1001", "500", "Rivera", 100, 0.5], ["1001", "500", "Rivera", 100, 0.5]
        ),
    ),
]


def write_case_file(path: Path, content: object, hidden: tuple[str, ...]) -> Path:
    """Write a case's file: a function of the path, an .xlsx, or a .csv."""
    if callable(content):
        content(path)
    elif path.suffix == ".csv":
        [rows] = list(content.values())
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(
                ["" if cell is None else cell for cell in row] for row in rows
            )
    else:
        write_workbook(path, content, hidden)
    return path


def case_files(case: Case, number: int, folder: Path) -> tuple[Path, Path]:
    """The case's roster and Health files, each under a name of its own."""
    stem = f"case{number:02d}"
    if case.roster is not None:
        breakout = folder / f"{stem}_breakout{case.suffix}"
        write_case_file(breakout, case.roster, case.hidden)
    else:
        breakout = write_workbook(
            folder / f"{stem}_breakout.xlsx", {"Breakout": GOOD_ROSTER}
        )
    if case.health is not None:
        health_file = folder / f"{stem}_health{case.suffix}"
        write_case_file(health_file, case.health, case.hidden)
    else:
        health_file = write_workbook(
            folder / f"{stem}_health.xlsx", {"Health": GOOD_HEALTH}
        )
    return breakout, health_file


def concatenate(parts: list[Path], seeds: Path) -> None:
    """One seed set holding every case's raw rows (header once per seed)."""
    seeds.mkdir(parents=True)
    for name in RAW_SEEDS:
        with (seeds / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            for index, part in enumerate(parts):
                with (part / f"{name}.csv").open(newline="", encoding="utf-8") as f:
                    rows = list(csv.reader(f))
                writer.writerows(rows if index == 0 else rows[1:])


@dataclass
class CorpusBuild:
    """The database dbt built from every case, and each case's two file names."""

    database: duckdb.DuckDBPyConnection
    files: dict[str, tuple[str, str]]

    def rows(self, sql: str, *params: object) -> list[dict[str, object]]:
        cursor = self.database.execute(sql, list(params))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusBuild]:
    """Convert every case, concatenate the raw seeds, run dbt once."""
    root = tmp_path_factory.mktemp("corpus")
    inputs, converted = root / "inputs", root / "converted"
    inputs.mkdir()
    files, parts = {}, []
    for number, case in enumerate(CASES):
        breakout, health_file = case_files(case, number, inputs)
        part = converted / f"case{number:02d}"
        ingest.convert(breakout, health_file, part, history_dir=root / "no-history")
        parts.append(part)
        files[case.name] = (breakout.name, health_file.name)
    project = copy_project(root / "project")
    concatenate(parts, project / "seeds" / "raw")
    run_history.write_seed(root / "no-builds.csv", project / "seeds" / "raw")
    database = root / "corpus.duckdb"
    dbt_runner.invoke(
        [
            "build",
            "--select", "+rejected_rows", "+input_files",
            "+int_roster_campaigns", "+int_health_campaigns",
            "--resource-type", "seed", "--resource-type", "model",
            "--quiet",
        ],
        database=database,
        project_dir=project,
    )  # fmt: skip
    connection = duckdb.connect(str(database), read_only=True)
    yield CorpusBuild(connection, files)
    connection.close()
    shutil.rmtree(root, ignore_errors=True)


def _same(found: object, expected: str) -> bool:
    """A table value equals the expected text (numbers compared as numbers)."""
    if found is None:
        return False
    if isinstance(found, (Decimal, float, int)) and not isinstance(found, bool):
        try:
            return Decimal(str(found)) == Decimal(expected)
        except InvalidOperation:
            return False
    return str(found) == expected


def matched(corpus: CorpusBuild, case: str, columns: str) -> list[dict[str, object]]:
    """``columns`` of the roster and Health campaigns a case's two files
    matched (aliases ``roster`` and ``health``)."""
    breakout, health_file = corpus.files[case]
    return corpus.rows(
        f"select {columns} "  # noqa: S608
        "from intermediate.int_roster_campaigns as roster "
        "inner join intermediate.int_health_campaigns as health "
        "on roster.campaign_key = health.campaign_key "
        "where roster.source_file = ? and health.source_file = ?",
        breakout,
        health_file,
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_case(case: Case, corpus: CorpusBuild) -> None:
    breakout, health_file = corpus.files[case.name]
    role = "breakout" if case.roster is not None else "health"
    file_name = breakout if role == "breakout" else health_file
    for checked in (breakout, health_file):
        [counts] = corpus.rows(
            "select rows_read, rows_loaded, rows_rejected from marts.input_files "
            "where file_name = ?",
            checked,
        )
        assert counts["rows_read"] == counts["rows_loaded"] + counts["rows_rejected"]
    listed = corpus.rows(
        "select * from marts.rejected_rows where file_name = ? "
        "order by source_row_number",
        file_name,
    )
    model = "int_roster_campaigns" if role == "breakout" else "int_health_campaigns"
    loaded = corpus.rows(
        f"select * from intermediate.{model} where source_file = ?",  # noqa: S608
        file_name,
    )
    row_rejects = [r for r in listed if r["is_row_rejected"]]
    if case.expect == "reject":
        assert case.detail in {r["reason"] for r in row_rejects}, listed
        for reject in row_rejects:
            assert reject["source_row_text"], reject
    elif case.expect == "cleared":
        assert [(r["reason"], r["is_row_rejected"]) for r in listed] == [
            (case.detail, False)
        ]
        assert len(loaded) == 1
    elif case.expect == "matched":
        matches = matched(corpus, case.name, "roster.campaign_id as roster_id")
        assert [m["roster_id"] for m in matches] == [case.detail], matches
        assert not row_rejects
    else:
        column, value = case.detail.split("=", 1)
        found = [row[column] for row in loaded]
        if case.expect == "same":
            assert len(found) > 1
            assert all(_same(v, value) for v in found), found
        else:
            assert any(_same(v, value) for v in found), (loaded, listed)
        assert not row_rejects, row_rejects


def test_corpus_rows_and_files_reach_140_cases() -> None:
    files_corpus = Path(__file__).with_name("test_corpus_files.py")
    file_cases = files_corpus.read_text(encoding="utf-8").count("\n    Case(")
    assert len(CASES) >= 85
    assert len(CASES) + file_cases >= 140


def test_a_campaign_on_two_roster_rows_stays_matched(corpus: CorpusBuild) -> None:
    # loaded from its first row, the other listed: its Health budget is not
    # moved to the gap (every copy was once rejected, and the budget with it)
    case = "conflicting duplicate keeps its Health budget"
    breakout, _ = corpus.files[case]
    matches = matched(corpus, case, "roster.partner_name, health.campaign_budget")
    assert matches == [{"partner_name": "Acme Media", "campaign_budget": Decimal(100)}]
    [listed] = corpus.rows(
        "select source_row_number, message from marts.rejected_rows "
        "where file_name = ?",
        breakout,
    )
    assert listed == {
        "source_row_number": 3,
        "message": "campaign_id 1001 is also on row 2 with different values: "
        "the campaign is loaded from row 2 alone",
    }


@pytest.mark.parametrize("name", ["required", "optional"])
def test_a_long_value_is_cut_its_length_said(name: str, corpus: CorpusBuild) -> None:
    # the converter cut it (limits.cut_long_text): 1,024 characters then its
    # length, which the message reads; the full value once went on to the
    # database and the report (165 MB for 5,000 such names)
    breakout, _ = corpus.files[f"10,000-character {name} value"]
    [listed] = corpus.rows(
        "select reason, message, source_row_text from marts.rejected_rows "
        "where file_name = ?",
        breakout,
    )
    assert listed["reason"] == "too-long"
    message = "expected at most 1,000 characters, found 10000"
    assert listed["message"].startswith(message)
    cut = "A" * 1_024 + " [cut by the converter: 10,000 characters]"
    assert cut in listed["source_row_text"]
    assert len(listed["source_row_text"]) < 1_200
