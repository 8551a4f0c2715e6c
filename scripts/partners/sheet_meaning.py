"""What a spreadsheet user means, beyond the cells' values.

The readers give each cell's value; a person reading the sheet sees more:
an Excel table's totals row, a "Grand Total" or "Sum" line, a count under
the IDs, the header of a second pasted block, a merged cell that stands for
every cell it covers, dates counted from 1904, a time-zone timestamp as the
wall-clock time it shows. This module holds those rules:

- :func:`read_workbook_facts` and :func:`note_chunk` collect a workbook's
  facts while readers.py scans it (date system, tables' totals rows, merged
  ranges, aggregate formulas);
- :class:`RowMeaning` applies them to the rows of the sheet read: it fills
  merged cells and reads 1904-based date IDs before the rows are turned into
  text, and marks the rows that are no data (``row=total-row`` or
  ``row=repeated-header`` in the seed's cell_types), which staging rejects
  with that reason;
- :func:`wall_clock` turns a Parquet batch's time-zone timestamps into the
  local date-times they stand for.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

LOG = logging.getLogger("ingest")

#: how many marked rows are named one by one; the rest are counted
SHOWN_MARKS = 5
#: the first day of Excel's 1904 date system (Mac Excel before 2011)
EPOCH_1904 = dt.date(1904, 1, 1)
#: columns that say which campaign a row is (blank on a totals row)
IDENTITY_COLUMNS = ("maid", "campaign_name", "advertiser_name", "partner_name", "am")
#: columns that hold an ID (a date-formatted ID cell holds the ID's number)
ID_COLUMNS = ("campaign_id", "maid")

#: a totals label, as Excel, pivot tables and people write it (English and
#: German): "Total", "Grand Total", "Subtotal", "Sum", "Summe",
#: "Gesamtergebnis", "Acme Total", "Total:"
TOTAL_LABEL = re.compile(
    r"(?:(?:grand|sub)\s*)?totals?|sum|summe|gesamt|gesamtsumme|gesamtergebnis"
    r"|ergebnis|zwischensumme|(?:.+\s)?(?:total|ergebnis)|(?:sub)?totals?\s.+",
    re.IGNORECASE,
)
#: an aggregate formula: what an ID cell on a totals row holds
AGGREGATE = re.compile(rb"^\s*(?:_xlfn\.)?(?:COUNTA?|SUBTOTAL|AGGREGATE|ROWS|SUM)\(")
#: text that reads as a number (a CSV's amounts): where "the numbers" start
NUMBER_TEXT = re.compile(r"[-+(]?[$€£¥]?\s*[0-9][0-9,.' ]*%?\)?")

_MERGE = re.compile(
    rb"""<(?:[\w.-]+:)?mergeCell\b[^>]*\bref=["']([A-Z]+)([0-9]+)"""
    rb"""(?::([A-Z]+)([0-9]+))?["']"""
)
_FORMULA = re.compile(
    rb"""<(?:[\w.-]+:)?c\b[^>]*?\br=["']([A-Z]{1,3})([0-9]{1,7})["'][^>/]*>"""
    rb"<(?:[\w.-]+:)?f\b[^>]*>([^<]{1,200})<"
)
_DATE1904 = re.compile(rb"""<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904=["'](?:1|true)""")


@dataclass
class SheetFacts:
    """What the workbook says about one sheet beyond its cell values."""

    date1904: bool = False
    #: Excel rows that are an Excel table's totals row (tableN.xml)
    totals_rows: dict[int, str] = field(default_factory=dict)
    #: merged ranges: (first row, first column, last row, last column), 1-based
    #: rows and 0-based columns
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: aggregate formulas by (row, 0-based column)
    aggregates: dict[tuple[int, int], str] = field(default_factory=dict)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def note_chunk(facts: SheetFacts, body: bytes) -> None:
    """Collect merged ranges and aggregate formulas from a piece of sheet XML."""
    if b"mergeCell" in body:
        for first, top, last, bottom in _MERGE.findall(body):
            facts.merges.append(
                (int(top), _column(first), int(bottom or top), _column(last or first))
            )
    if b"<f" in body or b":f" in body:
        for column, row, formula in _FORMULA.findall(body):
            if AGGREGATE.match(formula):
                facts.aggregates[int(row), _column(column)] = formula.decode()


