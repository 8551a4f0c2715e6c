"""Turn the Breakout and Health workbooks into the raw dbt seeds.

Usage::

    python scripts/ingest.py --breakout data/raw/breakout.xlsx \\
        --health data/raw/health.xlsx [--seeds-dir seeds/raw]

What it does, per file (``.xlsx`` or a ``.csv`` export of the same shape):

1. finds the one visible sheet whose header row (within the first 20 rows)
   names every required column, mapping headers case-, space- and
   punctuation-insensitively through ``seeds/reference/ref_column_aliases.csv``;
2. normalizes every value (IDs, text, money, percentages, dates);
3. routes every data row to exactly one place: the raw seed, or the rejects
   seed with file, sheet, row, column, value and reason. Blank rows are
   skipped and counted;
4. writes the raw seeds, the rejects seed and the manifest seed (file name,
   sha256, rows read / loaded / rejected) as one set: all are written to a
   temporary folder first and swapped into place together, so a failed run
   leaves the previous seeds untouched.

A missing required column, an unreadable file or an empty sheet stops the
run with exit code 1 and one message naming the file, the sheet, what is
missing and which headers were found.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import python_calamine
from defusedxml import ElementTree

LOG = logging.getLogger("ingest")

PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS_DIR = PROJECT_DIR / "seeds" / "raw"
HISTORY_COLUMNS = ["as_of_date", "campaign_id", "maid", "am", "campaign_budget"]
ALIASES_PATH = PROJECT_DIR / "seeds" / "reference" / "ref_column_aliases.csv"

#: The generator stamps this keyword into the sample workbooks' properties at
#: scale 1; the manifest records it so that dbt asserts the sample's exact
#: figures (scaled samples carry a different keyword).
SAMPLE_KEYWORD = "partners-pipeline-sample"

HEADER_SCAN_ROWS = 20
MAX_ABS_ID = 2**53


class RowProgress:
    """Progress through a long loop over rows: a bar when stderr is a terminal,
    otherwise a plain log line at each quarter (CI, log files)."""

    MIN_ROWS = 20_000

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total = label, total
        self.enabled = total >= self.MIN_ROWS
        self.terminal = sys.stderr.isatty()
        self.shown = -1

    def update(self, done: int) -> None:
        """Report ``done`` of ``total`` rows (cheap when nothing changes)."""
        if not self.enabled:
            return
        percent = done * 100 // self.total
        step = 1 if self.terminal else 25
        if percent // step == self.shown // step:
            return
        self.shown = percent
        if self.terminal:
            bar = "#" * (percent // 4)
            sys.stderr.write(f"\r{self.label} [{bar:<25}] {percent:3d}%")
            sys.stderr.flush()
        else:
            LOG.info("%s: %d%% (%s of %s rows)", self.label, percent, f"{done:,}",
                     f"{self.total:,}")  # fmt: skip

    def close(self) -> None:
        """End the bar's line."""
        if self.enabled and self.terminal:
            sys.stderr.write("\n")


class IngestError(Exception):
    """A problem that stops the run: the message is shown to the user as is."""


# --------------------------------------------------------------------------
# Source specifications
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSpec:
    """The canonical shape of one workbook: its columns and how to clean them."""

    role: str
    seed_name: str
    #: canonical column -> value kind (id, text, name, money, percent, date)
    columns: dict[str, str]
    required: tuple[str, ...]
    #: column holding an organisation name whose case/spacing variants merge
    merge_case_variants: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return "campaign_id"


BREAKOUT = SourceSpec(
    role="breakout",
    seed_name="raw_breakout_campaigns",
    columns={
        "campaign_id": "id",
        "campaign_name": "text",
        "maid": "id",
        "advertiser_name": "text",
        "partner_name": "text",
        "product_type": "text",
        "campaign_status": "text",
        "start_date": "date",
    },
    required=("campaign_id", "maid", "partner_name", "product_type"),
    merge_case_variants=("partner_name",),
)

HEALTH = SourceSpec(
    role="health",
    seed_name="raw_health_campaigns",
    columns={
        "campaign_id": "id",
        "campaign_name": "text",
        "maid": "id",
        "advertiser_name": "text",
        "am": "text",
        "campaign_budget": "money",
        "utilization": "percent",
    },
    required=("campaign_id", "campaign_budget"),
)

SPECS = {spec.role: spec for spec in (BREAKOUT, HEALTH)}

REJECT_COLUMNS = [
    "source_role",
    "file_name",
    "sheet_name",
    "row_number",
    "column_name",
    "raw_value",
    "reason",
    "message",
    "scope",
]
MANIFEST_COLUMNS = [
    "source_role",
    "file_name",
    "file_sha256",
    "file_bytes",
    "sheet_name",
    "header_row",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "blank_rows_skipped",
    "is_sample",
    "as_of_date",
    "ingested_at",
]


# --------------------------------------------------------------------------
# Value normalization (pure functions, one per kind)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CellProblem:
    """A cell python-calamine reads as blank but is not: an Excel error value."""

    reason: str
    text: str

    def __str__(self) -> str:
        return self.text


