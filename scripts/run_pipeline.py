"""Run the partners pipeline end to end: workbooks -> seeds -> dbt build -> publish.

Usage::

    python scripts/run_pipeline.py [--breakout PATH --health PATH]

Without arguments it uses ``data/raw/breakout.xlsx`` and ``data/raw/health.xlsx``
when both exist, and otherwise generates the sample workbooks into
``build/sample/``. Stages:

1. take the run lock (``build/.partners.lock``): a second run is refused;
2. ingest the workbooks into the raw seeds (all or nothing);
3. ``dbt build`` (seeds, models, unit and data tests) into a working copy,
   ``build/.work/partners.duckdb``;
4. export ``partners.html`` from the working copy's marts;
5. only when every test passed and the report is written, publish both
   atomically (``os.replace``) as ``build/partners.duckdb`` and
   ``build/partners.html``. Analysts holding the old database open keep
   reading the old data; new connections see the new data.

Any failure exits non-zero and leaves the last published files as they were.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb

import export_html
import generate_sample
import ingest

LOG = logging.getLogger("partners")

PROJECT_DIR = Path(__file__).resolve().parents[1]


class PipelineError(Exception):
    """A failed stage; the message says which and why."""


@contextlib.contextmanager
def run_lock(build_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``build/.partners.lock`` for the whole run."""
    build_dir.mkdir(parents=True, exist_ok=True)
    lock_path = build_dir / ".partners.lock"
    with lock_path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise PipelineError(
                f"another pipeline run is in progress (PID {holder}, lock "
                f"{lock_path}); wait for it to finish"
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()


@dataclasses.dataclass
class StageSummary:
    """What a stage tells at its end, besides its elapsed time."""

    rows: str = ""


@contextlib.contextmanager
def stage(name: str) -> Iterator[StageSummary]:
    """Log a stage's start, and at its end its rows and elapsed time."""
    LOG.info("[%s] started", name)
    started = time.perf_counter()
    summary = StageSummary()
    yield summary
    rows = f": {summary.rows}" if summary.rows else ""
    LOG.info("[%s] done in %.1f s%s", name, time.perf_counter() - started, rows)


@dataclasses.dataclass
class Inputs:
    """The workbooks of a run, and where its Health drops are kept."""

    breakout: Path
    health: Path
    history_dir: Path
    earlier_health: list[Path] = dataclasses.field(default_factory=list)
    #: the generated sample, whose exact figures dbt then asserts
    is_sample: bool = False


def resolve_inputs(
    breakout: Path | None, health: Path | None, build_dir: Path
) -> Inputs:
    """The workbooks to use: given, else data/raw/, else freshly generated samples.

    Real drops are kept in ``data/history/``; the sample (with its two earlier
    monthly drops) keeps its own, rebuilt on each run, in ``build/sample/``.
    """
    if (breakout is None) != (health is None):
        raise PipelineError("give both --breakout and --health, or neither")
    history = PROJECT_DIR / "data" / "history"
    if breakout is not None and health is not None:
        return Inputs(breakout.resolve(), health.resolve(), history)
    raw = PROJECT_DIR / "data" / "raw"
    if (raw / "breakout.xlsx").exists() and (raw / "health.xlsx").exists():
        LOG.info("using the workbooks in %s", raw)
        return Inputs(raw / "breakout.xlsx", raw / "health.xlsx", history)
    LOG.info("no workbooks in %s: generating the sample workbooks", raw)
    sample = build_dir / "sample"
    shutil.rmtree(sample / "history", ignore_errors=True)
    breakout, health = generate_sample.generate(sample)
    return Inputs(
        breakout,
        health,
        sample / "history",
        generate_sample.earlier_drop_paths(sample),
        is_sample=True,
    )


#: raw seeds loaded by DuckDB's own CSV reader when the roster is this large
FAST_RAW_ROWS = 50_000
#: the large raw seeds; every column is text (their column_types say varchar)
LARGE_RAW_SEEDS = (
    "raw_breakout_campaigns",
    "raw_health_campaigns",
    "raw_health_budget_history",
)
#: as in profiles.yml: files pre-2.0 DuckDB clients can read
STORAGE_COMPATIBILITY = "v1.4.0"


def preload_raw_seeds(database: Path, seeds_dir: Path) -> list[str]:
    """Load the large raw seeds into ``raw.*`` with DuckDB's CSV reader.

    dbt-core parses every seed CSV in Python (agate) before dbt-duckdb loads
    it; for a large roster that dominates the build. The tables created here
    are the very tables ``dbt seed`` would create (same schema, names, text
    columns, empty fields as NULL), so the staging models read them unchanged;
    ``dbt build`` then skips just these seed nodes. Returns their names.
    """
    with duckdb.connect(
        str(database), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}
    ) as connection:
        connection.execute("create schema if not exists raw")
        for name in LARGE_RAW_SEEDS:
            path = seeds_dir / f"{name}.csv"
            connection.execute(  # name: one of LARGE_RAW_SEEDS; the path is bound
                f"create or replace table raw.{name} as select * from read_csv("  # noqa: S608
                "?, header = true, all_varchar = true, quote = '\"', escape = '\"')",
                [str(path)],
            )
        connection.execute("checkpoint")
    return list(LARGE_RAW_SEEDS)


