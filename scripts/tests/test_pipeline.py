"""The main job end to end, as a user runs it: real workbooks, real dbt build."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import (
    health_rows,
    roster_rows,
    run_pipeline,
    tree_digest,
    write_workbook,
)
from workspace import copy_project

HEADLINE = """
    select count(*), count(distinct maid), sum(campaign_budget),
           count(*) filter (where has_health_data)
    from marts.campaigns
"""


def query(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_sample_build_reproduces_the_real_figures(sample_build: Path) -> None:
    database = sample_build / "build" / "partners.duckdb"
    [(campaigns, advertisers, budget, matched)] = query(database, HEADLINE)
    assert (campaigns, advertisers, matched) == (2067, 588, 449)
    assert 767_500 <= budget < 768_500
    [(gap_campaigns, gap_budget)] = query(
        database,
        "select count(*), sum(campaign_budget) from marts.unmatched_health_campaigns",
    )
    assert gap_campaigns == 351
    assert 1_475_000 <= budget + gap_budget < 1_485_000
    [(product_types,)] = query(
        database, "select count(distinct product_type) from marts.campaigns"
    )
    assert product_types >= 10
    [(per_partner_advertisers,)] = query(
        database, "select sum(advertiser_count) from marts.partners"
    )
    assert per_partner_advertisers > 588  # some advertisers buy through two partners


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
    assert (
        "roster.xlsx, sheet 'Breakout', row 1: missing required column(s) "
        "partner_name; headers found: Campaign ID, MAID, Product"
    ) in completed.stderr
    assert tree_digest(*published) == before


def test_failing_data_test_keeps_the_last_good_database(project: Path) -> None:
    figures = project / "seeds" / "reference" / "ref_sample_figures.csv"
    figures.write_text(
        figures.read_text().replace(
            "roster_campaigns,2067,2067", "roster_campaigns,2068,2068"
        )
    )
    published = project / "build" / "partners.duckdb"
    before = tree_digest(published)
    completed = run_pipeline(project)
    assert completed.returncode == 1
    assert "assert_sample_figures" in completed.stdout
    assert "published database was not changed" in completed.stderr
    assert tree_digest(published) == before


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


def test_dbt_refuses_to_run_without_an_explicit_database_path(
    sample_build: Path,
) -> None:
    env = {"PATH": str(Path(sys.executable).parent), "HOME": str(sample_build)}
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "debug", "--profiles-dir", "."],
        cwd=sample_build,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert "PARTNERS_DUCKDB_PATH" in completed.stdout + completed.stderr
    assert not list(sample_build.glob("*.duckdb"))


def test_fast_raw_path_builds_the_same_marts(sample_build: Path, project: Path) -> None:
    completed = run_pipeline(project, "--fast-raw", "yes")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "raw_breakout_campaigns" not in completed.stdout  # not loaded by dbt seed
    marts = [name for (name,) in query(
        sample_build / "build" / "partners.duckdb",
        "select table_name from information_schema.tables where table_schema = 'marts'",
    )]  # fmt: skip
    assert len(marts) >= 10
    for mart in marts:
        varying = {
            "input_files": " exclude (ingested_at)",
            "build_info": " exclude (built_at, dbt_invocation_id)",
        }.get(mart, "")
        every_row = f"select *{varying} from marts.{mart} order by all"  # noqa: S608
        assert query(project / "build" / "partners.duckdb", every_row) == query(
            sample_build / "build" / "partners.duckdb", every_row
        ), mart


def test_a_rerun_with_unchanged_inputs_redoes_nothing(project: Path) -> None:
    published = [
        project / "build" / "partners.duckdb",
        project / "build" / "partners.html",
    ]
    before = tree_digest(*published)
    completed = run_pipeline(project)
    assert completed.returncode == 0, completed.stderr
    assert "inputs and project unchanged since the last build" in completed.stderr
    assert "[dbt build]" not in completed.stderr
    assert tree_digest(*published) == before
    forced = run_pipeline(project, "--force")
    assert "[dbt build] done" in forced.stderr


def test_every_mart_table_and_column_carries_its_description(
    sample_build: Path,
) -> None:
    """persist_docs: SQL clients show the dbt descriptions as comments."""
    database = sample_build / "build" / "partners.duckdb"
    tables = query(
        database,
        "select table_name, coalesce(comment, '') from duckdb_tables() "
        "where schema_name = 'marts' order by 1",
    )
    assert len(tables) >= 14
    assert [name for name, comment in tables if not comment.strip()] == []
    columns = query(
        database,
        "select table_name || '.' || column_name, coalesce(comment, '') "
        "from duckdb_columns() where schema_name = 'marts' order by 1",
    )
    assert len(columns) >= 130
    assert [name for name, comment in columns if not comment.strip()] == []
    [(comment,)] = query(
        database,
        "select comment from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'campaigns' and column_name = 'campaign_budget'",
    )
    assert comment.startswith("Monthly budget in dollars from the Health workbook")


def test_dbt_and_the_fast_raw_loader_write_the_same_storage_format() -> None:
    """profiles.yml and run_pipeline.STORAGE_COMPATIBILITY name one format."""
    import yaml

    import run_pipeline

    profiles = (run_pipeline.PROJECT_DIR / "profiles.yml").read_text()
    dev = yaml.safe_load(profiles)["partners"]["outputs"]["dev"]
    written = dev["config_options"]["storage_compatibility_version"]
    assert written == run_pipeline.STORAGE_COMPATIBILITY == "v1.0.0"


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
        "(select count(*) from marts.rejected_rows)",
    )
    assert (
        build["partner_count"],
        build["account_manager_count"],
        build["rejected_row_count"],
    ) == (partners, managers, rejected)
