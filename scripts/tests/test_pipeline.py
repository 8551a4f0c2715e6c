"""The main job end to end, as a user runs it: real workbooks, real dbt build."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import (
    health_rows,
    make_partners_arguments,
    roster_rows,
    run_pipeline,
    sample_inputs,
    tree_digest,
    write_workbook,
)
from partners import cli, pipeline
from partners.errors import PipelineError
from workspace import PROJECT_DIR, copy_project

HEADLINE = """
    select count(*), count(distinct maid), sum(campaign_budget),
           count(*) filter (where has_health_data)
    from marts.campaigns
"""


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_sample_build_reproduces_the_real_figures(sample_build: Path) -> None:
    """The sample's exact figures (they were a dbt data test in every build)."""
    database = sample_build / "build" / "partners.duckdb"
    [(campaigns, advertisers, budget, matched)] = query(database, HEADLINE)
    assert (campaigns, advertisers, matched) == (2067, 588, 449)
    assert budget == 768_000
    [(gap_campaigns, gap_budget)] = query(
        database,
        "select count(*), sum(campaign_budget) from marts.unmatched_health_campaigns",
    )
    assert (gap_campaigns, gap_budget) == (351, 712_000)
    assert matched + gap_campaigns == 800  # health campaigns
    assert budget + gap_budget == 1_480_000  # health budget
    [(health_campaigns, health_budget)] = query(
        database,
        "select count(*), sum(campaign_budget) from intermediate.int_health_campaigns",
    )
    assert (health_campaigns, health_budget) == (800, 1_480_000)
    [(product_types,)] = query(
        database, "select count(distinct product_type) from marts.campaigns"
    )
    assert product_types == 11
    [(per_partner_advertisers,)] = query(
        database, "select sum(advertiser_count) from marts.partners"
    )
    assert per_partner_advertisers > 588  # some advertisers buy through two partners
    assert query(
        database,
        "select health_campaign_count, matched_health_campaign_count, "
        "match_rate_warning from marts.match_rate_check",
    ) == [(800, 449, None)]
    page = (sample_build / "build" / "partners.html").read_text(encoding="utf-8")
    assert "match-rate-warning" not in page


