"""Ingestion of whole workbooks: routing of rows, seeds as a set, clear errors."""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pytest

import ingest
from conftest import health_rows, roster_rows, tree_digest, write_workbook


def read_seed(seeds: Path, name: str) -> list[dict[str, str]]:
    with (seeds / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run_ingest(tmp_path: Path, roster: list, health: list, **kwargs) -> int:
    breakout = write_workbook(
        tmp_path / "breakout.xlsx", {"Breakout": roster}, **kwargs
    )
    health_path = write_workbook(tmp_path / "health.xlsx", {"Health": health})
    return ingest.main(
        [
            "--breakout",
            str(breakout),
            "--health",
            str(health_path),
            "--seeds-dir",
            str(tmp_path / "seeds" / "raw"),
        ]
    )


def test_every_row_is_loaded_rejected_or_counted_blank(tmp_path: Path) -> None:
    roster = [
        ["Campaign Breakout"],
        [],
        ["Campaign  ID", "GMAID", "Advertiser", "Partner ", "Product"],
        [1001, 500, "Bob's", "Acme Media", "SEM"],
        [1001, 500, "Bob's", "Acme Media", "SEM"],  # exact duplicate
        [None] * 5,  # blank row in the middle
        ["1002.0", "501", " Cy\u00a0", "ACME MEDIA", "Live Chat"],
        [1003, None, "Dee", "Acme Media", "SEO"],  # missing required maid
        [1004, 502, "Eve", "Beta", "Search"],
        [1004, 502, "Eve", "Gamma", "Search"],  # conflicting duplicate
        ["Grand Total", "6 campaigns"],
    ]
    assert run_ingest(tmp_path, roster, health_rows(["1001", " 1002\u00a0"])) == 0
    seeds = tmp_path / "seeds" / "raw"
    loaded = read_seed(seeds, "raw_breakout_campaigns")
    assert [(r["campaign_id"], r["partner_name"]) for r in loaded] == [
        ("1001", "Acme Media"),
        ("1002", "Acme Media"),
    ]
    assert loaded[1]["advertiser_name"] == "Cy"
    assert loaded[0]["source_row"] == "4"
    reasons = sorted(
        (int(r["row_number"]), r["reason"])
        for r in read_seed(seeds, "raw_ingest_rejects")
        if r["source_role"] == "breakout"
    )
    assert reasons == [
        (5, "duplicate-row"),
        (8, "missing-value"),
        (9, "conflicting-duplicate"),
        (10, "conflicting-duplicate"),
        (11, "total-row"),
    ]
    manifest = {r["source_role"]: r for r in read_seed(seeds, "raw_ingest_manifest")}
    assert manifest["breakout"]["rows_read"] == "7"
    assert manifest["breakout"]["rows_loaded"] == "2"
    assert manifest["breakout"]["rows_rejected"] == "5"
    assert manifest["breakout"]["blank_rows_skipped"] == "1"
    assert manifest["breakout"]["header_row"] == "3"
    assert manifest["health"]["rows_loaded"] == "2"
    assert read_seed(seeds, "raw_health_campaigns")[1]["campaign_id"] == "1002"


def test_invalid_optional_value_is_cleared_and_listed_not_the_row(
    tmp_path: Path,
) -> None:
    health = [["CID", "Budget", "Utilization"], ["1", "$10.00", "lots"]]
    assert run_ingest(tmp_path, roster_rows(), health) == 0
    seeds = tmp_path / "seeds" / "raw"
    assert read_seed(seeds, "raw_health_campaigns")[0]["utilization"] == ""
    [reject] = [
        r
        for r in read_seed(seeds, "raw_ingest_rejects")
        if r["source_role"] == "health"
    ]
    assert (reject["scope"], reject["reason"], reject["raw_value"]) == (
        "value",
        "invalid-percent",
        "lots",
    )


def test_missing_required_column_names_file_sheet_column_and_headers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert run_ingest(tmp_path, roster_rows(), health_rows()) == 0
    seeds = tmp_path / "seeds" / "raw"
    before = tree_digest(seeds)
    roster = [["Campaign ID", "MAID", "Advertiser", "Product"], [1, 2, "x", "SEO"]]
    assert run_ingest(tmp_path, roster, health_rows()) == 1
    message = caplog.records[-1].getMessage()
    for part in (
        "breakout.xlsx",
        "'Breakout'",
        "partner_name",
        "Campaign ID, MAID, Advertiser, Product",
    ):
        assert part in message
    assert tree_digest(seeds) == before


@pytest.mark.parametrize(
    ("sheets", "hidden", "expected"),
    [
        ({"Breakout": []}, (), "no header row found"),
        (
            {"Breakout": [["Campaign ID", "MAID", "Partner", "Product"]]},
            (),
            "no data rows",
        ),
        ({"A": roster_rows(), "B": roster_rows()}, (), "several sheets"),
        ({"Notes": [["just notes"]]}, (), "no header row found"),
    ],
)
def test_unusable_sheets_stop_with_a_clear_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, sheets, hidden, expected: str
) -> None:
    breakout = write_workbook(tmp_path / "breakout.xlsx", sheets, hidden)
    health_path = write_workbook(tmp_path / "health.xlsx", {"Health": health_rows()})
    code = ingest.main(
        [
            "--breakout",
            str(breakout),
            "--health",
            str(health_path),
            "--seeds-dir",
            str(tmp_path / "seeds" / "raw"),
        ]
    )
    assert code == 1
    assert expected in caplog.records[-1].getMessage()
    assert not (tmp_path / "seeds" / "raw").exists()


