"""export_html: the page's sections are the exposure's report models, whole.

The data of the page is one JSON object, gzip-compressed and base64-encoded
(read_sections); these tests decode it as partners.js does (data.js) and hold
it to the models' rows, across batch boundaries and on awkward values.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from partners import export_html, page_data
from partners.export_html import Section

THINGS = Section("things", "reports.rpt_things", script=True)
OWNERS = Section("owners", "reports.rpt_owners", script=True, template=True)
#: a model with no rows
NONE = Section("none", "reports.rpt_none", script=True, template=True)

#: names sharing a prefix, empty, missing, and text JSON must escape
NAMES = [
    "Acme Corp - Search - Jan",
    "Acme Corp",
    "",
    None,
    "Brüder Grimm \u2013 Café <b>&amp;</b> 'quoted' \"double\" \\ back",
    "Brüder Grimm \u2013 Café 😀 emoji",
    "line\nbreak\ttab\u2028separator",
    "Zed's </script><script>alert(1)</script>",
]
IDS = ["1001", "007", "0", "123456789012345", "1234567890123456", "A-17", None]
AMOUNTS = ["12.00", "12.50", "-3.10", "0.00", None, "99999999999999.99", "0.01"]
SHARES = [0.1, 1e-7, 2.5, None, 1e16, -0.0]


def thing_rows(count: int) -> Iterator[tuple]:
    for at in range(count):
        yield (
            (at * 7) % count,  # sort_order: not the insertion order
            IDS[at % len(IDS)],
            NAMES[at % len(NAMES)],
            [True, False, None][at % 3],
            AMOUNTS[at % len(AMOUNTS)],
            SHARES[at % len(SHARES)],
            None if at % 6 == 5 else dt.date(2026, 1 + at % 12, 1 + at % 28),
            None if at % 8 == 7 else at * 1000 - 5000,
        )


@pytest.fixture
def awkward(tmp_path: Path) -> Path:
    """A database of three report models with awkward values."""
    database = tmp_path / "awkward.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema reports")
        connection.execute(
            "create table reports.rpt_things (sort_order integer, thing_id varchar,"
            " thing_name varchar, flag boolean, amount decimal(18, 2), share double,"
            " seen_on date, quantity bigint)"
        )
        connection.executemany(
            "insert into reports.rpt_things values (?, ?, ?, ?, ?, ?, ?, ?)",
            list(thing_rows(61)),
        )
        connection.execute(
            "create table reports.rpt_owners as select range::integer as sort_order,"
            " 'Owner ' || (range % 4) as owner_name, range::decimal(18, 2) as total"
            " from range(17)"
        )
        connection.execute(
            "create table reports.rpt_none as select * from reports.rpt_owners limit 0"
        )
    return database


def decode(data: str) -> dict[str, dict[str, list]]:
    """The page's data as partners.js reads it (data.js): model -> column ->
    values; a coded column's batches are codes into the levels its name
    shares across models, or ``{"d": [...]}``, each less the code before."""
    raw = json.loads(gzip.decompress(base64.b64decode(data)))
    decoded: dict[str, dict[str, list]] = {}
    for name, part in raw["sections"].items():
        decoded[name] = {}
        for at, column in enumerate(part["columns"]):
            values, previous = [], -1
            for batch in part["batches"]:
                chunk = batch[at] if batch else []
                if column not in part["coded"]:
                    values.extend(chunk)
                    continue
                for step in chunk["d"] if isinstance(chunk, dict) else chunk:
                    previous = previous + step if isinstance(chunk, dict) else step
                    values.append(raw["levels"][column][previous])
            decoded[name][column] = values
    return decoded


def model_columns(database: Path, section: Section) -> dict[str, list]:
    """The model's rows (JSON values), by column, in its sort order."""
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute(section.sql)
        columns = [description[0] for description in cursor.description]
        rows = cursor.fetchall()
    values = json.loads(page_data.to_json(rows)) if rows else []
    return {column: [row[at] for row in values] for at, column in enumerate(columns)}


@pytest.mark.parametrize("batch_rows", [1, 4, 1000])
def test_the_data_decodes_to_the_models_rows(awkward: Path, batch_rows: int) -> None:
    with duckdb.connect(str(awkward), read_only=True) as connection:
        data, records, counts = export_html.read_sections(
            connection, (THINGS, OWNERS, NONE), batch_rows
        )
    # base64 in a JSON string: nothing a <script> could end on
    assert re.fullmatch(r"[A-Za-z0-9+/=]*", data)
    decoded = decode(data)
    for section in (THINGS, OWNERS, NONE):
        assert decoded[section.name] == model_columns(awkward, section)
    assert counts == {"things": 61, "owners": 17, "none": 0}
    assert decoded["none"] == {"owner_name": [], "total": []}
    # the awkward values are really there, as values
    things = decoded["things"]
    assert "007" in things["thing_id"]
    assert "1234567890123456" in things["thing_id"]
    assert NAMES[-1] in things["thing_name"]
    assert {True, False, None} == set(things["flag"])
    assert 12 in things["amount"]
    assert 12.5 in things["amount"]
    assert "2026-01-01" in things["seen_on"]
    # the template's rows are the models' rows as Python values
    assert [r["owner_name"] for r in records["owners"]][:2] == ["Owner 0", "Owner 1"]
    assert records["none"] == []
    assert "things" not in records


