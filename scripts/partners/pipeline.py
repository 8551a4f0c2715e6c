"""Run the partners pipeline end to end: workbooks -> raw tables -> dbt -> publish.

Stages (``partners.cli`` is the command line; each stage's work lives in its
own module, named below):

1. take the run lock (``build/.partners.lock``): a second run is refused; a
   history store an earlier version wrote is converted once (``ingest``);
2. convert the workbooks into a new raw seed set in the work folder
   ``build/.work/raw/`` (the published ``seeds/raw/`` is not touched), in a
   child process while this one imports dbt (``ingest``), with the build
   history beside it (``partners.run_history``);
3. load those CSVs into the ``raw`` tables of a working copy,
   ``build/.work/partners.duckdb``, with DuckDB's CSV reader (the very tables
   ``dbt seed`` creates from ``seeds/raw/``; ``partners.raw_load``);
4. one in-process ``dbt build`` (models, contracts, data tests; not the raw
   seeds, already loaded, nor the unit tests, which ``make test`` runs;
   ``partners.build``);
5. run-level checks, made by dbt in step 4 and read here: a file whose
   every row was rejected stops the run (marts.rejected_input_files); a
   match rate that collapsed, or is near zero, is said loudly
   (marts.match_rate_check), and each headline figure that moved beyond its
   threshold since the last published build in one line (marts.build_drift,
   which compares with the build history, ``partners.run_history``,
   ``partners.checks``);
6. export ``partners.html`` from the working copy's report models
   (reports.rpt_*; ``export_html``);
7. publish, all or nothing: the Health drop into the history store, the new
   raw seed set into ``seeds/raw/``, the database and the report over
   ``build/partners.duckdb`` and ``build/partners.html`` (``os.replace``), the
   build stamp, and this build's row appended to the build history
   (``partners.publish``). A failure at any step undoes the
   steps before it.

Any failure exits non-zero and leaves every published file, the seeds and the
history as they were. Ctrl-C and SIGTERM stop the run (and dbt, which runs in
this process) with one line, exit 130 / 143.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import hashlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import duckdb

from partners import (
    build,
    checks,
    children,
    dbt_runner,
    export_html,
    history,
    ingest,
    raw_load,
    run_history,
    stops,
)
from partners.errors import PipelineError
from partners.project import (
    BUILD_DEFINITION,
    BUILD_DIR,
    DATABASE_FILE,
    DOCS_PAGE,
    HISTORY_DIR,
    PROJECT_DIR,
    REPORT_PAGE,
    SEEDS_DIR,
    build_history_file,
    files_under,
)
from partners.publish import (
    heal_swapped_folder,
    heal_unfinished_publish,
    publish,
    refuse_if_held,
)

LOG = logging.getLogger("partners")


# The lock, the stages, interruption
# --------------------------------------------------------------------------


@contextlib.contextmanager
def run_lock(build_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``build/.partners.lock`` for the whole run.

    The file holds the running PID while the lock is held and is emptied on
    the way out (also on Ctrl-C and SIGTERM); after a SIGKILL the kernel drops
    the lock and the next run takes it over.
    """
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
            handle.flush()


@dataclasses.dataclass
class StageSummary:
    """What a stage tells at its end, besides its elapsed time."""

    rows: str = ""


@contextlib.contextmanager
def stage(name: str) -> Iterator[StageSummary]:
    """Log a stage's start, and at its end its rows and elapsed time; a
    stage that runs out of memory ends the run with one line naming it."""
    LOG.info("[%s] started", name)
    started = time.perf_counter()
    summary = StageSummary()
    try:
        yield summary
    except (MemoryError, duckdb.OutOfMemoryException) as error:
        detail = str(error).splitlines()[0] if str(error) else "MemoryError"
        raise PipelineError(
            f"[{name}] ran out of memory ({detail}): the machine's memory, or a "
            "limit set on this process, is too small for these workbooks; "
            "nothing was published"
        ) from None
    rows = f": {summary.rows}" if summary.rows else ""
    LOG.info("[%s] done in %.1f s%s", name, time.perf_counter() - started, rows)


