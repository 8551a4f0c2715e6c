"""Build the sample on Apache Spark and compare every mart with the DuckDB build.

Usage::

    python scripts/tools spark_check [--work-dir build/spark]

1. generates the sample workbooks and ingests them into ``seeds/raw``;
2. ``dbt build`` on DuckDB (the default target) into ``<work-dir>/duckdb.duckdb``;
3. ``dbt build --target spark`` (dbt-spark, session method, local PySpark) with
   its warehouse and metastore under ``<work-dir>``: seeds, models, unit and
   data tests;
4. reads every table of the ``marts`` schema from both engines and compares
   them row by row, after sorting, with numbers rounded to the cent.

Exits 1 on any failed build or any difference, listing each one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb

import generate_sample
from partners import dbt_runner, ingest, run_history
from partners.project import PROJECT_DIR, SEEDS_DIR, build_history_file

LOG = logging.getLogger("spark_check")

Row = tuple[object, ...]


# --------------------------------------------------------------------------
# Comparing tables (pure)
# --------------------------------------------------------------------------


def normalize(value: object) -> object:
    """A value both engines agree on: numbers to the cent, dates as ISO text."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float, decimal.Decimal)):
        return round(float(value), 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _sort_key(row: Row) -> tuple:
    return tuple((value is None, str(type(value)), str(value)) for value in row)


def compare_tables(
    name: str,
    left_columns: Sequence[str],
    left_rows: Iterable[Row],
    right_columns: Sequence[str],
    right_rows: Iterable[Row],
    ignore: Sequence[str] = (),
) -> list[str]:
    """Every difference between two tables, one line each (empty when equal)."""
    if [c.lower() for c in left_columns] != [c.lower() for c in right_columns]:
        return [
            f"{name}: columns differ: {list(left_columns)} vs {list(right_columns)}"
        ]
    keep = [i for i, c in enumerate(left_columns) if c.lower() not in ignore]
    left = sorted(
        (tuple(normalize(r[i]) for i in keep) for r in left_rows), key=_sort_key
    )
    right = sorted(
        (tuple(normalize(r[i]) for i in keep) for r in right_rows), key=_sort_key
    )
    if len(left) != len(right):
        return [f"{name}: {len(left):,} rows on DuckDB, {len(right):,} on Spark"]
    columns = [left_columns[i] for i in keep]
    differences = []
    for number, (one, other) in enumerate(zip(left, right, strict=True), start=1):
        if one != other:
            changed = [
                f"{column}: {a!r} vs {b!r}"
                for column, a, b in zip(columns, one, other, strict=True)
                if a != b
            ]
            differences.append(f"{name}, sorted row {number}: " + "; ".join(changed))
    return differences


# --------------------------------------------------------------------------
# Running the builds
# --------------------------------------------------------------------------


def dbt(*arguments: str, database: Path, work_dir: Path) -> None:
    """Run dbt in this process (scripts/partners/dbt_runner.py) on the project; raise if
    it fails. The Spark session dbt-spark starts keeps its Derby metastore in
    the current directory, so the work folder is made current first."""
    LOG.info("running: dbt %s", " ".join(arguments))
    os.chdir(work_dir)
    try:
        dbt_runner.invoke(
            arguments,
            database=database,
            environment={"PARTNERS_SPARK_WAREHOUSE": str(work_dir / "warehouse")},
        )
    except dbt_runner.DbtError as error:
        raise RuntimeError(str(error)) from error


def prepare_sample(work_dir: Path) -> None:
    """Generate the sample workbooks and ingest them into seeds/raw, with
    the sample's build history (none: header only)."""
    sample = work_dir / "sample"
    shutil.rmtree(sample, ignore_errors=True)
    breakout, health = generate_sample.generate(sample)
    ingest.ingest(
        breakout,
        health,
        history_dir=sample / "history",
        earlier_health=generate_sample.earlier_drop_paths(sample),
    )
    run_history.write_seed(build_history_file(sample / "history"), SEEDS_DIR)


def read_duckdb_marts(database: Path) -> dict[str, tuple[list[str], list[Row]]]:
    """Every table of the marts schema: name -> (columns, rows)."""
    tables = {}
    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by 1"
        ).fetchall()
        for (name,) in names:
            cursor = connection.execute(f"select * from marts.{name}")  # noqa: S608
            tables[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    return tables


def read_spark_marts(
    work_dir: Path, names: Iterable[str]
) -> dict[str, tuple[list[str], list[Row]]]:
    """The same tables from the Spark warehouse dbt wrote (same metastore)."""
    from pyspark.sql import SparkSession  # only the Spark check needs pyspark

    os.chdir(work_dir)  # the Derby metastore dbt-spark created lives here
    spark = (
        SparkSession.builder.appName("partners-spark-check")
        .config("spark.sql.warehouse.dir", str(work_dir / "warehouse"))
        .config("spark.ui.enabled", "false")
        .enableHiveSupport()
        .getOrCreate()
    )
    try:
        tables = {}
        for name in names:
            frame = spark.table(f"marts.{name}")
            tables[name] = (frame.columns, [tuple(row) for row in frame.collect()])
    finally:
        spark.stop()
    return tables


def check(work_dir: Path) -> list[str]:
    """Run both builds and return every difference between their marts."""
    work_dir = work_dir.resolve()
    for leftover in ("warehouse", "metastore_db", "derby.log", "duckdb.duckdb"):
        path = work_dir / leftover
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(
            missing_ok=True
        )
    work_dir.mkdir(parents=True, exist_ok=True)
    prepare_sample(work_dir)
    database = work_dir / "duckdb.duckdb"
    started = time.perf_counter()
    dbt("build", database=database, work_dir=work_dir)
    LOG.info("DuckDB build: %.0f s", time.perf_counter() - started)
    started = time.perf_counter()
    # unit tests tagged duckdb_only test what Spark SQL cannot do (NFC)
    dbt("build", "--target", "spark", "--exclude", "tag:duckdb_only",
        database=database, work_dir=work_dir)  # fmt: skip
    LOG.info("Spark build: %.0f s", time.perf_counter() - started)
    duckdb_marts = read_duckdb_marts(database)
    spark_marts = read_spark_marts(work_dir, duckdb_marts)
    differences = []
    for name, (columns, rows) in duckdb_marts.items():
        spark_columns, spark_rows = spark_marts[name]
        # the moments and ids of each build, not data
        ignore = PER_BUILD_COLUMNS.get(name, ())
        found = compare_tables(name, columns, rows, spark_columns, spark_rows, ignore)
        LOG.info(
            "%s: %d rows, %s", name, len(rows), "same" if not found else "DIFFERENT"
        )
        differences += found
    return differences


#: columns that differ between any two builds of the same data, per mart
PER_BUILD_COLUMNS: dict[str, tuple[str, ...]] = {
    "input_files": ("ingested_at",),
    "build_history": ("built_at",),
    "build_info": (
        "built_at",
        "dbt_invocation_id",
        "dbt_adapter_version",
        "database_engine_version",
    ),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--work-dir", type=Path, default=PROJECT_DIR / "build" / "spark"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    started = time.perf_counter()
    try:
        differences = check(args.work_dir)
    except (RuntimeError, ingest.IngestError) as error:
        LOG.error("%s", error)
        return 1
    for difference in differences[:200]:
        LOG.error("%s", difference)
    if differences:
        LOG.error(
            "%d difference(s) between the DuckDB and Spark marts", len(differences)
        )
        return 1
    LOG.info("every mart is the same on DuckDB and Spark (%.0f s in all)",
             time.perf_counter() - started)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
