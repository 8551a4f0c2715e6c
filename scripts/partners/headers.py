"""Which sheet and header row of an input file, and which of its columns:
the two inputs' roles (canonical columns in seed order, the required ones),
the header spellings of ``ref_column_aliases.csv``, and a drop's as-of date
from the rows above the header."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from partners.dates import month_or_date
from partners.project import PROJECT_DIR
from partners.readers import (
    HEADER_SCAN_ROWS,
    IngestError,
    Sheet,
    cell_text,
    is_blank_row,
)

LOG = logging.getLogger("ingest")
ALIASES_PATH = PROJECT_DIR / "seeds" / "reference" / "ref_column_aliases.csv"


@dataclass(frozen=True)
class Role:
    """One input's canonical columns (seed order) and the required ones."""

    name: str
    seed: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    #: rows carry their drop's as-of date and sha256 (DROP_COLUMNS) first
    per_drop: bool = False

    @property
    def header(self) -> tuple[str, ...]:
        """The seed's header: (the drop,) provenance, columns, cell types."""
        drop = DROP_COLUMNS if self.per_drop else ()
        return (*drop, *PROVENANCE, *self.columns, "cell_types")


BREAKOUT = Role(
    "breakout",
    "raw_breakout_campaigns",
    ("campaign_id", "campaign_name", "maid", "advertiser_name", "partner_name",
     "product_type", "campaign_status", "start_date"),
    ("campaign_id", "maid", "partner_name", "product_type"),
)  # fmt: skip
HEALTH = Role(
    "health",
    "raw_health_campaigns",
    ("campaign_id", "campaign_name", "maid", "advertiser_name", "am",
     "campaign_budget", "utilization"),
    ("campaign_id", "campaign_budget"),
    per_drop=True,
)  # fmt: skip
PROVENANCE = ("source_file", "source_sheet", "source_row")
DROP_COLUMNS = ("as_of_date", "drop_sha256")
FILES_COLUMNS = ("source_role", "file_name", "file_sha256", "file_bytes", "sheet_name",
                 "header_row", "rows_read", "blank_rows_skipped", "as_of_date",
                 "ingested_at", "header_mapping")  # fmt: skip


_NOT_IN_KEY = re.compile(r"[^0-9a-z]+")


def header_key(header: object) -> str:
    """Case-folded letters and digits of a header: 'Campaign ID' -> 'campaignid'."""
    text = unicodedata.normalize("NFKC", cell_text(header)[0]).casefold()
    return _NOT_IN_KEY.sub("", text)


def load_aliases(path: Path = ALIASES_PATH) -> dict[str, dict[str, str]]:
    """The committed header aliases: role -> header key -> canonical column."""
    aliases: dict[str, dict[str, str]] = defaultdict(dict)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = header_key(row["header_alias"])
            aliases[row["source_role"]][key] = row["canonical_column"]
    return aliases


@functools.cache
def _own_keys(columns: tuple[str, ...]) -> dict[str, str]:
    """header key -> column, for a role's own column names (asked of every
    row: is it a header repeated in the data?)."""
    return {header_key(column): column for column in columns}


def canonical_column(header: object, role: Role, aliases: dict[str, str]) -> str | None:
    """The canonical column a header names (its own name always does), or None."""
    key = header_key(header)
    return (_own_keys(role.columns).get(key) or aliases.get(key)) if key else None


def shown_cell(cell: object) -> str:
    return " ".join(cell_text(cell)[0].split())


@dataclass
class HeaderMatch:
    """Where a sheet's header is (0-based row) and what each position maps to."""

    row_index: int
    mapping: dict[str, int]  # canonical column -> its first position
    headers: list[str]
    named: dict[str, list[str]]  # canonical column -> every header naming it


def find_header(
    rows: Sequence[Sequence[object]], role: Role, aliases: dict[str, str]
) -> tuple[HeaderMatch | None, HeaderMatch | None]:
    """(the first row naming every required column, the best partial row)."""
    best = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[str, int] = {}
        named: dict[str, list[str]] = defaultdict(list)
        for position, cell in enumerate(row):
            if column := canonical_column(cell, role, aliases):
                mapping.setdefault(column, position)
                named[column].append(shown_cell(cell))
        if not mapping:
            continue
        headers = [shown_cell(cell) for cell in row if shown_cell(cell)]
        match = HeaderMatch(index, mapping, headers, named)
        if all(column in mapping for column in role.required):
            return match, match
        if best is None or len(mapping) > len(best.mapping):
            best = match
    return None, best


def choose_sheet(
    path: Path, sheets: list[Sheet], role: Role, aliases: dict[str, str]
) -> tuple[Sheet, HeaderMatch]:
    """The one visible sheet whose header names every required column."""
    found, best, best_size = [], None, -1
    for sheet in sheets:
        if not sheet.visible:
            LOG.info("%s: skipping hidden sheet %r", path.name, sheet.name)
            continue
        match, partial = find_header(sheet.head, role, aliases)
        if match:
            found.append((sheet, match))
        elif (size := len(partial.mapping) if partial else 0) > best_size:
            best, best_size = (sheet, partial), size
    if len(found) > 1:
        names = ", ".join(repr(sheet.name) for sheet, _ in found)
        raise IngestError(f"{path}: several sheets have the {role.name} columns "
                          f"({names}); keep one sheet in the export")  # fmt: skip
    if found:
        return found[0]
    required = ", ".join(role.required)
    if best is None:
        visible = [s.name for s in sheets if s.visible]
        raise IngestError(
            f"{path}: no visible sheet to read (sheets: "
            f"{visible or 'none'}); expected a header with {required}"
        )
    sheet, partial = best
    if partial is None:
        empty = " (the sheet is empty)" if all(map(is_blank_row, sheet.head)) else ""
        raise IngestError(
            f"{path}, sheet {sheet.name!r}: no header row found in the first "
            f"{HEADER_SCAN_ROWS} rows{sheet.note}; expected columns {required}{empty}"
        )
    missing = [column for column in role.required if column not in partial.mapping]
    raise IngestError(
        f"{path}, sheet {sheet.name!r}, row {partial.row_index + 1}: missing required "
        f"column(s) {', '.join(missing)}; headers found: {', '.join(partial.headers)}"
        f"{sheet.note}"
    )


def title_as_of(rows_above_header: Sequence[Sequence[object]]) -> dt.date | None:
    """A date or month in a drop's title rows (an ISO date, 2026-11,
    "November 2026", "Nov 2026"; dates.py), if one is there."""
    for text in (cell_text(cell)[0] for row in rows_above_header for cell in row):
        if found := month_or_date(text):
            return found
    return None


def file_date(path: Path) -> dt.date:
    """A file's modification date: a drop's date when none is given or titled
    (a guess: see history.refuse_guessed_replacement)."""
    return dt.date.fromtimestamp(path.stat().st_mtime)


def infer_as_of(path: Path, rows_above_header: Sequence[Sequence[object]]) -> dt.date:
    """The date a drop describes: the date or month of its title rows, else
    the file's modification date."""
    return title_as_of(rows_above_header) or file_date(path)
