"""Small files that once took unbounded memory (limits.py): each is built
here, converted in a child process under the 2 GB cap (test_corpus_files'
``_peak_rss_mb``), and must stop with one line, or pass, within a small peak.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import duckdb
import pytest
from test_corpus_files import _peak_rss_mb, read_seed

from conftest import ROSTER_HEADER
from partners import exports, ingest, limits, readers
from partners.limits import cut_long_text

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/></Types>'
    ),
    "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
    f'Type="{_TYPE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_TYPE}"><sheets>'
    '<sheet name="Breakout" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}">'
    f'<Relationship Id="rId1" Type="{_TYPE}/worksheet" '
    'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
    f'Type="{_TYPE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}


def xlsx_roster(path: Path, strings: list[str], rows: str) -> Path:
    """A roster sheet of the header and ``rows`` (their XML), whose shared
    strings are the header's, then ``strings``."""
    cells = "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCDE"))
    parts = {
        **_PARTS,
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>'
        f'<row r="1">{cells}</row>{rows}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}">'
        + "".join(f"<si><t>{s}</t></si>" for s in [*ROSTER_HEADER, *strings])
        + "</sst>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def _row(n: int, advertiser: str) -> str:
    """A roster row; ``advertiser``: the cell's value XML (t="s": a string);
    partner and product are numbers."""
    return (
        f'<row r="{n}"><c r="A{n}"><v>{1000 + n}</v></c><c r="B{n}"><v>500</v></c>'
        f'<c r="C{n}"{advertiser}</c><c r="D{n}"><v>6</v></c>'
        f'<c r="E{n}"><v>7</v></c></row>'
    )


def shared_string_bomb(path: Path, rows: int, length: int) -> Path:
    """A roster whose every Advertiser cell references one shared string of
    ``length`` characters: a file of kilobytes, ``rows`` x ``length`` bytes
    of text once read."""
    body = "".join(_row(n, ' t="s"><v>5</v>') for n in range(2, rows + 2))
    return xlsx_roster(path, ["A" * length, "Acme", "SEO"], body)


def roster_export(path: Path, rows: int, advertiser: str) -> Path:
    """A roster exported by DuckDB (.csv or .parquet) of ``rows`` campaigns;
    ``advertiser``: the SQL of the Advertiser column (``i``: the row)."""
    kind = "parquet" if path.suffix == ".parquet" else "csv, header"
    duckdb.sql(
        f'copy (select 1000 + i as "Campaign ID", 500 + i % 7 as MAID, '  # noqa: S608
        f"{advertiser} as Advertiser, 'Partner ' || (i % 300) as Partner, "
        f"'Search' as Product from range({rows}) t(i)) to '{path}' (format {kind})"
    )
    return path


def _one_line(stderr: str, path: Path) -> str:
    [line] = [x for x in stderr.splitlines() if str(path) in x]
    assert "Traceback" not in stderr
    return line


def test_one_shared_string_in_many_cells_stops_before_the_read(tmp_path: Path) -> None:
    # 100,000 cells x 32,767 characters: 3.3 GB once read, in a file of 130 KB;
    # before: the reader's allocation failed under the cap (a Rust abort)
    roster = shared_string_bomb(tmp_path / "roster.xlsx", 100_000, 32_767)
    code, peak, stderr = _peak_rss_mb(tmp_path, roster)
    assert code == 1, stderr
    line = _one_line(stderr, roster)
    assert "sheet 'Breakout'" in line
    assert f"limit of {limits.MAX_SHARED_TEXT:,} bytes" in line
    assert re.search(r"[0-9,]{11,} bytes by row [0-9,]+", line), line
    assert peak < 400


def test_shared_strings_within_the_limit_are_read(tmp_path: Path) -> None:
    # 10,000 cells x 2,500 characters: 25 MB, read; each value cut (limits.py)
    roster = shared_string_bomb(tmp_path / "roster.xlsx", 10_000, 2_500)
    code, peak, stderr = _peak_rss_mb(tmp_path, roster)
    assert code == 0, stderr
    rows = read_seed(tmp_path / "seeds" / "raw", "raw_breakout_campaigns")
    assert len(rows) == 10_000
    cut = "A" * 1_024 + " [cut by the converter: 2,500 characters]"
    assert {row["advertiser_name"] for row in rows} == {cut}
    assert peak < 400


@pytest.mark.parametrize("early", [0, 60])
def test_shared_text_is_counted_exactly_once_past_the_cheap_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, early: int
) -> None:
    # 40,000 rows (a 5 MB sheet: two chunks of the pre-scan), the 10,000-byte
    # string in 60 cells of the last rows, and in ``early`` of the first: the
    # cheap bound (cells x the longest string) passes the limit in the second
    # chunk, where the first chunk's cells are counted again, exactly
    monkeypatch.setattr(limits, "MAX_SHARED_TEXT", 1_000_000)
    long, number = ' t="s"><v>5</v>', "><v>7</v>"
    rows = [_row(n, long if n < 2 + early or n > 39_941 else number)
            for n in range(2, 40_002)]  # fmt: skip
    strings = ["A" * 10_000, "Acme", "SEO"]
    path = xlsx_roster(tmp_path / "r.xlsx", strings, "".join(rows))
    assert path.stat().st_size < 1_000_000
    if not early:  # 600,000 bytes: read
        assert readers.scan_workbook(path)[0].last_row == 40_001
        return
    with pytest.raises(ingest.IngestError) as error:
        readers.scan_workbook(path)
    # 120 cells x 10,007 bytes, and the header's
    assert re.search(r": 1,20[0-9],[0-9]{3} bytes by row 40,001", str(error.value))


