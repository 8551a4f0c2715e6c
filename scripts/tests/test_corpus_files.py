"""The bad-file corpus: inputs the converter must stop on, or read as Excel does.

Every case is made here, in the test (no binary fixtures). Its expectation is:

- ``error``: ingestion stops with one message naming the file and what is
  wrong; the previous seed set and the history store are left exactly as they
  were, and no Python traceback is involved (an IngestError, nothing else);
- ``raw``: the file is read, and the raw seed holds ``column=value`` exactly
  (with ``column=kind`` in cell_types when ``kind`` is given).

Row-level rules (IDs, money, dates, totals, duplicates) are the staging
models' and are tested through dbt.
"""

from __future__ import annotations

import csv
import re
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import (
    HEALTH_HEADER,
    ROSTER_HEADER,
    formula_workbook,
    rewrite_member,
    tree_digest,
    write_workbook,
)
from partners import ingest, readers

GOOD_ROSTER = [ROSTER_HEADER, [1001, 500, "Bob's", "Acme Media", "Search"]]
GOOD_HEALTH = [HEALTH_HEADER, ["1001", "500", "Rivera", 100.0, 0.5]]


@dataclass
class Case:
    """One corpus entry: what the roster (or health) file holds, what must happen."""

    name: str
    expect: str  # error | raw
    detail: str  # message part, or column=value in the raw seed
    roster: object = None  # sheets dict, or a function(path) writing the file
    health: object = None
    suffix: str = ".xlsx"
    hidden: tuple[str, ...] = ()
    kind: str = ""  # the cell type expected for the detail's column
    limits: dict[str, int] = field(default_factory=dict)  # readers' limits, lowered


def _bytes(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def _text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def _truncated(path: Path) -> None:
    write_workbook(path, {"Breakout": GOOD_ROSTER})
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _stray(ref: str, value: object, rows: int = 1) -> Callable[[Path], None]:
    """A good roster with one stray value far out (a keystroke, a pasted dot)."""

    def write(path: Path) -> None:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Breakout"
        sheet.append(ROSTER_HEADER)
        for number in range(rows):
            sheet.append([1001 + number, 500, "Bob's", "Acme Media", "Search"])
        sheet[ref] = value
        workbook.save(path)

    return write


def _noted(ref: str) -> Callable[[Path], None]:
    """A good roster of one campaign, with a note far right of the table."""

    def write(path: Path) -> None:
        write_workbook(path, {"Breakout": GOOD_ROSTER})
        workbook = load_workbook(path)
        workbook["Breakout"][ref] = "prepared for the partner review"
        workbook.save(path)

    return write


def _opendocument(path: Path) -> None:
    """An OpenDocument spreadsheet as LibreOffice writes one: its first member,
    stored uncompressed, the mimetype."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )  # fmt: skip
        archive.writestr("content.xml", "<office:document-content/>")


def _padded(size: int) -> Callable[[Path], None]:
    """A small workbook whose sheet XML inflates by ``size`` bytes of spaces."""

    def write(path: Path) -> None:
        write_workbook(path, {"Breakout": GOOD_ROSTER})
        pad = b" " * size
        rewrite_member(
            path,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b"</sheetData>", pad + b"</sheetData>"),
        )

    return write


def _refless(path: Path) -> None:
    """Cells without r="A1" references, as some small writers save them."""
    write_workbook(path, {"Breakout": GOOD_ROSTER})
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", xml),
    )


def _docx(path: Path) -> None:
    """A Word document (a zip of another kind) renamed .xlsx."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")


def _doctype(path: Path) -> None:
    write_workbook(path, {"Breakout": GOOD_ROSTER})
    entities = (
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    )
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"<worksheet", entities + b"<worksheet", 1),
    )


def _typed_cells(path: Path) -> None:
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Breakout"
    sheet.append([*ROSTER_HEADER, "Start Date"])
    sheet.append([dt.date(2025, 3, 1), True, "Bob", "Acme", "SEO", dt.date(2025, 3, 1)])
    workbook.save(path)