# --------------------------------------------------------------------------
# Inputs and the build stamp
# --------------------------------------------------------------------------


@dataclasses.dataclass
class Inputs:
    """The workbooks of a run, and where its Health drops are kept."""

    breakout: Path
    health: Path
    history_dir: Path
    earlier_health: list[Path] = dataclasses.field(default_factory=list)


def resolve_inputs(
    breakout: Path | None,
    health: Path | None,
    history_dir: Path | None = None,
    earlier_health: Sequence[Path] = (),
) -> Inputs:
    """The two workbooks, checked; the history store (``data/history/`` unless
    given) and any earlier Health drops to add to it."""
    if breakout is None or health is None:
        raise PipelineError(
            "give both --breakout and --health (the two workbooks); `make "
            "partners` without them builds the generated sample"
        )
    for path in (breakout, health, *earlier_health):
        if not path.is_file():
            raise PipelineError(f"{path}: no such file")
    return Inputs(
        breakout.resolve(),
        health.resolve(),
        (history_dir or HISTORY_DIR).resolve(),
        [path.resolve() for path in earlier_health],
    )


def build_stamp(inputs: Inputs, as_of: dt.date | None) -> str:
    """A digest of everything a build depends on: the input files' contents, the
    options, the stored Health history, and the project's models, tests,
    reference seeds and scripts."""
    digest = hashlib.sha256(f"{as_of}".encode())
    files = [inputs.breakout, inputs.health, *inputs.earlier_health]
    for part in BUILD_DEFINITION:
        files += files_under(PROJECT_DIR / part)
    for path in files:
        name = (
            path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path
        )
        digest.update(f"{name}:{ingest.sha256_of(path)}\n".encode())
    for path in files_under(inputs.history_dir):
        name = path.relative_to(inputs.history_dir)
        digest.update(f"history/{name}:{ingest.sha256_of(path)}\n".encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------
# Conversion (the ingest converter) into the work folder
# --------------------------------------------------------------------------


@dataclasses.dataclass
class Converted:
    """A new raw seed set in the work folder, and how to store its Health drop."""

    seeds_dir: Path
    summary: str
    roster_rows: int
    #: stores the run's Health drop(s) in the history store (at publish only)
    store_history: Callable[[], None]


def convert(inputs: Inputs, out_dir: Path, as_of: dt.date | None) -> Converted:
    """Convert the workbooks into a raw seed set in ``out_dir``; change nothing
    else (ingest.convert: the history store is only read here).

    The conversion runs in a child process while this one imports dbt (about
    1 s of Python, at a lower priority: the roster's conversion is the longer
    path), and its memory is returned to the system when it ends instead of
    staying in the process that builds.
    """
    try:
        with children.in_child(
            ingest.convert,
            inputs.breakout,
            inputs.health,
            out_dir,
            as_of=as_of,
            history_dir=inputs.history_dir,
            earlier_health=inputs.earlier_health,
        ) as result:
            dbt_runner.preload(niceness=children.YIELDING)
            conversion = result()
    except ingest.IngestError as error:
        raise PipelineError(str(error)) from error
    summary = "; ".join(
        f"{info.role} {info.rows_read:,} rows read" for info in conversion.files
    )
    roster = sum(i.rows_read for i in conversion.files if i.role == "breakout")

    def store_history() -> None:
        for drop in [*conversion.earlier, conversion.drop]:
            history.store_drop(drop, inputs.history_dir)
        for path in out_dir.glob("*.drop"):  # the drops, now stored
            path.unlink()

    return Converted(out_dir, summary, roster, store_history)


# --------------------------------------------------------------------------
# Loading the raw tables, and dbt
# --------------------------------------------------------------------------
# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------


def run(
    breakout: Path | None = None,
    health: Path | None = None,
    build_dir: Path = BUILD_DIR,
    as_of: dt.date | None = None,
    force: bool = False,
    history_dir: Path | None = None,
    earlier_health: Sequence[Path] = (),
) -> Path:
    """Run every stage; return the published database path.

    When the inputs, the history and the project are unchanged since the
    last published build (same stamp), nothing is redone unless ``force``.
    """
    build_dir = build_dir.resolve()
    published = build_dir / DATABASE_FILE
    started = time.perf_counter()
    with run_lock(build_dir):
        heal_unfinished_publish(build_dir)  # what a run killed while publishing left
        heal_swapped_folder(SEEDS_DIR)
        with stage("inputs"):
            inputs = resolve_inputs(breakout, health, history_dir, earlier_health)
            try:  # an earlier version's store, converted once (before the stamp)
                history.upgrade_history(inputs.history_dir)
            except ingest.IngestError as error:
                raise PipelineError(str(error)) from error
            stamp = build_stamp(inputs, as_of)
        stamp_file = build_dir / ".build-stamp"
        outputs = (published, build_dir / REPORT_PAGE, build_dir / DOCS_PAGE)
        if (
            not force
            and all(path.exists() for path in outputs)
            and stamp_file.exists()
            and stamp_file.read_text().strip() == stamp
        ):
            LOG.info(
                "inputs, history and project unchanged since the last build: %s "
                "and partners.html are up to date (--force rebuilds)",
                published,
            )
            return published
        refuse_if_held(published)  # before a minute of work, not after it
        builds = build_history_file(inputs.history_dir)
        work = build_dir / ".work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        with stage("read + convert") as summary:
            converted = convert(inputs, work / "raw", as_of)
            run_history.write_seed(builds, converted.seeds_dir)
            summary.rows = converted.summary
        database = work / DATABASE_FILE
        with stage("load raw") as summary:
            loaded = raw_load.load_raw_tables(database, converted.seeds_dir)
            summary.rows = f"{len(loaded)} raw tables (DuckDB CSV reader)"
        with stage("dbt build") as summary:
            try:
                with raw_load.seed_nodes_for(SEEDS_DIR, converted.seeds_dir):
                    build.dbt_build(database)
            except PipelineError:
                if rejected := checks.fully_rejected_files(database):
                    raise PipelineError(_rejected_message(rejected)) from None
                raise
            summary.rows = f"{converted.roster_rows:,} roster rows"
        stops.raise_if_stopped()  # a stop dbt swallowed while it built
        with stage("checks") as summary:
            if rejected := checks.fully_rejected_files(database):
                raise PipelineError(_rejected_message(rejected))
            if warning := checks.match_rate_warning(database):
                checks.shout(warning)
            drifts = checks.drift_warnings(database)
            for line in drifts:
                LOG.warning("drift: %s", line)
            summary.rows = f"{len(drifts)} drift warning(s) against the last build"
        report = work / REPORT_PAGE
        with stage("export partners.html"):
            try:
                export_html.export(database, report, database_name=published.name)
            except export_html.ExportError as error:
                raise PipelineError(str(error)) from error
        docs = work / DOCS_PAGE
        with (
            stage("docs page") as summary,
            raw_load.seed_nodes_for(SEEDS_DIR, converted.seeds_dir),
        ):
            generated = build.docs_page(database, docs, build_dir)
            summary.rows = "generated" if generated else "definition unchanged: kept"
        stops.raise_if_stopped()
        with stage("publish"):
            publish(
                store_history=converted.store_history,
                history_dir=inputs.history_dir,
                builds=builds,
                seeds=converted.seeds_dir,
                database=database,
                report=report,
                docs=docs,
                build_dir=build_dir,
                stamp=lambda: build_stamp(inputs, as_of),
            )
        shutil.rmtree(work, ignore_errors=True)
    LOG.info("published %s in %.1f s", published, time.perf_counter() - started)
    return published


def _rejected_message(rejected: list[str]) -> str:
    return " / ".join(rejected) + (
        "; nothing was published (is it the right file, with the right columns?)"
    )
