"""export_html: the two encoders of the page's data write the same text.

A large page is coded by DuckDB and streamed a batch at a time
(data_in_duckdb); a small one in Python from its rows (data_in_python). These
tests hold the DuckDB encoder to the Python one, byte for byte, across batch
boundaries (tiny batches) and on awkward values, and check the text decodes
back to the rows the way partners.js decodes it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

import export_html
from export_html import Section

THINGS = Section(
    "things",
    "reports.rpt_things",
    "thing_id, code_id, thing_name, owner_key, owner_name, group_name, flag,"
    " amount, ratio, share, seen_on, quantity, note",
    embed=True,
    template=False,
    dictionary=("group_name", "seen_on", "ratio"),
    shared=("owner_key", "owner_name"),
    delta=("group_name", "owner_key"),
    front_coded=("thing_name",),
    front_base=(("thing_name", "owner_name"),),
    digits=("thing_id", "code_id"),
)
OWNERS = Section(
    "owners",
    "reports.rpt_owners",
    "owner_key, owner_name, group_name, total",
    order="group_name, sort_order",
    embed=True,
    template=False,
    dictionary=("group_name",),
    shared=("owner_key", "owner_name"),
    delta=("group_name",),
)
#: a section with no rows
NONE = Section(
    "none",
    "reports.rpt_owners",
    "owner_key, total",
    where="where total < -1000",
    embed=True,
    template=False,
    shared=("owner_key",),
)

#: names sharing a prefix with the row above or with the owner's name, equal
#: to the row above, empty, missing, and text JSON must escape
NAMES = [
    "Acme Corp - Search - Jan",
    "Acme Corp - Search - Feb",
    "Acme Corp - Search - Feb",
    "Acme Corp",
    "Acme",
    "",
    None,
    "Brüder Grimm \u2013 Café <b>&amp;</b> 'quoted' \"double\" \\ back",
    "Brüder Grimm \u2013 Café 😀 emoji",
    "Brüder Grimm \u2013 Cafe\u0301 combining",
    "line\nbreak\ttab\u2028separator",
    "Zed",
    "Zed's </script><script>alert(1)</script>",
]
OWNER_NAMES = ["Acme Corp", "Acme Corp", "", None, "Brüder Grimm", "Zed"]
IDS = ["1001", "007", "0", "00", "123456789012345", "1234567890123456", "A-17", None]
AMOUNTS = ["12.00", "12.50", "-3.10", "0.00", None, "99999999999999.99", "0.01"]
RATIOS = ["0.0001", "1.5000", "2.2500", None, "0.3333"]
SHARES = [0.1, 1e-7, 2.5, None, 1e16, -0.0]


def thing_rows(count: int) -> Iterator[tuple]:
    for at in range(count):
        yield (
            (at * 7) % count,  # sort_order: not the insertion order
            IDS[at % len(IDS)],
            None if at % 9 == 4 else str(at * 13),
            NAMES[at % len(NAMES)],
            f"M{at % 5:03d}" if at % 11 != 3 else None,
            OWNER_NAMES[at % len(OWNER_NAMES)],
            ["north", "south", None, "east"][at // 4 % 4],
            [True, False, None][at % 3],
            AMOUNTS[at % len(AMOUNTS)],
            RATIOS[at % len(RATIOS)],
            SHARES[at % len(SHARES)],
            None if at % 6 == 5 else dt.date(2026, 1 + at % 12, 1 + at % 28),
            None if at % 8 == 7 else at * 1000 - 5000,
            NAMES[(at * 5) % len(NAMES)],
        )


@pytest.fixture
def awkward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database of two report models with awkward values, and SECTIONS over them."""
    database = tmp_path / "awkward.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema reports")
        connection.execute(
            "create table reports.rpt_things (sort_order integer, thing_id varchar,"
            " code_id varchar, thing_name varchar, owner_key varchar,"
            " owner_name varchar, group_name varchar, flag boolean,"
            " amount decimal(18, 2), ratio decimal(9, 4), share double,"
            " seen_on date, quantity bigint, note varchar)"
        )
        connection.executemany(
            "insert into reports.rpt_things values"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(thing_rows(61)),
        )
        connection.execute(
            "create table reports.rpt_owners (sort_order integer, owner_key varchar,"
            " owner_name varchar, group_name varchar, total decimal(18, 2))"
        )
        connection.executemany(
            "insert into reports.rpt_owners values (?, ?, ?, ?, ?)",
            [
                (at, f"M{(at * 3) % 9:03d}", f"Owner {at % 4}", ["b", "a"][at % 2], at)
                for at in range(17)
            ],
        )
    monkeypatch.setattr(export_html, "SECTIONS", (THINGS, OWNERS, NONE))
    return database


