"""Readers for the ingest converter: .xlsx (python-calamine, after a streaming
pre-scan of the sheet XML that enforces the limits below and limits.py's),
and CSV and Parquet (exports.py).

Each gives :class:`Sheet` objects: the first rows (where the header must be), an
iterator over the rest, and the Excel facts the cell values alone lose (error
cells, formulas without a cached value). Cells right of the header's columns (a
stray keystroke in XFD20000) are not read at all, so they cost no memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
import re
import shutil
import tempfile
import zipfile
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import python_calamine
from defusedxml import ElementTree

from partners import exports
from partners.errors import IngestError
from partners.limits import EXCEL_ROWS, SharedText, shared_string_sizes
from partners.sheet_meaning import (
    SheetFacts,
    note_chunk,
    read_workbook_facts,
)

LOG = logging.getLogger("ingest")
HEADER_SCAN_ROWS = 20
#: the most a sheet's XML or the shared strings may inflate to (a zip bomb stops here)
MAX_XML_BYTES = 1 << 30
#: the most cells read from one sheet: last data row x header width. A full
#: Excel sheet 21 columns wide (a roster's 8 and 13 more) is read: the reader
#: holds about 72 bytes a cell as it loads the sheet (calamine keeps its list
#: of parsed cells beside the table it builds from them), and its text; a
#: 1,000,000 x 21 roster took 1.5 GB and 22 s, within the 2 GB budget
MAX_CELLS = EXCEL_ROWS * 21


def cell_text(value: object) -> tuple[str, str]:
    """A cell's text as the file held it, and its kind ("" for text and empty)."""
    if value is None or type(value) is str:
        return value or "", ""
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), "boolean"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value)), "number"
        return ("NaN" if value != value else repr(value)), "number"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat(), "date"
        return value.isoformat(), "datetime"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(), "date" if isinstance(value, dt.date) else "time"
    if isinstance(value, dt.timedelta):
        minutes, seconds = divmod(int(value.total_seconds()), 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}", "time"
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace"), ""
    return str(value), ("number" if isinstance(value, int | Decimal) else "")


_BLANK = " \t\r\n\u00a0\u2007\u202f\u200b\u200c\u200d\u2060\ufeff"


def is_blank_row(row: Sequence[object]) -> bool:
    """No cell holds anything but spaces (numbers, dates, booleans are values)."""
    return all(c is None or (type(c) is str and not c.strip(_BLANK)) for c in row)