def dbt_build(database: Path, fast_raw: bool = False, sample: bool = False) -> None:
    """Run ``dbt build`` writing ``database``; raise PipelineError when it fails.

    With ``fast_raw`` the large raw seeds are loaded first by
    :func:`preload_raw_seeds` and excluded from the build. With ``sample``
    (the generated sample) tests/assert_sample_figures.sql runs too.
    """
    for leftover in (database, database.with_name(database.name + ".wal")):
        leftover.unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    excluded = preload_raw_seeds(database, ingest.DEFAULT_SEEDS_DIR) if fast_raw else []
    env = {
        **os.environ,
        "PARTNERS_DUCKDB_PATH": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if not sys.stdout.isatty():
        env.setdefault("DBT_USE_COLORS", "false")
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        *(["--exclude", *excluded] if excluded else []),
        *(["--vars", "{sample_figures: true}"] if sample else []),
    ]
    # the command is this venv's dbt with fixed arguments, not user input
    completed = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise PipelineError(
            f"dbt build failed (exit {completed.returncode}); see the output "
            "above; the published database was not changed"
        )


def publish(database: Path, report: Path, build_dir: Path) -> None:
    """Atomically replace the published database and report with the new ones."""
    wal = database.with_name(database.name + ".wal")
    if wal.exists():
        raise PipelineError(f"{wal} is left over: the build did not close cleanly")
    os.replace(database, build_dir / "partners.duckdb")
    os.replace(report, build_dir / "partners.html")


#: the project files a build depends on, besides its inputs
BUILD_DEFINITION = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests",
                    "seeds/_seeds.yml", "seeds/reference", "scripts")  # fmt: skip


def build_stamp(inputs: Inputs, as_of: dt.date | None, fast_raw: bool | None) -> str:
    """A digest of everything a build depends on: the input files' contents, the
    options, and the project's models, tests, reference seeds and scripts."""
    digest = hashlib.sha256(f"{as_of}|{fast_raw}".encode())
    files = [inputs.breakout, inputs.health, *inputs.earlier_health]
    for part in BUILD_DEFINITION:
        path = PROJECT_DIR / part
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts
            )
        else:
            files.append(path)
    for path in files:
        name = (
            path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path
        )
        digest.update(f"{name}:{ingest.sha256_of(path)}".encode())
    return digest.hexdigest()


def run(
    breakout: Path | None = None,
    health: Path | None = None,
    build_dir: Path = PROJECT_DIR / "build",
    as_of: dt.date | None = None,
    fast_raw: bool | None = None,
    force: bool = False,
) -> Path:
    """Run every stage; return the published database path.

    When the inputs and the project are unchanged since the last published
    build (same stamp), nothing is redone unless ``force``.
    """
    build_dir = build_dir.resolve()
    published = build_dir / "partners.duckdb"
    started = time.perf_counter()
    with run_lock(build_dir):
        with stage("inputs"):
            inputs = resolve_inputs(breakout, health, build_dir)
            stamp = build_stamp(inputs, as_of, fast_raw)
        stamp_file = build_dir / ".build-stamp"
        outputs = (published, build_dir / "partners.html")
        if (
            not force
            and all(path.exists() for path in outputs)
            and stamp_file.exists()
            and stamp_file.read_text().strip() == stamp
        ):
            LOG.info(
                "inputs and project unchanged since the last build: %s and "
                "partners.html are up to date (--force rebuilds)",
                published,
            )
            return published
        with stage("ingest") as summary:
            try:
                results = ingest.ingest(
                    inputs.breakout,
                    inputs.health,
                    as_of=as_of,
                    history_dir=inputs.history_dir,
                    earlier_health=inputs.earlier_health,
                )
            except ingest.IngestError as error:
                raise PipelineError(str(error)) from error
            summary.rows = "; ".join(
                f"{f.role} {f.rows_read:,} rows read" for f in results.files
            )
        work = build_dir / ".work" / "partners.duckdb"
        roster_rows = results.files[0].rows_read
        fast_raw = roster_rows >= FAST_RAW_ROWS if fast_raw is None else fast_raw
        with stage("dbt build") as summary:
            dbt_build(work, fast_raw, sample=inputs.is_sample)
            summary.rows = f"{roster_rows:,} roster campaigns" + (
                " (large raw seeds loaded by DuckDB)" if fast_raw else ""
            )
        report = work.with_name("partners.html")
        with stage("export partners.html"):
            try:
                export_html.export(work, report, database_name=published.name)
            except export_html.ExportError as error:
                raise PipelineError(str(error)) from error
        with stage("publish"):
            stamp_file.unlink(missing_ok=True)
            publish(work, report, build_dir)
            stamp_file.write_text(stamp + "\n")
    LOG.info("published %s in %.1f s", published, time.perf_counter() - started)
    return published


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--breakout", type=Path, help="the Breakout (roster) workbook")
    parser.add_argument("--health", type=Path, help="the Health workbook")
    parser.add_argument(
        "--force",
        action="store_true",
        help="rebuild even when the inputs and the project are unchanged",
    )
    parser.add_argument(
        "--fast-raw",
        choices=["auto", "yes", "no"],
        default="auto",
        help="load the large raw seeds with DuckDB's CSV reader instead of "
        f"dbt seed (auto: when the roster has {FAST_RAW_ROWS:,}+ rows)",
    )
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="the date the Health workbook describes, YYYY-MM-DD (default: the "
        "month or date in its title, else the file's date)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    try:
        fast_raw = {"auto": None, "yes": True, "no": False}[args.fast_raw]
        run(args.breakout, args.health, as_of=args.as_of, fast_raw=fast_raw,
            force=args.force)  # fmt: skip
    except PipelineError as error:
        LOG.error("%s", error)
        return 1
    except OSError as error:  # a full disk, a permission problem, ...
        LOG.error("%s; the published files were not changed", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