class ValueRejected(ValueError):
    """A cell value that cannot be normalized; ``reason`` is a stable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


_SPACE_RE = re.compile(r"\s+")
#: C0/C1 controls and the bidirectional overrides that can reorder what a reader sees
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)
MAX_TEXT_LENGTH = 1000
_EDGE_INVISIBLE = "".join(chr(c) for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF))


def clean_text(value: object) -> str:
    """Strip, collapse runs of (non-breaking) spaces and normalize to NFC.

    ``None`` and empty cells become ``""``. Numbers are rendered without a
    trailing ``.0`` so a numeric name such as ``2024`` stays ``"2024"``.
    """
    if value is None:
        return ""
    if type(value) is str and value.isascii():  # the common case, kept fast
        text = value.strip()
        if "  " in text or "\t" in text or "\n" in text or "\r" in text:
            text = _SPACE_RE.sub(" ", text)
        return text
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    text = text.strip(_EDGE_INVISIBLE + " \t\r\n\u00a0\u2007\u202f")
    return _SPACE_RE.sub(" ", text.replace("\u00a0", " ")).strip()


_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
_FLOAT_TEXT_ID_RE = re.compile(r"^(\d+)\.0+$")


def normalize_id(value: object) -> str:
    """Return an identifier as canonical text.

    ``12345``, ``12345.0``, ``"12345"``, ``"12345.0"`` and ``" 12345\\xa0"``
    all become ``"12345"``; leading zeros in text (``"00123"``) are kept.
    A blank cell gives ``""``; anything else raises :class:`ValueRejected`.
    """
    if isinstance(value, bool):
        raise ValueRejected("invalid-id", f"expected an ID, found boolean {value}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ""
        if not value.is_integer() or abs(value) >= MAX_ABS_ID:
            raise ValueRejected(
                "invalid-id", f"expected a whole-number ID, found {value!r}"
            )
        return str(int(value))
    text = clean_text(value)
    if text == "":
        return ""
    match = _FLOAT_TEXT_ID_RE.match(text)
    if match:
        return match.group(1)
    if not _ID_RE.match(text):
        raise ValueRejected(
            "invalid-id", f"expected letters, digits, '_' or '-', found {text!r}"
        )
    return text


_MONEY_US_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")
_MONEY_EU_RE = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$|^\d+,\d{1,2}$")
_CURRENCY_MARKS = ("US$", "USD", "EUR", "$", "€", "£")
#: a campaign's monthly budget above this is a data-entry error, not a budget
MAX_MONTHLY_BUDGET = 10_000_000


def parse_money(value: object) -> Decimal | None:
    """Parse a budget cell into a Decimal rounded to cents.

    Accepts numbers and text such as ``"$1,234.50"``, ``"USD 1,234.50"``,
    ``"(1,234.00)"`` (accounting negative), ``"-$12"`` and European
    ``"1.234,50"``. Blank gives ``None``; other text raises ValueRejected.
    """
    if isinstance(value, bool):
        raise ValueRejected("invalid-money", f"expected an amount, found {value}")
    if isinstance(value, (int, float)):
        if value != value:
            return None
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = clean_text(value).replace(" ", "")
    if text in ("", "-"):
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    for mark in _CURRENCY_MARKS:
        if text.upper().startswith(mark):
            text = text[len(mark) :]
            break
        if text.upper().endswith(mark):
            text = text[: -len(mark)]
            break
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    if _MONEY_US_RE.match(text):
        number = text.replace(",", "")
    elif _MONEY_EU_RE.match(text):
        number = text.replace(".", "").replace(",", ".")
    else:
        raise ValueRejected(
            "invalid-money",
            f"expected an amount such as 1234.50 or $1,234.50, found {value!r}",
        )
    try:
        amount = Decimal(number).quantize(Decimal("0.01"))
    except InvalidOperation as error:  # pragma: no cover - regexes guard this
        raise ValueRejected("invalid-money", f"cannot read {value!r}") from error
    return -amount if negative else amount


_PERCENT_RE = re.compile(r"^-?\d+(\.\d+)?%$")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
MAX_UTILIZATION = Decimal("5")


def parse_percent(value: object) -> Decimal | None:
    """Parse utilization as a fraction: ``"85%"`` and ``0.85`` both give 0.85.

    Numbers (cells or text without ``%``) are taken as fractions, as Excel
    stores a cell formatted ``85%`` as 0.85. Values above 500% are rejected as
    implausible (a bare ``85`` meant as 85% lands here rather than being
    silently read as 8,500%).
    """
    if isinstance(value, bool):
        raise ValueRejected("invalid-percent", f"expected a percentage, found {value}")
    if isinstance(value, (int, float)):
        if value != value:
            return None
        fraction = Decimal(str(value))
    else:
        text = clean_text(value).replace(" ", "")
        if text == "":
            return None
        if _PERCENT_RE.match(text):
            fraction = Decimal(text[:-1]) / 100
        elif _NUMBER_RE.match(text):
            fraction = Decimal(text)
        else:
            raise ValueRejected(
                "invalid-percent",
                f"expected a percentage such as 85% or 0.85, found {value!r}",
            )
    if abs(fraction) > MAX_UTILIZATION:
        raise ValueRejected(
            "implausible-percent",
            f"expected a utilization between -500% and 500%, found {value!r}",
        )
    return fraction.quantize(Decimal("0.0001"))


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d")


def parse_date(value: object) -> dt.date | None:
    """Parse a date cell: a real date, an Excel serial number or ISO/US text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueRejected("invalid-date", f"expected a date, found {value}")
    if isinstance(value, (int, float)):
        if value != value:
            return None
        serial = float(value)
        if not 36526 <= serial <= 73051:  # 2000-01-01 .. 2099-12-31
            raise ValueRejected(
                "invalid-date", f"expected a date serial in 2000-2099, found {value}"
            )
        return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    text = clean_text(value)
    if text == "":
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueRejected(
        "invalid-date", f"expected a date such as 2025-03-01, found {text!r}"
    )