def letters(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A)."""
    text, index = "", index + 1
    while index:
        index, remainder = divmod(index - 1, 26)
        text = chr(65 + remainder) + text
    return text


def _index(column: bytes) -> int:
    """Excel letters -> 0-based column index (b"A" -> 0)."""
    number = 0
    for letter in column:
        number = number * 26 + letter - 64
    return number - 1


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass
class Sheet:
    """One sheet: its first rows, an iterator over the rest, and Excel facts.

    For .xlsx the pre-scan fills in the rest: where the values are, the error
    cells and the formulas without a calculated value, by (row, column).
    """

    name: str
    head: list[list[object]] = field(default_factory=list)
    rest: Iterator[list[object]] = field(default_factory=lambda: iter(()))
    visible: bool = True
    note: str = ""  # how the file was read, for messages (CSV delimiter)
    col0: int = 0  # the sheet column of each row's first cell
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    uncalculated: dict[tuple[int, int], str] = field(default_factory=dict)
    member: str = ""  # the sheet's XML in the zip
    width: int = 0  # columns holding values in the first HEADER_SCAN_ROWS rows
    last_row: int = 0  # the last row holding a value within those columns
    stray: list[str] = field(default_factory=list)  # up to 3 cells right of them
    refless: bool = False  # cells without an r="A1" reference: read as they come
    facts: SheetFacts = field(default_factory=SheetFacts)  # see sheet_meaning.py


def read_sheets(path: Path, work_dir: Path | None = None) -> list[Sheet]:
    """The sheets of an .xlsx workbook, or the one table of a .csv / .tsv /
    .parquet file."""
    if not path.is_file():
        raise IngestError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise IngestError(f"{path}: the file is empty (0 bytes)")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):  # the delimiter is the file's own
        return [read_csv(path)]
    if suffix == ".parquet":
        return [read_parquet(path)]
    if suffix not in (".xlsx", ".xlsm"):
        raise IngestError(
            f"{path}: expected an .xlsx workbook, or a .csv, .tsv or .parquet "
            f"export of the same shape, found '{suffix}'"
        )
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    # an OpenDocument file's first member, stored as it is, names its type
    opendocument = b"application/vnd.oasis.opendocument.spreadsheet" in head[:128]
    if not head.startswith(b"PK\x03\x04") or opendocument:
        kind = "not a zip-based .xlsx file"
        if opendocument:
            kind = "an OpenDocument spreadsheet (.ods, renamed?)"
        elif head.startswith(b"\xd0\xcf\x11\xe0"):
            encrypted = "EncryptionInfo".encode("utf-16-le") in head
            kind = ("password-protected (encrypted)" if encrypted
                    else "a legacy .xls workbook (renamed?)")  # fmt: skip
        raise IngestError(
            f"{path}: cannot read the workbook: it is {kind}; "
            "save it from Excel as .xlsx (Excel Workbook) or export CSV"
        )
    try:
        sheets = scan_workbook(path)
        with tempfile.TemporaryDirectory(dir=work_dir) as scratch:
            readable = path
            if any(sheet.stray for sheet in sheets):
                readable = trimmed_copy(path, sheets, Path(scratch))
            workbook = python_calamine.CalamineWorkbook.from_path(str(readable))
            for sheet in sheets:  # the reader holds the cells of the sheets needed
                if sheet.visible and (sheet.width or sheet.refless):
                    data = workbook.get_sheet_by_name(sheet.name)
                    sheet.rest, sheet.col0 = iter(data.iter_rows()), data.start[1]
                    sheet.head = list(itertools.islice(sheet.rest, HEADER_SCAN_ROWS))
    except (IngestError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # calamine raises (and panics) widely
        raise IngestError(f"{path}: cannot read the workbook: {error}") from error
    return sheets


def read_parquet(path: Path) -> Sheet:
    """A Parquet export: its column names as the head, then its rows."""
    names, rows = exports.read_parquet(path)
    return Sheet(path.name, [names], rows)


def read_csv(path: Path) -> Sheet:
    """A CSV export: its first records as the head, then the rest as they come."""
    records, note = exports.read_csv(path)
    head = list(itertools.islice(records, HEADER_SCAN_ROWS))
    return Sheet(path.name, head, records, note=note)


# ------------------------------------------------------------------ .xlsx pre-scan


def _rx(pattern: str, flags: int = 0) -> re.Pattern[bytes]:
    """A bytes regex; ``~`` stands for an optional namespace prefix (``x:c``)."""
    return re.compile(pattern.replace("~", r"(?:[\w.-]+:)?").encode(), flags)


_REF = r"""\br=["']([A-Z]{1,3})([0-9]{1,7})["']"""
_REFLESS_CELL = _rx(r"<~c(?:\s(?![^>]*\br=)[^>]*)?>")
#: a cell that holds something: not self-closing, not closed at once
_VALUE_CELL = _rx(r"<~c\b[^>]*?" + _REF + r"[^>/]*>(?!</)")
_ERROR_CELL = _rx(
    r"""<~c\b(?=[^>]*\bt=["']e["'])[^>]*?""" + _REF
    + r"[^>]*>(?:(?!</~c>).)*?<~v>([^<]*)<", re.S,
)  # fmt: skip
#: a formula without a value; t="str" with an empty value is a cached empty
#: string (IFERROR(...,"")), which is a value
_UNCALCULATED = _rx(
    r"""<~c\b(?![^>]*\bt=["']str["'])[^>]*?"""
    + _REF
    + r"[^>/]*><~f\b[^>]*?(?:/>|>([^<]*)</~f>)"
    r"(?:<~v\s*/>|<~v>\s*</~v>)?</~c>"
)
_DIMENSION = _rx(r"""(<~dimension\s+ref=["'])[^"']*""")
_LATER_ROW = _rx(r"""<~row\b[^>]*?\br=["'](?:2[1-9]|[3-9][0-9]|[0-9]{3,})["']""")
_ROW_CELLS = _rx(r"<~row\b[^>]*>(.*?)</~row>", re.S)


def _head_rows(head: bytes) -> list[list[int]]:
    """The column indexes of the values of each row in ``head``."""
    return [
        [_index(column) for column, _ in _VALUE_CELL.findall(cells)]
        for cells in _ROW_CELLS.findall(head)
    ]


def _table_width(rows: list[list[int]]) -> int:
    """The columns of the table in the first rows of a sheet: the right-most
    value of the rows holding at least half as many values as the fullest
    (the header, the first data rows), not of a title row or a note far to
    the right of them (a value in XFD2 made the sheet 16,384 columns wide,
    past the cell limit)."""
    fullest = max(map(len, rows), default=0)
    table = [row for row in rows if row and 2 * len(row) >= fullest]
    return max((max(row) + 1 for row in table), default=0)


#: the bytes XML allows between a tag's name and its attributes
_XML_SPACE = (b" ", b"\n", b"\t", b"\r")


def _beyond(width: int) -> str:
    """A regex for column letters right of the first ``width`` columns."""
    last = letters(width - 1)
    options = [f"[A-Z]{{{len(last) + 1},3}}"] if len(last) < 3 else []
    for i, letter in enumerate(last):
        if letter != "Z":
            following = "[A-Z]" * (len(last) - i - 1)
            options.append(f"{last[:i]}[{chr(ord(letter) + 1)}-Z]{following}")
    return "|".join(options) or "(?!)"


def _chunks(archive: zipfile.ZipFile, member: str, label: str) -> Iterator[bytes]:
    """A member's XML in pieces cut after a row's end, counting the inflated bytes."""
    limit = MAX_XML_BYTES
    if (size := archive.getinfo(member).file_size) > limit:
        raise IngestError(f"{label}: {member} inflates to {size:,} bytes, "
                          f"more than the limit of {limit:,}")  # fmt: skip
    total, rest = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 22):
            total += len(chunk)
            if total > limit:
                raise IngestError(f"{label}: {member} inflates to more than the "
                                  f"limit of {limit:,} bytes")  # fmt: skip
            data = rest + chunk
            cut = data.rfind(b"row>") + 4
            cut = cut if cut > 3 else max(0, len(data) - 4096)
            yield data[:cut]
            rest = data[cut:]
    yield rest