def decode(data: dict, section: str, column: str) -> list:
    """A column's values as partners.js decodes them (``values`` there)."""
    part, encoding = data[section], data[section]["encodings"][column]
    raw = part["values"][column]
    if encoding.get("front"):
        lengths, rests = raw
        bases = decode(data, section, encoding["base"]) if "base" in encoding else None
        out, previous = [], ""
        for at, (length, rest_code) in enumerate(zip(lengths, rests, strict=True)):
            rest = part["dictionaries"][column][rest_code]
            start = (bases[at] or "") if length < 0 else previous
            out.append(None if rest is None else start[: abs(length)] + rest)
            previous = out[-1] or ""
        return out
    if encoding.get("dict") or encoding.get("shared"):
        codes, last = [], 0
        for code in raw:
            last = last + code if encoding.get("delta") else code
            codes.append(last)
        shared = encoding.get("shared")
        dictionary = (data["shared"] if shared else part["dictionaries"])[column]
        return [dictionary[code] for code in codes]
    if encoding.get("digits"):
        return [str(value) if isinstance(value, int) else value for value in raw]
    return raw


def expected_rows(database: Path, section: Section) -> list[dict]:
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute(section.sql)
        columns = [description[0] for description in cursor.description]
        rows = cursor.fetchall()
    return [
        {
            column: export_html._plain(value)
            for column, value in zip(columns, row, strict=True)
        }
        for row in rows
    ]


@pytest.mark.parametrize("batch_rows", [1, 4, 1000])
def test_duckdb_encoder_writes_the_python_encoders_text(
    awkward: Path, batch_rows: int
) -> None:
    with duckdb.connect(str(awkward), read_only=True) as connection:
        in_python = export_html.data_in_python(connection)
        counts = export_html.count_rows(connection)
        in_duckdb = "".join(export_html.data_in_duckdb(connection, counts, batch_rows))
    assert in_duckdb == in_python
    # nothing a <script> could end on; only ASCII
    assert not re.search(r"[<>&']", in_duckdb)
    assert in_duckdb.isascii()


def test_the_data_decodes_to_the_rows(awkward: Path) -> None:
    with duckdb.connect(str(awkward), read_only=True) as connection:
        counts = export_html.count_rows(connection)
        data = json.loads("".join(export_html.data_in_duckdb(connection, counts, 4)))
    for section in (THINGS, OWNERS, NONE):
        rows = expected_rows(awkward, section)
        assert data[section.name]["count"] == len(rows)
        for column in data[section.name]["columns"]:
            decoded = decode(data, section.name, column)
            assert decoded == [row[column] for row in rows], (section.name, column)
    # the awkward values are really there
    things = data["things"]
    assert things["encodings"]["code_id"] == {"digits": 1}
    assert "007" in decode(data, "things", "thing_id")
    assert min(things["values"]["thing_name"][0]) < 0  # a prefix of the owner's name
    assert data["none"]["values"] == {"owner_key": [], "total": []}


def test_sample_page_is_the_same_in_batches(sample_build: Path, tmp_path: Path) -> None:
    database = sample_build / "build" / "partners.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        in_python = export_html.data_in_python(connection)
        counts = export_html.count_rows(connection)
        in_duckdb = "".join(export_html.data_in_duckdb(connection, counts, 500))
    assert in_duckdb == in_python
    # the whole page, through the streamed path (every section over 1 row)
    small, large = tmp_path / "small.html", tmp_path / "large.html"
    export_html.export(database, small)
    export_html.export(database, large, batch_rows=1)
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
    assert stamp.sub("", large.read_text()) == stamp.sub("", small.read_text())
    assert '"campaigns":{"columns":' in small.read_text()


def test_a_failed_stream_leaves_the_old_page_and_no_temporary_file(
    tmp_path: Path,
) -> None:
    page = tmp_path / "partners.html"
    page.write_text("the last good page")

    def chunks() -> Iterator[str]:
        yield "<!doctype html>"
        raise export_html.ExportError("cannot encode the campaigns section: boom")

    with pytest.raises(export_html.ExportError, match="boom"):
        export_html.write_atomically(page, chunks())
    assert page.read_text() == "the last good page"
    assert [path.name for path in tmp_path.iterdir()] == ["partners.html"]


def test_a_database_without_the_models_is_one_clear_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = tmp_path / "empty.duckdb"
    duckdb.connect(str(database)).close()
    output = tmp_path / "partners.html"
    assert export_html.main(["--database", str(database), "--output", str(output)]) == 1
    [error] = [record.getMessage() for record in caplog.records]
    assert error.startswith(f"{database}: missing models for sections headline, ")
    assert not output.exists()
