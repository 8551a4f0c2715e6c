"""Convert the Breakout and Health workbooks into the raw dbt seeds: the cells' text.

Usage::

    python scripts/partners convert --breakout data/raw/breakout.xlsx \\
        --health data/raw/health.xlsx [--seeds-dir seeds/raw] [--as-of YYYY-MM-DD]

Per file (``.xlsx``, or a ``.csv`` / ``.parquet`` export of the same shape) it
finds the one visible sheet whose header row (within the first 20 rows) names
every required column (spellings mapped by ``ref_column_aliases.csv``) and
writes every non-blank data row as the cells' text exactly as the file held it,
with its provenance and the Excel type of every non-text cell (``cell_types``).
Cleaning is the staging models' job. Anything that stops the run is one message
naming the file, sheet, row and column; the previous seed set stays untouched.
Limits (``MAX_XML_BYTES``, ``MAX_CELLS``): see readers.py. The Health files
are written in a forked child process while this one reads the roster (two
cores).

The Health seed holds every drop: each Health file's rows carry its as-of date
and sha256, and the seed is every stored drop of the history store (one CSV per
drop, in the seed's own format) with this run's drops added.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import itertools
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from partners.children import YIELDING, in_child, stop_all
from partners.dates import as_of_argument, month_or_date
from partners.project import PROJECT_DIR, SEEDS_DIR
from partners.readers import (
    _BLANK,
    HEADER_SCAN_ROWS,
    IngestError,
    Sheet,
    cell_text,
    is_blank_row,
    letters,
    read_sheets,
    sha256_of,
)
from partners.sheet_meaning import RowMeaning

LOG = logging.getLogger("ingest")
DEFAULT_SEEDS_DIR = SEEDS_DIR
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


# ------------------------------------------------------------------ headers


def header_key(header: object) -> str:
    """Case-folded letters and digits of a header: 'Campaign ID' -> 'campaignid'."""
    text = unicodedata.normalize("NFKC", cell_text(header)[0]).casefold()
    return re.sub(r"[^0-9a-z]+", "", text)


def load_aliases(path: Path = ALIASES_PATH) -> dict[str, dict[str, str]]:
    """The committed header aliases: role -> header key -> canonical column."""
    aliases: dict[str, dict[str, str]] = defaultdict(dict)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = header_key(row["header_alias"])
            aliases[row["source_role"]][key] = row["canonical_column"]
    return aliases


def canonical_column(header: object, role: Role, aliases: dict[str, str]) -> str | None:
    """The canonical column a header names (its own name always does), or None."""
    key = header_key(header)
    own = {header_key(column): column for column in role.columns}
    return (own.get(key) or aliases.get(key)) if key else None


def _shown(cell: object) -> str:
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
                named[column].append(_shown(cell))
        if not mapping:
            continue
        headers = [_shown(cell) for cell in row if _shown(cell)]
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


def infer_as_of(path: Path, rows_above_header: Sequence[Sequence[object]]) -> dt.date:
    """The date a drop describes: a date or month in its title rows (an ISO
    date, 2026-11, "November 2026", "Nov 2026"; dates.py), else the file's
    modification date."""
    for text in (cell_text(cell)[0] for row in rows_above_header for cell in row):
        if found := month_or_date(text):
            return found
    return dt.date.fromtimestamp(path.stat().st_mtime)


# ------------------------------------------------------------------ converting


@dataclass
class FileInfo:
    """What converting one input file found."""

    role: str
    path: Path
    file_sha256: str
    sheet_name: str
    header_row: int
    rows_read: int = 0
    blank_rows_skipped: int = 0
    as_of: dt.date | None = None
    header_mapping: str = ""


@dataclass(frozen=True)
class Drop:
    """One Health drop for the history store: its rows (the Health seed's
    format) in ``<name>.drop`` inside out_dir."""

    as_of: dt.date
    drop_sha256: str
    path: Path


@dataclass
class Conversion:
    """A converted seed set: the input files, the current drop, earlier drops."""

    files: list[FileInfo]
    drop: Drop
    earlier: list[Drop] = field(default_factory=list)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def convert_file(
    path: Path,
    role: Role,
    aliases: dict[str, str],
    target: Path,
    work_dir: Path,
    as_of: dt.date | None = None,
) -> FileInfo:
    """Write one file's non-blank data rows as text to the CSV ``target``
    (``role.header``); ``as_of`` overrides the date its title rows give."""
    sheet, header = choose_sheet(path, read_sheets(path, work_dir), role, aliases)
    if duplicated := {c: h for c, h in header.named.items() if len(h) > 1}:
        detail = "; ".join(f"{c}: {', '.join(h)}" for c, h in duplicated.items())
        raise IngestError(
            f"{path}, sheet {sheet.name!r}, row {header.row_index + 1}: "
            f"more than one header names the same column ({detail})"
        )
    positions = [header.mapping.get(column) for column in role.columns]
    cells = sheet.head[header.row_index]
    extra = [_shown(c) for i, c in enumerate(cells)
             if _shown(c) and i not in header.mapping.values()]  # fmt: skip
    if extra:
        LOG.info("%s: columns not used: %s", path.name, ", ".join(extra))
    mapping = "; ".join(f"{_shown(cells[p])} -> {c}" for c, p in header.mapping.items())
    info = FileInfo(role.name, path, sha256_of(path), sheet.name, header.row_index + 1,
                    as_of=as_of or infer_as_of(path, sheet.head[: header.row_index]),
                    header_mapping=mapping)  # fmt: skip
    used = {sheet.col0 + p for p in positions if p is not None}
    late = sorted(rc for rc in sheet.uncalculated
                  if rc[0] > info.header_row and rc[1] in used)  # fmt: skip
    if late:
        shown = ", ".join(f"{letters(c)}{r} (={sheet.uncalculated[r, c]})"
                          for r, c in late[:5])  # fmt: skip
        raise IngestError(
            f"{path}, sheet {sheet.name!r}: {len(late):,} formula cell(s) without a "
            f"calculated value, e.g. {shown}{' ...' if len(late) > 5 else ''}; "
            "open the file in Excel and save it (so values are stored), or export "
            "the values"
        )
    row_errors: dict[int, dict[int, str]] = defaultdict(dict)  # calamine reads ""
    for (r, c), error in sheet.errors.items():
        if c in used:
            row_errors[r][c - sheet.col0] = error
    meaning = RowMeaning(f"{path.name}, sheet {sheet.name!r}", sheet.facts,
                         role.columns, positions, info.header_row + 1, sheet.col0,
                         lambda c: canonical_column(c, role, aliases))  # fmt: skip
    data = itertools.chain(sheet.head[header.row_index + 1 :], sheet.rest)
    rows = meaning.rows(data, above=sheet.head[: header.row_index + 1])
    text_rows = meaning.marked(
        _text_rows(info, rows, positions, role.columns, row_errors)
    )
    if role.per_drop:  # each row with its drop's as-of date and sha256
        drop = [info.as_of.isoformat(), info.file_sha256]
        text_rows = (drop + row for row in text_rows)
    _write_csv(target, role.header, text_rows)
    if info.rows_read == 0:
        raise IngestError(
            f"{path}, sheet {sheet.name!r}: the sheet has a header on row "
            f"{info.header_row} but no data rows"
        )
    LOG.info("%s: sheet %r, header on row %d: %s rows read, %s blank rows skipped",
             path.name, sheet.name, info.header_row, f"{info.rows_read:,}",
             f"{info.blank_rows_skipped:,}")  # fmt: skip
    return info


def _text_rows(
    info: FileInfo,
    rows: Iterable[list[object]],
    positions: list[int | None],
    columns: Sequence[str],
    row_errors: dict[int, dict[int, str]],
) -> Iterator[list[str]]:
    """Each non-blank row as its seed row: provenance, the columns' text, cell_types.

    The hot loop: text cells are taken as they are, one tuple per row by
    ``itemgetter``; only the other cells are turned into text one by one.
    """
    absent = None in positions  # an absent column reads the row's padding: ""
    pick = itemgetter(*(-1 if p is None else p for p in positions))
    pad, labels = [""], [f"{c}=" for c in columns]
    first = [info.path.name, info.sheet_name]
    read = skipped = blank_run = 0
    for number, row in enumerate(rows, start=info.header_row + 1):
        errors = row_errors.get(number)
        if errors is None:  # blank: the first cell that is not falsy is blank text
            cell = next(filter(None, row), "")
            if cell.__class__ is str and not cell.strip(_BLANK) and is_blank_row(row):
                blank_run += 1
                continue
        read, skipped, blank_run = read + 1, skipped + blank_run, 0
        try:
            cells = pick(row + pad if absent else row)
        except IndexError:  # a short CSV record: absent cells are empty
            width = len(row)
            cells = [row[p] if p is not None and p < width else "" for p in positions]
        values, kinds = [*first, str(number), *cells, ""], []
        for i, cell in enumerate(cells):
            if errors and positions[i] in errors:
                text, kind = errors[positions[i]], "error"
            elif cell.__class__ is str:
                continue
            elif cell.__class__ is float:  # as cell_text, without the call
                kind = "number"
                if cell.is_integer() and -1e15 < cell < 1e15:
                    text = str(int(cell))  # an ID, a whole amount
                else:
                    text = repr(cell) if cell == cell else "NaN"
            elif cell.__class__ is dt.date:
                text, kind = cell.isoformat(), "date"
            else:
                text, kind = cell_text(cell)
            values[i + 3] = text
            if kind:
                kinds.append(labels[i] + kind)
        if kinds:
            values[-1] = ";".join(kinds)
        yield values
    info.rows_read, info.blank_rows_skipped = read, skipped


# ------------------------------------------------------------------ history
#
# The history store keeps each Health drop as the converter writes it: the
# Health seed's rows of that drop, in the seed's format, one file
# ``health_<as-of>_<sha256 prefix>.csv`` per drop. The Health seed of a run is
# every stored drop with this run's drops added, one drop per date.

#: the formats earlier versions stored, converted once where found
_OLD_HISTORY_HEADERS = (
    ("as_of_date", "drop_sha256", "source_file", "source_sheet", "source_row",
     "campaign_id", "maid", "am", "campaign_budget", "cell_types"),
    ("as_of_date", "campaign_id", "maid", "am", "campaign_budget"),
)  # fmt: skip


def _drop_name(as_of: dt.date, sha256: str) -> str:
    return f"health_{as_of.isoformat()}_{sha256[:16]}"


def stored_drops(history_dir: Path | None) -> list[tuple[dt.date, str, Path]]:
    """(as-of date, sha256 prefix or "", path) of every stored drop, oldest first."""
    found = []
    for path in sorted(history_dir.glob("health_*.csv")) if history_dir else ():
        parts = path.stem.split("_")
        try:
            sha = parts[2] if len(parts) > 2 else ""
            found.append((dt.date.fromisoformat(parts[1]), sha, path))
        except (ValueError, IndexError):
            raise IngestError(f"{path}: not a history file of this pipeline") from None
    return found


def _header_of(path: Path) -> tuple[str, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(next(csv.reader(handle), ()))


def _old_drop_rows(path: Path, header: tuple[str, ...]) -> Iterator[list[str]]:
    """A drop stored in an earlier format, as Health seed rows: the columns it
    lacks are empty (the oldest format names its own file and row)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for number, values in enumerate(reader, start=2):
            row = dict(zip(header, values, strict=False))
            if "source_file" not in header:
                row.update(source_file=path.name, source_sheet="history",
                           source_row=str(number))  # fmt: skip
            yield [row.get(column, "") for column in HEALTH.header]