def _right_of(width: int) -> re.Pattern[bytes]:
    """A value cell right of the first ``width`` columns: its column, its row.

    "r=" first: a literal the regex engine scans for fast; the byte before it
    (any XML white space) is checked by :func:`_strays`."""
    return _rx(r"""r=["'](""" + _beyond(width) + r""")([0-9]+)["'][^>/]*>(?!</)""")


def _strays(right_of: re.Pattern[bytes], body: bytes, sheet: Sheet) -> int:
    """How many value cells of ``body`` are right of the table; the first
    three noted in ``sheet.stray`` (they are trimmed before the read)."""
    found_here = 0
    for found in right_of.finditer(body):
        if body[found.start() - 1 : found.start()] not in _XML_SPACE:
            continue
        column, row = found.groups()
        found_here += 1
        if len(sheet.stray) < 3:
            sheet.stray.append(f"{column.decode()}{int(row)}")
    return found_here


def _scan(archive: zipfile.ZipFile, sheet: Sheet, label: str, shared: array) -> None:
    """One streaming pass over a visible sheet's XML: width, last row, strays,
    error cells and formulas without a value; stops beyond the limits (the
    sizes of the ``shared`` strings bound the text its cells expand to)."""
    where = f"{label}, sheet {sheet.name!r}"

    def chunks() -> Iterator[bytes]:
        return _chunks(archive, sheet.member, where)

    text = SharedText(shared, chunks)  # it may read the chunks again
    beyond, width, stray = None, 0, 0
    head_rows: list[list[int]] = []  # the first rows' values, by column
    for body in chunks():
        if beyond is None:  # the header's columns: those of the first rows
            later = _LATER_ROW.search(body)
            head = body[: later.start() if later else None]
            head_rows += _head_rows(head)
            width = _table_width(head_rows)
            sheet.refless = sheet.refless or bool(_REFLESS_CELL.search(head))
            if later:
                beyond = _right_of(width)
        if beyond is not None and width:
            stray += _strays(beyond, body, sheet)
        note_chunk(sheet.facts, body)  # merged ranges, aggregate formulas
        tail = 4096
        while tail:  # the last row holding a value in the header's columns
            found = _VALUE_CELL.findall(body[-tail:])
            rows = [int(r) for c, r in found if not width or _index(c) < width]
            tail = 0 if rows or tail >= len(body) else tail * 8
            sheet.last_row = max(sheet.last_row, *rows, 0)
        if text.add(body):
            raise IngestError(text.message(where, sheet.last_row))
        # the fewest passes over the chunk that can rule the patterns out (a
        # one-byte test is a fast memchr): error cells and formulas are rare
        if b'"e"' in body or (b"'" in body and b"'e'" in body):
            for column, row, value in _ERROR_CELL.findall(body):
                sheet.errors[int(row), _index(column)] = value.decode()
        if b"f" in body and (b"<f" in body or b":f" in body):  # <f> or <x:f>
            for column, row, formula in _UNCALCULATED.findall(body):
                sheet.uncalculated[int(row), _index(column)] = formula.decode()
    if beyond is None and width:  # a sheet of fewer than 21 rows: read again
        beyond = _right_of(width)
        stray = sum(_strays(beyond, body, sheet) for body in chunks())
    sheet.width = width
    if sheet.last_row * width > MAX_CELLS:
        raise IngestError(
            f"{label}, sheet {sheet.name!r}: the cells holding values span "
            f"A1:{letters(width - 1)}{sheet.last_row} "
            f"({sheet.last_row * width:,} cells), more than the limit of "
            f"{MAX_CELLS:,} read from a workbook; export the data as CSV or "
            "Parquet, or, if cells below the table hold stray values, delete them "
            "(Ctrl+End shows the last one)"
        )
    if stray:
        LOG.info("%s, sheet %r: %s cell(s) right of the header's columns not read, "
                 "e.g. %s", label, sheet.name, f"{stray:,}",
                 ", ".join(sheet.stray))  # fmt: skip


