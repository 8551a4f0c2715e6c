"""Write partners.html, the self-contained report, from the report models.

Usage::

    python scripts/export_html.py [--database build/partners.duckdb]
        [--output build/partners.html]

The script opens the database read-only and runs one query per report section,
each a plain select of a dbt model of the ``reports`` schema (``rpt_*``, see
models/reports/) or of a mart, in the model's own sort order. It computes no
business figure: every number on the page comes from those models. It hands
the rows to the page's JavaScript as compact JSON; the script only filters
the rows and draws them (under a filter, it sums the rpt_campaigns rows that
pass it). A large report's data is coded by DuckDB and streamed into the file
a batch at a time, so memory stays flat however many campaigns there are.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import decimal
import functools
import hashlib
import itertools
import json
import logging
import os
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

LOG = logging.getLogger("export_html")

PROJECT_DIR = Path(__file__).resolve().parents[1]
REPORT_DIR = Path(__file__).resolve().parent / "report"


class ExportError(Exception):
    """The report cannot be written; the message says why."""


@dataclass(frozen=True)
class Section:
    """One query over a report model (or mart), and how the page uses its rows."""

    name: str
    relation: str
    #: the select list (explicit columns)
    columns: str
    #: the model's own sort order
    order: str = "sort_order"
    where: str = ""
    #: hand the rows to the page's JavaScript (as JSON) rather than only the template
    embed: bool = False
    #: the template reads the rows; the others (the large sections) reach the
    #: page only as data, encoded by DuckDB and streamed into the file
    template: bool = True
    #: columns sent once as a list of distinct values, rows holding an index
    dictionary: tuple[str, ...] = ()
    #: columns coded against the page-wide dictionary of the same name (MAIDs
    #: and advertiser names are sent once for every section)
    shared: tuple[str, ...] = ()
    #: dictionary columns sent as the difference from the row above's index:
    #: rows sorted by partner and MAID repeat or step by one
    delta: tuple[str, ...] = ()
    #: text columns sent as (length of the prefix shared with the row above,
    #: index of the rest in a dictionary): names of one advertiser's
    #: campaigns, sorted together, share most of their text (columns of the
    #: model, not expressions, as are their bases below)
    front_coded: tuple[str, ...] = ()
    #: text columns of digits sent as numbers where that is lossless
    digits: tuple[str, ...] = ()
    #: a front-coded column may share its prefix with another column of the
    #: same row instead (a campaign's name starts with its advertiser's):
    #: sent as a negative length
    front_base: tuple[tuple[str, str], ...] = ()

    @property
    def sql(self) -> str:
        """``select columns from relation [where ...] order by order``."""
        return (
            f"select {self.columns} from {self.relation} {self.where}"  # noqa: S608
            f" order by {self.order}"
        )

    @property
    def numbered_sql(self) -> str:
        """The same rows with their 0-based position in that order (``export_rn``)."""
        return (
            f"select row_number() over (order by {self.order}) - 1 as export_rn,"  # noqa: S608
            f" {self.columns} from {self.relation} {self.where}"
        )


#: Every section reads one dbt model of the ``reports`` schema (rpt_*) or a
#: mart, in its own sort order; no query aggregates.
SECTIONS: tuple[Section, ...] = (
    Section(
        "headline",
        "reports.rpt_headline",
        "campaign_count, advertiser_count, partner_count, product_type_count,"
        " known_budget, campaigns_with_budget_data,"
        " campaigns_without_budget_data, tunable_campaign_count,"
        " tunable_campaigns_without_budget_data, estimated_only_budget,"
        " unmatched_health_campaign_count, unmatched_health_budget, health_budget",
        embed=True,
    ),
    Section(
        "campaigns",
        "reports.rpt_campaigns",
        "campaign_id, campaign_name, maid, advertiser_name, partner_name,"
        " product_type, campaign_status, start_date, am, has_health_data,"
        # one column for both: has_health_data says which it is
        " case when has_health_data then known_budget"
        " else estimated_only_budget end as budget, budget_source",
        embed=True,
        template=False,
        dictionary=(
            "partner_name",
            "product_type",
            "campaign_status",
            "start_date",
            "am",
            "budget_source",
        ),
        shared=("maid", "advertiser_name"),
        delta=("partner_name", "maid", "advertiser_name"),
        front_coded=("campaign_name",),
        front_base=(("campaign_name", "advertiser_name"),),
        digits=("campaign_id",),
    ),
    Section(
        "partners",
        "reports.rpt_partners",
        "partner_name, campaign_count, advertiser_count, product_type_count,"
        " known_budget, live_campaign_count, live_known_budget,"
        " campaigns_with_budget_data,"
        " campaigns_without_budget_data, budget_coverage_by_count,"
        " tunable_campaign_count, tunable_campaigns_without_budget_data,"
        " estimated_only_budget, unmatched_health_campaign_count,"
        " unmatched_health_budget, opportunity_count,"
        " opportunity_expected_budget, budget_change",
        embed=True,
    ),
    Section(
        "partner_advertisers",
        "reports.rpt_partner_advertisers",
        "partner_name, maid, advertiser_name, campaign_count,"
        " product_types, all_product_types, partner_count, known_budget,"
        " campaigns_without_budget_data, estimated_only_budget",
        order="partner_name, sort_order",
        embed=True,
        template=False,
        dictionary=("partner_name", "product_types", "all_product_types"),
        shared=("maid", "advertiser_name"),
        delta=("partner_name",),
    ),
    Section(
        "products",
        "reports.rpt_product_coverage",
        "product_type, product_family, is_tunable, campaign_count,"
        " advertiser_count, partner_count, campaigns_with_budget_data,"
        " campaigns_without_budget_data, budget_coverage_by_count, known_budget,"
        " known_budget_share, estimated_only_budget, budget_coverage_by_dollars,"
        " typical_budget, typical_budget_basis",
        embed=True,
    ),
    Section(
        "mix",
        "reports.rpt_partner_product_mix",
        "partner_name, product_type, campaign_count, live_campaign_count,"
        " known_budget, live_known_budget, known_budget_share,"
        " portfolio_known_budget_share",
        embed=True,
    ),
    Section(
        "unmatched_health",
        "reports.rpt_unmatched_health_campaigns",
        "campaign_id, campaign_name, maid, advertiser_name, am,"
        " campaign_budget, is_advertiser_in_roster, partner_name,"
        " partner_attribution",
        embed=True,
        template=False,
        dictionary=("am", "partner_name", "partner_attribution"),
        shared=("maid", "advertiser_name"),
        digits=("campaign_id",),
    ),
    Section(
        "cross_sell",
        "reports.rpt_cross_sell",
        "partner_name, maid, product_type, reason, lift, expected_monthly_budget",
        # the page lists an advertiser's three best; the model holds them all
        where="where advertiser_rank <= 3",
        embed=True,
        template=False,
        # one rule (reason) has one lift and one expected budget: few values
        dictionary=(
            "partner_name",
            "product_type",
            "reason",
            "lift",
            "expected_monthly_budget",
        ),
        shared=("maid",),
    ),
    Section(
        "history",
        "reports.rpt_budget_history",
        "partner_name, is_unmatched_health, as_of_date, known_budget, budget_change",
        embed=True,
        template=False,
        dictionary=("partner_name", "as_of_date"),
    ),
    Section(
        "estimate_sources",
        "reports.rpt_estimate_sources",
        "budget_source, campaign_count, known_and_estimated_budget",
    ),
    Section(
        "budget_reconciliation",
        "marts.budget_reconciliation",
        "reconciliation_bucket, campaign_count, known_budget",
        order="bucket_order",
    ),
    Section(
        "input_files",
        "marts.input_files",
        "source_role, file_name, file_sha256, sheet_name, header_row,"
        " rows_read, rows_loaded, rows_rejected, blank_rows_skipped, as_of_date,"
        " strftime(ingested_at, '%Y-%m-%d %H:%M UTC') as ingested_at",
        order="source_role",
    ),
    Section(
        "rejected_rows",
        "marts.rejected_rows",
        "file_name, sheet_name, source_row_number, column_name,"
        " raw_value, reason, message",
        order="source_role, source_row_number, column_name",
        # this run's two workbooks, as the Data quality section's counts
        where="where source_role in ('breakout', 'health')",
        embed=True,
        template=False,
        dictionary=("file_name", "sheet_name", "reason"),
    ),
    Section(
        "rejected_by_reason",
        "reports.rpt_rejections_by_reason",
        "source_role, reason, is_row_rejected, row_count",
    ),
)


# --------------------------------------------------------------------------
# Reading the marts
# --------------------------------------------------------------------------

#: rows per batch read into Python, and per chunk of JSON text DuckDB writes
BATCH_ROWS = 65_536


def _plain(value: object) -> object:
    """A compact JSON-ready value: booleans as 0/1, 12.0 as 12, dates as ISO text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _digits(value: object) -> object:
    """A text of digits as a number when that loses nothing (no leading 0)."""
    if (
        isinstance(value, str)
        and value.isdigit()
        and len(value) < 16
        and str(int(value)) == value
    ):
        return int(value)
    return value