def read_workbook_facts(archive, workbook_xml: bytes, sheets: Sequence) -> None:
    """The date system, and each sheet's Excel tables' totals rows
    (``totalsRowCount`` over the table's ``ref`` range)."""
    date1904 = bool(_DATE1904.search(workbook_xml))
    names = set(archive.namelist())
    for sheet in sheets:
        sheet.facts.date1904 = date1904
        folder, leaf = posixpath.split(sheet.member)
        rels = f"{folder}/_rels/{leaf}.rels"
        if rels not in names:
            continue
        for target in re.findall(
            rb"""Target=["']([^"']*tables/[^"']+)["']""", archive.read(rels)
        ):
            part = target.decode()
            part = (
                part.lstrip("/")
                if part.startswith("/")
                else posixpath.normpath(posixpath.join(folder, part))
            )
            if part not in names:
                continue
            table = archive.read(part)[:4096]
            count = re.search(rb"""\btotalsRowCount=["']([0-9]+)["']""", table)
            ref = re.search(rb"""\bref=["'][A-Z]+[0-9]+:[A-Z]+([0-9]+)["']""", table)
            name = re.search(rb"""\bdisplayName=["']([^"']*)["']""", table)
            if count and ref and int(count.group(1)) > 0:
                last = int(ref.group(1))
                label = name.group(1).decode() if name else part
                for row in range(last - int(count.group(1)) + 1, last + 1):
                    sheet.facts.totals_rows[row] = label


def wall_clock(columns: dict[str, list], types: Iterable) -> dict[str, list]:
    """A Parquet batch's columns with time-zone timestamps as the naive
    date-times they show in their zone (no zone database needed)."""
    for name, kind in zip(list(columns), types, strict=True):
        if getattr(kind, "tz", None):
            columns[name] = [
                value if value is None else value.replace(tzinfo=None)
                for value in columns[name]
            ]
    return columns


def _text(cell: object) -> str:
    if cell is None:
        return ""
    return " ".join(str(cell).split()) if type(cell) is str else ""


def is_total_label(cell: object) -> bool:
    """A cell reads as a totals label ('Total', 'Grand Total', 'Sum', ...)."""
    text = _text(cell).rstrip(":").strip()
    return bool(text) and TOTAL_LABEL.fullmatch(text) is not None


def _is_number(cell: object) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return True
    return type(cell) is str and NUMBER_TEXT.fullmatch(cell.strip()) is not None


def _whole_number(cell: object) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, int):
        return cell
    if type(cell) is str and cell.strip().isdigit():
        return int(cell.strip())
    return None