def test_sections_are_the_exposures_report_models_with_their_meta() -> None:
    sections = export_html.report_sections()
    assert [s.relation for s in sections][:3] == [
        "reports.rpt_headline",
        "reports.rpt_campaigns",
        "reports.rpt_partners",
    ]
    for section in sections:
        assert section.relation == f"reports.rpt_{section.name}"
        assert section.script or section.template, section.name
        if section.omit:
            continue
        assert section.sql == (
            f"select * exclude (sort_order) from {section.relation}"  # noqa: S608
            " order by sort_order"
        )
    by_name = {s.name: s for s in sections}
    # rpt_headline counts is_tunable; the page reads rpt_product_coverage's
    assert by_name["campaigns"] == Section(
        "campaigns", "reports.rpt_campaigns", script=True, omit=("is_tunable",)
    )
    assert by_name["campaigns"].sql == (
        "select * exclude (sort_order, is_tunable) from reports.rpt_campaigns"
        " order by sort_order"
    )
    assert by_name["input_files"].template
    assert not by_name["input_files"].script


def test_sample_page_is_the_same_in_batches(sample_build: Path, tmp_path: Path) -> None:
    database = sample_build / "build" / "partners.duckdb"
    small, large = tmp_path / "small.html", tmp_path / "large.html"
    export_html.export(database, small)
    export_html.export(database, large, batch_rows=1)
    pattern = re.compile(r'id="report-data">"([^"]*)"')
    [one] = pattern.findall(small.read_text())
    [many] = pattern.findall(large.read_text())
    assert decode(many) == decode(one)
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
    assert stamp.sub("", pattern.sub("", large.read_text())) == stamp.sub(
        "", pattern.sub("", small.read_text())
    )
    assert len(decode(one)["campaigns"]["campaign_id"]) == 2067


@pytest.mark.parametrize("below", [0, 1], ids=["at-the-limit", "past-it"])
def test_a_build_past_the_pages_campaigns_gets_its_figures_without_the_data(
    sample_build: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, below: int
) -> None:
    """Five million roster campaigns (a CSV past Excel's rows) made a page the
    export could not write within 2 GB, nor a browser open: past the limit,
    the page is the template's figures, no data and no script, and says
    where the tables are."""
    page = tmp_path / "partners.html"
    database = sample_build / "build" / "partners.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        [(campaigns, known)] = connection.execute(
            "select campaign_count, known_budget from reports.rpt_headline"
        ).fetchall()
    most = campaigns - below  # a limit the build's campaigns meet, or pass by one
    export_html.export(database, page, max_campaigns=most)
    text = page.read_text()
    limited = most < campaigns
    assert ('id="report-data"' in text) is not limited
    assert ("script-src 'none'" in text) is limited
    assert ("<script>" in text) is not limited
    notice = re.search(r'id="page-limit" role="note">(.*?)</p>', text)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    if limited:
        assert notice is not None
        assert notice.group(1) == (
            f"This build has {campaigns:,} campaigns, more than this page carries "
            f"({most:,}): it shows the build&#39;s figures and its partners; "
            "their advertisers and campaigns are in the partners database "
            "(marts.partner_advertisers, marts.campaigns)."
        )
        assert warnings == [
            "partners.html: the figures and partners alone: "
            + notice.group(1).replace("&#39;", "'")
        ]
        # the figures the template renders are there, and shown without a script
        headline = re.search(r'"headline-campaigns"><span class="value">([^<]*)', text)
        assert headline is not None
        assert headline.group(1) == f"{campaigns:,}"
        assert export_html._money(known) in text
        assert export_html.NOSCRIPT_CSS in text.split("</head>")[0]
        assert "<noscript><style>" not in text
    else:
        assert notice is None
        assert warnings == []


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


def test_the_match_rate_warning_heads_the_page_only_when_there_is_one(
    sample_build: Path, tmp_path: Path
) -> None:
    database = tmp_path / "partners.duckdb"
    database.write_bytes((sample_build / "build" / "partners.duckdb").read_bytes())
    page = tmp_path / "partners.html"
    for warning in (None, "Only 12% of health campaigns matched the roster."):
        with duckdb.connect(str(database)) as connection:
            connection.execute(
                "update marts.match_rate_check set match_rate_warning = ?", [warning]
            )
        export_html.export(database, page)
        banner = re.search(r'id="match-rate-warning"[^>]*>(.*?)</p>', page.read_text())
        if warning is None:
            assert banner is None
        else:
            assert banner is not None
            assert warning in banner.group(1)


