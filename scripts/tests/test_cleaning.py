"""One test per cleaning rule of the ingestion: each fails if its rule is removed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import ingest
from ingest import (
    HEALTH,
    ValueRejected,
    clean_text,
    find_header,
    header_key,
    load_aliases,
    merge_case_variants,
    normalize_id,
    normalize_value,
    parse_date,
    parse_money,
    parse_percent,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12345, "12345"),
        (12345.0, "12345"),
        ("12345", "12345"),
        ("12345.0", "12345"),
        (" 12345\u00a0", "12345"),
        ("\u200b12345", "12345"),
        ("00123", "00123"),
        ("USA_105569", "USA_105569"),
        (None, ""),
        ("", ""),
    ],
)
def test_ids_become_one_canonical_text(raw: object, expected: str) -> None:
    assert normalize_id(raw) == expected


@pytest.mark.parametrize("raw", [1.5, 2.0**60, "12 345", "abc$", True])
def test_ids_that_are_not_ids_are_rejected(raw: object) -> None:
    with pytest.raises(ValueRejected) as problem:
        normalize_id(raw)
    assert problem.value.reason == "invalid-id"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Acme   Media ", "Acme Media"),
        ("Acme\u00a0Media\u00a0", "Acme Media"),
        ("Cafe\u0301", "Caf\u00e9"),  # NFD to NFC
        (2024.0, "2024"),
        (None, ""),
    ],
)
def test_text_is_trimmed_collapsed_and_nfc(raw: object, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234.5, Decimal("1234.50")),
        ("$1,234.50", Decimal("1234.50")),
        (" 1,234.50 ", Decimal("1234.50")),
        ("USD 1,234.50", Decimal("1234.50")),
        ("(1,234.00)", Decimal("-1234.00")),
        ("-$12", Decimal("-12.00")),
        ("1.234,50", Decimal("1234.50")),
        ("1234,5", Decimal("1234.50")),
        ("", None),
    ],
)
def test_money_text_is_parsed(raw: object, expected: Decimal | None) -> None:
    assert parse_money(raw) == expected


@pytest.mark.parametrize("raw", ["TBD", "n/a", "1,23,4", "$$5"])
def test_unreadable_money_is_rejected(raw: str) -> None:
    with pytest.raises(ValueRejected) as problem:
        parse_money(raw)
    assert problem.value.reason == "invalid-money"


def test_negative_budget_is_rejected_not_loaded() -> None:
    with pytest.raises(ValueRejected) as problem:
        normalize_value("money", "(100.00)")
    assert problem.value.reason == "negative-money"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("85%", "0.85"), (0.85, "0.85"), ("0.85", "0.85"), ("112.5%", "1.125"), ("", "")],
)
def test_utilization_text_and_fractions_agree(raw: object, expected: str) -> None:
    assert normalize_value("percent", raw) == expected


def test_implausible_utilization_is_rejected() -> None:
    with pytest.raises(ValueRejected) as problem:
        parse_percent("85")  # meant as 85%, would read as 8,500%
    assert problem.value.reason == "implausible-percent"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.datetime(2025, 3, 1, 0, 0), dt.date(2025, 3, 1)),
        (45717, dt.date(2025, 3, 1)),
        ("2025-03-01", dt.date(2025, 3, 1)),
        ("03/01/2025", dt.date(2025, 3, 1)),
    ],
)
def test_dates_from_cells_serials_and_text(raw: object, expected: dt.date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "header", ["Monthly Budget", "monthly  budget", "MONTHLY_BUDGET", "Monthly-Budget "]
)
def test_headers_match_aliases_ignoring_case_space_and_punctuation(header: str) -> None:
    aliases = load_aliases()["health"]
    assert ingest.canonical_column(header, HEALTH, aliases) == "campaign_budget"
    assert header_key(header) == "monthlybudget"


def test_header_is_found_under_title_rows() -> None:
    rows = [["Campaign Health - November"], [], ["CID", "Budget"], ["1", "5"]]
    match, _ = find_header(rows, HEALTH, load_aliases()["health"])
    assert match is not None
    assert match.row_index == 2
    assert match.mapping == {"campaign_id": 0, "campaign_budget": 1}


def test_partner_spellings_differing_in_case_or_spacing_merge() -> None:
    rows = [
        ["1", "Acme Media"],
        ["2", "Acme Media"],
        ["3", "ACME MEDIA"],
        ["4", "Beta"],
    ]
    rewritten = merge_case_variants(rows, 1)
    assert [row[1] for row in rows] == ["Acme Media"] * 3 + ["Beta"]
    assert rewritten == {"ACME MEDIA": "Acme Media"}


def test_total_rows_are_recognised_only_without_a_campaign_id() -> None:
    assert ingest.is_total_row(["Total", None, 1480000], 0)
    assert ingest.is_total_row(["", "Grand Total", 12], 0)
    assert not ingest.is_total_row(["1001", "Total Plumbing Co", 12], 0)