def check_text(text: str) -> str:
    """Reject text with control or bidi-override characters, or over-long text."""
    if _CONTROL_RE.search(text):
        raise ValueRejected(
            "control-characters",
            "expected plain text, found control or bidi-override characters "
            f"in {text[:80]!r}",
        )
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueRejected(
            "too-long",
            f"expected at most {MAX_TEXT_LENGTH:,} characters, found {len(text):,}",
        )
    return text


def _normalize_money(value: object) -> str:
    amount = parse_money(value)
    if amount is not None and amount < 0:
        raise ValueRejected(
            "negative-money", f"expected a budget of 0 or more, found {value!r}"
        )
    if amount is not None and amount > MAX_MONTHLY_BUDGET:
        raise ValueRejected(
            "implausible-money",
            f"expected a monthly budget up to ${MAX_MONTHLY_BUDGET:,}, found {value!r}",
        )
    return "" if amount is None else f"{amount:.2f}"


def _normalize_percent(value: object) -> str:
    fraction = parse_percent(value)
    return "" if fraction is None else format(fraction.normalize(), "f")


def _normalize_date(value: object) -> str:
    date = parse_date(value)
    return "" if date is None else date.isoformat()


def _normalize_text(value: object) -> str:
    return check_text(clean_text(value))


#: value kind -> the function giving a cell's canonical seed text
NORMALIZERS: dict[str, Callable[[object], str]] = {
    "id": normalize_id,
    "text": _normalize_text,
    "money": _normalize_money,
    "percent": _normalize_percent,
    "date": _normalize_date,
}


def normalize_value(kind: str, value: object) -> str:
    """Normalize one cell to the canonical text written to the seed."""
    if isinstance(value, CellProblem):
        raise ValueRejected(
            value.reason, f"the cell holds the Excel error {value.text}"
        )
    return NORMALIZERS[kind](value)


# --------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------


def header_key(header: object) -> str:
    """Case-folded letters and digits of a header: 'Campaign ID' -> 'campaignid'."""
    text = unicodedata.normalize("NFKC", clean_text(header)).casefold()
    return re.sub(r"[^0-9a-z]+", "", text)


def load_aliases(path: Path = ALIASES_PATH) -> dict[str, dict[str, str]]:
    """Read the committed header aliases: role -> header key -> canonical column."""
    aliases: dict[str, dict[str, str]] = defaultdict(dict)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            aliases[row["source_role"]][header_key(row["header_alias"])] = row[
                "canonical_column"
            ]
    return aliases


def map_headers(
    headers: Sequence[object], spec: SourceSpec, aliases: dict[str, str]
) -> dict[str, int]:
    """Map canonical column -> position for one header row.

    Canonical names themselves (``campaign_id``) always match. When two
    headers map to the same column the first one wins here;
    :func:`duplicated_columns` finds such pairs and :func:`ingest_file` stops
    on them with an :class:`IngestError`.
    """
    mapping: dict[str, int] = {}
    for position, header in enumerate(headers):
        canonical = canonical_column(header, spec, aliases)
        if canonical and canonical not in mapping:
            mapping[canonical] = position
    return mapping


def canonical_column(
    header: object, spec: SourceSpec, aliases: dict[str, str]
) -> str | None:
    """The canonical column a header names, or None."""
    key = header_key(header)
    if not key:
        return None
    for column in spec.columns:
        if key == header_key(column):
            return column
    return aliases.get(key)


def duplicated_columns(
    headers: Sequence[object], spec: SourceSpec, aliases: dict[str, str]
) -> dict[str, list[str]]:
    """Canonical columns named by more than one header, with those headers."""
    named: dict[str, list[str]] = defaultdict(list)
    for header in headers:
        canonical = canonical_column(header, spec, aliases)
        if canonical:
            named[canonical].append(clean_text(header))
    return {column: found for column, found in named.items() if len(found) > 1}