#: the main job's match-rate check (run_pipeline.record_match_rate_check): its
#: warning, when there is one, heads the page
MATCH_RATE_CHECK = "main.match_rate_check"


def existing_relations(connection: duckdb.DuckDBPyConnection) -> set[str]:
    """Every schema.table in the database."""
    rows = connection.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
    ).fetchall()
    return {name for (name,) in rows}


def open_database(database: Path) -> duckdb.DuckDBPyConnection:
    """The database, read-only."""
    if not database.exists():
        raise ExportError(f"{database}: no database; run the pipeline first")
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.Error as error:
        raise ExportError(f"{database}: cannot open the database: {error}") from error


def check_models(relations: set[str]) -> None:
    """Fail unless every section's model is in the database."""
    missing = [s.name for s in SECTIONS if s.relation not in relations]
    if missing:
        raise ExportError(
            f"missing models for sections {', '.join(missing)}; "
            "run the pipeline (dbt build) first"
        )


def _read(connection: duckdb.DuckDBPyConnection, section: Section, sql: str) -> Any:
    """Run ``sql`` for ``section``; a failure names the section and its model."""
    try:
        return connection.execute(sql)
    except duckdb.Error as error:
        raise ExportError(
            f"cannot read {section.relation} for the {section.name} section: {error}"
        ) from error


