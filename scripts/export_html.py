"""Write partners.html, the self-contained report, from the marts.

Usage::

    python scripts/export_html.py [--database build/partners.duckdb]
        [--output build/partners.html]

The script opens the database read-only and runs one query per report section
against the ``marts`` schema; every number on the page comes from there. It
computes no business figures itself: it only formats, lays out the charts and
hands rows to the page's JavaScript as JSON.

Adding a section (for a later mart) is one entry in ``SECTIONS`` and one
template block under ``scripts/report/``: a section whose mart does not exist
in the database is left out.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import decimal
import hashlib
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
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
    """One query over a mart, and how the page uses its rows."""

    name: str
    relation: str
    sql: str
    #: hand the rows to the page's JavaScript (as JSON) rather than only the template
    embed: bool = False
    #: columns sent once as a list of distinct values, rows holding an index
    dictionary: tuple[str, ...] = ()
    #: text columns sent as [length of the prefix shared with the row above,
    #: rest]: names of one advertiser's campaigns, sorted together, share most
    #: of their text
    front_coded: tuple[str, ...] = ()
    #: an extra template block rendering the section (for later marts)
    template: str | None = None


SECTIONS: tuple[Section, ...] = (
    Section(
        "portfolio_summary",
        "marts.portfolio_summary",
        """
        select campaign_count, advertiser_count, partner_count,
               product_type_count, known_budget, campaigns_with_budget_data,
               campaigns_without_budget_data, unmatched_health_campaign_count,
               unmatched_health_budget, health_budget
        from marts.portfolio_summary
        """,
    ),
    Section(
        "partners",
        "marts.partners",
        """
        select partner_name, campaign_count, advertiser_count,
               product_type_count, known_budget as total_budget,
               campaigns_with_budget_data, campaigns_without_budget_data,
               budget_coverage_by_count as budget_coverage,
               known_and_estimated_budget as estimated_budget,
               estimated_only_budget_share as estimated_budget_share,
               tunable_campaign_count,
               tunable_campaigns_with_budget_data, non_tunable_campaign_count
        from marts.partners
        order by campaign_count desc, partner_name
        """,
    ),
    Section(
        "partner_product_mix",
        "marts.partner_product_mix",
        """
        select partner_name, product_type, campaign_count
        from marts.partner_product_mix
        order by partner_name, product_type
        """,
    ),
    Section(
        "product_types",
        "marts.product_types",
        """
        select product_type, campaign_count, advertiser_count, partner_count,
               advertiser_penetration, known_budget as total_budget
        from marts.product_types
        order by campaign_count desc, product_type
        """,
    ),
    Section(
        "campaigns",
        "marts.campaigns",
        """
        select campaign_id, campaign_name, maid, advertiser_name,
               partner_name, product_type, campaign_budget, has_health_data
        from marts.campaigns
        order by partner_name, maid, campaign_id
        """,
        embed=True,
        dictionary=("partner_name", "product_type", "advertiser_name", "maid"),
        front_coded=("campaign_name",),
    ),
    Section(
        "budget_reconciliation",
        "marts.budget_reconciliation",
        """
        select reconciliation_bucket, campaign_count,
               known_budget as total_budget
        from marts.budget_reconciliation
        order by bucket_order
        """,
    ),
    Section(
        "input_files",
        "marts.input_files",
        """
        select source_role, file_name, file_sha256, sheet_name, header_row,
               rows_read, rows_loaded, rows_rejected, blank_rows_skipped,
               as_of_date,
               strftime(ingested_at, '%Y-%m-%d %H:%M UTC') as ingested_at
        from marts.input_files
        order by source_role
        """,
    ),
    Section(
        "rejected_rows",
        "marts.rejected_rows",
        """
        select file_name, sheet_name, source_row_number, column_name,
               raw_value, reason, message
        from marts.rejected_rows
        order by source_role, source_row_number, column_name
        """,
        embed=True,
        dictionary=("file_name", "sheet_name", "reason"),
    ),
    Section(
        "rejected_by_reason",
        "marts.rejected_rows",
        """
        select source_role, reason, is_row_rejected, count(*) as row_count
        from marts.rejected_rows
        group by 1, 2, 3
        order by 1, 4 desc, 2
        """,
    ),
    Section(
        "unmatched_health_campaigns",
        "marts.unmatched_health_campaigns",
        """
        select campaign_id, campaign_name, maid, advertiser_name, am,
               is_advertiser_in_roster, campaign_budget
        from marts.unmatched_health_campaigns
        order by campaign_budget desc, campaign_id
        """,
        embed=True,
        dictionary=("am",),
    ),
    # ---- sections of the later marts: one query and one template block each
    Section(
        "budget_sources",
        "marts.campaigns",
        """
        select budget_source, count(*) as campaign_count,
               sum(known_and_estimated_budget) as estimated_budget
        from marts.campaigns
        group by 1
        order by case budget_source when 'actual' then 1 when 'history' then 2
                 when 'advertiser' then 3 when 'product_default' then 4 else 5 end
        """,
        template="sections/estimates.html.j2",
    ),
    Section(
        "partner_whitespace",
        "marts.partner_whitespace",
        """
        select whitespace_rank, partner_name, opportunity_count,
               advertisers_with_opportunities, expected_monthly_budget,
               top_product_type
        from marts.partner_whitespace
        order by whitespace_rank
        """,
        template="sections/cross_sell.html.j2",
    ),
    Section(
        "top_cross_sell",
        "marts.cross_sell_opportunities",
        """
        select partner_name, advertiser_name, maid, product_type,
               antecedent_product_type, antecedent_advertisers, support,
               confidence, lift, expected_monthly_budget
        from marts.cross_sell_opportunities
        order by expected_monthly_budget desc nulls last, confidence desc,
                 lift desc, partner_name, maid, product_type
        limit 25
        """,
    ),
    Section(
        "partner_budget_history",
        "marts.budget_history",
        """
        select coalesce(partner_name, '(not in roster)') as partner_name,
               as_of_date, sum(known_budget) as total_budget
        from marts.budget_history
        group by 1, 2
        order by 1, 2
        """,
        template="sections/history.html.j2",
    ),
)


# --------------------------------------------------------------------------
# Reading the marts
# --------------------------------------------------------------------------


def _plain(value: object) -> object:
    """A compact JSON-ready value: booleans as 0/1, 12.0 as 12, dates as ISO text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _front_code(previous: str | None, value: object) -> object:
    """``value`` as [shared prefix length, rest] if it starts like ``previous``."""
    if not isinstance(value, str) or not previous:
        return value
    shared = 0
    for left, right in zip(previous, value, strict=False):
        if left != right:
            break
        shared += 1
    return [shared, value[shared:]] if shared > 3 else value