@dataclass
class HeaderMatch:
    """Where the header of a sheet is and what it maps to."""

    row_index: int  # 0-based index into the sheet rows
    mapping: dict[str, int]
    headers: list[str]


def find_header(
    rows: Sequence[Sequence[object]], spec: SourceSpec, aliases: dict[str, str]
) -> tuple[HeaderMatch | None, HeaderMatch | None]:
    """Return (the header row that has every required column, the best partial one)."""
    best: HeaderMatch | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping = map_headers(row, spec, aliases)
        if not mapping:
            continue
        match = HeaderMatch(
            index, mapping, [clean_text(h) for h in row if clean_text(h)]
        )
        if all(column in mapping for column in spec.required):
            return match, match
        if best is None or len(mapping) > len(best.mapping):
            best = match
    return None, best


# --------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------


@dataclass
class Sheet:
    """One sheet's raw cells (row 0 is Excel row 1)."""

    name: str
    rows: list[list[object]]
    visible: bool = True


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_sheets(path: Path) -> list[Sheet]:
    """Read every sheet of an .xlsx workbook, or the single table of a .csv."""
    if not path.exists():
        raise IngestError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise IngestError(f"{path}: the file is empty (0 bytes)")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_read_csv(path)]
    if suffix == ".parquet":
        return [_read_parquet(path)]
    if suffix not in (".xlsx", ".xlsm"):
        raise IngestError(
            f"{path}: expected an .xlsx workbook, or a .csv or .parquet export of "
            f"the same shape, found '{suffix}'"
        )
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != b"PK\x03\x04":
        kind = "not a zip-based .xlsx file"
        if magic == b"\xd0\xcf\x11\xe0":
            with path.open("rb") as handle:
                head = handle.read(1 << 16)
            kind = (
                "password-protected (encrypted)"
                if "EncryptionInfo".encode("utf-16-le") in head
                else "a legacy .xls workbook (renamed?)"
            )
        raise IngestError(
            f"{path}: cannot read the workbook: it is {kind}; "
            "save it from Excel as .xlsx (Excel Workbook) or export CSV"
        )
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in workbook.sheets_metadata:
            if str(meta.typ) != str(python_calamine.SheetTypeEnum.WorkSheet):
                continue
            data = workbook.get_sheet_by_name(meta.name).to_python(
                skip_empty_area=False
            )
            visible = str(meta.visible) == str(python_calamine.SheetVisibleEnum.Visible)
            sheets.append(Sheet(meta.name, data, visible))
    except Exception as error:  # calamine raises several error types
        raise IngestError(f"{path}: cannot read the workbook: {error}") from error
    return sheets


def _read_parquet(path: Path) -> Sheet:
    """A Parquet export (for rosters beyond Excel's 1,048,576 rows): header + rows."""
    import duckdb  # only Parquet inputs need it here

    try:
        relation = duckdb.sql("select * from read_parquet(?)", params=[str(path)])
        rows: list[list[object]] = [list(relation.columns)]
        rows.extend(list(row) for row in relation.fetchall())
    except duckdb.Error as error:
        raise IngestError(f"{path}: cannot read the Parquet file: {error}") from error
    return Sheet(path.stem, rows)


def _read_csv(path: Path) -> Sheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    rows = [list(row) for row in csv.reader(text.splitlines())]
    return Sheet(path.stem, rows)


_CELL_REF_RE = re.compile(r"([A-Z]+)(\d+)")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The zip member holding a sheet's cells, from workbook.xml and its rels."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        if sheet.get("name") == sheet_name:
            target = targets.get(sheet.get(f"{_REL_NS}id"), "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def problem_cells(
    path: Path, sheet_name: str
) -> dict[tuple[int, int], tuple[str, str]]:
    """(row, column) -> (reason, text) for error values and uncalculated formulas.

    python-calamine reads both as blank cells, so the sheet's XML is scanned
    for them: first cheaply for the markers, then, only if one is there, cell
    by cell. Rows are 1-based, columns 0-based.
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    problems: dict[tuple[int, int], tuple[str, str]] = {}
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet_name)
        if part is None or not _has_marker(archive, part, (b't="e"', b"<f>", b"<f ")):
            return problems
        with archive.open(part) as stream:
            for _, cell in ElementTree.iterparse(stream):
                if cell.tag != f"{_MAIN_NS}c":
                    continue
                match = _CELL_REF_RE.fullmatch(cell.get("r", ""))
                value = cell.find(f"{_MAIN_NS}v")
                cached = value.text if value is not None else None
                formula = cell.find(f"{_MAIN_NS}f")
                if match and cell.get("t") == "e":
                    key = (int(match.group(2)), _column_index(match.group(1)))
                    problems[key] = ("excel-error", cached or "#ERROR")
                elif match and formula is not None and cached in (None, ""):
                    key = (int(match.group(2)), _column_index(match.group(1)))
                    problems[key] = ("formula-not-calculated", f"={formula.text or ''}")
                cell.clear()
    return problems


def _has_marker(archive: zipfile.ZipFile, part: str, markers: Sequence[bytes]) -> bool:
    """Whether any marker occurs in a zip member, read in chunks."""
    overlap = b""
    with archive.open(part) as stream:
        for chunk in iter(lambda: stream.read(1 << 22), b""):
            window = overlap + chunk
            if any(marker in window for marker in markers):
                return True
            overlap = chunk[-8:]
    return False


def is_sample_workbook(path: Path) -> bool:
    """True when the keywords are exactly the scale-1 sample generator's."""
    if path.suffix.lower() != ".xlsx":
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return False
    keywords = re.search(r"<cp:keywords>(.*?)</cp:keywords>", core)
    return bool(keywords) and keywords.group(1) == SAMPLE_KEYWORD