def test_hidden_sheets_are_ignored(tmp_path: Path) -> None:
    stale = [["Campaign ID", "MAID", "Partner", "Product"], [9, 9, "Stale", "SEO"]]
    sheets = {"old": stale, "Breakout": roster_rows(2)}
    breakout = write_workbook(tmp_path / "breakout.xlsx", sheets, hidden=["old"])
    health_path = write_workbook(tmp_path / "health.xlsx", {"Health": health_rows()})
    seeds = tmp_path / "seeds" / "raw"
    assert (
        ingest.main(
            [
                "--breakout",
                str(breakout),
                "--health",
                str(health_path),
                "--seeds-dir",
                str(seeds),
            ]
        )
        == 0
    )
    assert [r["campaign_id"] for r in read_seed(seeds, "raw_breakout_campaigns")] == [
        "1001",
        "1002",
    ]


def test_csv_exports_are_read_like_workbooks(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Report,,,,\nCampaign ID,MAID,Advertiser,Partner,Product\n"
        "00123,NA,None,Acme,SEO\n12345.0,7,Bob,Acme,Search\n",
        encoding="utf-8",
    )
    health = tmp_path / "health.csv"
    health.write_text('CID,Budget\n12345,"$1,234.50"\n', encoding="utf-8")
    seeds = tmp_path / "seeds" / "raw"
    assert (
        ingest.main(
            [
                "--breakout",
                str(roster),
                "--health",
                str(health),
                "--seeds-dir",
                str(seeds),
            ]
        )
        == 0
    )
    loaded = read_seed(seeds, "raw_breakout_campaigns")
    # leading zeros survive; "NA" and "None" are values, not missing
    assert [(r["campaign_id"], r["maid"], r["advertiser_name"]) for r in loaded] == [
        ("00123", "NA", "None"),
        ("12345", "7", "Bob"),
    ]
    assert read_seed(seeds, "raw_health_campaigns")[0]["campaign_budget"] == "1234.50"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty (0 bytes)"),
        (b"a,b\n1,2\n", "not a zip-based .xlsx"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 60, "a legacy .xls workbook"),
        (
            b"\xd0\xcf\x11\xe0" + b"\0" * 60 + "EncryptionInfo".encode("utf-16-le"),
            "password-protected",
        ),
        (b"PK\x03\x04truncated", "cannot read the workbook"),
    ],
)
def test_files_that_are_not_workbooks_stop_with_a_clear_message(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    bad = tmp_path / "breakout.xlsx"
    bad.write_bytes(content)
    with pytest.raises(
        ingest.IngestError, match=expected.replace("(", r"\(").replace(")", r"\)")
    ):
        ingest.read_sheets(bad)


def test_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    assert run_ingest(tmp_path, roster_rows(), health_rows()) == 0
    seeds = tmp_path / "seeds" / "raw"
    # simulate a run killed between moving the old set aside and moving the new one in
    seeds.rename(tmp_path / "seeds" / ".raw-old-999")
    ingest._recover_interrupted_swap(seeds, tmp_path / "seeds")
    assert (seeds / "raw_breakout_campaigns.csv").exists()


def test_as_of_date_comes_from_the_title_else_the_file_date(tmp_path: Path) -> None:
    path = tmp_path / "h.xlsx"
    path.write_bytes(b"")
    assert ingest.infer_as_of(path, [["Campaign Health - November 2026"]]) == (
        dt.date(2026, 11, 1)
    )
    assert ingest.infer_as_of(path, [[None, "as of 2026-10-15"]]) == dt.date(
        2026, 10, 15
    )
    os.utime(path, (0, dt.datetime(2025, 5, 6, 12).timestamp()))
    assert ingest.infer_as_of(path, [["Health export"]]) == dt.date(2025, 5, 6)


def test_every_health_drop_is_kept_and_a_redone_drop_replaces_its_date(
    tmp_path: Path,
) -> None:
    roster = write_workbook(tmp_path / "r.xlsx", {"Breakout": roster_rows()})
    seeds = tmp_path / "seeds" / "raw"
    for as_of, budget in (
        ("2026-09-01", 100.0),
        ("2026-10-01", 150.0),
        ("2026-10-01", 175.0),
    ):
        rows = [[*row[:3], budget, row[4]] if i else row
                for i, row in enumerate(health_rows(["1001"]))]  # fmt: skip
        health = write_workbook(tmp_path / "h.xlsx", {"Health": rows})
        ingest.ingest(roster, health, seeds, as_of=dt.date.fromisoformat(as_of))
    history = read_seed(seeds, "raw_health_budget_history")
    assert [(r["as_of_date"], r["campaign_budget"]) for r in history] == [
        ("2026-09-01", "100.00"),
        ("2026-10-01", "175.00"),
    ]
    assert sorted(p.name for p in (tmp_path / "data" / "history").iterdir()) == [
        "health_2026-09-01.csv",
        "health_2026-10-01.csv",
    ]
    manifest = {r["source_role"]: r for r in read_seed(seeds, "raw_ingest_manifest")}
    assert manifest["health"]["as_of_date"] == "2026-10-01"


def test_parquet_exports_are_read_like_workbooks(tmp_path: Path) -> None:
    import duckdb

    roster = tmp_path / "roster.parquet"
    duckdb.sql(
        "copy (select * from (values ('00123', 7, 'Bob', 'Acme', 'SEO'), "  # noqa: S608 - a path the test made
        "('12345', 8, 'Cy', 'Acme', 'Paid Search')) "
        'as t("Campaign ID", MAID, Advertiser, Partner, Product)) '
        f"to '{roster}' (format parquet)"
    )
    health = write_workbook(tmp_path / "h.xlsx", {"Health": health_rows(["12345"])})
    seeds = tmp_path / "seeds" / "raw"
    assert ingest.main(["--breakout", str(roster), "--health", str(health),
                        "--seeds-dir", str(seeds)]) == 0  # fmt: skip
    loaded = read_seed(seeds, "raw_breakout_campaigns")
    assert [(r["campaign_id"], r["maid"], r["product_type"]) for r in loaded] == [
        ("00123", "7", "SEO"),
        ("12345", "8", "Paid Search"),
    ]


def test_long_loops_report_progress_as_plain_lines_in_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("INFO")
    progress = ingest.RowProgress("roster.xlsx: routing rows", 40_000)
    for done in range(0, 40_001, 1000):
        progress.update(done)
    progress.close()
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        f"roster.xlsx: routing rows: {p}% ({n:,} of 40,000 rows)"
        for p, n in ((0, 0), (25, 10_000), (50, 20_000), (75, 30_000), (100, 40_000))
    ]
