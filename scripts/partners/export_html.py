"""Write partners.html, the self-contained report, from the report models
(``python scripts/partners export [--database PATH] [--output PATH]``).
The page's sections are the report models the ``partners_html`` exposure
depends on (models/reports/_exposures.yml), in that order. The script opens
the database read-only and selects each model whole (but for any column its
``omit`` names, below), in its sort order
(``select * exclude (sort_order) from reports.rpt_x order by sort_order``):
it computes no figure and has no other SQL (but for the match-rate warning,
marts.match_rate_check, selected whole too, and a model's row count where the
page carries the count without the rows). What a section is for lives with
its model, in ``meta.page`` of its properties file (models/reports/rpt_x.yml):

- ``script: true``: its rows go to the page's JavaScript, as JSON;
- ``template: true``: its rows go to the template (partners.html.j2), which
  renders them into the HTML (what a reader without JavaScript sees);
- ``omit: [column, ...]``: columns the page never reads, left out of it (a
  column other models use, as rpt_campaigns' is_tunable).

The data of the ``script`` sections is one JSON object (see section_json),
gzip-compressed and base64-encoded into the page; partners.js decodes it with
the browser's DecompressionStream (data.js). The rows are read and compressed
a batch at a time: memory holds one batch and the compressed text.

A build of more campaigns than ``PAGE_MAX_CAMPAIGNS`` (a roster past Excel's
rows, come as CSV or Parquet) gets the page without its data and script: the
template's figures and partner table, and a line saying where the advertisers
and campaigns are (the database).
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import logging
import re
import sys
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from partners.errors import ArgumentParser, exit_code
from partners.limits import EXCEL_ROWS
from partners.page_data import BATCH_ROWS, column_batches, section_json, to_json
from partners.project import BUILD_DIR, DATABASE_FILE, PROJECT_DIR, REPORT_PAGE
from partners.publish import write_atomically

LOG = logging.getLogger("export_html")

REPORT_DIR = PROJECT_DIR / "scripts" / "report"
MODELS_DIR = PROJECT_DIR / "models" / "reports"
EXPOSURE = "partners_html"

#: partners.js: its modules, joined in this order into the page's one script.
#: data.js reads the data (asynchronously) and calls the rest with it; each
#: later module uses what the ones before it define.
SCRIPTS = (
    "data.js",  # decoding #report-data into sections of columns
    "format.js",  # money, counts, percentages; DOM helpers
    "drift.js",  # the drift banner: figures moved since the last build
    "state.js",  # the rows' indexes; state <-> URL; the one-pass aggregate
    "overview.js",  # facets, headline, partner table, heat map, bars
    "tables.js",  # paged tables, estimates, history, drawing what is seen
    "csv.js",  # downloads
    "gaps.js",  # the budget gaps and the campaigns behind each gap figure
    "ideas.js",  # cross-sell ideas and the win-back list, with call lists
    "partner.js",  # the partner view
    "search.js",  # the search box, wiring and start
)
#: the wrapper the modules are joined into (one function scope, strict)
SCRIPT_WRAPPER = """(function () {{
"use strict";
{data}
readData(function (DATA) {{
{rest}
}});
}})();
"""

#: the build's match-rate check (a dbt model): its warning heads the page
MATCH_RATE_CHECK = "marts.match_rate_check"
#: the most campaigns the page carries as data: at 1,033,500 it is 37.7 MB,
#: ready in Chromium in 4.8 s, and its export peaks at 1.1 GB; five times as
#: many would pass the 2 GB budget here and a browser's memory there
PAGE_MAX_CAMPAIGNS = EXCEL_ROWS
#: the section whose rows are the campaigns (rpt_campaigns)
CAMPAIGNS_SECTION = "campaigns"


class ExportError(Exception):
    """The report cannot be written; the message says why."""


@dataclass(frozen=True)
class Section:
    """One report model the page reads, and where its rows go (its meta.page)."""

    name: str
    relation: str
    script: bool = False
    template: bool = False
    omit: tuple[str, ...] = ()

    @property
    def sql(self) -> str:
        """The model whole (but for the columns its page omits), in its order."""
        excluded = ", ".join(("sort_order", *self.omit))
        return (
            f"select * exclude ({excluded}) from {self.relation}"  # noqa: S608
            " order by sort_order"
        )


def report_sections(models_dir: Path = MODELS_DIR) -> tuple[Section, ...]:
    """The exposure's models, in its order, each with its ``meta.page``."""
    exposures = yaml.safe_load((models_dir / "_exposures.yml").read_text("utf-8"))
    [exposure] = [e for e in exposures["exposures"] if e["name"] == EXPOSURE]
    sections = []
    for ref in exposure["depends_on"]:
        model = re.fullmatch(r"ref\('(rpt_\w+)'\)", ref)
        if not model:
            raise ExportError(f"{EXPOSURE}: {ref} is not a report model (rpt_)")
        name = model.group(1)
        properties = yaml.safe_load((models_dir / f"{name}.yml").read_text("utf-8"))
        [entry] = [m for m in properties["models"] if m["name"] == name]
        page = entry.get("config", {}).get("meta", {}).get("page", {})
        sections.append(
            Section(
                name=name.removeprefix("rpt_"),
                relation=f"reports.{name}",
                script=bool(page.get("script")),
                template=bool(page.get("template")),
                omit=tuple(page.get("omit", ())),
            )
        )
    return tuple(sections)