def test_a_long_value_repeated_in_a_parquet_file_stops(tmp_path: Path) -> None:
    # 100,000 rows of one dictionary-encoded 32,767-character value: 400 KB,
    # 3.3 GB decoded; before: 4.6 GB and "cannot read the file: " (no reason)
    roster = roster_export(tmp_path / "roster.parquet", 100_000, "repeat('A', 32767)")
    code, peak, stderr = _peak_rss_mb(tmp_path, roster)
    assert code == 1, stderr
    line = _one_line(stderr, roster)
    assert f"limit of {limits.MAX_PARQUET_TEXT:,} bytes (MAX_PARQUET_TEXT)" in line
    # the Advertiser column's 3,276,700,000 bytes and the other columns'
    assert re.search(r": 3,27[0-9],[0-9,]{7} bytes by row 100,000;", line), line
    assert peak < 400


def test_a_parquet_file_past_the_cell_limit_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_PARQUET_CELLS", 4_999)
    roster = roster_export(tmp_path / "roster.parquet", 1_000, "'Bob'")
    with pytest.raises(ingest.IngestError) as error:
        exports.read_parquet(roster)
    assert str(error.value) == (
        f"{roster}: the file holds 1,000 rows x 5 columns (5,000 cells), more "
        "than the limit of 4,999 cells (MAX_PARQUET_CELLS)"
    )


def test_parquet_batches_shrink_with_the_text_of_a_row(tmp_path: Path) -> None:
    # a 64 MB batch: 65,536 rows of short text, ~2,000 of 32 KB values
    roster = roster_export(tmp_path / "short.parquet", 5_000, "'Bob'")
    assert limits.parquet_limits(roster, _parquet(roster)) == 65_536
    roster = roster_export(tmp_path / "long.parquet", 5_000, "repeat('A', 32767) || i")
    assert 1_900 < limits.parquet_limits(roster, _parquet(roster)) < 2_100


def _parquet(path: Path) -> object:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path)


def test_a_long_csv_is_read_in_constant_memory(tmp_path: Path) -> None:
    # the 2 GB budget at 5 million rows (a 667 MB file), scaled to 300,000
    # rows (14 MB): the budget less the ~40 MB of an idle converter is ~3x
    # the file. Before: 125 MB, the text held ~6 times over (a 5 million row
    # roster passed 2 GB); now read as it is written: 46 MB
    roster = roster_export(tmp_path / "roster.csv", 300_000, "'Advertiser ' || i")
    code, peak, stderr = _peak_rss_mb(tmp_path, roster)
    assert code == 0, stderr
    assert peak < 40 + 3 * roster.stat().st_size / 2**20
    with (tmp_path / "seeds" / "raw" / "raw_breakout_campaigns.csv").open() as seed:
        assert sum(1 for _ in seed) == 300_001


def test_long_values_are_cut_before_they_are_written(tmp_path: Path) -> None:
    # 1,000 names of 32,767 characters: before, all 33 MB went to the raw
    # seed (and on to the database and the report)
    roster = roster_export(tmp_path / "roster.csv", 1_000, "repeat('N', 32767) || i")
    code, peak, stderr = _peak_rss_mb(tmp_path, roster)
    assert code == 0, stderr
    seed = tmp_path / "seeds" / "raw" / "raw_breakout_campaigns.csv"
    assert seed.stat().st_size < 2_000_000
    with seed.open(newline="", encoding="utf-8") as handle:
        names = [row["advertiser_name"] for row in csv.DictReader(handle)]
    assert names[7] == "N" * 1_024 + " [cut by the converter: 32,768 characters]"
    assert peak < 400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * 2_000, "x" * 2_000),  # within LONG_TEXT: as it is
        ("x" * 2_001, "x" * 1_024 + " [cut by the converter: 2,001 characters]"),
        # the cleaning could bring it under 1,000 characters: the models decide
        (" " * 30_000 + "Acme", " " * 30_000 + "Acme"),
        ("x " * 1_500, "x " * 1_152 + " [cut by the converter: 3,000 characters]"),
        # the control character the full text holds is kept (control-characters)
        ("x" * 5_000 + "\u202e", "x" * 1_024 + " [cut by the converter: 5,001 "
         "characters]\u202e"),
        # combining accents compose (NFC): more is kept to stay over 1,000
        ("e\u0301" * 3_000, "e\u0301" * 1_152 + " [cut by the converter: 6,000 "
         "characters]"),
    ],
)  # fmt: skip
def test_cut_long_text(text: str, expected: str) -> None:
    assert cut_long_text(text) == expected