def upgrade_history(history_dir: Path) -> int:
    """Convert the drops an earlier version stored (_OLD_HISTORY_HEADERS) to
    the Health seed's format, once, in place: each file atomically (a
    temporary file renamed over it), so a stopped upgrade leaves every file
    readable, and the next run converts the rest. Says so in one line; returns
    how many files it converted."""
    converted = 0
    for _, _, path in stored_drops(history_dir):
        header = _header_of(path)
        if header == HEALTH.header:
            continue
        if header not in _OLD_HISTORY_HEADERS:
            raise IngestError(f"{path}: not a history file of this pipeline")
        temporary = path.with_name(f".{path.name}.tmp")
        _write_csv(temporary, HEALTH.header, _old_drop_rows(path, header))
        os.replace(temporary, path)
        converted += 1
    if converted:
        LOG.info("history: %d stored Health drop(s) in %s converted once to the "
                 "Health seed's format", converted, history_dir)  # fmt: skip
    return converted


def _drop_rows(path: Path) -> Iterator[list[str]]:
    """A stored or new drop's rows (the Health seed's format)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader, ()))
        if header != HEALTH.header:
            older = header in _OLD_HISTORY_HEADERS
            raise IngestError(
                f"{path}: "
                + ("a drop stored by an earlier version: run `make partners` "
                   "(or python scripts/partners convert), which converts the "
                   "history store"
                   if older else "not a history file of this pipeline")
            )  # fmt: skip
        yield from reader


def write_health_seed(
    target: Path, drop: Drop, earlier: Sequence[Drop], history_dir: Path | None
) -> None:
    """The Health seed: every stored drop and this run's drops, one drop per
    content and per as-of date, oldest first. A drop given in this run
    replaces a stored drop of its content or its date (a redone export), and
    the current drop (``drop``, given last) any earlier drop of its date."""
    given = [*earlier, drop]
    shas = {d.drop_sha256[:16] for d in given}
    dated = {a: p for a, sha, p in stored_drops(history_dir) if sha not in shas}
    for each in given:
        dated[each.as_of] = each.path
    rows = itertools.chain.from_iterable(_drop_rows(dated[a]) for a in sorted(dated))
    _write_csv(target, HEALTH.header, rows)


def store_drop(drop: Drop, history_dir: Path) -> Path | None:
    """Store a drop (atomically); None when its content is already stored.

    A different drop of the same as-of date (a redone export) replaces it.
    """
    stored = stored_drops(history_dir)
    if any(sha and drop.drop_sha256.startswith(sha) for _, sha, _ in stored):
        LOG.info("health drop %s is already stored", drop.drop_sha256[:16])
        return None
    history_dir.mkdir(parents=True, exist_ok=True)
    target = history_dir / f"{_drop_name(drop.as_of, drop.drop_sha256)}.csv"
    temporary = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(drop.path, temporary)
    os.replace(temporary, target)
    for as_of, _, path in stored:
        if as_of == drop.as_of:
            path.unlink()
    return target


# ------------------------------------------------------------------ the API


def _convert_checked(path: Path, role: Role, aliases: dict[str, dict[str, str]],
                     target: Path, work_dir: Path,
                     as_of: dt.date | None = None) -> FileInfo:  # fmt: skip
    """convert_file, naming the other role when the file looks like it."""
    try:
        return convert_file(path, role, aliases.get(role.name, {}), target, work_dir,
                            as_of)  # fmt: skip
    except IngestError as error:
        other = HEALTH if role is BREAKOUT else BREAKOUT
        try:
            sheets = read_sheets(path, work_dir)
            choose_sheet(path, sheets, other, aliases.get(other.name, {}))
        except IngestError:
            raise error from None
        raise IngestError(
            f"{error}. This file looks like the {other.name.capitalize()} "
            "workbook: are --breakout and --health swapped?"
        ) from error


def _as_drop(info: FileInfo, written: Path, out_dir: Path) -> Drop:
    """A converted Health file as a drop: its rows moved to ``<name>.drop``."""
    path = out_dir / f"{_drop_name(info.as_of, info.file_sha256)}.drop"
    os.replace(written, path)
    return Drop(info.as_of, info.file_sha256, path)


def _convert_health(
    path: Path,
    aliases: dict[str, dict[str, str]],
    target: Path,
    work_dir: Path,
    *,
    as_of: dt.date | None,
    history_dir: Path | None,
    earlier_health: Sequence[Path],
) -> tuple[FileInfo, Drop, list[Drop]]:
    """The Health side of a conversion: the current drop, the earlier drops
    (each a ``.drop`` file beside ``target``), and the Health seed ``target``
    with every stored drop."""
    out_dir = target.parent
    written = work_dir / "current.csv"
    info = _convert_checked(path, HEALTH, aliases, written, work_dir, as_of)
    drop = _as_drop(info, written, out_dir)
    earlier = []
    for number, earlier_path in enumerate(earlier_health):
        written = work_dir / f"earlier_{number}.csv"
        earlier_info = convert_file(earlier_path, HEALTH, aliases.get("health", {}),
                                    written, work_dir)  # fmt: skip
        earlier.append(_as_drop(earlier_info, written, out_dir))
    write_health_seed(target, drop, earlier, history_dir)
    return info, drop, earlier


def convert(
    breakout: Path,
    health: Path,
    out_dir: Path,
    *,
    as_of: dt.date | None = None,
    history_dir: Path | None = None,
    earlier_health: Sequence[Path] = (),
) -> Conversion:
    """Write a complete raw seed set into the new or empty ``out_dir`` (left
    empty on failure). ``history_dir`` is only read (upgrade_history converts
    an earlier version's store first). Nothing outside ``out_dir`` changes.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.iterdir()):
        raise IngestError(f"{out_dir}: the folder for the new seed set is not empty")
    aliases = load_aliases()
    work = Path(tempfile.mkdtemp(prefix=".work-", dir=out_dir))
    try:
        seeds = [out_dir / f"{role.seed}.csv" for role in (BREAKOUT, HEALTH)]
        # the Health side on the other core, yielding to the roster (the longer)
        # (the roster's error first, as when read in turn: leaving the block
        # stops the child)
        with in_child(_convert_health, health, aliases, seeds[1], work,
                      as_of=as_of, history_dir=history_dir,
                      earlier_health=earlier_health,
                      niceness=YIELDING) as health_side:  # fmt: skip
            roster = _convert_checked(breakout, BREAKOUT, aliases, seeds[0], work)
            health_info, drop, earlier = health_side()
        files = [roster, health_info]
        ingested_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        _write_csv(out_dir / "raw_ingest_files.csv", FILES_COLUMNS, (
            [f.role, f.path.name, f.file_sha256, f.path.stat().st_size, f.sheet_name,
             f.header_row, f.rows_read, f.blank_rows_skipped,
             f.as_of.isoformat() if f.as_of else "", ingested_at, f.header_mapping]
            for f in files))  # fmt: skip
    except BaseException:
        for path in out_dir.iterdir():  # what this call wrote
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Conversion(files, drop, earlier)


def _recover_interrupted_swap(seeds_dir: Path, work_dir: Path) -> None:
    """Put the previous seed set back if a run died between the two renames."""
    leftovers = sorted(work_dir.glob(".raw-old-*"), key=lambda p: p.stat().st_mtime)
    if leftovers and not seeds_dir.exists():
        os.replace(leftovers.pop(), seeds_dir)
    for leftover in [*leftovers, *work_dir.glob(".raw-new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def ingest(
    breakout: Path,
    health: Path,
    seeds_dir: Path = DEFAULT_SEEDS_DIR,
    *,
    as_of: dt.date | None = None,
    history_dir: Path | None = None,
    earlier_health: Sequence[Path] = (),
) -> Conversion:
    """Convert into a temporary folder, swap it into ``seeds_dir`` as one set
    (the previous set is untouched on failure), then store the drops (a
    history store of an earlier version is converted first)."""
    seeds_dir = seeds_dir.resolve()
    work_dir = seeds_dir.parent.parent  # the project of seeds/raw
    history_dir = history_dir or work_dir / "data" / "history"
    upgrade_history(history_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    _recover_interrupted_swap(seeds_dir, work_dir)
    staging = Path(tempfile.mkdtemp(prefix=".raw-new-", dir=work_dir))
    try:
        conversion = convert(breakout, health, staging, as_of=as_of,
                             history_dir=history_dir,
                             earlier_health=earlier_health)  # fmt: skip
        old = work_dir / f".raw-old-{os.getpid()}"
        seeds_dir.parent.mkdir(parents=True, exist_ok=True)
        if seeds_dir.exists():
            os.replace(seeds_dir, old)
        os.replace(staging, seeds_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    moved = [
        dataclasses.replace(d, path=seeds_dir / d.path.name)
        for d in (*conversion.earlier, conversion.drop)
    ]
    for drop in moved:
        store_drop(drop, history_dir)
    conversion.earlier, conversion.drop = moved[:-1], moved[-1]
    return conversion


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    # fmt: off
    add("--breakout", type=Path, required=True,
        help="the Breakout (roster) file: .xlsx, .csv or .parquet")
    add("--health", type=Path, required=True,
        help="the Health file: .xlsx, .csv or .parquet")
    add("--seeds-dir", type=Path, default=DEFAULT_SEEDS_DIR,
        help="where the raw seeds go (default: %(default)s)")
    add("--as-of", type=as_of_argument,
        help="the date the Health file describes: YYYY-MM-DD or a month (2026-11, "
        "Nov 2026) (default: a month "
        "or date in its title, else the file's date)")
    add("--history-dir", type=Path,
        help="where every Health drop is kept (default: data/history)")
    add("--earlier-health", type=Path, nargs="*", default=[],
        help="earlier Health drops to add to the history")
    # fmt: on
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    # Ctrl-C stops cleanly even when started with SIGINT ignored (a background
    # job of a non-interactive shell inherits that)
    previous_interrupt = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        ingest(args.breakout, args.health, args.seeds_dir, as_of=args.as_of,
               history_dir=args.history_dir,
               earlier_health=args.earlier_health)  # fmt: skip
    except IngestError as error:
        LOG.error("%s", error)
        return 1
    except OSError as error:  # a full disk, a permission problem, ...
        LOG.error("%s; the previous seeds were not changed", error)
        return 1
    except KeyboardInterrupt:
        stop_all()
        LOG.error("interrupted; the previous seeds were not changed")
        return 130
    finally:
        signal.signal(signal.SIGINT, previous_interrupt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