def test_published_file_opens_in_a_duckdb_1x_client(sample_build: Path) -> None:
    cli = Path(sys.executable).with_name("duckdb")
    version = subprocess.run(
        [str(cli), "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert version.startswith("v1."), version
    completed = subprocess.run(
        [
            str(cli),
            "-readonly",
            "-csv",
            "-noheader",
            str(sample_build / "build" / "partners.duckdb"),
            "-c",
            "select count(*) from marts.campaigns",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "2067"


def test_the_main_job_needs_inputs(project: Path) -> None:
    before = tree_digest(project / "build" / "partners.duckdb")
    completed = run_pipeline(project, "--force")
    assert completed.returncode == 1
    assert "give both --breakout and --health" in completed.stderr
    assert "without them builds the generated sample" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert tree_digest(project / "build" / "partners.duckdb") == before


#: the oldest DuckDB client the file must open in; `make test` installs it
OLDEST_DUCKDB = Path(sys.executable).parents[1] / "compat" / "duckdb-1.0.0"

#: what a client sees: its version, every mart's row count, the column comments
CLIENT_VIEW = """
import json, sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
tables = connection.execute(
    "select table_name from duckdb_tables() where schema_name = 'marts'"
).fetchall()
rows = {
    name: connection.execute(f"select count(*) from marts.{name}").fetchone()[0]
    for (name,) in tables
}
[(comments,)] = connection.execute(
    "select count(*) from duckdb_columns() "
    "where schema_name = 'marts' and comment != ''"
).fetchall()
[(budget,)] = connection.execute(
    "select sum(campaign_budget) from marts.campaigns"
).fetchall()
print(json.dumps({"version": duckdb.__version__, "rows": rows,
                  "comments": comments, "budget": str(budget)}))
"""


def client_view(database: Path, pythonpath: Path | None = None) -> dict:
    """CLIENT_VIEW run in a subprocess, with ``pythonpath``'s duckdb if given."""
    env = {"PATH": os.environ["PATH"]}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    completed = subprocess.run(
        [sys.executable, "-c", CLIENT_VIEW, str(database)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_published_file_opens_in_the_oldest_duckdb_client(sample_build: Path) -> None:
    """Python duckdb 1.0.0 reads every mart, read-only, as the current client does."""
    assert (OLDEST_DUCKDB / ".ready").exists(), (
        f"{OLDEST_DUCKDB} is missing: run `make test` (it installs duckdb 1.0.0 there)"
    )
    database = sample_build / "build" / "partners.duckdb"
    oldest = client_view(database, OLDEST_DUCKDB)
    current = client_view(database)
    assert oldest["version"] == "1.0.0"
    assert current["version"] != "1.0.0"
    assert oldest["rows"]["campaigns"] == 2067
    assert oldest["budget"] == "768000.00"
    assert oldest["comments"] >= 130
    assert {k: v for k, v in oldest.items() if k != "version"} == {
        k: v for k, v in current.items() if k != "version"
    }


def test_missing_required_column_leaves_seeds_and_database_unchanged(
    sample_build: Path, tmp_path: Path
) -> None:
    published = [
        sample_build / "seeds" / "raw",
        sample_build / "build" / "partners.duckdb",
        sample_build / "build" / "sample" / "history",
    ]
    before = tree_digest(*published)
    roster = write_workbook(
        tmp_path / "roster.xlsx",
        {"Breakout": [["Campaign ID", "MAID", "Product"], [1, 2, "SEO"]]},
    )
    health = write_workbook(tmp_path / "health.xlsx", {"Health": health_rows()})
    completed = run_pipeline(
        sample_build, "--breakout", str(roster), "--health", str(health)
    )
    assert completed.returncode == 1
    assert "roster.xlsx, sheet 'Breakout', row 1: missing required column" in (
        completed.stderr
    )
    assert tree_digest(*published) == before
    assert not (sample_build / "data" / "history").exists()


def test_any_pair_of_workbooks_builds_with_no_edit(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    rows = [*roster_rows(4), ["00123", "0042", "Zed", "Acme Media", "SEO"]]
    roster = write_workbook(tmp_path / "r.xlsx", {"Roster": rows})
    health = write_workbook(tmp_path / "h.xlsx", {"Health": health_rows(["1001", "9"])})
    completed = run_pipeline(
        project, "--breakout", str(roster), "--health", str(health)
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    database = project / "build" / "partners.duckdb"
    assert query(database, HEADLINE) == [(5, 3, 100, 1)]
    # text IDs keep their leading zeros through the seed into the mart
    assert query(
        database, "select maid from marts.campaigns where campaign_id = '00123'"
    ) == [("0042",)]
    assert query(
        database, "select campaign_id from marts.unmatched_health_campaigns"
    ) == [("9",)]
    # the production run does only production work: no unit test, no raw seed
    # loaded by dbt seed (the main job loads the raw tables itself); dbt's
    # console shows only warnings and failures, its log file a line per node
    assert "created sql table model marts.campaigns" not in completed.stdout
    log = (project / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "created sql table model marts.campaigns" in log
    assert "loaded seed file reference.ref_product_types" in log
    assert "unit_test" not in log
    assert "seed file raw." not in log


def dbt_as_a_user(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    """dbt as its users run it: the project root, no environment variable."""
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(project)}
    return subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), *arguments],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_plain_dbt_build_after_the_main_job_works(sample_build: Path) -> None:
    """Reverses "dbt refuses to run without an explicit database path" (issue
    11): after `make partners`, `dbt build`, `dbt parse` and `dbt docs
    generate` run from the project root with no environment variable, into
    build/dev.duckdb, never the published file. The build loads the raw seeds
    with dbt seed and runs the unit tests too: the raw tables and every mart
    equal the main job's."""
    published = sample_build / "build" / "partners.duckdb"
    before = tree_digest(published)
    for command in (["parse"], ["build"], ["docs", "generate"]):
        completed = dbt_as_a_user(sample_build, *command, "--profiles-dir", ".")
        assert completed.returncode == 0, completed.stdout + completed.stderr
        if command == ["build"]:
            assert "unit_test" in completed.stdout
            assert "ERROR=0" in completed.stdout
    assert tree_digest(published) == before
    assert not list(sample_build.glob("*.duckdb"))
    dev = sample_build / "build" / "dev.duckdb"
    tables = query(
        published,
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in ('raw', 'marts') order by all",
    )
    assert len([t for t in tables if t[0] == "marts"]) >= 10
    assert len([t for t in tables if t[0] == "raw"]) >= 3
    for schema, table in tables:
        # when each build read the files and ran, dbt's run id, and what the
        # main job's dbt runner tells build_info of the code and the adapter
        # (a hand-run dbt says "unknown"): not data
        every_row = (
            "select columns(lambda c: c not in "  # noqa: S608
            "('ingested_at', 'built_at', 'dbt_invocation_id', 'code_version', "
            "'dbt_adapter_version')) "
            f"from {schema}.{table} order by all"
        )
        assert query(dev, every_row) == query(published, every_row), table


def test_a_failing_data_test_publishes_nothing_and_leaves_no_trace(
    project: Path, tmp_path: Path
) -> None:
    """Issue 12 #1: history, seeds, stamp and published files untouched by a
    run that fails in dbt; a later run does not take its leftovers for done."""
    failing = project / "tests" / "assert_this_build_fails.sql"
    failing.write_text("-- returns 0 rows never\nselect 1 as failing\n")
    roster = write_workbook(tmp_path / "r.xlsx", {"Roster": roster_rows(5)})
    health = write_workbook(tmp_path / "h.xlsx", {"Health": health_rows(["1001"])})
    inputs = ["--breakout", str(roster), "--health", str(health)]
    kept = [
        project / "build",
        project / "seeds" / "raw",
    ]
    before = tree_digest(*kept)
    completed = run_pipeline(project, *inputs)
    assert completed.returncode == 1
    assert "assert_this_build_fails" in completed.stdout
    assert "nothing was published" in completed.stderr
    after = tree_digest(*kept)
    lock = str(project / "build" / ".partners.lock")
    after.pop(lock, None)
    before.pop(lock, None)
    work = [name for name in after if "/build/.work/" in name]
    assert {k: v for k, v in after.items() if k not in work} == before
    assert not (project / "data" / "history").exists()  # the drop is not stored
    # the same inputs again, the test fixed: built and published, not "up to date"
    failing.unlink()
    completed = run_pipeline(project, *inputs)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "up to date" not in completed.stderr
    assert query(project / "build" / "partners.duckdb", HEADLINE)[0][0] == 5
    assert len(list((project / "data" / "history").iterdir())) == 1


def test_a_file_whose_every_row_is_rejected_stops_the_run(
    project: Path, tmp_path: Path
) -> None:
    """Issue 12 #5: one message naming the file and its top reject reasons."""
    rows = [roster_rows(1)[0]] + [
        ["", 500, "Advertiser", "Acme Media", "Search"] for _ in range(4)
    ]
    roster = write_workbook(tmp_path / "blank-ids.xlsx", {"Roster": rows})
    health = write_workbook(tmp_path / "h.xlsx", {"Health": health_rows(["1001"])})
    before = tree_digest(project / "build" / "partners.duckdb", project / "seeds")
    completed = run_pipeline(
        project, "--breakout", str(roster), "--health", str(health)
    )
    assert completed.returncode == 1, completed.stdout + completed.stderr
    errors = [line for line in completed.stderr.splitlines() if "ERROR" in line]
    message = completed.stderr
    assert "blank-ids.xlsx (breakout): every one of its 4 rows was rejected" in message
    assert "top reasons:" in message
    assert "nothing was published" in message
    assert "Traceback" not in message
    assert len(errors) <= 1
    assert tree_digest(project / "build" / "partners.duckdb", project / "seeds") == (
        before
    )


def test_a_collapsed_match_rate_is_said_loudly_and_recorded(
    project: Path, tmp_path: Path
) -> None:
    """Issue 12 #5: 449 of 800 matched in the published build, then none (the
    published build's figures are the build history's, beside the sample's
    history store)."""
    roster = write_workbook(tmp_path / "r.xlsx", {"Roster": roster_rows(5)})
    health = write_workbook(
        tmp_path / "h.xlsx", {"Health": health_rows(["77001", "77002", "77003"])}
    )
    history = project / "build" / "sample" / "history"
    completed = run_pipeline(
        project, "--breakout", str(roster), "--health", str(health),
        f"--history-dir={history}",
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "WARNING: only 0 of 3 health campaigns (0.0%) match" in completed.stderr
    [(rate, previous, warning)] = query(
        project / "build" / "partners.duckdb",
        "select match_rate, previous_match_rate, match_rate_warning "
        "from marts.match_rate_check",
    )
    assert (rate, round(previous, 4)) == (0, round(449 / 800, 4))
    assert warning.startswith("only 0 of 3 health campaigns")
    page = (project / "build" / "partners.html").read_text(encoding="utf-8")
    assert 'id="match-rate-warning" role="alert"' in page
    assert "only 0 of 3 health campaigns (0.0%) match" in page


def test_a_build_whose_campaigns_fell_a_quarter_publishes_with_a_drift_warning(
    project: Path, open_report
) -> None:
    """Issue 25 #7: the build history beside the Health history store gains a
    row per published build; a build whose figures moved beyond a threshold
    since the last one publishes and says so: one line per drift, in
    marts.build_drift, and in a banner at the head of partners.html."""
    builds = project / "build" / "sample" / "builds.csv"
    stamp = project / "build" / ".build-stamp"
    with builds.open(newline="", encoding="utf-8") as handle:
        [published] = list(csv.DictReader(handle))
    assert published["campaign_count"] == "2067"
    assert published["known_budget"] == "768000.00"
    assert published["build_stamp"] == stamp.read_text().strip()
    # the last published build had 2,756 campaigns: this one has 25% fewer
    published["campaign_count"] = "2756"
    with builds.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(published))
        writer.writeheader()
        writer.writerow(published)
    completed = run_pipeline(project, *sample_inputs(project), "--force")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    drifts = [line for line in completed.stderr.splitlines() if "drift: " in line]
    assert len(drifts) == 1, completed.stderr
    assert (
        "campaigns down 25.0%: 2,067 against 2,756 in the last published build"
        in drifts[0]
    )
    assert (
        "the threshold is a drop of 20.0% (var drift_campaigns_max_drop)" in (drifts[0])
    )
    database = project / "build" / "partners.duckdb"
    assert query(database, "select figure from marts.build_drift where is_drift") == [
        ("campaigns",)
    ]
    # published, and the build history gained this build's row with its stamp
    with builds.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["campaign_count"] for row in rows] == ["2756", "2067"]
    assert rows[1]["build_stamp"] == stamp.read_text().strip()
    assert query(
        database,
        "select campaign_count, is_this_build from marts.build_history "
        "order by built_at",
    ) == [(2756, False), (2067, True)]
    report = open_report(project / "build" / "partners.html")
    banner = report.page.locator("#drift-warnings")
    assert banner.is_visible()
    assert "campaigns down 25.0%: 2,067 against 2,756" in banner.inner_text()


def commit_everything(project: Path) -> str:
    """Make ``project`` a git checkout with one commit of its files; return it."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(project), "-c", "user.name=partners",  # noqa: S607
             "-c", "user.email=partners@example.invalid", *args],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip

    if not (project / ".git").exists():
        git("init", "-q")
        (project / ".gitignore").write_text("build/\ntarget/\nlogs/\nseeds/raw/\n")
    git("add", "-A")
    git("commit", "-q", "--allow-empty", "-m", "a version")
    return git("rev-parse", "HEAD")


def test_a_rerun_with_unchanged_inputs_redoes_nothing(project: Path) -> None:
    published = [
        project / "build" / "partners.duckdb",
        project / "build" / "partners.html",
    ]
    before = tree_digest(*published)
    sample = sample_inputs(project)  # generated again, to the same bytes
    completed = run_pipeline(project, *sample)
    assert completed.returncode == 0, completed.stderr
    assert "unchanged since the last build" in completed.stderr
    assert "[dbt build]" not in completed.stderr
    assert tree_digest(*published) == before
    # the stamp covers the history: a drop that vanished is a change
    history = project / "build" / "sample" / "history"
    moved = tmp = project / "history-aside"
    shutil.move(history, tmp)
    completed = run_pipeline(project, *sample)
    assert "[dbt build] done" in completed.stderr, completed.stderr
    assert "unchanged since the last build" not in completed.stderr
    shutil.rmtree(history, ignore_errors=True)
    shutil.move(moved, history)
    # a new code version (a commit) between two builds: build_info says it,
    # and every model is built (it was read when dbt parsed build_info, and
    # dbt's re-parse then left build_info out of the next build)
    head = commit_everything(project)
    forced = run_pipeline(project, *sample, "--force")
    assert "[dbt build] done" in forced.stderr, forced.stderr
    # the same figures as the last published build: within every threshold
    assert "drift: " not in forced.stderr
    assert "0 drift warning(s) against the last build" in forced.stderr
    assert query(
        project / "build" / "partners.duckdb",
        "select count(*) filter (where is_drift), count(last_build_value) "
        "from marts.build_drift",
    ) == [(0, 4)]
    [(version,)] = query(
        project / "build" / "partners.duckdb",
        "select code_version from marts.build_info",
    )
    assert version == head
    # the docs page is made again only when the project's definition changes
    assert "[docs page] done in" in forced.stderr
    assert "definition unchanged: kept" in forced.stderr
    docs = project / "build" / "partners-docs.html"
    (project / "models" / "marts" / "partners.sql").write_text(
        (project / "models" / "marts" / "partners.sql").read_text() + "\n"
    )
    # with a raw seed an earlier version published (a relation since merged
    # away), in a format dbt cannot seed: never seeded, gone once published
    stale = project / "seeds" / "raw" / "raw_health_budget_history.csv"
    stale.write_text('as_of_date,campaign_budget\n2026-09-01,"$2,771.89"\n')
    changed = run_pipeline(project, *sample)
    assert changed.returncode == 0, changed.stderr
    assert not stale.exists()
    assert "[docs page] done" in changed.stderr
    assert "definition unchanged" not in changed.stderr
    assert docs.exists()


def test_metricflow_answers_as_the_marts_do(sample_build: Path, tmp_path: Path) -> None:
    """The semantic layer (models/marts/_semantic_models.yml) defines each
    measure once: MetricFlow's saved query partner_budgets, run with `mf
    query` on a copy of the published database, gives every partner's
    campaigns, live campaigns, known and live known budget and budget
    coverage exactly as marts.partners holds them."""
    database = tmp_path / "partners.duckdb"
    shutil.copyfile(sample_build / "build" / "partners.duckdb", database)
    env = {
        "PATH": str(Path(sys.executable).parent),
        "HOME": str(tmp_path),
        "PARTNERS_DUCKDB_PATH": str(database),
        "DBT_PROFILES_DIR": str(sample_build),
    }
    parse = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "parse", "--quiet",
         "--target-path", str(tmp_path / "target")],
        cwd=sample_build, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert parse.returncode == 0, parse.stdout + parse.stderr
    shutil.copyfile(
        tmp_path / "target" / "semantic_manifest.json",
        sample_build / "target" / "semantic_manifest.json",
    )
    answer = tmp_path / "partner_budgets.csv"
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("mf")), "query", "--saved-query",
         "partner_budgets", "--csv", str(answer)],
        cwd=sample_build, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    with answer.open(newline="") as handle:
        rows = list(csv.DictReader(handle))

    def share(text: str) -> Decimal:  # as the marts round a ratio
        return Decimal(text).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    metricflow = {
        row["campaign__partner_name"]: (
            int(row["campaigns"]), int(row["live_campaigns"]),
            Decimal(row["known_budget"]), Decimal(row["live_known_budget"]),
            share(row["budget_coverage_by_count"]),
            share(row["budget_coverage_by_dollars"]),
        )
        for row in rows
    }  # fmt: skip
    marts = {
        name: figures
        for name, *figures in query(
            database,
            "select partner_name, campaign_count, live_campaign_count, known_budget,"
            " live_known_budget, budget_coverage_by_count, budget_coverage_by_dollars"
            " from marts.partners",
        )
    }
    assert len(metricflow) == len(marts) >= 10
    assert {name: tuple(figures) for name, figures in marts.items()} == metricflow


def test_the_docs_page_is_published_with_the_build(sample_build: Path) -> None:
    """build/partners-docs.html: dbt's lineage and every description, in one
    file that loads nothing from the network, beside the database."""
    page = (sample_build / "build" / "partners-docs.html").read_text()
    assert "int_campaign_matches" in page
    assert "The one model that joins the roster to Health" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+stylesheet[^>]+href=.http", page)
    marker = sample_build / "build" / ".partners-docs.html.sha256"
    assert len(marker.read_text().strip()) == 64


#: folder names that a shell or make would change or run
SHELL_FOLDERS = ["Q4 $BUDGET", "with `touch pwned` backticks", "it's $(x) and spaces"]


@pytest.mark.parametrize("folder", SHELL_FOLDERS)
def test_make_passes_paths_as_written(tmp_path: Path, folder: str) -> None:
    """Issue 12: make expands no `$`, the shell runs no backtick: the main
    job is handed each path as typed (a stand-in python says what it is
    handed; the test below builds from such a folder for real)."""
    roster, health = tmp_path / folder / "roster.xlsx", tmp_path / folder / "h e.xlsx"
    script, *arguments = make_partners_arguments(
        tmp_path, {"BREAKOUT": str(roster), "HEALTH": str(health)}
    )
    assert script == "scripts/partners"
    args = cli.argument_parser().parse_args(arguments)
    assert (args.breakout, args.health) == (roster, health)
    for place in (PROJECT_DIR, tmp_path, Path.cwd()):
        assert not (place / "pwned").exists()


def test_make_partners_builds_from_a_folder_named_with_shell_characters(
    project: Path, tmp_path: Path
) -> None:
    """Issue 12: `make partners` with workbooks in a folder whose name holds
    every character of SHELL_FOLDERS builds them, and runs nothing."""
    folder = tmp_path / " ".join(SHELL_FOLDERS)
    roster = write_workbook(folder / "roster.xlsx", {"Roster": roster_rows(3)})
    health = write_workbook(folder / "h e.xlsx", {"Health": health_rows()})
    (project / ".venv").symlink_to(Path(sys.executable).parents[1])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    completed = subprocess.run(
        [shutil.which("make") or "make", "--no-print-directory",
         "-o", ".venv/.ready", "partners", f"BREAKOUT={roster}", f"HEALTH={health}"],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert not (project / "pwned").exists()
    assert not Path("pwned").exists()
    assert query(project / "build" / "partners.duckdb", HEADLINE)[0][0] == 3
    [(names,)] = query(
        project / "build" / "partners.duckdb",
        "select string_agg(file_name, '|' order by file_name) from marts.input_files",
    )
    assert names == "h e.xlsx|roster.xlsx"


def test_campaign_budget_history_lists_the_campaigns_that_left_a_drop(
    sample_build: Path,
) -> None:
    """The sample's November drop lost 60 campaigns ($103,234.33) of October's:
    each has a 'departed' row in November, budget 0 and the change minus its
    October budget, and the budget-change query lists them."""
    database = sample_build / "build" / "partners.duckdb"
    [(departed, change, previous, zero)] = query(
        database,
        "select count(*), sum(budget_change), sum(previous_budget), "
        "count(*) filter (campaign_budget = 0 and budget_change = -previous_budget) "
        "from marts.campaign_budget_history "
        "where change_type = 'departed' and as_of_date = date '2026-11-01'",
    )
    assert (departed, str(change), str(previous), zero) == (
        60, "-103234.33", "103234.33", 60)  # fmt: skip
    [(missing,)] = query(
        database,
        "select count(*) from intermediate.int_health_budget_history as october "
        "where as_of_date = date '2026-10-01' and campaign_key not in ("
        " select campaign_key from intermediate.int_health_budget_history"
        " where as_of_date = date '2026-11-01')",
    )
    assert missing == 60


def test_every_table_of_every_schema_carries_its_descriptions(
    sample_build: Path,
) -> None:
    """persist_docs on every schema (raw, reference, staging, intermediate,
    marts and reports; the match-rate check is a mart): SQL clients show the dbt
    descriptions as comments, on every table and every column."""
    database = sample_build / "build" / "partners.duckdb"
    tables = query(
        database,
        "select schema_name || '.' || table_name, coalesce(comment, '') "
        "from duckdb_tables() order by 1",
    )
    schemas = {name.split(".")[0] for name, _ in tables}
    assert schemas == {"raw", "reference", "staging", "intermediate", "marts",
                       "reports"}  # fmt: skip
    assert len(tables) >= 45
    assert [name for name, comment in tables if not comment.strip()] == []
    columns = query(
        database,
        "select schema_name || '.' || table_name || '.' || column_name, "
        "coalesce(comment, '') from duckdb_columns() where not internal order by 1",
    )
    assert len(columns) >= 550
    assert [name for name, comment in columns if not comment.strip()] == []
    [(comment,)] = query(
        database,
        "select comment from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'campaigns' and column_name = 'campaign_budget'",
    )
    assert comment.startswith("Monthly budget in dollars from the Health workbook")
    [(comment,)] = query(
        database,
        "select comment from duckdb_tables() where schema_name = 'raw' "
        "and table_name = 'raw_breakout_campaigns'",
    )
    assert comment.strip()


def test_the_contracts_not_null_columns_are_not_null_in_the_database(
    sample_build: Path,
) -> None:
    """The not_null constraints of the intermediate models, marts and reports
    (enforced by DuckDB at build time, in place of one not_null data test per
    column) reach the published tables, where SQL clients show them as NOT
    NULL."""
    import yaml

    declared = set()
    for folder in ("intermediate", "marts", "reports"):
        for path in (PROJECT_DIR / "models" / folder).glob("*.yml"):
            for model in yaml.safe_load(path.read_text()).get("models", []):
                declared |= {
                    f"{folder}.{model['name']}.{column['name']}"
                    for column in model.get("columns", [])
                    if {"type": "not_null"} in column.get("constraints", [])
                }
    assert len(declared) >= 75
    assert "marts.campaigns.campaign_budget" in declared
    assert "intermediate.int_roster_campaigns.campaign_key" in declared
    not_null = query(
        sample_build / "build" / "partners.duckdb",
        "select schema_name || '.' || table_name || '.' || column_name "
        "from duckdb_columns() where not is_nullable "
        "and schema_name in ('intermediate', 'marts', 'reports')",
    )
    assert {name for (name,) in not_null} == declared


def _grain(model: dict) -> list[str]:
    """The columns of a model's grain test: a unique column, or the columns of
    its unique_combination_of_columns test."""
    for test in model.get("data_tests") or []:
        if isinstance(test, dict) and "unique_combination_of_columns" in test:
            arguments = test["unique_combination_of_columns"]
            return arguments.get("arguments", arguments)["combination_of_columns"]
    for column in model.get("columns", []):
        if "unique" in (column.get("data_tests") or []):
            return [column["name"]]
    return []


def test_every_mart_comes_back_in_the_order_of_its_grain(sample_build: Path) -> None:
    """A `select * from` a mart lists its rows in the order of its grain (a
    SQL client shows partners by partner, campaigns by campaign ID), except
    budget_reconciliation, in its buckets' order, build_drift in its
    figures' and partner_whitespace by rank."""
    import yaml

    stated = {
        "budget_reconciliation": ["bucket_order"],
        "partner_whitespace": ["whitespace_rank"],
        "build_drift": ["figure_order"],
    }
    checked = []
    with duckdb.connect(
        str(sample_build / "build" / "partners.duckdb"), read_only=True
    ) as connection:
        for path in sorted((PROJECT_DIR / "models" / "marts").glob("*.yml")):
            for model in yaml.safe_load(path.read_text()).get("models", []):
                order = stated.get(model["name"]) or _grain(model)
                if not order:
                    continue
                relation = f"marts.{model['name']}"
                rows = connection.execute(f"select * from {relation}").fetchall()  # noqa: S608
                ordered = connection.execute(
                    f"select * from {relation} order by {', '.join(order)}"  # noqa: S608
                ).fetchall()
                if len(rows) < 2:
                    continue
                assert rows == ordered, relation
                checked.append(model["name"])
    assert {"partners", "campaigns", "rejected_rows"} <= set(checked)
    assert len(checked) >= 15


def test_dbt_and_the_raw_loader_write_the_same_storage_format() -> None:
    """profiles.yml and partners.project.STORAGE_COMPATIBILITY name one format."""
    import yaml

    from partners import project

    profiles = (project.PROJECT_DIR / "profiles.yml").read_text()
    dev = yaml.safe_load(profiles)["partners"]["outputs"]["dev"]
    written = dev["config_options"]["storage_compatibility_version"]
    assert written == project.STORAGE_COMPATIBILITY == "v1.0.0"


def test_the_builds_memory_limit_is_set_once_and_can_be_raised(tmp_path: Path) -> None:
    """dbt's DuckDB holds at most 1 GB unless PARTNERS_DUCKDB_MEMORY_LIMIT says
    otherwise. It is a database setting, given once when dbt opens the file
    (``config_options``): as a per-cursor ``settings`` entry dbt-duckdb ran a
    ``SET`` before every model and test, about 0.3 s of a 1x build."""
    import yaml

    from partners import dbt_runner

    dev = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())
    assert "settings" not in dev["partners"]["outputs"]["dev"]
    show = ["show", "--inline", "select current_setting('memory_limit')"]
    seen = {}
    for limit in (None, "300MB"):
        environment = {"PARTNERS_DUCKDB_MEMORY_LIMIT": limit} if limit else {}
        result = dbt_runner.invoke(
            show, database=tmp_path / "limit.duckdb", environment=environment
        )
        seen[limit] = result.results[0].agate_table.rows[0][0]
    with duckdb.connect(config={"memory_limit": "1GB"}) as one_gb:
        expected = one_gb.execute("select current_setting('memory_limit')").fetchone()
    assert seen[None] == expected[0]
    assert seen["300MB"] != seen[None]
    assert seen["300MB"].startswith("286")  # 300 MB in MiB


def test_dbt_runs_with_the_imported_objects_frozen_then_unfrozen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dbt_runner keeps the objects imported before a dbt call out of Python's
    cyclic garbage collections during the call, and unfreezes them after it."""
    import gc

    from dbt.cli.main import dbtRunner

    from partners import dbt_runner

    frozen_during = []
    real_invoke = dbtRunner.invoke

    def invoke(self: dbtRunner, *args: object, **kwargs: object) -> object:
        frozen_during.append(gc.get_freeze_count())
        return real_invoke(self, *args, **kwargs)

    monkeypatch.setattr(dbtRunner, "invoke", invoke)
    assert gc.get_freeze_count() == 0
    dbt_runner.invoke(["show", "--inline", "select 1 as one"],
                      database=tmp_path / "frozen.duckdb")  # fmt: skip
    assert frozen_during[0] > 50_000  # dbt's modules and classes, at least
    assert gc.get_freeze_count() == 0


def test_dbt_is_imported_at_a_lower_priority_in_a_thread_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the conversion (the longer path) runs, dbt's imports take only
    the CPU it leaves: a thread of lower priority; the caller's is unchanged,
    and a failed import is raised in the caller."""
    import threading

    from partners import dbt_runner

    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    seen = []

    def imports() -> None:
        seen.append((threading.current_thread() is threading.main_thread(), niceness()))

    monkeypatch.setattr(dbt_runner, "_import_dbt", imports)
    before = niceness()
    dbt_runner.preload(niceness=5)
    assert seen == [(False, min(before + 5, 19))]
    assert niceness() == before
    dbt_runner.preload()
    assert seen[-1] == (True, before)

    def fails() -> None:
        raise ImportError("no dbt")

    monkeypatch.setattr(dbt_runner, "_import_dbt", fails)
    with pytest.raises(ImportError, match="no dbt"):
        dbt_runner.preload(niceness=5)


def test_build_info_names_the_build_its_inputs_and_row_counts(
    sample_build: Path,
) -> None:
    """A connected client can tell which build, inputs and date it is reading."""
    database = sample_build / "build" / "partners.duckdb"
    [info] = query(database, "select * from marts.build_info")
    columns = [name for (name,) in query(
        database,
        "select column_name from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'build_info' order by column_index",
    )]  # fmt: skip
    build = dict(zip(columns, info, strict=True))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert dt.timedelta(0) <= now - build["built_at"] < dt.timedelta(hours=6)
    sample = sample_build / "build" / "sample"
    for role in ("breakout", "health"):
        workbook = sample / build[f"{role}_file_name"]
        digest = hashlib.sha256(workbook.read_bytes()).hexdigest()
        assert build[f"{role}_file_sha256"] == digest
    assert build["as_of_date"] == dt.date(2026, 11, 1)
    assert (
        build["campaign_count"],
        build["advertiser_count"],
        build["unmatched_health_campaign_count"],
    ) == (2067, 588, 351)
    [(partners, managers, rejected)] = query(
        database,
        "select (select count(*) from marts.partners), "
        "(select count(*) from marts.account_managers), "
        "(select count(*) from marts.rejected_rows "
        "where source_role in ('breakout', 'health'))",
    )
    assert (
        build["partner_count"],
        build["account_manager_count"],
        build["rejected_row_count"],
    ) == (partners, managers, rejected)
    # the code and the tools that made it, and every Health drop of the history
    assert build["code_version"] == "unknown"  # a copy outside a git checkout
    assert build["dbt_version"].startswith("dbt-core 1.11.")
    assert build["dbt_adapter_version"].startswith("dbt-duckdb 1.11.")
    assert build["database_engine_version"] == f"DuckDB v{duckdb.__version__}"
    drops = [
        (month, sample / name if month == "2026-11-01" else sample / "earlier" / name)
        for month, name in [("2026-09-01", "health_2026-09.xlsx"),
                            ("2026-10-01", "health_2026-10.xlsx"),
                            ("2026-11-01", "health.xlsx")]
    ]  # fmt: skip
    assert build["health_drop_count"] == 3
    assert build["health_drops"] == ", ".join(
        f"{month} {path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}"
        for month, path in drops
    )


def test_build_info_names_the_code_version_of_a_git_checkout(tmp_path: Path) -> None:
    """In a git checkout the code version is the commit, marked when the
    files differ from it; elsewhere "unknown"."""
    dbt_runner = importlib.import_module("partners.dbt_runner")
    assert dbt_runner.code_version.__wrapped__(tmp_path) == "unknown"
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)  # noqa: S607
    (tmp_path / "a.txt").write_text("1\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "a.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    commit = subprocess.run(
        [*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert dbt_runner.code_version.__wrapped__(tmp_path) == commit
    (tmp_path / "a.txt").write_text("2\n")
    assert dbt_runner.code_version.__wrapped__(tmp_path) == f"{commit}-modified"


def test_every_rejected_row_of_every_drop_is_listed_once(sample_build: Path) -> None:
    """rejected_rows holds the rejects of this run's files and of the earlier
    Health drops (each with its drop's date, the current drop not twice), and
    the page lists this run's files only."""
    database = sample_build / "build" / "partners.duckdb"
    listed = query(
        database,
        "select source_role, as_of_date, count(*) from marts.rejected_rows "
        "where is_row_rejected group by all order by 1, 2",
    )
    staged = query(
        database,
        "with files as (select * from marts.input_files) "
        "select 'breakout', (select as_of_date from files "
        "where source_role = 'breakout'), count(*) "
        "from staging.stg_breakout__campaigns where not is_loaded "
        "union all select case when drop_sha256 = (select file_sha256 from files "
        "where source_role = 'health') then 'health' else 'health_history' end, "
        "as_of_date, count(*) from staging.stg_health__campaigns "
        "where not is_loaded group by all "
        "order by 1, 2",
    )
    assert listed == staged
    history = [as_of.month for role, as_of, _ in listed if role == "health_history"]
    assert history == [9, 10]  # the sample's two earlier drops
    assert all(count > 0 for _, _, count in listed)
    [(without_message,)] = query(
        database,
        "select count(*) from marts.rejected_rows "
        "where message is null or source_row_text is null",
    )
    assert without_message == 0
    page = (sample_build / "build" / "partners.html").read_text(encoding="utf-8")
    assert "health_2026-09.xlsx" not in page  # the rejected rows' list
    assert "health_history" not in page.lower()  # the count by reason


def test_a_saved_manifest_dbt_rejects_is_never_used_as_is(project: Path) -> None:
    """The main job skips dbt's file diff only when nothing dbt parses changed;
    if dbt rejects its saved manifest all the same (here: another database
    path, which the digest is told to ignore), the build runs again in full."""
    driver = f"""
import logging, sys
logging.basicConfig(level=logging.INFO)
sys.path.insert(0, {str(project / "scripts")!r})
from partners import build, project, raw_load
from pathlib import Path
raw = Path({str(project / "seeds" / "raw")!r})
first = Path({str(project / "build" / "first.duckdb")!r})
raw_load.load_raw_tables(first, raw)
build.dbt_build(first)
database = Path({str(project / "build" / "other.duckdb")!r})
raw_load.load_raw_tables(database, raw)
(project.TARGET_DIR / "definition.sha256").write_text(
    build.dbt_definition_digest(database))
build.dbt_build(database)
"""
    completed = subprocess.run(
        [sys.executable, "-c", driver],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "dbt did not use its saved manifest: building again" in completed.stderr
    [(marts,)] = query(
        project / "build" / "other.duckdb",
        "select count(*) from information_schema.tables where table_schema = 'marts'",
    )
    assert marts >= 10


def test_the_raw_tables_read_a_missing_field_as_dbt_seed_does(tmp_path: Path) -> None:
    """load_raw_tables stands in for dbt seed, whose CSV reader (agate) strips
    Python's whitespace and reads "" or "null" (any case) as NULL: the same
    fields are NULL here, and nothing else is."""
    pipeline = importlib.import_module("partners.raw_load")
    values = ["", " ", "null", " NULL\u3000", "\x0b", "\u2028Null\x85", "\t\n"]
    values += ["nul", "x", "\u200b", "nullnull", "n ull", "ab null", "0", "None"]
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with (seeds / "raw_probe.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["position", "value"])
        writer.writerows(enumerate(values))
    database = tmp_path / "probe.duckdb"
    assert pipeline.load_raw_tables(database, seeds) == ["raw_probe"]
    rows = query(database, "select value from raw.raw_probe order by position::int")
    expected = [None if v.strip().lower() in ("", "null") else v for v in values]
    assert [value for (value,) in rows] == expected


@pytest.mark.parametrize(
    "error",
    [MemoryError(), duckdb.OutOfMemoryException("Out of Memory Error: 1.9 GiB")],
)
def test_a_stage_out_of_memory_ends_the_run_with_one_line(error: Exception) -> None:
    """A 5-million-row roster ran the export out of memory: a MemoryError
    traceback. A stage out of memory (Python's or DuckDB's) is one line
    naming the stage, which the program prints with exit 1."""
    with pytest.raises(PipelineError) as raised, pipeline.stage("export partners.html"):
        raise error
    message = str(raised.value)
    assert message.startswith("[export partners.html] ran out of memory (")
    assert message.endswith("nothing was published")
    assert "\n" not in message


def test_a_build_out_of_memory_says_so_in_one_line_naming_the_limit(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dbt out of memory ended with DuckDB's advice over six lines and "see
    dbt's output above". The run's last line says what failed, that it ran
    out of memory, and which setting is the build's limit."""
    roster = write_workbook(tmp_path / "r.xlsx", {"Roster": roster_rows(5)})
    health = write_workbook(tmp_path / "h.xlsx", {"Health": health_rows(["1001"])})
    monkeypatch.setenv("PARTNERS_DUCKDB_MEMORY_LIMIT", "2MB")
    completed = run_pipeline(
        project, "--breakout", str(roster), "--health", str(health), "--force"
    )
    assert completed.returncode == 1
    last = completed.stderr.strip().splitlines()[-1]
    # where it runs out (as dbt starts, or in a model) and DuckDB's words
    # ("failed to allocate", "could not allocate block") vary with the timing
    assert "Out of Memory Error: " in last
    assert "the build's memory limit is PARTNERS_DUCKDB_MEMORY_LIMIT" in last
    assert last.endswith("; nothing was published")


def test_a_file_name_starting_with_a_dash_is_told_how_to_be_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--breakout -roster.xlsx`: argparse takes the name for an option; the
    error says how to write it (make partners BREAKOUT=-roster.xlsx works)."""
    with pytest.raises(SystemExit) as ended:
        cli.main(["--breakout", "-roster.xlsx", "--health", "health.xlsx"])
    assert ended.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "partners: error: argument --breakout: expected one argument (a file name "
        "starting with '-' is written --breakout=-name.xlsx or ./-name.xlsx); "
        "see partners --help"
    ]


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (["--bogus"], "partners: error: unrecognized arguments: --bogus"),
        (
            ["--as-of", "13/45/2026"],
            "partners: error: argument --as-of: '13/45/2026' is not a date: write "
            "it as YYYY-MM-DD (2026-11-01) or a month (2026-11, Nov 2026)",
        ),
    ],
)
def test_an_option_error_is_one_line(
    capsys: pytest.CaptureFixture[str], arguments: list[str], line: str
) -> None:
    """A mistyped option printed argparse's usage block above its error."""
    with pytest.raises(SystemExit) as ended:
        cli.main(arguments)
    assert ended.value.code == 2
    assert capsys.readouterr().err.splitlines() == [f"{line}; see partners --help"]