def test_codes_are_shared_by_name_and_sent_as_differences_when_cheaper() -> None:
    """A MAID two models hold is sent once; an ID column (new on every row)
    and a column the rows are sorted by go as differences (mostly 0 and 1);
    a column of few values in no order goes as its codes."""
    lookups: dict[str, dict[object, int]] = {}
    ids = [f"{9_000_000 - 7 * at}" for at in range(40)]
    maids = [f"M{at // 4:03}" for at in range(40)]
    kinds = ["Search", "SEO", "Display", "Chat"]
    products = [kinds[(at * at + at // 3) % 4] for at in range(40)]
    first = "".join(
        page_data.section_json(
            ["campaign_id", "maid", "product_type"],
            ["VARCHAR", "VARCHAR", "VARCHAR"],
            [
                [ids[:20], maids[:20], products[:20]],
                [ids[20:], maids[20:], products[20:]],
            ],
            [],
            lookups,
        )
    )
    # the second model: each MAID once, in another order
    second = "".join(
        page_data.section_json(
            ["maid"], ["VARCHAR"], [[sorted(set(maids), reverse=True)]], [], lookups
        )
    )
    campaigns, advertisers = json.loads(first), json.loads(second)
    [one, two] = campaigns["batches"]
    assert one[0] == {"d": [1] * 20}  # codes 0, 1, 2, ...: new on every row
    assert two[0] == {"d": [1] * 20}  # continuing from the last batch's code
    assert one[1] == {"d": [1, 0, 0, 0] * 5}
    # the codes: fewer bits than their differences
    assert two[2] == [2, 0, 3, 0, 0, 1, 0, 2, 1, 2, 2, 3, 2, 0, 3, 0, 0, 1, 0, 2]
    assert advertisers["coded"] == ["maid"]
    assert advertisers["batches"] == [[{"d": [10] + [-1] * 9}]]  # from -1: 9
    assert [len(lookups[column]) for column in ("campaign_id", "maid")] == [40, 10]

    def values(section: dict, at: int) -> list:
        column, previous, out = section["columns"][at], -1, []
        levels = list(lookups[column])
        for batch in section["batches"]:
            part = batch[at]
            for step in part["d"] if isinstance(part, dict) else part:
                previous = previous + step if isinstance(part, dict) else step
                out.append(levels[previous])
        return out

    assert values(campaigns, 0) == ids
    assert values(campaigns, 1) == maids
    assert values(campaigns, 2) == products
    assert values(advertisers, 0) == sorted(set(maids), reverse=True)


#: every script section as the page's script holds it (partnersReport.data):
#: each column's values, and a coded column's levels and codes
PAGE_DATA = """() => Object.fromEntries(Object.entries(partnersReport.data).map(
  ([name, part]) => [name, {
    values: Object.fromEntries(part.columns.map(c => [c, Array.from(part.values[c])])),
    levels: part.levels,
    codes: Object.fromEntries(
      Object.entries(part.codes).map(([c, k]) => [c, Array.from(k)])),
  }]))"""


def test_the_page_reads_every_row_of_every_section_as_the_model_has_it(
    sample_build: Path, tmp_path: Path, open_report, browser
) -> None:
    """data.js, across batches of both forms: every script section's every
    row is the model's (but the columns it omits), and a text column's levels
    are its distinct values in the order they first appear in that model (the
    filters' order); the same without the browser's own base64 decoder."""
    database = sample_build / "build" / "partners.duckdb"
    page = tmp_path / "partners.html"
    export_html.export(database, page, batch_rows=500)
    [data] = re.findall(r'id="report-data">"([^"]*)"', page.read_text())
    raw = json.loads(gzip.decompress(base64.b64decode(data)))
    # the forms this page is read across: codes as differences and as codes
    forms = {
        isinstance(batch[at], dict)
        for part in raw["sections"].values()
        for batch in part["batches"]
        for at, column in enumerate(part["columns"])
        if column in part["coded"] and batch[at]
    }
    assert forms == {True, False}
    assert len(raw["sections"]["campaigns"]["batches"]) == 5
    seen = open_report(page).page.evaluate(PAGE_DATA)
    script = [section for section in export_html.report_sections() if section.script]
    assert sorted(seen) == sorted(section.name for section in script)
    for section in script:
        rows = model_columns(database, section)
        part = seen[section.name]
        assert part["values"] == rows, section.name
        for column, codes in part["codes"].items():
            assert part["levels"][column] == list(dict.fromkeys(rows[column]))
            assert [part["levels"][column][code] for code in codes] == rows[column]
    campaigns = seen["campaigns"]["values"]
    assert len(campaigns["campaign_id"]) == 2067
    assert len(set(campaigns["maid"])) == 588
    assert "is_tunable" not in campaigns
    assert "is_tunable" not in raw["sections"]["campaigns"]["columns"]
    older = browser.new_context()
    older.add_init_script("delete Uint8Array.fromBase64")
    tab = older.new_page()
    tab.goto(page.resolve().as_uri())
    tab.wait_for_selector("html[data-ready=true]")
    assert tab.evaluate("typeof Uint8Array.fromBase64") == "undefined"
    assert tab.evaluate(PAGE_DATA) == seen
    older.close()