# --------------------------------------------------------------------------
# Reading the models
# --------------------------------------------------------------------------


def open_database(database: Path) -> duckdb.DuckDBPyConnection:
    """The database, read-only."""
    if not database.exists():
        raise ExportError(f"{database}: no database; run the pipeline first")
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.Error as error:
        raise ExportError(f"{database}: cannot open the database: {error}") from error


def match_rate_warning(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The build's match-rate warning, when it has one."""
    try:
        relation = connection.sql(f"select * from {MATCH_RATE_CHECK}")  # noqa: S608
    except duckdb.CatalogException:  # a database built before the check existed
        return None
    rows = [
        dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()
    ]
    return rows[0]["match_rate_warning"] if rows else None


def row_count(connection: duckdb.DuckDBPyConnection, section: Section) -> int:
    """How many rows a section's model has."""
    query = f"select count(*) from {section.relation}"  # noqa: S608
    return int(connection.execute(query).fetchall()[0][0])


def page_limit(
    connection: duckdb.DuckDBPyConnection,
    sections: Sequence[Section],
    most: int = PAGE_MAX_CAMPAIGNS,
) -> str | None:
    """Why the page leaves out its data (more campaigns than ``most``), or None."""
    section = next((s for s in sections if s.name == CAMPAIGNS_SECTION), None)
    try:
        campaigns = row_count(connection, section) if section else 0
    except duckdb.CatalogException:  # said by read_sections, with the others
        return None
    if campaigns <= most:
        return None
    return (
        f"This build has {campaigns:,} campaigns, more than this page carries "
        f"({most:,}): it shows the build's figures and its partners; their "
        "advertisers and campaigns are in the partners database "
        "(marts.partner_advertisers, marts.campaigns)."
    )


def read_sections(
    connection: duckdb.DuckDBPyConnection,
    sections: Sequence[Section],
    batch_rows: int = BATCH_ROWS,
    with_data: bool = True,
) -> tuple[str, dict[str, list[dict[str, Any]]], dict[str, int]]:
    """The page's data (gzip + base64; "" without ``with_data``), the
    template's rows and each script section's row count."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: the gzip format
    compressed: list[bytes] = []
    records: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, int] = {}
    lookups: dict[str, dict[object, int]] = {}
    first = True
    compressed.append(compressor.compress(b'{"sections":{'))
    missing = []
    for section in sections:
        try:
            relation = connection.sql(section.sql)
        except duckdb.CatalogException:
            missing.append(section.name)
            continue
        except duckdb.Error as error:
            raise ExportError(f"cannot read {section.relation}: {error}") from error
        if missing:
            continue
        columns, types = relation.columns, [str(kind) for kind in relation.types]
        if section.template:
            rows = relation.fetchall()
            records[section.name] = [dict(zip(columns, r, strict=True)) for r in rows]
            batches: Iterable[list[list[Any]]] = [
                [list(column) for column in zip(*rows, strict=True)]
                or [[] for _ in columns]
            ]
        else:  # read as the batches are iterated, not here
            batches = column_batches(relation, batch_rows)
        if not section.script:
            continue
        if not with_data:
            counts[section.name] = row_count(connection, section)
            continue
        sizes: list[int] = []
        text = [("" if first else ",") + to_json(section.name) + ":"]
        first = False
        for piece in (*text, *section_json(columns, types, batches, sizes, lookups)):
            compressed.append(compressor.compress(piece.encode("utf-8")))
        counts[section.name] = sum(sizes)
    if missing:
        raise ExportError(
            f"missing models for sections {', '.join(missing)}; "
            "run the pipeline (dbt build) first"
        )
    if not with_data:
        return "", records, counts
    levels = {column: list(lookup) for column, lookup in lookups.items()}
    compressed.append(compressor.compress(f'}},"levels":{to_json(levels)}}}'.encode()))
    compressed.append(compressor.flush())
    data = base64.b64encode(b"".join(compressed)).decode("ascii")
    return data, records, counts


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------

#: without JavaScript the page shows what the template rendered (the script
#: reveals the interactive parts when it is ready, so nothing shifts)
NOSCRIPT_CSS = (
    ".needs-js{display:none!important}.js-wait{visibility:visible!important}"
    # a figure that opens its campaigns with the script is a figure without it
    "button.link{pointer-events:none;color:inherit;text-decoration:none}"
)


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def page_script() -> str:
    """partners.js: the modules of SCRIPTS joined, in order, into one script."""
    texts = [(REPORT_DIR / name).read_text(encoding="utf-8") for name in SCRIPTS]
    return SCRIPT_WRAPPER.format(data=texts[0], rest="\n".join(texts[1:]))


def _count(value: object) -> str:
    return f"{int(value or 0):,}"


def _money(value: object) -> str:
    amount = decimal.Decimal(str(value or 0))
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def render(
    data: str,
    sections: dict[str, list[dict[str, Any]]],
    counts: dict[str, int],
    warning: str | None,
    database_name: str,
    generated_at: dt.datetime,
    limit: str | None = None,
) -> str:
    """The page: the template's sections rendered, the data and script inline;
    with a ``limit`` (why there is no data), the template's figures alone."""
    environment = Environment(
        loader=FileSystemLoader(REPORT_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters.update(count=_count, money=_money)
    css = (REPORT_DIR / "partners.css").read_text(encoding="utf-8")
    js = "" if limit else page_script()
    health = [f for f in sections["input_files"] if f["source_role"] == "health"]
    return environment.get_template("partners.html.j2").render(
        sections=sections,
        counts=counts,
        # a JSON string: base64 has no character a <script> could end on
        data=Markup(json.dumps(data)),  # noqa: S704
        page_limit=limit,
        health_campaigns=health[0]["rows_loaded"] if health else 0,
        match_rate_warning=warning,
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


def export(
    database: Path,
    output: Path,
    database_name: str | None = None,
    batch_rows: int = BATCH_ROWS,
    sections: Sequence[Section] | None = None,
    max_campaigns: int = PAGE_MAX_CAMPAIGNS,
) -> Path:
    """Read the report models of ``database`` and write the report to ``output``."""
    sections = report_sections() if sections is None else sections
    with open_database(database) as connection:
        try:
            limit = page_limit(connection, sections, max_campaigns)
            data, records, counts = read_sections(
                connection, sections, batch_rows, with_data=limit is None
            )
            warning = match_rate_warning(connection)
        except ExportError as error:
            raise ExportError(f"{database}: {error}") from error
    if limit:
        LOG.warning("partners.html: the figures and partners alone: %s", limit)
    now = dt.datetime.now(dt.UTC)
    name = database_name or database.name
    page = render(data, records, counts, warning, name, now, limit)
    write_atomically(output, [page])
    LOG.info("wrote %s (%.1f kB)", output, output.stat().st_size / 1024)
    return output


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=BUILD_DIR / DATABASE_FILE)
    parser.add_argument("--output", type=Path, default=BUILD_DIR / REPORT_PAGE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    return exit_code(lambda: export(args.database, args.output), LOG, (ExportError,))


if __name__ == "__main__":
    sys.exit(main())