# --------------------------------------------------------------------------
# Routing rows
# --------------------------------------------------------------------------


@dataclass
class Reject:
    """One rejected row (scope 'row') or cleared optional value (scope 'value')."""

    source_role: str
    file_name: str
    sheet_name: str
    row_number: int
    column_name: str
    raw_value: str
    reason: str
    message: str
    scope: str = "row"

    def as_row(self) -> list[object]:
        return [getattr(self, column) for column in REJECT_COLUMNS]


@dataclass
class SourceResult:
    """What ingesting one file produced."""

    spec: SourceSpec
    path: Path
    sheet_name: str
    header_row: int
    rows: list[list[str]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rows_read: int = 0
    blank_rows: int = 0
    is_sample: bool = False
    sha256: str = ""
    as_of: dt.date | None = None

    @property
    def rows_rejected(self) -> int:
        return len({r.row_number for r in self.rejects if r.scope == "row"})

    def manifest_row(self, ingested_at: str) -> list[object]:
        return [
            self.spec.role,
            self.path.name,
            self.sha256,
            self.path.stat().st_size,
            self.sheet_name,
            self.header_row,
            self.rows_read,
            len(self.rows),
            self.rows_rejected,
            self.blank_rows,
            str(self.is_sample).lower(),
            self.as_of.isoformat() if self.as_of else "",
            ingested_at,
        ]


_TOTAL_RE = re.compile(r"^(grand\s+)?(sub\s*)?totals?\b", re.IGNORECASE)


def choose_sheet(
    path: Path, sheets: list[Sheet], spec: SourceSpec, aliases: dict[str, str]
) -> tuple[Sheet, HeaderMatch]:
    """Pick the one visible sheet whose header has every required column."""
    found: list[tuple[Sheet, HeaderMatch]] = []
    best: tuple[Sheet, HeaderMatch | None] | None = None
    for sheet in sheets:
        if not sheet.visible:
            LOG.info("%s: skipping hidden sheet %r", path.name, sheet.name)
            continue
        match, partial = find_header(sheet.rows, spec, aliases)
        if match:
            found.append((sheet, match))
        elif best is None or (
            partial and (best[1] is None or len(partial.mapping) > len(best[1].mapping))
        ):
            best = (sheet, partial)
    if len(found) > 1:
        names = ", ".join(repr(sheet.name) for sheet, _ in found)
        raise IngestError(
            f"{path}: several sheets have the {spec.role} columns ({names}); "
            "keep one sheet in the export"
        )
    if found:
        return found[0]
    required = ", ".join(spec.required)
    if best is None:
        visible = [s.name for s in sheets if s.visible]
        raise IngestError(
            f"{path}: no visible sheet to read (sheets: {visible or 'none'}); "
            f"expected a header with {required}"
        )
    sheet, partial = best
    if partial is None:
        raise IngestError(
            f"{path}, sheet {sheet.name!r}: no header row found in the first "
            f"{HEADER_SCAN_ROWS} rows; expected columns {required}"
            + (
                ""
                if any(any(clean_text(c) for c in r) for r in sheet.rows)
                else " (the sheet is empty)"
            )
        )
    missing = [column for column in spec.required if column not in partial.mapping]
    raise IngestError(
        f"{path}, sheet {sheet.name!r}, row {partial.row_index + 1}: missing "
        f"required column(s) {', '.join(missing)}; headers found: "
        f"{', '.join(partial.headers)}"
    )


def ingest_file(path: Path, spec: SourceSpec, aliases: dict[str, str]) -> SourceResult:
    """Read one file and route each of its data rows to the seed or the rejects."""
    sheets = read_sheets(path)
    sheet, header = choose_sheet(path, sheets, spec, aliases)
    duplicates = duplicated_columns(sheet.rows[header.row_index], spec, aliases)
    if duplicates:
        detail = "; ".join(f"{c}: {', '.join(h)}" for c, h in duplicates.items())
        raise IngestError(
            f"{path}, sheet {sheet.name!r}, row {header.row_index + 1}: "
            f"more than one header names the same column ({detail})"
        )
    result = SourceResult(
        spec=spec,
        path=path,
        sheet_name=sheet.name,
        header_row=header.row_index + 1,
        sha256=sha256_of(path),
        is_sample=is_sample_workbook(path),
        as_of=infer_as_of(path, sheet.rows[: header.row_index]),
    )
    columns = list(spec.columns)
    positions = [header.mapping.get(column) for column in columns]
    _mark_problem_cells(path, sheet, header, positions)
    first = header.row_index + 1
    progress = RowProgress(f"{path.name}: routing rows", len(sheet.rows) - first)
    for index in range(first, len(sheet.rows)):
        if index % 1000 == 0:
            progress.update(index - first)
        raw = sheet.rows[index]
        if all(map(is_blank_cell, raw)):
            result.blank_rows += 1
            continue
        result.rows_read += 1
        _route_row(result, index + 1, raw, columns, positions)
    progress.update(len(sheet.rows) - first)
    progress.close()
    # blank rows after the last data row are padding, not skipped rows
    result.blank_rows -= _trailing_blank_rows(sheet.rows, header.row_index)
    if result.rows_read == 0:
        raise IngestError(
            f"{path}, sheet {sheet.name!r}: the sheet has a header on row "
            f"{result.header_row} but no data rows"
        )
    _reject_duplicates(result, columns)
    for column in spec.merge_case_variants:
        merge_case_variants(result.rows, columns.index(column) + 1)
    return result


_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_YEAR_RE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
_ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def infer_as_of(path: Path, rows_above_header: Sequence[Sequence[object]]) -> dt.date:
    """The date a drop describes, from its title rows, else the file's date.

    "Campaign Health - November 2026" gives 2026-11-01; an ISO date is taken
    as it is.
    """
    for row in rows_above_header:
        for cell in row:
            text = clean_text(cell)
            if match := _ISO_DATE_RE.search(text):
                try:
                    return dt.date(*map(int, match.groups()))
                except ValueError:
                    continue
            if match := _MONTH_YEAR_RE.search(text):
                month = _MONTHS.index(match.group(1).lower()) + 1
                return dt.date(int(match.group(2)), month, 1)
    return dt.date.fromtimestamp(path.stat().st_mtime)


def _mark_problem_cells(
    path: Path, sheet: Sheet, header: HeaderMatch, positions: list[int | None]
) -> None:
    """Put Excel errors into the rows as CellProblem; stop on uncalculated formulas."""
    used = {position for position in positions if position is not None}
    uncalculated = []
    for (row, column), (reason, text) in sorted(
        problem_cells(path, sheet.name).items()
    ):
        if row <= header.row_index + 1 or column not in used or row > len(sheet.rows):
            continue
        if reason == "formula-not-calculated":
            uncalculated.append(f"{_column_letters(column)}{row} ({text})")
            continue
        cells = sheet.rows[row - 1]
        cells.extend([""] * (column + 1 - len(cells)))
        cells[column] = CellProblem(reason, text)
    if uncalculated:
        shown = ", ".join(uncalculated[:5]) + (" ..." if len(uncalculated) > 5 else "")
        raise IngestError(
            f"{path}, sheet {sheet.name!r}: {len(uncalculated):,} formula cell(s) "
            f"without a calculated value, e.g. {shown}; open the file in Excel and "
            "save it (so values are stored), or export the values"
        )


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _trailing_blank_rows(rows: list[list[object]], header_index: int) -> int:
    count = 0
    for raw in reversed(rows[header_index + 1 :]):
        if not all(map(is_blank_cell, raw)):
            break
        count += 1
    return count


def is_total_row(raw: Sequence[object], key_position: int | None) -> bool:
    """A 'Total' / 'Grand Total' / 'Subtotal' row: a label and no campaign ID."""
    key = ""
    if key_position is not None and key_position < len(raw):
        key = clean_text(raw[key_position])
    if key and not _TOTAL_RE.match(key):
        return False  # a campaign ID: the usual row, decided without the rest
    return any(
        isinstance(cell, str) and _TOTAL_RE.match(clean_text(cell)) for cell in raw
    )


def is_blank_cell(cell: object) -> bool:
    """An empty cell: None, or text of spaces only (numbers are never blank)."""
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip(" \t\r\n\u00a0\u2007\u202f" + _EDGE_INVISIBLE)
    return isinstance(cell, float) and cell != cell


def _route_row(
    result: SourceResult,
    row_number: int,
    raw: list[object],
    columns: list[str],
    positions: list[int | None],
) -> None:
    """Send one data row to the loaded rows or to the rejects (or both, for
    optional values that had to be cleared)."""
    spec = result.spec
    if is_total_row(raw, positions[columns.index(spec.key)]):
        label = " | ".join(clean_text(c) for c in raw if clean_text(c))
        problems = [
            (spec.key, label, "total-row", "a totals row, not a campaign", True)
        ]
    else:
        values, problems = _normalize_row(spec, raw, columns, positions)
    row_rejected = any(required for *_, required in problems)
    for column, cell, reason, message, required in problems:
        result.rejects.append(
            Reject(spec.role, result.path.name, result.sheet_name, row_number, column,
                   clean_text(cell), reason, message, "row" if required else "value")
        )  # fmt: skip
    if not row_rejected:
        result.rows.append([str(row_number), *values])


def _normalize_row(
    spec: SourceSpec,
    raw: list[object],
    columns: list[str],
    positions: list[int | None],
) -> tuple[list[str], list[tuple[str, object, str, str, bool]]]:
    """A row's canonical values, and its problems: (column, cell, reason,
    message, whether the column is required)."""
    values: list[str] = []
    problems: list[tuple[str, object, str, str, bool]] = []
    width = len(raw)
    for column, position in zip(columns, positions, strict=True):
        cell = raw[position] if position is not None and position < width else None
        required = column in spec.required
        try:
            if type(cell) is CellProblem:
                value = normalize_value(spec.columns[column], cell)
            else:
                value = NORMALIZERS[spec.columns[column]](cell)
        except ValueRejected as problem:
            problems.append((column, cell, problem.reason, str(problem), required))
            value = ""
        else:
            if value == "" and required:
                message = f"{column} is required, found a blank"
                problems.append((column, cell, "missing-value", message, True))
        values.append(value)
    return values, problems


def _reject_duplicates(result: SourceResult, columns: list[str]) -> None:
    """Keep one of each exact duplicate row; reject every row of a conflicting ID."""
    spec = result.spec
    key_at = columns.index(spec.key) + 1
    first_seen: dict[tuple[str, ...], int] = {}
    by_key: dict[str, list[list[str]]] = defaultdict(list)
    kept: list[list[str]] = []
    for row in result.rows:
        content = tuple(row[1:])
        if content in first_seen:
            result.rejects.append(
                Reject(
                    spec.role,
                    result.path.name,
                    result.sheet_name,
                    int(row[0]),
                    "",
                    row[key_at],
                    "duplicate-row",
                    f"exact duplicate of row {first_seen[content]}",
                    "row",
                )
            )
            continue
        first_seen[content] = int(row[0])
        by_key[row[key_at]].append(row)
        kept.append(row)
    conflicting = {key for key, rows in by_key.items() if len(rows) > 1}
    for key in sorted(conflicting):
        rows = by_key[key]
        row_numbers = ", ".join(row[0] for row in rows)
        differing = [
            column
            for offset, column in enumerate(columns, start=1)
            if len({row[offset] for row in rows}) > 1
        ]
        for row in rows:
            result.rejects.append(
                Reject(
                    spec.role,
                    result.path.name,
                    result.sheet_name,
                    int(row[0]),
                    spec.key,
                    key,
                    "conflicting-duplicate",
                    f"{spec.key} {key} is on rows {row_numbers} with different "
                    f"{', '.join(differing)}",
                    "row",
                )
            )
    result.rows = [row for row in kept if row[key_at] not in conflicting]


def merge_case_variants(rows: list[list[str]], position: int) -> dict[str, str]:
    """Give names that differ only in case/spacing one spelling, in place.

    The spelling used is the most frequent one ('Acme Media' x40 beats
    'ACME MEDIA' x3); on a tie a mixed-case spelling beats an all-upper or
    all-lower one, then the alphabetically first wins. Returns the variants
    that were rewritten.
    """
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row[position]:
            spellings[row[position].casefold()][row[position]] += 1
    canonical = {
        key: min(
            counts,
            key=lambda name: (-counts[name], name.isupper() or name.islower(), name),
        )
        for key, counts in spellings.items()
    }
    rewritten: dict[str, str] = {}
    for row in rows:
        value = row[position]
        if value and canonical[value.casefold()] != value:
            rewritten[value] = canonical[value.casefold()]
            row[position] = canonical[value.casefold()]
    return rewritten


# --------------------------------------------------------------------------
# Writing seeds as one set
# --------------------------------------------------------------------------


def _write_csv(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        handle.flush()
        os.fsync(handle.fileno())


def write_seed_set(
    results: Sequence[SourceResult],
    seeds_dir: Path,
    history: Sequence[Sequence[str]] = (),
) -> None:
    """Write every raw seed, the rejects and the manifest, then swap them in together.

    The new set is written to a temporary folder beside ``seeds_dir``'s
    parent build area and renamed into place; the previous folder is removed
    only once the new one is in place. If anything fails before the swap the
    previous seeds are untouched.
    """
    seeds_dir = seeds_dir.resolve()
    seeds_dir.parent.mkdir(parents=True, exist_ok=True)
    work_dir = seeds_dir.parent.parent
    _recover_interrupted_swap(seeds_dir, work_dir)
    staging = Path(tempfile.mkdtemp(prefix=".raw-new-", dir=work_dir))
    ingested_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        for result in results:
            _write_csv(
                staging / f"{result.spec.seed_name}.csv",
                ["source_row", *result.spec.columns],
                result.rows,
            )
        _write_csv(staging / "raw_health_budget_history.csv", HISTORY_COLUMNS, history)
        _write_csv(
            staging / "raw_ingest_rejects.csv",
            REJECT_COLUMNS,
            (reject.as_row() for result in results for reject in result.rejects),
        )
        _write_csv(
            staging / "raw_ingest_manifest.csv",
            MANIFEST_COLUMNS,
            (result.manifest_row(ingested_at) for result in results),
        )
        old = work_dir / f".raw-old-{os.getpid()}"
        if seeds_dir.exists():
            os.replace(seeds_dir, old)
        os.replace(staging, seeds_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def default_history_dir(seeds_dir: Path) -> Path:
    """``data/history`` of the project whose ``seeds/raw`` is ``seeds_dir``."""
    return seeds_dir.resolve().parent.parent / "data" / "history"


def history_rows(result: SourceResult) -> list[list[str]]:
    """One drop's rows for the history store: as-of date and the budget columns."""
    columns = ["source_row", *result.spec.columns]
    picks = [columns.index(c) for c in HISTORY_COLUMNS[1:]]
    as_of = result.as_of.isoformat() if result.as_of else ""
    return [[as_of, *(row[i] for i in picks)] for row in result.rows]


def store_drop(result: SourceResult, history_dir: Path) -> Path:
    """Keep a Health drop in the history store (replacing one of the same date)."""
    history_dir.mkdir(parents=True, exist_ok=True)
    target = history_dir / f"health_{result.as_of.isoformat()}.csv"
    temporary = target.with_name(f".{target.name}.tmp")
    _write_csv(temporary, HISTORY_COLUMNS, history_rows(result))
    os.replace(temporary, target)
    return target


def read_history(history_dir: Path) -> list[list[str]]:
    """Every stored drop's rows, oldest drop first."""
    rows: list[list[str]] = []
    for path in sorted(history_dir.glob("health_*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            if next(reader, None) != HISTORY_COLUMNS:
                raise IngestError(f"{path}: not a history file of this pipeline")
            rows.extend(reader)
    return rows


def _looks_like(path: Path, spec: SourceSpec, aliases: dict[str, str]) -> bool:
    """Whether the file has a sheet with every required column of ``spec``."""
    try:
        choose_sheet(path, read_sheets(path), spec, aliases)
    except IngestError:
        return False
    return True


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
) -> list[SourceResult]:
    """Ingest both workbooks and publish the seed set; raise IngestError on failure.

    The Health drop is kept in ``history_dir`` (default: ``data/history`` of
    the project the seeds belong to) under its as-of date (``as_of``, else the
    date its title names, else the file's date), as are the ``earlier_health``
    drops; every stored drop goes into the ``raw_health_budget_history`` seed.
    """
    history_dir = history_dir or default_history_dir(seeds_dir)
    aliases = load_aliases()
    results = []
    for spec, path in ((BREAKOUT, breakout), (HEALTH, health)):
        try:
            result = ingest_file(path, spec, aliases.get(spec.role, {}))
        except IngestError as error:
            other = HEALTH if spec is BREAKOUT else BREAKOUT
            if _looks_like(path, other, aliases.get(other.role, {})):
                raise IngestError(
                    f"{error}. This file looks like the {other.role.capitalize()} "
                    f"workbook: are --breakout and --health swapped?"
                ) from error
            raise
        LOG.info(
            "%s: sheet %r, header on row %d: %d rows read, %d loaded, "
            "%d rejected, %d blank rows skipped",
            path.name,
            result.sheet_name,
            result.header_row,
            result.rows_read,
            len(result.rows),
            result.rows_rejected,
            result.blank_rows,
        )
        results.append(result)
    if as_of is not None:
        results[1].as_of = as_of
    earlier = []
    for path in earlier_health:
        drop = ingest_file(path, HEALTH, aliases.get("health", {}))
        LOG.info(
            "%s: earlier Health drop as of %s: %d rows read, %d loaded, %d rejected",
            path.name, drop.as_of, drop.rows_read, len(drop.rows), drop.rows_rejected,
        )  # fmt: skip
        earlier.append(drop)
    for drop in [*earlier, results[1]]:
        store_drop(drop, history_dir)
    write_seed_set(results, seeds_dir, read_history(history_dir))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--breakout",
        type=Path,
        required=True,
        help="the Breakout (roster) workbook, .xlsx or .csv",
    )
    parser.add_argument(
        "--health", type=Path, required=True, help="the Health workbook, .xlsx or .csv"
    )
    parser.add_argument(
        "--seeds-dir",
        type=Path,
        default=DEFAULT_SEEDS_DIR,
        help="where the raw seeds go (default: %(default)s)",
    )
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="the date the Health workbook describes, YYYY-MM-DD (default: the "
        "month or date in its title, else the file's date)",
    )
    parser.add_argument(
        "--history-dir",
        type=Path,
        help="where every Health drop is kept (default: data/history)",
    )
    parser.add_argument(
        "--earlier-health",
        type=Path,
        nargs="*",
        default=[],
        help="earlier Health drops to add to the history",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    try:
        ingest(
            args.breakout,
            args.health,
            args.seeds_dir,
            as_of=args.as_of,
            history_dir=args.history_dir,
            earlier_health=args.earlier_health,
        )
    except IngestError as error:
        LOG.error("%s", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