@dataclass
class RowMeaning:
    """The rules applied to one sheet's data rows, in two passes around the
    conversion to text: :meth:`rows` (cells) and :meth:`marked` (seed rows)."""

    label: str  # "file, sheet 'name'" for messages
    facts: SheetFacts
    columns: Sequence[str]  # the role's canonical columns
    positions: Sequence[int | None]  # each column's position in a row
    first_row: int  # the Excel row of the first data row
    col0: int = 0  # the sheet column of each row's first cell
    names_column: Callable[[object], str | None] = lambda cell: None
    marks: dict[int, str] = field(default_factory=dict)
    _merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    _origins: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        for top, left, bottom, right in self.facts.merges:
            self._origins.add((top, left))
            for row in range(top, bottom + 1):
                for column in range(left, right + 1):
                    if (row, column) != (top, left):
                        self._merged[row, column] = (top, left)

    def _position(self, column: str) -> int | None:
        if column not in self.columns:
            return None
        return self.positions[self.columns.index(column)]

    def rows(
        self, rows: Iterable[list[object]], above: Sequence[list[object]] = ()
    ) -> Iterator[list[object]]:
        """The data rows as the user sees them: merged cells filled, 1904 date
        IDs as their numbers; the rows that are no data recorded in marks.
        ``above``: the sheet's rows above the data (from row 1), whose merged
        cells may reach down into it."""
        id_at = self._position("campaign_id")
        ids = [p for c in ID_COLUMNS if (p := self._position(c)) is not None]
        identity = [p for c in IDENTITY_COLUMNS if (p := self._position(c)) is not None]
        tops: dict[tuple[int, int], object] = {}
        for number, row in enumerate(above, start=1):
            self._fill(number, row, tops)
        with_id = data_rows = 0
        for number, row in enumerate(rows, start=self.first_row):
            if self._merged:
                row = self._fill(number, row, tops)
            if self.facts.date1904:
                row = self._dates_1904(row, ids)
            reason = self._classify(number, row, id_at, identity, with_id, data_rows)
            if reason:
                self.marks[number] = reason
            elif any(c not in (None, "") for c in row):
                data_rows += 1
                cell = row[id_at] if id_at is not None and id_at < len(row) else None
                with_id += cell not in (None, "")
            yield row

    def _fill(self, number: int, row: list[object], tops: dict) -> list[object]:
        """Merged cells hold their range's top-left value."""
        filled = None
        for column in range(len(row)):
            at = (number, column + self.col0)
            if at in self._origins:
                tops[at] = row[column]
            elif (origin := self._merged.get(at)) is not None and origin in tops:
                filled = filled or list(row)
                filled[column] = tops[origin]
        return filled or row

    def _dates_1904(self, row: list[object], ids: list[int]) -> list[object]:
        """A date-formatted ID cell in a 1904 workbook: the number it holds."""
        for position in ids:
            cell = row[position] if position < len(row) else None
            if isinstance(cell, dt.date):
                day = cell.date() if isinstance(cell, dt.datetime) else cell
                if not isinstance(cell, dt.datetime) or cell.time() == dt.time(0):
                    row = list(row)
                    row[position] = float((day - EPOCH_1904).days)
        return row

    def _classify(
        self,
        number: int,
        row: list[object],
        id_at: int | None,
        identity: list[int],
        with_id: int,
        data_rows: int,
    ) -> str:
        """'total-row', 'repeated-header' or '' for a data row."""
        if number in self.facts.totals_rows:
            return "total-row"
        cell = row[id_at] if id_at is not None and id_at < len(row) else None
        if id_at is not None and (number, id_at + self.col0) in self.facts.aggregates:
            return "total-row"
        if self.names_column(cell) == "campaign_id" and any(
            self.names_column(other) for i, other in enumerate(row) if i != id_at
        ):
            return "repeated-header"
        if cell in (None, "") or is_total_label(cell):
            for other in row:  # a label before the numbers
                if _is_number(other):
                    break
                if is_total_label(other):
                    return "total-row"
        count = _whole_number(cell)
        if (
            count
            and count in (with_id, data_rows)
            and all(p >= len(row) or row[p] in (None, "") for p in identity)
        ):
            return "total-row"
        return ""

    def marked(self, seed_rows: Iterable[list[str]]) -> Iterator[list[str]]:
        """Seed rows, those that are no data with ``row=<reason>`` in
        cell_types (the last column) and one line of output each."""
        shown = 0
        for values in seed_rows:
            reason = self.marks.get(int(values[2]))
            if reason:
                values[-1] = ";".join(filter(None, (values[-1], f"row={reason}")))
                shown += 1
                if shown <= SHOWN_MARKS:
                    LOG.info(
                        "%s, row %s: %s, listed as rejected (%s)",
                        self.label,
                        values[2],
                        self._why(int(values[2])),
                        reason,
                    )
            yield values
        if shown > SHOWN_MARKS:
            LOG.info(
                "%s: %s more rows that are no campaigns listed as rejected",
                self.label,
                f"{shown - SHOWN_MARKS:,}",
            )

    def _why(self, number: int) -> str:
        reason = self.marks[number]
        if reason == "repeated-header":
            return "a repeated header row, not a campaign"
        if number in self.facts.totals_rows:
            return f"the totals row of Excel table {self.facts.totals_rows[number]!r}"
        return "a totals row, not a campaign"
