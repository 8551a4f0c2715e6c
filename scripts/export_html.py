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
pass it).
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
    """One query over a report model (or mart), and how the page uses its rows."""

    name: str
    relation: str
    sql: str
    #: hand the rows to the page's JavaScript (as JSON) rather than only the template
    embed: bool = False
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
    #: campaigns, sorted together, share most of their text
    front_coded: tuple[str, ...] = ()
    #: text columns of digits sent as numbers where that is lossless
    digits: tuple[str, ...] = ()
    #: a front-coded column may share its prefix with another column of the
    #: same row instead (a campaign's name starts with its advertiser's):
    #: sent as a negative length
    front_base: tuple[tuple[str, str], ...] = ()


def _select(relation: str, columns: str, where: str = "") -> str:
    """``select columns from relation [where ...] order by sort_order``."""
    return f"select {columns} from {relation} {where} order by sort_order"  # noqa: S608


#: Every section reads one dbt model of the ``reports`` schema (rpt_*) or a
#: mart, in its own sort order; no query aggregates.
SECTIONS: tuple[Section, ...] = (
    Section(
        "headline",
        "reports.rpt_headline",
        _select(
            "reports.rpt_headline",
            "campaign_count, advertiser_count, partner_count, product_type_count,"
            " known_budget, campaigns_with_budget_data,"
            " campaigns_without_budget_data, tunable_campaign_count,"
            " tunable_campaigns_without_budget_data, estimated_only_budget,"
            " outside_roster_campaign_count, outside_roster_budget, health_budget",
        ),
        embed=True,
    ),
    Section(
        "campaigns",
        "reports.rpt_campaigns",
        _select(
            "reports.rpt_campaigns",
            "campaign_id, campaign_name, maid, advertiser_name, partner_name,"
            " product_type, campaign_status, start_date, am, has_budget_data,"
            # one column for both: has_budget_data says which it is
            " case when has_budget_data then known_budget"
            " else estimated_only_budget end as budget, budget_source",
        ),
        embed=True,
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
        _select(
            "reports.rpt_partners",
            "partner_name, campaign_count, advertiser_count, product_type_count,"
            " known_budget, campaigns_with_budget_data,"
            " campaigns_without_budget_data, budget_coverage,"
            " tunable_campaign_count, tunable_campaigns_without_budget_data,"
            " estimated_only_budget, outside_roster_campaign_count,"
            " outside_roster_budget, opportunity_count,"
            " opportunity_expected_budget, budget_change",
        ),
        embed=True,
    ),
    Section(
        "partner_advertisers",
        "reports.rpt_partner_advertisers",
        "select partner_name, maid, advertiser_name, campaign_count,"
        " product_types, all_product_types, partner_count, known_budget,"
        " campaigns_without_budget_data, estimated_only_budget"
        " from reports.rpt_partner_advertisers order by partner_name, sort_order",
        embed=True,
        dictionary=("partner_name", "product_types", "all_product_types"),
        shared=("maid", "advertiser_name"),
        delta=("partner_name",),
    ),
    Section(
        "products",
        "reports.rpt_product_coverage",
        _select(
            "reports.rpt_product_coverage",
            "product_type, product_family, is_tunable, campaign_count,"
            " advertiser_count, partner_count, campaigns_with_budget_data,"
            " campaigns_without_budget_data, count_coverage, known_budget,"
            " known_budget_share, estimated_only_budget, dollar_coverage,"
            " typical_budget, typical_budget_basis",
        ),
        embed=True,
    ),
    Section(
        "mix",
        "reports.rpt_partner_product_mix",
        _select(
            "reports.rpt_partner_product_mix",
            "partner_name, product_type, campaign_count",
        ),
    ),
    Section(
        "outside_roster",
        "reports.rpt_outside_roster_campaigns",
        _select(
            "reports.rpt_outside_roster_campaigns",
            "campaign_id, campaign_name, maid, advertiser_name, am,"
            " campaign_budget, is_advertiser_in_roster, partner_name,"
            " partner_attribution",
        ),
        embed=True,
        dictionary=("am", "partner_name", "partner_attribution"),
        shared=("maid", "advertiser_name"),
        digits=("campaign_id",),
    ),
    Section(
        "cross_sell",
        "reports.rpt_cross_sell",
        # the page lists an advertiser's three best; the model holds them all
        _select(
            "reports.rpt_cross_sell",
            "partner_name, maid, product_type, reason, lift, expected_monthly_budget",
            "where advertiser_rank <= 3",
        ),
        embed=True,
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
        _select(
            "reports.rpt_budget_history",
            "partner_name, is_outside_roster, as_of_date, known_budget, budget_change",
        ),
        embed=True,
        dictionary=("partner_name", "as_of_date"),
    ),
    Section(
        "estimate_sources",
        "reports.rpt_estimate_sources",
        _select(
            "reports.rpt_estimate_sources",
            "budget_source, campaign_count, known_and_estimated_budget",
        ),
    ),
    Section(
        "budget_reconciliation",
        "marts.budget_reconciliation",
        """
        select reconciliation_bucket, campaign_count, known_budget
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
        "reports.rpt_rejections_by_reason",
        _select(
            "reports.rpt_rejections_by_reason",
            "source_role, reason, is_row_rejected, row_count",
        ),
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
                continue
            try:
                cursor = connection.execute(section.sql)
            except duckdb.Error as error:
                raise ExportError(
                    f"{database}: cannot read {section.relation} for the "
                    f"{section.name} section: {error}"
                ) from error
            columns = [description[0] for description in cursor.description]
            results[section.name] = (columns, cursor.fetchall())
        if MATCH_RATE_CHECK in relations:  # written by the main job's checks
            cursor = connection.execute(
                f"select match_rate_warning from {MATCH_RATE_CHECK}"  # noqa: S608
            )
            results["match_rate_check"] = (["match_rate_warning"], cursor.fetchall())
    return results


def as_records(columns: list[str], rows: list[tuple]) -> list[dict[str, Any]]:
    """Rows as dictionaries, for the template."""
    return [dict(zip(columns, row, strict=True)) for row in rows]


def encode_for_page(
    columns: list[str],
    rows: list[tuple],
    section: Section,
    shared: dict[str, dict[object, int]],
) -> dict[str, Any]:
    """Compact, lossless JSON for the page (decoded by ``values`` in partners.js).

    Columnar: one list of values per column, coded as ``section`` says (see
    :class:`Section`); ``shared`` holds the page-wide dictionaries, filled as
    sections are encoded. ``encodings`` tells the page how each column is coded.
    """
    lookups: dict[str, dict[object, int]] = {
        column: {} for column in (*section.dictionary, *section.front_coded)
    }
    for column in section.shared:
        lookups[column] = shared.setdefault(column, {})
    values: dict[str, Any] = {}
    encodings: dict[str, dict[str, object]] = {}
    for position, column in enumerate(columns):
        plain = [_plain(row[position]) for row in rows]
        encoding: dict[str, object] = {}
        if column in section.digits:
            plain = [_digits(value) for value in plain]
            encoding["digits"] = 1
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
            encoding["front"] = 1
            if base:
                encoding["base"] = base
        elif column in lookups:
            lookup = lookups[column]
            coded = [lookup.setdefault(value, len(lookup)) for value in plain]
            if column in section.delta:
                coded = [
                    index - (coded[at - 1] if at else 0)
                    for at, index in enumerate(coded)
                ]
                encoding["delta"] = 1
            values[column] = coded
            encoding["shared" if column in section.shared else "dict"] = 1
        else:
            values[column] = plain
        encodings[column] = encoding
    return {
        "columns": columns,
        "count": len(rows),
        "values": values,
        "encodings": encodings,
        "dictionaries": {
            column: list(lookups[column])
            for column in (*section.dictionary, *section.front_coded)
        },
    }


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
    shared: dict[str, dict[object, int]] = {}
    embedded: dict[str, Any] = {
        section.name: encode_for_page(*results[section.name], section, shared)
        for section in SECTIONS
        if section.embed and section.name in results
    }
    embedded["shared"] = {name: list(lookup) for name, lookup in shared.items()}
    css = (REPORT_DIR / "partners.css").read_text(encoding="utf-8")
    js = (REPORT_DIR / "partners.js").read_text(encoding="utf-8")
    health = [f for f in sections["input_files"] if f["source_role"] == "health"]
    checks = sections.get("match_rate_check", [])
    match_rate_warning = checks[0]["match_rate_warning"] if checks else None
    return environment.get_template("partners.html.j2").render(
        sections=sections,
        data=embedded,
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
    missing = [s.name for s in SECTIONS if s.name not in results]
    if missing:
        raise ExportError(
            f"{database}: missing models for sections {', '.join(missing)}; "
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
