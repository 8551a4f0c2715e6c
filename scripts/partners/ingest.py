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
Limits (``MAX_XML_BYTES``, ``MAX_CELLS``): see readers.py; the others, and
the cut of text cells over ``LONG_TEXT``: limits.py. The Health files
are written in a forked child process while this one reads the roster (two
cores).

The Health seed holds every drop: each Health file's rows carry its as-of date
and sha256, and the seed is every stored drop of the history store (one CSV per
drop, in the seed's own format) with this run's drops added.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from partners.children import YIELDING, in_child, stop_all
from partners.dates import as_of_argument
from partners.errors import ArgumentParser
from partners.headers import (
    BREAKOUT,
    FILES_COLUMNS,
    HEALTH,
    Role,
    canonical_column,
    choose_sheet,
    file_date,
    load_aliases,
    shown_cell,
    title_as_of,
)
from partners.history import (
    Drop,
    drop_name,
    flag_drop_date,
    refuse_guessed_replacement,
    store_drop,
    stored_date_of,
    upgrade_history,
    write_csv,
    write_health_seed,
)
from partners.limits import LONG_TEXT, cut_long_text
from partners.project import SEEDS_DIR
from partners.publish import Publication, heal_swapped_folder
from partners.readers import (
    _BLANK,
    IngestError,
    cell_text,
    is_blank_row,
    letters,
    read_sheets,
    sha256_of,
)
from partners.sheet_meaning import RowMeaning

LOG = logging.getLogger("ingest")
DEFAULT_SEEDS_DIR = SEEDS_DIR
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
    #: the as-of date is the file's modification date: no date was given,
    #: none is in its title rows, and its content is not stored already
    as_of_guessed: bool = False


@dataclass
class Conversion:
    """A converted seed set: the input files, the current drop, earlier drops."""

    files: list[FileInfo]
    drop: Drop
    earlier: list[Drop] = field(default_factory=list)


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
    extra = [shown_cell(c) for i, c in enumerate(cells)
             if shown_cell(c) and i not in header.mapping.values()]  # fmt: skip
    if extra:
        LOG.info("%s: columns not used: %s", path.name, ", ".join(extra))
    mapping = "; ".join(
        f"{shown_cell(cells[p])} -> {c}" for c, p in header.mapping.items()
    )
    # the date given, else the title rows' (read once), else the file's (a guess)
    dated = as_of or title_as_of(sheet.head[: header.row_index])
    info = FileInfo(role.name, path, sha256_of(path), sheet.name, header.row_index + 1,
                    as_of=dated or file_date(path), header_mapping=mapping,
                    as_of_guessed=dated is None)  # fmt: skip
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
    write_csv(target, role.header, text_rows)
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
                if len(cell) <= LONG_TEXT:
                    continue
                text, kind = cut_long_text(cell), ""  # limits.py
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
    path = out_dir / f"{drop_name(info.as_of, info.file_sha256)}.drop"
    os.replace(written, path)
    return Drop(info.as_of, info.file_sha256, path, info.as_of_guessed)


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
    # a file stored already keeps its date unless an as-of date is given: a
    # copy downloaded another day is the same drop, whatever its file date
    as_of = as_of or stored_date_of(sha256_of(path), history_dir)
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
        flag_drop_date(drop, health, history_dir)
        refuse_guessed_replacement(drop, health, history_dir)
        files = [roster, health_info]
        ingested_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        write_csv(out_dir / "raw_ingest_files.csv", FILES_COLUMNS, (
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
    heal_swapped_folder(seeds_dir)
    for leftover in work_dir.glob(".raw-new-*"):  # a killed run's
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".raw-new-", dir=work_dir))
    try:
        conversion = convert(breakout, health, staging, as_of=as_of,
                             history_dir=history_dir,
                             earlier_health=earlier_health)  # fmt: skip
        seeds_dir.parent.mkdir(parents=True, exist_ok=True)
        swap = Publication(staging)
        swap.swap_folder(staging, seeds_dir)
        swap.commit()
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
    parser = ArgumentParser(description=__doc__.splitlines()[0])
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