def fetch_template_rows(
    connection: duckdb.DuckDBPyConnection, relations: set[str]
) -> dict[str, tuple[list[str], list[tuple]]]:
    """The rows of the small sections the template reads: name -> (columns, rows)."""
    results = {}
    for section in SECTIONS:
        if section.template:
            cursor = _read(connection, section, section.sql)
            columns = [description[0] for description in cursor.description]
            results[section.name] = (columns, cursor.fetchall())
    if MATCH_RATE_CHECK in relations:  # written by the main job's checks
        cursor = connection.execute(
            f"select match_rate_warning from {MATCH_RATE_CHECK}"  # noqa: S608
        )
        results["match_rate_check"] = (["match_rate_warning"], cursor.fetchall())
    return results


def count_rows(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many rows each embedded section holds."""
    counts = {}
    for section in SECTIONS:
        if section.embed:
            sql = f"select count(*) from {section.relation} {section.where}"  # noqa: S608
            (counts[section.name],) = _read(connection, section, sql).fetchone()
    return counts


def as_records(columns: list[str], rows: list[tuple]) -> list[dict[str, Any]]:
    """Rows as dictionaries, for the template."""
    return [dict(zip(columns, row, strict=True)) for row in rows]


# --------------------------------------------------------------------------
# Encoding the page's data (decoded by ``values`` in partners.js)
# --------------------------------------------------------------------------
# The page's JSON is columnar: per section {"columns", "count", "dictionaries",
# "encodings", "values"}, one list of values per column coded as its Section
# says, plus "shared": the page-wide dictionaries. A dictionary lists its
# distinct values in the order they first appear (for a shared one: in the
# first section, in SECTIONS order, that has it); keys are sorted, separators
# compact, and < > & ' escaped as Jinja's ``tojson`` does for a <script>.
#
# Two encoders write the same text, byte for byte (scripts/tests/test_export.py):
# - data_in_python: a small page (every section within one batch) is coded in
#   Python from its rows, the faster way when there are few rows;
# - data_in_duckdb: a large one is coded by DuckDB (window functions for the
#   dictionary codes, deltas and front coding), which writes the numbers as
#   JSON text in chunks; Python encodes only text values (the dictionaries
#   and plain text columns) a batch at a time, and the page is streamed into
#   its file, so no section is ever whole in Python.

#: the section being written, numbered in its order (export_rn): a view, so
#: each query reads only the columns it needs
ROWS = "export_rows"
#: a front-coded column: per row, its prefix length and the rest
FRONT = "export_front"
#: a dictionary's values and codes: a section's own, or page-wide (shared)
DICTIONARY = "export_dictionary_{column}"
SHARED = "export_shared_{column}"

INTEGER_TYPES = {
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
    "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
}  # fmt: skip


def _json(value: object) -> str:
    """``value`` as JSON text safe inside a <script> (as Jinja's ``tojson``)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


def _json_list(chunks: Iterable[str]) -> Iterator[str]:
    """A JSON list of the comma-separated items in ``chunks``."""
    yield "["
    first = True
    for chunk in chunks:
        if chunk:
            yield chunk if first else "," + chunk
            first = False
    yield "]"


def _python_chunks(
    connection: duckdb.DuckDBPyConnection, sql: str, digits: bool, batch_rows: int
) -> Iterator[str]:
    """The one column of ``sql`` as JSON items, encoded in Python a batch at a time."""
    cursor = connection.execute(sql)
    text = str(cursor.description[0][1]) == "VARCHAR"  # _plain keeps text as it is
    while batch := cursor.fetchmany(batch_rows):
        values = [value if text else _plain(value) for (value,) in batch]
        if digits:
            values = [_digits(value) for value in values]
        yield _json(values)[1:-1]


def _sql_chunks(
    connection: duckdb.DuckDBPyConnection, sql: str, batch_rows: int
) -> Iterator[str]:
    """The JSON text of ``sql``'s (export_rn, text) rows, joined by DuckDB in chunks."""
    cursor = connection.execute(
        f"select export_rn // {batch_rows} as chunk,"  # noqa: S608
        f" string_agg(text, ',' order by export_rn)"
        f" from ({sql}) group by chunk order by chunk"
    )
    while row := cursor.fetchone():
        yield row[1]


def create_dictionary(
    connection: duckdb.DuckDBPyConnection, table: str, seen: str
) -> None:
    """``table``: the distinct values of ``seen``'s (value, seen) rows, coded
    0, 1, ... in the order they are first seen."""
    connection.execute(
        f"create or replace temp table {table} as"  # noqa: S608
        " select value, row_number() over (order by min(seen)) - 1 as code"
        f" from ({seen}) group by value"
    )


def _codes(relation: str, column: str, table: str) -> str:
    """(export_rn, code): each row's code for ``column`` in dictionary ``table``."""
    return (
        f"select {relation}.export_rn, dictionary.code from {relation}"  # noqa: S608
        f" join {table} as dictionary"
        f" on {relation}.{column} is not distinct from dictionary.value"
    )


def _number_text(column: str, column_type: str) -> str | None:
    """SQL writing a number column as _plain + json.dumps would; None: leave it
    to Python (text, dates, doubles and wide decimals)."""
    if column_type == "BOOLEAN":
        return f"case when {column} then '1' when not {column} then '0' else 'null' end"
    if column_type in INTEGER_TYPES:
        return f"coalesce(cast({column} as varchar), 'null')"
    if column_type.startswith("DECIMAL(") and int(column_type[8:].split(",")[0]) <= 18:
        # an integral amount as an integer; else the shortest text of the
        # double, as Python's float repr (the same double as float(Decimal)
        # while the unscaled value is below 2**53: any real amount)
        return (
            f"case when {column} is null then 'null'"
            f" when {column} = trunc({column})"
            f" then cast(cast({column} as hugeint) as varchar)"
            f" else cast(cast({column} as double) as varchar) end"
        )
    return None


def _all_lossless_digits(connection: duckdb.DuckDBPyConnection, column: str) -> bool:
    """Whether every value of a text column is null or digits that ``_digits``
    makes a number."""
    (others,) = connection.execute(
        f"select count(*) from {ROWS} where {column} is not null"  # noqa: S608
        f" and not (regexp_full_match({column}, '[0-9]{{1,15}}')"
        f" and ({column} = '0' or not starts_with({column}, '0')))"
    ).fetchone() or (0,)
    return others == 0


def create_shared_dictionary(
    connection: duckdb.DuckDBPyConnection, column: str
) -> None:
    """The page-wide dictionary of ``column``: values in the order they first
    appear in the embedded sections (in SECTIONS order) that share it."""
    seen = " union all ".join(
        f"select {column} as value,"  # noqa: S608
        f" {position}::bigint * 4294967296 + min(export_rn) as seen"
        f" from ({section.numbered_sql}) group by {column}"
        for position, section in enumerate(SECTIONS)
        if section.embed and column in section.shared
    )
    create_dictionary(connection, SHARED.format(column=column), seen)


def _prefix_search_step(step: int) -> str:
    """One step of the binary search for the prefix each row's value shares
    with the row above and with its base: ``{side}_low`` characters are
    shared, no more than ``{side}_high``; the middle one is tried."""
    cases = []
    for side in ("above", "base"):
        middle = f"(({side}_low + {side}_high + 1) // 2)"
        same = f"coalesce(left({side}, {middle}) = left(value, {middle}), false)"
        cases.append(
            f"case when {same} then {middle} else {side}_low end as {side}_low,"
            f" case when {same} then {side}_high else {middle} - 1 end"
            f" as {side}_high"
        )
    columns = ", ".join(cases)
    return (
        f"search{step} as (select export_rn, value, above, base, {columns}"  # noqa: S608
        f" from search{step - 1})"
    )


def create_front_coding(
    connection: duckdb.DuckDBPyConnection, section: Section, column: str
) -> None:
    """Per row of ``column``: the length of the prefix it shares with the row
    above (or, negative, with its base column when that is longer) and the rest.

    The shared prefix is found by a binary search over ``left(a, n) = left(b, n)``,
    in characters (code points, as Python's str). The row above comes from the
    window that numbers the rows (one sort, not two): ``column`` and its base
    are columns of the section's model."""
    base = dict(section.front_base).get(column)
    (longest,) = connection.execute(
        f"select coalesce(max(length({column})), 0)"  # noqa: S608
        f" from {section.relation} {section.where}"
    ).fetchone() or (0,)
    steps = int(longest).bit_length() + 1
    search = ", ".join(_prefix_search_step(step) for step in range(1, steps + 1))
    connection.execute(
        f"create or replace temp table {FRONT} as with"  # noqa: S608
        " rows_above as (select row_number() over in_order - 1 as export_rn,"
        f" {column} as value, lag({column}) over in_order as above,"
        f" {base or 'null::varchar'} as base"
        f" from {section.relation} {section.where}"
        f" window in_order as (order by {section.order})),"
        " search0 as (select export_rn, value, above, base,"
        " 0 as above_low, least(length(above), length(value)) as above_high,"
        " 0 as base_low, least(length(base), length(value)) as base_high"
        f" from rows_above), {search},"
        " lengths as (select export_rn, value,"
        " case when value is null or above is null then 0 else above_low end"
        " as above_length,"
        " case when value is null or base is null then 0 else base_low end"
        f" as base_length from search{steps})"
        " select export_rn, case when base_length > above_length then -base_length"
        " else above_length end as length,"
        " substring(value, greatest(base_length, above_length) + 1) as rest"
        " from lengths"
    )


def column_encoding(section: Section, column: str) -> dict[str, object]:
    """How the page decodes ``column`` (see :class:`Section`)."""
    encoding: dict[str, object] = {}
    if column in section.digits:
        encoding["digits"] = 1
    if column in section.front_coded:
        encoding["front"] = 1
        base = dict(section.front_base).get(column)
        if base:
            encoding["base"] = base
    elif column in (*section.dictionary, *section.shared):
        if column in section.delta:
            encoding["delta"] = 1
        encoding["shared" if column in section.shared else "dict"] = 1
    return encoding


def column_values(
    connection: duckdb.DuckDBPyConnection,
    section: Section,
    column: str,
    column_type: str,
    batch_rows: int,
) -> Iterator[str]:
    """The JSON value list of one column of the section in ``ROWS``."""
    if column in section.front_coded:
        yield "["
        yield from _json_list(
            _sql_chunks(
                connection,
                f"select export_rn, cast(length as varchar) as text from {FRONT}",  # noqa: S608
                batch_rows,
            )
        )
        yield ","
        codes = _codes(FRONT, "rest", DICTIONARY.format(column=column))
        sql = f"select export_rn, cast(code as varchar) as text from ({codes})"  # noqa: S608
        yield from _json_list(_sql_chunks(connection, sql, batch_rows))
        yield "]"
        return
    if column in (*section.shared, *section.dictionary):
        table = SHARED if column in section.shared else DICTIONARY
        codes = _codes(ROWS, column, table.format(column=column))
        code = "code"
        if column in section.delta:
            code = "code - lag(code, 1, 0) over (order by export_rn)"
        sql = f"select export_rn, cast({code} as varchar) as text from ({codes})"  # noqa: S608
        yield from _json_list(_sql_chunks(connection, sql, batch_rows))
        return
    text = _number_text(column, column_type)
    digits = column in section.digits
    if digits and _all_lossless_digits(connection, column):
        text = f"coalesce({column}, 'null')"
    if text is not None:
        sql = f"select export_rn, {text} as text from {ROWS}"  # noqa: S608
        yield from _json_list(_sql_chunks(connection, sql, batch_rows))
        return
    sql = f"select {column} from {ROWS} order by export_rn"  # noqa: S608
    yield from _json_list(_python_chunks(connection, sql, digits, batch_rows))


def section_data(
    connection: duckdb.DuckDBPyConnection,
    section: Section,
    count: int,
    batch_rows: int,
) -> Iterator[str]:
    """One embedded section (``count`` rows, from count_rows) as JSON text, in
    pieces."""
    connection.execute(f"create or replace temp view {ROWS} as {section.numbered_sql}")
    described = connection.execute(f"describe {ROWS}").fetchall()
    types = {name: column_type for name, column_type, *_ in described}
    columns = [name for name in types if name != "export_rn"]
    yield f'{{"columns":{_json(columns)},"count":{count},"dictionaries":{{'
    coded = sorted(
        c for c in columns if c in (*section.dictionary, *section.front_coded)
    )
    for position, column in enumerate(coded):
        yield ("," if position else "") + _json(column) + ":"
        table = DICTIONARY.format(column=column)
        if column in section.front_coded:
            create_front_coding(connection, section, column)
            seen = f"select rest as value, export_rn as seen from {FRONT}"  # noqa: S608
        else:
            seen = f"select {column} as value, export_rn as seen from {ROWS}"  # noqa: S608
        create_dictionary(connection, table, seen)
        sql = f"select value from {table} order by code"  # noqa: S608
        yield from _json_list(_python_chunks(connection, sql, False, batch_rows))
    encodings = {column: column_encoding(section, column) for column in columns}
    yield f'}},"encodings":{_json(encodings)},"values":{{'
    for position, column in enumerate(sorted(columns)):
        yield ("," if position else "") + _json(column) + ":"
        yield from column_values(connection, section, column, types[column], batch_rows)
    yield "}}"
    for column in coded:  # free the section's own dictionaries
        connection.execute(f"drop table {DICTIONARY.format(column=column)}")
    connection.execute(f"drop table if exists {FRONT}")


def data_in_python(connection: duckdb.DuckDBPyConnection) -> str:
    """The page's JSON, every section's rows coded in Python: for a small
    page, cheaper than DuckDB's queries (each costs a millisecond or more)."""
    shared: dict[str, dict[object, int]] = {}
    data: dict[str, Any] = {}
    for section in SECTIONS:
        if section.embed:
            cursor = connection.execute(section.sql)
            columns = [description[0] for description in cursor.description]
            rows = cursor.fetchall()
            data[section.name] = encode_in_python(columns, rows, section, shared)
    data["shared"] = {name: list(lookup) for name, lookup in shared.items()}
    return _json(data)


def encode_in_python(
    columns: list[str],
    rows: list[tuple],
    section: Section,
    shared: dict[str, dict[object, int]],
) -> dict[str, Any]:
    """One section's rows coded for the page, in Python (see above);
    ``shared`` holds the page-wide dictionaries, filled as sections are encoded."""
    lookups: dict[str, dict[object, int]] = {
        column: {} for column in (*section.dictionary, *section.front_coded)
    }
    for column in section.shared:
        lookups[column] = shared.setdefault(column, {})
    values: dict[str, Any] = {}
    for position, column in enumerate(columns):
        plain = [_plain(row[position]) for row in rows]
        if column in section.digits:
            plain = [_digits(value) for value in plain]
        if column in section.front_coded:
            lookup, lengths, rests, previous = lookups[column], [], [], None
            base = dict(section.front_base).get(column)
            bases = [row[columns.index(base)] for row in rows] if base else None
            for at, value in enumerate(plain):
                text = value if isinstance(value, str) else None
                length = _shared_prefix(previous, text) if text is not None else 0
                if bases and text is not None and isinstance(bases[at], str):
                    from_base = _shared_prefix(bases[at], text)
                    if from_base > length:
                        length = -from_base
                lengths.append(length)
                length = abs(length)
                rests.append(
                    lookup.setdefault(
                        text[length:] if text is not None else None, len(lookup)
                    )
                )
                previous = text
            values[column] = [lengths, rests]
        elif column in lookups:
            lookup = lookups[column]
            coded = [lookup.setdefault(value, len(lookup)) for value in plain]
            if column in section.delta:
                coded = [
                    index - (coded[at - 1] if at else 0)
                    for at, index in enumerate(coded)
                ]
            values[column] = coded
        else:
            values[column] = plain
    return {
        "columns": columns,
        "count": len(rows),
        "values": values,
        "encodings": {column: column_encoding(section, column) for column in columns},
        "dictionaries": {
            column: list(lookups[column])
            for column in (*section.dictionary, *section.front_coded)
        },
    }


def _shared_prefix(previous: str | None, value: str) -> int:
    """How many leading characters ``value`` shares with ``previous``."""
    if not previous:
        return 0
    shared = 0
    for left, right in zip(previous, value, strict=False):
        if left != right:
            break
        shared += 1
    return shared


def page_data(
    connection: duckdb.DuckDBPyConnection, counts: dict[str, int], batch_rows: int
) -> Iterator[str]:
    """The page's JSON: coded in Python when every section fits in one batch,
    else by DuckDB, a batch at a time (the same text either way)."""
    if max(counts.values(), default=0) <= batch_rows:
        try:
            yield data_in_python(connection)
        except duckdb.Error as error:
            raise ExportError(f"cannot read the report data: {error}") from error
    else:
        yield from data_in_duckdb(connection, counts, batch_rows)


def data_in_duckdb(
    connection: duckdb.DuckDBPyConnection, counts: dict[str, int], batch_rows: int
) -> Iterator[str]:
    """The page's JSON: the embedded sections (``counts``: count_rows) and the
    shared dictionaries, in pieces."""
    shared = sorted({c for s in SECTIONS if s.embed for c in s.shared})
    for column in shared:
        create_shared_dictionary(connection, column)
    parts: dict[str, Callable[[], Iterator[str]]] = {
        section.name: functools.partial(
            section_data, connection, section, counts[section.name], batch_rows
        )
        for section in SECTIONS
        if section.embed
    }
    parts["shared"] = functools.partial(
        shared_dictionaries, connection, shared, batch_rows
    )
    yield "{"
    for position, name in enumerate(sorted(parts)):
        yield ("," if position else "") + _json(name) + ":"
        try:
            yield from parts[name]()
        except duckdb.Error as error:
            raise ExportError(f"cannot encode the {name} section: {error}") from error
    yield "}"


def shared_dictionaries(
    connection: duckdb.DuckDBPyConnection, columns: list[str], batch_rows: int
) -> Iterator[str]:
    """The page-wide dictionaries as a JSON object (column -> values by code)."""
    yield "{"
    for position, column in enumerate(columns):
        yield ("," if position else "") + _json(column) + ":"
        sql = f"select value from {SHARED.format(column=column)} order by code"  # noqa: S608
        yield from _json_list(_python_chunks(connection, sql, False, batch_rows))
    yield "}"


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


#: without JavaScript the page shows what the template rendered (the script
#: reveals the interactive parts when it is ready, so nothing shifts)
NOSCRIPT_CSS = ".needs-js{display:none!important}.js-wait{visibility:visible!important}"


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _count(value: object) -> str:
    return f"{int(value or 0):,}"


def _money(value: object) -> str:
    amount = decimal.Decimal(str(value or 0))
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def _percent(value: object) -> str:
    return f"{float(value or 0) * 100:.1f}%"


def render(
    results: dict[str, tuple[list[str], list[tuple]]],
    counts: dict[str, int],
    database_name: str,
    generated_at: dt.datetime,
) -> tuple[str, str]:
    """The page before and after its data (the JSON, streamed in between)."""
    environment = Environment(
        loader=FileSystemLoader(REPORT_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters.update(count=_count, money=_money, percent=_percent)
    sections = {name: as_records(*result) for name, result in results.items()}
    css = (REPORT_DIR / "partners.css").read_text(encoding="utf-8")
    js = (REPORT_DIR / "partners.js").read_text(encoding="utf-8")
    health = [f for f in sections["input_files"] if f["source_role"] == "health"]
    checks = sections.get("match_rate_check", [])
    match_rate_warning = checks[0]["match_rate_warning"] if checks else None
    placeholder = f"report-data-{secrets.token_hex(16)}"
    page = environment.get_template("partners.html.j2").render(
        sections=sections,
        counts=counts,
        # the JSON goes here: see page_data
        data=Markup(placeholder),  # noqa: S704
        health_campaigns=health[0]["rows_loaded"] if health else 0,
        match_rate_warning=match_rate_warning,
        as_of_date=health[0]["as_of_date"] if health else "",
        # our own static files, not data: inserted as they are, allowed by hash
        css=Markup(css),  # noqa: S704
        js=Markup(js),  # noqa: S704
        noscript_css=Markup(NOSCRIPT_CSS),  # noqa: S704
        style_hashes=[csp_hash(css), csp_hash(NOSCRIPT_CSS)],
        script_hash=csp_hash(js),
        database_name=database_name,
        generated_at=generated_at.strftime("%Y-%m-%d %H:%M UTC"),
    )
    head, tail = page.split(placeholder)
    return head, tail


def write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write the text ``chunks`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(
            handle, "w", encoding="utf-8", newline="\n", buffering=1 << 20
        ) as output:
            for chunk in chunks:
                output.write(chunk)
            output.flush()
            os.fsync(output.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private (0600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export(
    database: Path,
    output: Path,
    database_name: str | None = None,
    batch_rows: int = BATCH_ROWS,
) -> Path:
    """Read the report models of ``database`` and write the report to ``output``."""
    with open_database(database) as connection:
        try:
            relations = existing_relations(connection)
            check_models(relations)
            results = fetch_template_rows(connection, relations)
            counts = count_rows(connection)
            now = dt.datetime.now(dt.UTC)
            head, tail = render(results, counts, database_name or database.name, now)
            data = page_data(connection, counts, batch_rows)
            write_atomically(output, itertools.chain([head], data, [tail]))
        except ExportError as error:
            raise ExportError(f"{database}: {error}") from error
    LOG.info("wrote %s (%.1f kB)", output, output.stat().st_size / 1024)
    return output


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", type=Path, default=PROJECT_DIR / "build" / "partners.duckdb"
    )
    parser.add_argument(
        "--output", type=Path, default=PROJECT_DIR / "build" / "partners.html"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    try:
        export(args.database, args.output)
    except ExportError as error:
        LOG.error("%s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