def scan_workbook(path: Path) -> list[Sheet]:
    """List the worksheets and scan each visible one, within the stated limits."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                with archive.open(name) as stream:
                    if b"<!DOCTYPE" in stream.read(4096):
                        raise IngestError(
                            f"{path}: {name} declares a DOCTYPE (XML entities), "
                            "which Excel never writes; not reading it"
                        )
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
        shared = array("q")  # the size of each shared string
        if "xl/sharedStrings.xml" in archive.namelist():
            pieces = _chunks(archive, "xl/sharedStrings.xml", str(path))
            shared = shared_string_sizes(pieces)
        sheets = []
        for entry in (e for e in workbook.iter() if e.tag.endswith("}sheet")):
            rel = next((v for k, v in entry.attrib.items() if k.endswith("}id")), "")
            target = targets.get(rel, "")
            if "worksheets/" not in target:
                continue  # a chart sheet
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            visible = entry.get("state", "visible") == "visible"
            sheets.append(Sheet(entry.get("name", ""), visible=visible, member=member))
            if visible:
                _scan(archive, sheets[-1], str(path), shared)
        read_workbook_facts(archive, archive.read("xl/workbook.xml"), sheets)
    return sheets


def trimmed_copy(path: Path, sheets: list[Sheet], folder: Path) -> Path:
    """A copy of the workbook without the cells right of each header's columns."""
    copy = folder / path.name
    trims = {sheet.member: sheet for sheet in sheets if sheet.stray}
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            sheet = trims.get(info.filename)
            with target.open(info.filename, "w", force_zip64=True) as out:
                if sheet is None:
                    with source.open(info) as stream:
                        shutil.copyfileobj(stream, out)
                    continue
                stray = _rx(
                    r"""<~c\b[^>]*?\br=["'](?:""" + _beyond(sheet.width)
                    + r""")[0-9]+["'][^>]*?(?:/>|>.*?</~c>)""", re.S,
                )  # fmt: skip
                box = f"A1:{letters(sheet.width - 1)}{max(sheet.last_row, 1)}".encode()
                for body in _chunks(source, info.filename, str(path)):
                    out.write(stray.sub(b"", _DIMENSION.sub(rb"\g<1>" + box, body)))
    return copy
