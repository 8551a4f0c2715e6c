"""The DuckDB-vs-Spark comparison finds real differences and ignores engine noise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from spark_check import compare_tables

COLUMNS = ["partner_name", "total_budget", "as_of_date", "is_tunable"]


def test_equal_tables_in_any_order_and_type_match() -> None:
    duckdb_rows = [
        ("A", Decimal("10.00"), dt.date(2026, 11, 1), True),
        ("B", 0, None, False),
    ]
    spark_rows = [("B", 0.0, None, False), ("A", 10.001, dt.date(2026, 11, 1), True)]
    assert compare_tables("m", COLUMNS, duckdb_rows, COLUMNS, spark_rows) == []


def test_a_difference_of_a_cent_is_reported_with_its_column() -> None:
    differences = compare_tables(
        "partners", COLUMNS, [("A", Decimal("10.00"), None, True)],
        COLUMNS, [("A", Decimal("10.01"), None, True)],
    )  # fmt: skip
    assert differences == ["partners, sorted row 1: total_budget: 10.0 vs 10.01"]


def test_missing_rows_and_other_columns_are_reported() -> None:
    assert compare_tables("m", COLUMNS, [("A", 1, None, True)], COLUMNS, []) == [
        "m: 1 rows on DuckDB, 0 on Spark"
    ]
    assert compare_tables("m", COLUMNS, [], COLUMNS[:3], []) == [
        f"m: columns differ: {COLUMNS} vs {COLUMNS[:3]}"
    ]


def test_ignored_columns_do_not_count() -> None:
    columns = ["file_name", "ingested_at"]
    assert compare_tables(
        "input_files", columns, [("a.xlsx", dt.datetime(2026, 1, 1))],
        columns, [("a.xlsx", dt.datetime(2026, 1, 2))], ignore=("ingested_at",),
    ) == []  # fmt: skip