def _parquet(sql: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        import duckdb

        duckdb.sql(f"copy ({sql}) to '{path}' (format parquet)")

    return write


def _iferror_empty(path: Path) -> None:
    """An IFERROR(...,"") advertiser whose cached result is the empty string."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Breakout"
    sheet.append(ROSTER_HEADER)
    sheet.append([1001, 500, '=IFERROR(VLOOKUP(A2,X!A:B,2,0),"")', "Acme", "SEO"])
    workbook.save(path)
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<c r="C2">', b'<c r="C2" t="str">').replace(
            b"</f><v /></c>", b"</f><v></v></c>"
        ),
    )


ROSTER_CSV = "Campaign ID,MAID,Advertiser,Partner,Product\n"
CASES = [
    # ----------------------------------------------------------- structure
    Case(
        "missing required column",
        "error",
        "missing required column(s) partner_name",
        {"Breakout": [["Campaign ID", "MAID", "Product"], [1, 2, "SEO"]]},
    ),
    Case(
        "duplicated header",
        "error",
        "more than one header names the same column",
        {"Breakout": [[*ROSTER_HEADER, "Partner Name"], [1, 2, "a", "b", "SEO", "c"]]},
    ),
    Case("empty sheet", "error", "the sheet is empty", {"Breakout": []}),
    Case("header only", "error", "no data rows", {"Breakout": [ROSTER_HEADER]}),
    Case(
        "no sheet with the expected columns",
        "error",
        "no header row found",
        {"Notes": [["a note"], ["another"]]},
    ),
    Case(
        "several sheets with the expected columns",
        "error",
        "several sheets",
        {"Roster": GOOD_ROSTER, "Roster (old)": GOOD_ROSTER},
    ),
    Case(
        "only a hidden sheet has the expected columns",
        "error",
        "sheet 'Notes': no header row found",
        {"Notes": [["a note"]], "Stale": GOOD_ROSTER},
        hidden=("Stale",),
    ),
    Case(
        "roster and health swapped",
        "error",
        "--breakout and --health swapped",
        {"Health": GOOD_HEALTH},
    ),
    Case(
        "formula without a cached value",
        "error",
        "without a calculated value",
        lambda path: formula_workbook(path, None),
    ),
    # ----------------------------------------------------------- file formats
    Case(
        "xls renamed to xlsx",
        "error",
        "a legacy .xls workbook",
        _bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 508),
    ),
    Case(
        # trust round 3: "There is no item named 'xl/workbook.xml'"
        "ods renamed to xlsx",
        "error",
        "it is an OpenDocument spreadsheet (.ods, renamed?); save it from Excel",
        _opendocument,
    ),
    Case(
        "csv renamed to xlsx",
        "error",
        "not a zip-based .xlsx file",
        _bytes(b"Campaign ID,MAID\n1,2\n"),
    ),
    Case("truncated workbook", "error", "cannot read the workbook", _truncated),
    Case("0-byte file", "error", "the file is empty (0 bytes)", _bytes(b"")),
    Case(
        "password-protected workbook",
        "error",
        "password-protected",
        _bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60 + "EncryptionInfo".encode("utf-16-le")),
    ),
    Case("OpenDocument file", "error", "found '.ods'", _bytes(b"PK"), suffix=".ods"),
    Case(
        "workbook with a DOCTYPE (entity expansion)",
        "error",
        "declares a DOCTYPE",
        _doctype,
    ),
    Case("Word document renamed .xlsx", "error", "cannot read the workbook", _docx),
    Case(
        "CSV holding only a byte-order mark",
        "error",
        "(the sheet is empty)",
        _bytes(b"\xef\xbb\xbf"),
        suffix=".csv",
    ),
    Case(
        "Parquet file without rows",
        "error",
        "no data rows",
        _parquet(
            'select 1 as "Campaign ID", 2 as MAID, 3 as Partner, 4 as Product limit 0'
        ),
        suffix=".parquet",
    ),
    Case(
        "Parquet file that is not Parquet",
        "error",
        "cannot read the Parquet file",
        _bytes(b"PAR1 not really"),
        suffix=".parquet",
    ),
    # ----------------------------------------------------------- size limits
    Case(
        "sheet XML inflating past the limit (zip bomb)",
        "error",
        "more than the limit of 1,000,000",
        _padded(1_500_000),
        limits={"MAX_XML_BYTES": 1_000_000},
    ),
    Case(
        "cells holding values past the cell limit",
        "error",
        "A1:XFD7 (114,688 cells), more than the limit of 100,000",
        _stray("XFD1", ".", rows=6),
        limits={"MAX_CELLS": 100_000},
    ),
    Case(
        # trust round 3: a note right of the first rows (a title's, the
        # table's) made the table 16,384 columns wide, refused with "delete
        # the stray cells"; the table's own cells are counted
        "a note in XFD3, right of the table's first rows",
        "raw",
        "campaign_id=1001",
        _noted("XFD3"),
        kind="number",
        limits={"MAX_CELLS": 40_000},  # A1:XFD3 would be 49,152 cells
    ),
    Case(
        "a '.' in XFD20000",
        "raw",
        "campaign_id=1001",
        _stray("XFD20000", "."),
        kind="number",
    ),
    Case(
        "a space in XFD1048576",
        "raw",
        "partner_name=Acme Media",
        _stray("XFD1048576", " "),
    ),
    Case(
        "cells without r references",
        "raw",
        "campaign_id=1001",
        _refless,
        kind="number",
    ),
    Case(
        "padding that stays within the limit",
        "raw",
        "product_type=Search",
        _padded(100_000),
    ),
    # ----------------------------------------------------------- CSV
    Case(
        "CSV in cp932",
        "error",
        "byte 48 (0x8d) is not UTF-8 text",
        _text(ROSTER_CSV + "1,2,広告主,Acme,SEO\n", "cp932"),
        suffix=".csv",
    ),
    Case(
        "PNG renamed to .csv",
        "error",
        "byte 0 (0x89) is not UTF-8 text",
        _bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        suffix=".csv",
    ),
    Case(
        "UTF-16 CSV without a byte-order mark",
        "error",
        "UTF-16 without a byte-order mark",
        _text(ROSTER_CSV, "utf-16-le"),
        suffix=".csv",
    ),
    Case(
        "CSV delimiter that names no column",
        "error",
        "read as CSV delimited by ';'",
        _text("Campaign ID;MAID;Product\n1;2;SEO\n"),
        suffix=".csv",
    ),
    Case(
        "CSV field beyond the csv module's limit",
        "error",
        "field larger than field limit",
        _text(ROSTER_CSV + f'1,2,"{"x" * 200_000}",Acme,SEO\n'),
        suffix=".csv",
    ),
    Case(
        "CSV in UTF-16 with a byte-order mark",
        "raw",
        "advertiser_name=広告主",
        _text(ROSTER_CSV + "1,2,広告主,Acme,SEO\n", "utf-16"),
        suffix=".csv",
    ),
    Case(
        "CSV with Excel's keep-zeros form",
        "raw",
        "campaign_id=00001001",
        _text(ROSTER_CSV + '="00001001",2,Bob,Acme,SEO\n'),
        suffix=".csv",
    ),
    Case(
        "CSV with a line break inside quotes",
        "raw",
        "advertiser_name=Bob\r\nand Co",
        _text(ROSTER_CSV + '1,2,"Bob\r\nand Co",Acme,SEO\r\n'),
        suffix=".csv",
    ),
    Case(
        "CSV with U+2028 and a form feed inside fields",
        "raw",
        "partner_name=Acme\u2028\fMedia",
        _text(ROSTER_CSV + "1,2,Bob,Acme\u2028\fMedia,SEO\n"),
        suffix=".csv",
    ),
    Case(
        "CSV with a sep= line",
        "raw",
        "product_type=SEO",
        _text("sep=;\n" + ROSTER_CSV.replace(",", ";") + "1;2;Bob;Acme;SEO\n"),
        suffix=".csv",
    ),
    Case(
        "CSV with #N/A text (staging treats it as an error)",
        "raw",
        "maid=#N/A",
        _text(ROSTER_CSV + "1,#N/A,Bob,Acme,SEO\n"),
        suffix=".csv",
    ),
    Case(
        "CSV with NULL text (staging treats it as missing)",
        "raw",
        "advertiser_name=NULL",
        _text(ROSTER_CSV + "1,2,NULL,Acme,SEO\n"),
        suffix=".csv",
    ),
    # ----------------------------------------------------------- typed cells
    Case("ID cell typed as a date", "raw", "campaign_id=2025-03-01", _typed_cells,
         kind="date"),
    Case("MAID cell typed as a boolean", "raw", "maid=TRUE", _typed_cells,
         kind="boolean"),
    Case("date column typed as a date", "raw", "start_date=2025-03-01", _typed_cells,
         kind="date"),
    Case(
        "formula with a cached value",
        "raw",
        "product_type=Search",
        lambda path: formula_workbook(path, "Search"),
    ),
    Case(  # was: "formula cell(s) without a calculated value", the run stopped
        "IFERROR formula with a cached empty result",
        "raw",
        "advertiser_name=",
        _iferror_empty,
    ),
    Case(
        "1e30 budget in Parquet",
        "raw",
        "campaign_id=1e+30",
        _parquet(
            'select 1e30::double as "Campaign ID", 2 as MAID, \'Acme\' as Partner, '
            "'SEO' as Product"
        ),
        suffix=".parquet",
        kind="number",
    ),
    Case(
        "inf in Parquet",
        "raw",
        "maid=inf",
        _parquet(
            'select 1 as "Campaign ID", \'inf\'::double as MAID, '
            "'Acme' as Partner, 'SEO' as Product"
        ),
        suffix=".parquet",
        kind="number",
    ),
    # ------------------------------------------------ trust round 3, more forms
    Case("roster in a .tsv export", "raw", "partner_name=Acme Media",
         _text(ROSTER_CSV.replace(",", "\t") + "1001\t500\tBob\tAcme Media\tSearch\n"),
         suffix=".tsv"),
    Case("Health in a .tsv export", "raw", "am=Rivera", None,
         _text("Campaign ID\tMAID\tAM\tMonthly Budget\tUtilization\n"
               "1001\t500\tRivera\t100\t0.5\n"),
         suffix=".tsv"),
    Case(".tsv with a byte-order mark", "raw", "campaign_id=1001",
         _text("\ufeff" + ROSTER_CSV.replace(",", "\t")
               + "1001\t500\tBob\tAcme\tSEO\n"),
         suffix=".tsv"),
    Case("a note beside the table, in Z2", "raw", "campaign_id=1001",
         _stray("Z2", "check with finance"), kind="number"),
    Case("CSV with Windows line ends", "raw", "product_type=SEO",
         _text(ROSTER_CSV.replace("\n", "\r\n") + "1001,500,Bob,Acme,SEO\r\n"),
         suffix=".csv"),
    Case("CSV delimited by ';' without a sep= line", "raw", "partner_name=Acme",
         _text(ROSTER_CSV.replace(",", ";") + "1001;500;Bob;Acme;SEO\n"),
         suffix=".csv"),
    Case("CSV with a delimiter ending every line", "raw", "product_type=SEO",
         _text(ROSTER_CSV.replace("\n", ",\n") + "1001,500,Bob,Acme,SEO,\n"),
         suffix=".csv"),
    Case("CSV in Windows-1252", "error", "byte 56 (0xe9) is not UTF-8 text",
         _text(ROSTER_CSV + "1001,500,Café,Acme,SEO\n", "cp1252"), suffix=".csv"),
]  # fmt: skip


def write_case_file(path: Path, content: object, hidden: tuple[str, ...]) -> Path:
    if callable(content):
        content(path)
    else:
        write_workbook(path, content, hidden)
    return path


def read_seed(seeds: Path, name: str) -> list[dict[str, str]]:
    with (seeds / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_file_case(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds" / "raw"
    history = tmp_path / "data" / "history"
    good_roster = write_workbook(
        tmp_path / "good_roster.xlsx", {"Breakout": GOOD_ROSTER}
    )
    good_health = write_workbook(tmp_path / "good_health.xlsx", {"Health": GOOD_HEALTH})
    # the previous, good seed set (its drop in a store of its own: an
    # untitled drop of the same day never replaces another, and the case's
    # seed holds the case's drop alone)
    ingest.ingest(good_roster, good_health, seeds, history_dir=tmp_path / "before")
    before = tree_digest(seeds, history)
    for name, value in case.limits.items():
        monkeypatch.setattr(readers, name, value)
    path = tmp_path / f"case{case.suffix}"
    write_case_file(path, case.roster if case.roster else case.health, case.hidden)
    breakout, health = (path, good_health) if case.roster else (good_roster, path)

    if case.expect == "error":
        with pytest.raises(ingest.IngestError) as error:
            ingest.ingest(breakout, health, seeds)
        assert case.detail in str(error.value)
        assert str(path) in str(error.value)
        assert tree_digest(seeds, history) == before
        assert not list(tmp_path.glob(".raw-*"))
        return

    ingest.ingest(breakout, health, seeds)
    seed = "raw_breakout_campaigns" if case.roster else "raw_health_campaigns"
    [row] = read_seed(seeds, seed)
    column, value = case.detail.split("=", 1)
    assert row[column] == value, row
    assert (row["source_file"], row["source_row"]) == (path.name, "2")
    kinds = dict(k.split("=") for k in row["cell_types"].split(";") if k)
    assert kinds.get(column, "") == case.kind


def test_corpus_is_at_least_40_cases() -> None:
    assert len(CASES) >= 40


#: runs the CLI, then prints the peak RSS (kB) of the process, or of its child
#: (the roster is read in one), whichever is larger, as the last line. The
#: process's own peak is its VmHWM: getrusage keeps, across exec, the peak of
#: the process it was forked from (a test worker of several hundred MB)
_MEASURED = """
import re, resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as stop:
    code = stop.code
with open("/proc/self/status") as status:
    own = int(re.search(r"VmHWM:\\s*(\\d+)", status.read()).group(1))
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(max(own, child), file=sys.stderr)
sys.exit(code)
"""


#: the memory cap of the child measured: a stray cell that escaped the
#: pre-scan made the reader allocate 10 GB (one cell per column up to XFD)
MEMORY_CAP = 2 << 30


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_CAP, MEMORY_CAP))


def _peak_rss_mb(tmp_path: Path, roster: Path) -> tuple[int, float, str]:
    """Run the CLI on ``roster`` in a child process under ``MEMORY_CAP``:
    exit code, peak MB, stderr."""
    health = write_workbook(tmp_path / "h.xlsx", {"Health": GOOD_HEALTH})
    main_job = Path(ingest.__file__).parent
    completed = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(main_job), "convert",
         "--breakout", str(roster),
         "--health", str(health), "--seeds-dir", str(tmp_path / "seeds" / "raw")],
        capture_output=True, text=True, check=False, timeout=120,
        preexec_fn=_capped,
    )  # fmt: skip
    *lines, peak = completed.stderr.strip().splitlines()
    return completed.returncode, int(peak) / 1024, "\n".join(lines)


#: how other writers spell a cell's reference (it replaces ``<c r="REF"``)
SPELLINGS = {
    "single quotes": "<c r='{ref}'",
    "a line break before r": '<c\nr="{ref}"',
}


@pytest.mark.parametrize(
    ("ref", "value", "spelling"),
    [("XFD20000", ".", ""), ("XFD1048576", " ", ""), ("A1048576", "x", ""),
     *(("XFD20000", ".", spelling) for spelling in SPELLINGS)],
)  # fmt: skip
def test_stray_cells_cost_no_memory_and_no_backtrace(
    tmp_path: Path, ref: str, value: str, spelling: str
) -> None:
    roster = tmp_path / "roster.xlsx"
    _stray(ref, value, rows=100)(roster)
    if spelling:  # trust round 3: each was read to XFD, a 10 GB allocation
        rewrite_member(
            roster,
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(
                f'<c r="{ref}"'.encode(), SPELLINGS[spelling].format(ref=ref).encode()
            ),
        )
    code, peak, stderr = _peak_rss_mb(tmp_path, roster)
    assert code == 0, stderr
    assert peak < 400  # before: 12.5 GB for XFD20000, a Rust abort for XFD1048576
    assert "panicked" not in stderr
    assert "Traceback" not in stderr
    rows = read_seed(tmp_path / "seeds" / "raw", "raw_breakout_campaigns")
    assert len(rows) == 100 + (ref == "A1048576")
