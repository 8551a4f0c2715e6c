"""The Health history store: each drop as the converter writes it (the Health
seed's rows of that drop, in the seed's format, one file
``health_<as-of>_<sha256 prefix>.csv`` per drop); a store of an earlier
version is converted once, in place."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import itertools
import logging
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from partners.headers import HEALTH
from partners.readers import (
    IngestError,
)

LOG = logging.getLogger("ingest")


@dataclass(frozen=True)
class Drop:
    """One Health drop for the history store: its rows (the Health seed's
    format) in ``<name>.drop`` inside out_dir."""

    as_of: dt.date
    drop_sha256: str
    path: Path
    #: dated by the file's modification date (no date given or titled)
    guessed: bool = False


def same_month(one: dt.date, other: dt.date) -> bool:
    """A drop is the Health file of an as-of month: two dates of one month
    are one drop's."""
    return (one.year, one.month) == (other.year, other.month)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


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


def drop_name(as_of: dt.date, sha256: str) -> str:
    return f"health_{as_of.isoformat()}_{sha256[:16]}"


#: a stored drop's name: its as-of date, and its content's sha256 prefix
#: (stores of the oldest version name the date alone)
_STORED_NAME = re.compile(r"health_(\d{4}-\d{2}-\d{2})(?:_([0-9a-f]{16}))?")


def stored_drops(history_dir: Path | None) -> list[tuple[dt.date, str, Path]]:
    """(as-of date, sha256 prefix or "", path) of every stored drop, oldest
    first. A file of another name (a copy such as ``... (1).csv``), or a
    second file of one date, stops the run, named in one line."""
    found: dict[dt.date, tuple[dt.date, str, Path]] = {}
    for path in sorted(history_dir.glob("health_*.csv")) if history_dir else ():
        named = _STORED_NAME.fullmatch(path.stem)
        try:
            as_of = dt.date.fromisoformat(named.group(1)) if named else None
        except ValueError:
            as_of = None
        if as_of is None:
            raise IngestError(
                f"{path}: not a history file of this pipeline (a drop is named "
                "health_<YYYY-MM-DD>_<16 hex digits>.csv): move it out of "
                f"{path.parent}"
            )
        if as_of in found:
            raise IngestError(
                f"{path}: a second stored drop of {as_of}, beside "
                f"{found[as_of][2].name}: keep one of the two in {path.parent}"
            )
        found[as_of] = (as_of, named.group(2) or "", path)
    return sorted(found.values())


def _header_of(path: Path) -> tuple[str, ...]:
    with _read_as_history(path), path.open(newline="", encoding="utf-8") as handle:
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
        write_csv(temporary, HEALTH.header, _old_drop_rows(path, header))
        os.replace(temporary, path)
        converted += 1
    if converted:
        LOG.info("history: %d stored Health drop(s) in %s converted once to the "
                 "Health seed's format", converted, history_dir)  # fmt: skip
    return converted


@contextlib.contextmanager
def _read_as_history(path: Path) -> Iterator[None]:
    """A file that cannot be read as CSV text (damaged: bytes that are not
    UTF-8 text) stops the run, named in one line."""
    try:
        yield
    except (UnicodeDecodeError, csv.Error) as error:
        raise IngestError(
            f"{path}: cannot read it ({error}): a damaged history file; restore "
            f"it from a backup, or move it out of {path.parent}"
        ) from None


def _drop_rows(path: Path) -> Iterator[list[str]]:
    """A stored or new drop's rows (the Health seed's format); a damaged
    file stops the run, named."""
    with _read_as_history(path):
        yield from _checked_drop_rows(path)


def _checked_drop_rows(path: Path) -> Iterator[list[str]]:
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
        for values in reader:
            if len(values) != len(HEALTH.header):
                raise IngestError(
                    f"{path}, line {reader.line_num}: expected "
                    f"{len(HEALTH.header)} fields, found {len(values)}: a damaged "
                    "history file; restore it from a backup, or move it out of "
                    f"{path.parent}"
                )
            yield values