def existing_relations(connection: duckdb.DuckDBPyConnection) -> set[str]:
    """Every schema.table in the database."""
    rows = connection.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
    ).fetchall()
    return {name for (name,) in rows}


def fetch_sections(database: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Run each section's query (read-only); return name -> (columns, rows)."""
    if not database.exists():
        raise ExportError(f"{database}: no database; run the pipeline first")
    try:
        connection = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as error:
        raise ExportError(f"{database}: cannot open the database: {error}") from error
    with connection:
        relations = existing_relations(connection)
        results = {}
        for section in SECTIONS:
            if section.relation not in relations:
                LOG.info("no %s: section %s left out", section.relation, section.name)
                continue
            cursor = connection.execute(section.sql)
            columns = [description[0] for description in cursor.description]
            results[section.name] = (columns, cursor.fetchall())
    return results


def as_records(columns: list[str], rows: list[tuple]) -> list[dict[str, Any]]:
    """Rows as dictionaries, for the template."""
    return [dict(zip(columns, row, strict=True)) for row in rows]


def encode_for_page(
    columns: list[str],
    rows: list[tuple],
    dictionary: Sequence[str] = (),
    front_coded: Sequence[str] = (),
) -> dict[str, Any]:
    """Compact, lossless JSON for the page (decoded by ``decode`` in partners.js).

    Rows are lists; ``dictionary`` columns hold an index into a list of their
    distinct values; ``front_coded`` columns hold [n, rest] for a value whose
    first n characters equal the previous row's value.
    """
    lookups: dict[str, dict[object, int]] = {column: {} for column in dictionary}
    positions = [(columns.index(column), lookups[column]) for column in dictionary]
    coded = [columns.index(column) for column in front_coded]
    previous: dict[int, str | None] = dict.fromkeys(coded)
    encoded = []
    for row in rows:
        values = [_plain(value) for value in row]
        for position in coded:
            original = values[position]
            values[position] = _front_code(previous[position], original)
            previous[position] = original if isinstance(original, str) else None
        for position, lookup in positions:
            values[position] = lookup.setdefault(values[position], len(lookup))
        encoded.append(values)
    return {
        "columns": columns,
        "rows": encoded,
        "dictionaries": {column: list(lookups[column]) for column in dictionary},
        "front_coded": list(front_coded),
    }


# --------------------------------------------------------------------------
# Chart geometry (presentation only)
# --------------------------------------------------------------------------


def heatmap_layout(
    partners: list[dict[str, Any]],
    mix: list[dict[str, Any]],
    products: list[dict[str, Any]],
) -> dict[str, Any]:
    """Rows of shaded cells: one row per partner, one column per product type."""
    counts = {
        (row["partner_name"], row["product_type"]): row["campaign_count"] for row in mix
    }
    product_names = [row["product_type"] for row in products]
    largest = max(counts.values(), default=1)
    rows = [
        {
            "partner_name": partner["partner_name"],
            "cells": [
                {
                    "product": product,
                    "count": counts.get((partner["partner_name"], product), 0),
                    "shade": round(
                        0.12
                        + 0.88
                        * counts.get((partner["partner_name"], product), 0)
                        / largest,
                        3,
                    ),
                }
                for product in product_names
            ],
        }
        for partner in partners
    ]
    longest_name = max((len(p["partner_name"]) for p in partners), default=10)
    left = min(260, 12 + 6.5 * longest_name)
    cell_width, cell_height, top = 40, 18, 80
    return {
        "products": product_names,
        "rows": rows,
        "left": left,
        "top": top,
        "cell_width": cell_width,
        "cell_height": cell_height,
        "width": round(left + cell_width * len(product_names) + 70),
        "height": top + cell_height * len(rows) + 4,
    }


def sparklines(
    rows: list[dict[str, Any]], width: int = 120, height: int = 24
) -> dict[str, Any]:
    """Per partner, its budget per drop as SVG polyline points, on one scale."""
    dates = sorted({row["as_of_date"] for row in rows})
    largest = max((float(row["total_budget"]) for row in rows), default=1.0) or 1.0
    step = width / max(len(dates) - 1, 1)
    series: dict[str, dict[Any, float]] = {}
    for row in rows:
        series.setdefault(row["partner_name"], {})[row["as_of_date"]] = float(
            row["total_budget"]
        )
    lines = []
    for partner, budgets in series.items():
        values = [budgets.get(date, 0.0) for date in dates]
        points = " ".join(
            f"{index * step:.1f},{height - 2 - (height - 4) * value / largest:.1f}"
            for index, value in enumerate(values)
        )
        lines.append({"partner_name": partner, "points": points, "values": values})
    return {"dates": dates, "width": width, "height": height, "lines": lines}


def bars_layout(products: list[dict[str, Any]]) -> dict[str, Any]:
    """Horizontal bars: one per product type, length proportional to campaigns."""
    largest = max((row["campaign_count"] for row in products), default=1) or 1
    length = 300
    return {
        "left": 110,
        "row_height": 22,
        "width": 110 + length + 60,
        "height": 22 * len(products) + 4,
        "rows": [
            {
                "product_type": row["product_type"],
                "campaign_count": row["campaign_count"],
                "length": round(length * row["campaign_count"] / largest, 1),
            }
            for row in products
        ],
    }


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


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
    database_name: str,
    generated_at: dt.datetime,
) -> str:
    """The whole page as one string."""
    environment = Environment(
        loader=FileSystemLoader(REPORT_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters.update(count=_count, money=_money, percent=_percent)
    # tojson still escapes < > & ' for <script>; only the separators get compact
    environment.policies["json.dumps_kwargs"] = {
        "sort_keys": True,
        "separators": (",", ":"),
    }
    sections = {name: as_records(*result) for name, result in results.items()}
    embedded = {
        section.name: encode_for_page(
            *results[section.name], section.dictionary, section.front_coded
        )
        for section in SECTIONS
        if section.embed and section.name in results
    }
    css = (REPORT_DIR / "partners.css").read_text(encoding="utf-8")
    js = (REPORT_DIR / "partners.js").read_text(encoding="utf-8")
    health = [f for f in sections["input_files"] if f["source_role"] == "health"]
    return environment.get_template("partners.html.j2").render(
        sections=sections,
        data=embedded,
        heatmap=heatmap_layout(
            sections["partners"],
            sections["partner_product_mix"],
            sections["product_types"],
        ),
        product_bars=bars_layout(sections["product_types"]),
        sparklines=sparklines(sections.get("partner_budget_history", [])),
        health_campaigns=health[0]["rows_loaded"] if health else 0,
        extra_sections=[
            section.template
            for section in SECTIONS
            if section.template and section.name in results
        ],
        # our own static files, not data: inserted as they are, allowed by hash
        css=Markup(css),  # noqa: S704
        js=Markup(js),  # noqa: S704
        style_hash=csp_hash(css),
        script_hash=csp_hash(js),
        database_name=database_name,
        generated_at=generated_at.strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as output:
            output.write(text)
            output.flush()
            os.fsync(output.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private (0600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export(database: Path, output: Path, database_name: str | None = None) -> Path:
    """Read the marts of ``database`` and write the report to ``output``."""
    results = fetch_sections(database)
    missing = [s.name for s in SECTIONS if not s.template and s.name not in results]
    if missing:
        raise ExportError(
            f"{database}: missing marts for sections {', '.join(missing)}; "
            "run the pipeline (dbt build) first"
        )
    page = render(results, database_name or database.name, dt.datetime.now(dt.UTC))
    write_atomically(output, page)
    LOG.info("wrote %s (%.1f kB)", output, len(page.encode("utf-8")) / 1024)
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