def write_health_seed(
    target: Path, drop: Drop, earlier: Sequence[Drop], history_dir: Path | None
) -> None:
    """The Health seed: every stored drop and this run's drops, one drop per
    content and per as-of month, oldest first. A drop given in this run
    replaces a stored drop of its content or its month (a redone export), and
    the current drop (``drop``, given last) any earlier drop of its month."""
    given = [*earlier, drop]
    shas = {d.drop_sha256[:16] for d in given}
    dated = {a: p for a, sha, p in stored_drops(history_dir) if sha not in shas}
    for each in given:
        for as_of in [a for a in dated if same_month(a, each.as_of)]:
            del dated[as_of]
        dated[each.as_of] = each.path
    rows = itertools.chain.from_iterable(_drop_rows(dated[a]) for a in sorted(dated))
    write_csv(target, HEALTH.header, rows)


def stored_date_of(sha256: str, history_dir: Path | None) -> dt.date | None:
    """The as-of date a drop of this content is stored under, if it is."""
    for as_of, sha, _ in stored_drops(history_dir):
        if sha and sha256.startswith(sha):
            return as_of
    return None


def flag_drop_date(drop: Drop, source: Path, history_dir: Path | None) -> None:
    """Say in one line when the current drop's date is in the future, or
    older than the newest other stored drop (the build's current figures
    are then of an earlier month)."""
    if drop.as_of > dt.date.today():
        LOG.warning("%s: dated %s, in the future: give the as-of date it "
                    "describes (AS_OF=YYYY-MM-DD)", source, drop.as_of)  # fmt: skip
    content = drop.drop_sha256[:16]
    newer = [a for a, sha, _ in stored_drops(history_dir)
             if sha != content and a > drop.as_of]  # fmt: skip
    if newer:
        LOG.warning("%s: dated %s, older than the newest stored Health drop "
                    "(%s): this build's current figures are of that earlier "
                    "month", source, drop.as_of, max(newer))  # fmt: skip


def refuse_guessed_replacement(
    drop: Drop, source: Path, history_dir: Path | None
) -> None:
    """A drop dated by its file's modification date never replaces another
    stored drop of that month (two untitled exports run the same day did):
    the run stops, asking for the month."""
    if not drop.guessed:
        return
    content = drop.drop_sha256[:16]
    for as_of, sha, path in stored_drops(history_dir):
        if sha != content and same_month(as_of, drop.as_of):
            raise IngestError(
                f"{source}: no month in its title rows, so it is dated by the "
                f"file's date ({drop.as_of}), and would replace the stored Health "
                f"drop of that month ({path.name}); give the month it describes "
                f"(--as-of {drop.as_of:%Y-%m}, or AS_OF= with make), or a title "
                f'such as "Campaign Health - {drop.as_of:%B %Y}"'
            )


def store_drop(drop: Drop, history_dir: Path) -> Path | None:
    """Store a drop (atomically), under the date the build used; None when its
    content is stored under that date already.

    It replaces the stored drop of its content under another date (the same
    file given an explicit AS_OF: re-dated) and the stored drop of its month
    (another export of that month: a drop is a month's), each said in one line.
    """
    stored = stored_drops(history_dir)
    content = drop.drop_sha256[:16]
    if any(sha == content and as_of == drop.as_of for as_of, sha, _ in stored):
        LOG.info("health drop %s is already stored", content)
        return None
    history_dir.mkdir(parents=True, exist_ok=True)
    target = history_dir / f"{drop_name(drop.as_of, drop.drop_sha256)}.csv"
    temporary = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(drop.path, temporary)
    os.replace(temporary, target)
    for as_of, sha, path in stored:
        if sha == content:
            path.unlink()
            LOG.warning("history: health drop %s re-dated from %s to %s (the "
                        "as-of date given)", content, as_of, drop.as_of)  # fmt: skip
        elif same_month(as_of, drop.as_of):
            path.unlink()
            LOG.warning("history: the health drop of %s (%s) is replaced by "
                        "another export of that month (%s)", as_of, path.name,
                        target.name)  # fmt: skip
    return target
