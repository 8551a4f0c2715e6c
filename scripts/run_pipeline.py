"""Run the partners pipeline end to end: workbooks -> raw tables -> dbt -> publish.

Usage::

    python scripts/run_pipeline.py --breakout PATH --health PATH [--as-of D] [--force]
    python scripts/run_pipeline.py --sample      # the generated sample workbooks

(``make partners`` passes ``data/raw/breakout.xlsx`` and ``data/raw/health.xlsx``
when both exist, and ``--sample`` otherwise.) Stages:

1. take the run lock (``build/.partners.lock``): a second run is refused;
2. convert the workbooks into a new raw seed set in the work folder
   ``build/.work/raw/`` (the published ``seeds/raw/`` is not touched), in a
   child process while this one imports dbt;
3. load those CSVs into the ``raw`` tables of a working copy,
   ``build/.work/partners.duckdb``, with DuckDB's CSV reader (the very tables
   ``dbt seed`` creates from ``seeds/raw/``);
4. one in-process ``dbt build`` (models, contracts, data tests; not the raw
   seeds, already loaded, nor the unit tests, which ``make test`` runs);
5. run-level checks: a file whose every row was rejected stops the run; a
   match rate that collapsed, or is near zero, is said loudly and recorded in
   ``main.match_rate_check``;
6. export ``partners.html`` from the working copy's report models (reports.rpt_*);
7. publish, all or nothing: the Health drop into the history store, the new
   raw seed set into ``seeds/raw/``, the database and the report over
   ``build/partners.duckdb`` and ``build/partners.html`` (``os.replace``), and
   the build stamp. A failure at any step undoes the steps before it.

Any failure exits non-zero and leaves every published file, the seeds and the
history as they were. Ctrl-C and SIGTERM stop the run (and dbt, which runs in
this process) with one line, exit 130 / 143.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import datetime as dt
import fcntl
import hashlib
import logging
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import duckdb

import children
import dates
import dbt_runner
import export_html
import ingest

LOG = logging.getLogger("partners")

PROJECT_DIR = Path(__file__).resolve().parents[1]
SEEDS_DIR = PROJECT_DIR / "seeds" / "raw"
#: the main job's own dbt target folder (its partial-parse cache is kept there
#: between runs; a hand-run dbt on build/dev.duckdb keeps its own in target/)
TARGET_DIR = PROJECT_DIR / "target" / "main-job"
#: the dbt docs page published beside the database and the report
DOCS_PAGE = "partners-docs.html"
#: as in profiles.yml: files pre-2.0 DuckDB clients can read
STORAGE_COMPATIBILITY = "v1.0.0"


class PipelineError(Exception):
    """A failed stage; the message says which and why."""


# --------------------------------------------------------------------------
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
    """Log a stage's start, and at its end its rows and elapsed time."""
    LOG.info("[%s] started", name)
    started = time.perf_counter()
    summary = StageSummary()
    yield summary
    rows = f": {summary.rows}" if summary.rows else ""
    LOG.info("[%s] done in %.1f s%s", name, time.perf_counter() - started, rows)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is, so that it unwinds like Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


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
    breakout: Path | None, health: Path | None, sample: bool, build_dir: Path
) -> Inputs:
    """The workbooks to use: the two given, or (``sample``) freshly generated ones.

    Real drops are kept in ``data/history/``; the sample (with its two earlier
    monthly drops) keeps its own in ``build/sample/history/``.
    """
    if sample and (breakout or health):
        raise PipelineError("give --sample, or --breakout and --health, not both")
    if sample:
        import generate_sample  # openpyxl: only the sample needs it (0.13 s)

        LOG.info("generating the sample workbooks into %s", build_dir / "sample")
        folder = build_dir / "sample"
        breakout, health = generate_sample.generate(folder)
        return Inputs(
            breakout,
            health,
            folder / "history",
            generate_sample.earlier_drop_paths(folder),
        )
    if breakout is None or health is None:
        raise PipelineError(
            "give both --breakout and --health (the two workbooks), or --sample "
            "to build the generated sample workbooks"
        )
    for path in (breakout, health):
        if not path.is_file():
            raise PipelineError(f"{path}: no such file")
    return Inputs(
        breakout.resolve(), health.resolve(), PROJECT_DIR / "data" / "history"
    )


#: the project files a build depends on, besides its inputs and the history
BUILD_DEFINITION = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests",
                    "seeds/_seeds.yml", "seeds/reference", "scripts")  # fmt: skip


def _files_under(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and "__pycache__" not in p.parts
            and not p.name.startswith(".")
        )
    return [path] if path.exists() else []


def build_stamp(inputs: Inputs, as_of: dt.date | None) -> str:
    """A digest of everything a build depends on: the input files' contents, the
    options, the stored Health history, and the project's models, tests,
    reference seeds and scripts."""
    digest = hashlib.sha256(f"{as_of}".encode())
    files = [inputs.breakout, inputs.health, *inputs.earlier_health]
    for part in BUILD_DEFINITION:
        files += _files_under(PROJECT_DIR / part)
    for path in files:
        name = (
            path.relative_to(PROJECT_DIR) if path.is_relative_to(PROJECT_DIR) else path
        )
        digest.update(f"{name}:{ingest.sha256_of(path)}\n".encode())
    for path in _files_under(inputs.history_dir):
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
            ingest.store_drop(drop, inputs.history_dir)
        for path in out_dir.glob("*.drop"):  # the drops, now stored
            path.unlink()

    return Converted(out_dir, summary, roster, store_history)


# --------------------------------------------------------------------------
# Loading the raw tables, and dbt
# --------------------------------------------------------------------------

_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
#: what agate (dbt seed) strips before it reads "" or "null" as a missing value
_PY_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_SPACES = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _PY_WHITESPACE) + "]*"
#: a field agate reads as missing (one RE2 match: 5x faster than ``trim`` with
#: a character set, the slowest step of loading a large roster)
MISSING_FIELD = f"^{_SPACES}(?i:null)?{_SPACES}$"


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle), [])
    bad = [name for name in header if not _NAME_RE.match(name)]
    if not header or bad or not _NAME_RE.match(path.stem):
        raise PipelineError(
            f"{path}: not a raw seed of this pipeline (header {header})"
        )
    return header


_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]*(\(\d+(, ?\d+)?\))?$")


def seed_column_types(properties: Path = PROJECT_DIR / "seeds" / "_seeds.yml") -> dict:
    """Each seed's ``column_types`` from the seed properties: name -> {column: type}."""
    import yaml  # a dbt dependency

    document = yaml.safe_load(properties.read_text(encoding="utf-8")) or {}
    return {
        seed["name"]: dict((seed.get("config") or {}).get("column_types") or {})
        for seed in document.get("seeds") or []
    }


def load_raw_tables(database: Path, seeds_dir: Path) -> list[str]:
    """Create ``raw.<seed>`` for every CSV of ``seeds_dir`` with DuckDB's CSV reader.

    The tables are the ones ``dbt seed`` creates from the same files (dbt-core
    reads seeds with agate, in Python, which dominates a large build): the
    same schema, names and ``column_types`` (text where none is given), and a
    field that is empty or ``null`` (any case, surrounding whitespace) a NULL,
    as agate reads it. Returns the seed names, for ``dbt build`` to exclude.
    """
    types = seed_column_types()
    names = []
    with duckdb.connect(
        str(database), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}
    ) as connection:
        connection.execute("create schema if not exists raw")
        for path in sorted(seeds_dir.glob("*.csv")):
            header = _header(path)
            declared = types.get(path.stem, {})
            columns = ", ".join(f"'{name}': 'varchar'" for name in header)
            selected = []
            for name in header:
                kind = str(declared.get(name, "varchar")).strip().lower()
                if not _TYPE_RE.match(kind):
                    raise PipelineError(f"seeds/_seeds.yml: {path.stem}.{name}: "
                                        f"unexpected column type {kind!r}")  # fmt: skip
                selected.append(
                    f'cast(case when regexp_full_match("{name}", $missing) '
                    f'then null else "{name}" end as {kind}) as "{name}"'
                )
            connection.execute(  # names and types checked above; the path is bound
                f"create or replace table raw.{path.stem} as select "  # noqa: S608
                f"{', '.join(selected)} from read_csv($path, header = true, "
                f"auto_detect = false, columns = {{{columns}}}, delim = ',', "
                "quote = '\"', escape = '\"', strict_mode = true)",
                {"path": str(path), "missing": MISSING_FIELD},
            )
            names.append(path.stem)
        connection.execute("checkpoint")
    return names


@contextlib.contextmanager
def seed_nodes_for(seeds_dir: Path, new_set: Path) -> Iterator[None]:
    """Make sure ``seeds/raw/`` has a file for every seed of the new set.

    dbt's parser needs a seed file for each ``ref('raw_...')``; their contents
    are not read (the main job loads the raw tables itself). Where the
    published set lacks one (a first run), a header-only placeholder stands in
    for the build and is removed after it, so a failed run leaves nothing.
    """
    created: list[Path] = []
    made_folder = not seeds_dir.exists()
    try:
        seeds_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(new_set.glob("*.csv")):
            target = seeds_dir / path.name
            if not target.exists():
                target.write_text(",".join(_header(path)) + "\n", encoding="utf-8")
                created.append(target)
        yield
    finally:
        for path in created:
            path.unlink(missing_ok=True)
        if made_folder:
            with contextlib.suppress(OSError):
                seeds_dir.rmdir()


#: what dbt parses, besides the raw seeds' contents (the main job loads those)
DBT_DEFINITION = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests",
                  "analyses", "seeds/_seeds.yml", "seeds/reference")  # fmt: skip


def dbt_definition_digest(database: Path) -> str:
    """A digest of what dbt's parse depends on: the files it parses (only the
    names of the raw seeds), this folder and database, dbt's version, and the
    environment variables dbt and the project read."""
    settings = [str(PROJECT_DIR), str(database), definition_digest()]
    settings += sorted(
        f"{name}={value}"
        for name, value in os.environ.items()
        if name.startswith(("DBT_", "PARTNERS_"))
    )
    return hashlib.sha256("\n".join(settings).encode()).hexdigest()


def docs_page(database: Path, page: Path, build_dir: Path) -> bool:
    """Write the offline dbt docs page of ``database`` (lineage, every
    description; one file, no network request) to ``page``.

    ``dbt docs generate --static`` runs only when the project's definition
    changed since the published page was made (its digest is kept beside it,
    in ``.partners-docs.html.sha256``); otherwise the published page is copied.
    Returns whether it was generated.
    """
    published = build_dir / DOCS_PAGE
    marker = build_dir / f".{DOCS_PAGE}.sha256"
    digest = definition_digest()
    if published.exists() and marker.exists() and marker.read_text().strip() == digest:
        shutil.copyfile(published, page)
        return False
    try:
        dbt_runner.invoke(
            ["docs", "generate", "--static", "--log-level", "warn"],
            database=database,
            target_path=TARGET_DIR,
        )
    except dbt_runner.DbtError as error:
        raise PipelineError(f"{error}; nothing was published") from error
    os.replace(TARGET_DIR / "static_index.html", page)
    page.with_name(marker.name).write_text(digest + "\n", encoding="utf-8")
    return True


def definition_digest() -> str:
    """A digest of the project's definition alone: the files dbt parses (the
    raw seeds by name) and dbt's version, whatever folder the project is in."""
    digest = hashlib.sha256(dbt_runner.dbt_version().encode())
    for part in DBT_DEFINITION:
        for path in _files_under(PROJECT_DIR / part):
            name = path.relative_to(PROJECT_DIR)
            digest.update(f"{name}:{ingest.sha256_of(path)}\n".encode())
    for path in sorted(SEEDS_DIR.glob("*.csv")):
        digest.update(f"seeds/raw/{path.name}\n".encode())
    return digest.hexdigest()


def dbt_build(database: Path, loaded: Sequence[str]) -> None:
    """One in-process ``dbt build`` writing ``database``, raw seeds and unit tests
    excluded; raise PipelineError when it fails.

    dbt's partial parsing still reads and hashes every project file to find
    what changed; when nothing dbt parses changed since the main job's last
    build (the raw seeds' contents do not count: they are not built from the
    files), the saved manifest is used as it is (``--no-partial-parse-file-diff``).
    Should dbt reject the saved manifest all the same, that invocation builds
    no model, and the build is run again with the usual partial parsing.
    """
    marker = TARGET_DIR / "definition.sha256"
    digest = dbt_definition_digest(database)
    unchanged = (
        marker.exists()
        and marker.read_text().strip() == digest
        and (TARGET_DIR / "partial_parse.msgpack").exists()
    )
    marker.unlink(missing_ok=True)
    # dbt's own lines: warnings and failures on the console (the stages say
    # the rest), one line per node in logs/dbt.log; its debug lines (every
    # statement) cost the four threads about 0.5 s of a 1x build in a lock
    arguments = ["build", "--exclude", *loaded, "test_type:unit", "--no-write-json",
                 "--log-level", "warn", "--log-level-file", "info"]  # fmt: skip
    try:
        if unchanged:
            result = dbt_runner.invoke(
                [*arguments, "--no-partial-parse-file-diff"],
                database=database,
                target_path=TARGET_DIR,
            )
            if _built_models(result):
                marker.write_text(digest + "\n", encoding="utf-8")
                return
            LOG.info("dbt did not use its saved manifest: building again")
        dbt_runner.invoke(arguments, database=database, target_path=TARGET_DIR)
    except dbt_runner.DbtError as error:
        raise PipelineError(
            f"{error}; see dbt's output above; nothing was published"
        ) from error
    if (TARGET_DIR / "partial_parse.msgpack").exists():
        marker.write_text(digest + "\n", encoding="utf-8")


def _built_models(result: object) -> int:
    """How many models a ``dbt build`` result ran."""
    return sum(
        1
        for item in getattr(result, "results", None) or []
        if getattr(getattr(item, "node", None), "resource_type", None) == "model"
    )


# --------------------------------------------------------------------------
# Run-level checks
# --------------------------------------------------------------------------

#: the staging models that say, per raw row, whether it was loaded or why not
ROW_MODELS = {
    "breakout": "stg_breakout__campaigns",
    "health": "stg_health__campaigns",
}
#: a match rate below this is "near zero"
NEAR_ZERO_MATCH_RATE = 0.05
#: a match rate below this share of the previous build's has "collapsed"
COLLAPSED_SHARE = 0.5


def _columns(
    connection: duckdb.DuckDBPyConnection, schema: str, table: str
) -> set[str]:
    return {
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    }


def fully_rejected_files(database: Path) -> list[str]:
    """One message per input file whose every row was rejected, naming its top
    reasons (empty when every file loaded rows, or before staging exists)."""
    messages = []
    with duckdb.connect(str(database), read_only=True) as connection:
        for role, model in ROW_MODELS.items():
            if not {"reject_reason", "source_file"} <= _columns(
                connection, "staging", model
            ):
                continue
            relation = f"staging.{model}"
            files = connection.execute(
                f"select source_file, count(*), count(*) filter (where reject_reason "  # noqa: S608
                f"is null) from {relation} group by 1 order by 1"
            ).fetchall()
            for source_file, read, loaded in files:
                if loaded:
                    continue
                reasons = connection.execute(
                    f"select reject_reason, count(*) from {relation} "  # noqa: S608
                    "where source_file = ? group by 1 order by 2 desc, 1 limit 3",
                    [source_file],
                ).fetchall()
                top = "; ".join(f"{reason} ({n:,} rows)" for reason, n in reasons)
                messages.append(
                    f"{source_file} ({role}): every one of its {read:,} rows was "
                    f"rejected; top reasons: {top}"
                )
    return messages


def match_rate(database: Path) -> tuple[int, int] | None:
    """(health campaigns found in the roster, health campaigns) of a build's
    marts, or None when the database or its marts cannot be read."""
    if not database.exists():
        return None
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            [(matched,)] = connection.execute(
                "select count(*) from marts.campaigns where has_health_data"
            ).fetchall()
            [(unmatched,)] = connection.execute(
                "select count(*) from marts.unmatched_health_campaigns"
            ).fetchall()
    except duckdb.Error:
        return None
    return matched, matched + unmatched


def match_warning(
    now: tuple[int, int] | None, before: tuple[int, int] | None
) -> str | None:
    """What is alarming about this build's match rate, or None."""
    if now is None or now[1] == 0:
        return None
    rate = now[0] / now[1]
    if rate < NEAR_ZERO_MATCH_RATE:
        return (
            f"only {now[0]:,} of {now[1]:,} health campaigns ({rate:.1%}) match a "
            "roster campaign: check that both files use the same campaign IDs"
        )
    if before and before[1]:
        previous = before[0] / before[1]
        if rate < previous * COLLAPSED_SHARE:
            return (
                f"the match rate collapsed: {now[0]:,} of {now[1]:,} health "
                f"campaigns ({rate:.1%}) match a roster campaign, against "
                f"{before[0]:,} of {before[1]:,} ({previous:.1%}) in the published "
                "build: check that both files use the same campaign IDs"
            )
    return None


#: the descriptions SQL clients show on main.match_rate_check (its comments)
MATCH_RATE_CHECK_DOCS = {
    "": "The main job's match-rate check of this build (one row): how many Health "
    "campaigns match a roster campaign, against the build published before it; "
    "partners.html shows the warning as a banner.",
    "built_at": "When the check ran (UTC).",
    "health_campaigns": "Health campaigns loaded in this build.",
    "matched_health_campaigns": "Of those, the ones that match a roster campaign.",
    "match_rate": "matched_health_campaigns / health_campaigns.",
    "previous_match_rate": "The match rate of the build published before this one; "
    "null when there was none.",
    "match_rate_warning": "The warning shown when the rate is very low or collapsed "
    "against the previous build; null when there is none.",
}


def record_match_rate_check(
    database: Path,
    now: tuple[int, int] | None,
    before: tuple[int, int] | None,
    warning: str | None,
) -> None:
    """``main.match_rate_check``: the match rate against the last published build,
    and its warning, for the banner of partners.html."""
    rate = now[0] / now[1] if now and now[1] else None
    previous = before[0] / before[1] if before and before[1] else None
    with duckdb.connect(
        str(database), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}
    ) as connection:
        connection.execute(
            "create or replace table main.match_rate_check as select "
            "cast(? as timestamp) as built_at, "
            "cast(? as integer) as health_campaigns, "
            "cast(? as integer) as matched_health_campaigns, "
            "cast(? as double) as match_rate, "
            "cast(? as double) as previous_match_rate, "
            "cast(? as varchar) as match_rate_warning",
            [
                dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                now[1] if now else None,
                now[0] if now else None,
                rate,
                previous,
                warning,
            ],
        )
        for column, text in MATCH_RATE_CHECK_DOCS.items():
            relation = "main.match_rate_check"
            target = f"column {relation}.{column}" if column else f"table {relation}"
            literal = "'" + text.replace("'", "''") + "'"
            connection.execute(f"comment on {target} is {literal}")
        connection.execute("checkpoint")


def shout(message: str) -> None:
    """A warning nobody can miss in the run output."""
    bar = "!" * 78
    LOG.warning("%s", bar)
    LOG.warning("WARNING: %s", message)
    LOG.warning("%s", bar)


# --------------------------------------------------------------------------
# Publishing, all or nothing
# --------------------------------------------------------------------------

_PID_RE = re.compile(r"\(PID (\d+)\)")


def read_write_holder(database: Path) -> int | None:
    """The PID of a process holding ``database`` open read-write, else None.

    A read-write DuckDB session holds an exclusive lock on the file; readers
    hold shared locks, which do not stop a read-only open.
    """
    try:
        duckdb.connect(str(database), read_only=True).close()
    except duckdb.Error as error:
        if "lock" in str(error).lower():
            found = _PID_RE.search(str(error))
            return int(found.group(1)) if found else -1
    return None


class Publication:
    """The publish step's changes, undone in reverse order if a later one fails."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self._undo: list[Callable[[], None]] = []
        self._cleanup: list[Path] = []

    def replace_file(self, source: Path, target: Path) -> None:
        """``os.replace`` with the previous file kept (a hard link) until commit."""
        backup = None
        if target.exists():
            backup = self.work / f"previous-{target.name}"
            backup.unlink(missing_ok=True)
            os.link(target, backup)
            self._cleanup.append(backup)
        os.replace(source, target)
        if backup is None:
            self._undo.append(lambda: target.unlink(missing_ok=True))
        else:
            self._undo.append(lambda: os.replace(backup, target))

    def move(self, source: Path, target: Path) -> None:
        os.replace(source, target)
        self._undo.append(lambda: os.replace(target, source))

    def swap_folder(self, new: Path, target: Path) -> None:
        """Put folder ``new`` in place of folder ``target`` (two renames)."""
        aside = target.with_name(f".{target.name}-previous-{os.getpid()}")
        shutil.rmtree(aside, ignore_errors=True)
        had_target = target.exists()
        if had_target:
            os.replace(target, aside)
            self._undo.append(lambda: os.replace(aside, target))
            self._cleanup.append(aside)
        os.replace(new, target)
        self._undo.append(lambda: os.replace(target, new))

    def guard_folder(self, folder: Path) -> None:
        """Undo any file change in ``folder`` made after this call."""
        backup = self.work / f"previous-{folder.name}"
        shutil.rmtree(backup, ignore_errors=True)
        backup.mkdir(parents=True)
        before = {}
        if folder.is_dir():
            for path in folder.iterdir():
                if path.is_file():
                    os.link(path, backup / path.name)
                    before[path.name] = backup / path.name
        self._cleanup.append(backup)

        def restore() -> None:
            for path in folder.iterdir() if folder.is_dir() else []:
                kept = before.get(path.name)
                if kept is None:
                    path.unlink()
                elif not os.path.samefile(path, kept):
                    os.replace(kept, path)
            for name, kept in before.items():
                if not (folder / name).exists():
                    os.replace(kept, folder / name)

        self._undo.append(restore)

    def rollback(self) -> None:
        for undo in reversed(self._undo):
            try:
                undo()
            except OSError as error:  # keep undoing the rest
                LOG.error("could not undo a publish step: %s", error)
        self._undo.clear()

    def commit(self) -> None:
        self._undo.clear()
        for path in self._cleanup:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


#: how many moved-aside scratch databases (with their journals) are kept
KEPT_SCRATCH_COPIES = 3


def prune_scratch_copies(
    build_dir: Path, keep: int = KEPT_SCRATCH_COPIES
) -> list[Path]:
    """Delete all but the ``keep`` newest ``partners.scratch-<time>.duckdb``
    copies (and their ``.wal``) that publishing moved aside; return the ones
    deleted, each said in one line."""
    copies = sorted(build_dir.glob("partners.scratch-*.duckdb"), reverse=True)
    for old in copies[keep:]:
        old.unlink(missing_ok=True)
        old.with_name(old.name + ".wal").unlink(missing_ok=True)
        LOG.info("deleted %s, a scratch copy older than the %d kept", old.name, keep)
    return copies[keep:]


def publish(
    converted: Converted,
    database: Path,
    report: Path,
    docs: Path,
    build_dir: Path,
    inputs: Inputs,
    as_of: dt.date | None,
) -> None:
    """Commit the run: history, seeds, database, report, docs page and stamp,
    or none of them."""
    published = build_dir / "partners.duckdb"
    wal = published.with_name(published.name + ".wal")
    if published.exists():
        holder = read_write_holder(published)
        if holder is not None:
            raise PipelineError(
                f"{published} is open read-write by another program (PID "
                f"{holder if holder > 0 else 'unknown'}): publishing now would "
                "leave a database that no reader can open. Close that session "
                "and reconnect read-only (make sql; DBeaver: tick 'Read-only "
                "connection'), then run again; nothing was published"
            )
    stamp_file = build_dir / ".build-stamp"
    publication = Publication(database.parent)
    try:
        publication.guard_folder(inputs.history_dir)
        converted.store_history()
        publication.swap_folder(converted.seeds_dir, SEEDS_DIR)
        if wal.exists():  # left by a read-write session that was killed
            scratch = build_dir / (
                f"partners.scratch-{dt.datetime.now():%Y%m%dT%H%M%S}.duckdb"
            )
            os.link(published, scratch)
            publication.move(wal, scratch.with_name(scratch.name + ".wal"))
            LOG.warning(
                "%s had changes of a read-write SQL session that was not closed "
                "(%s): they are kept, with that database, as %s; the new build "
                "replaces %s",
                published.name, wal.name, scratch, published.name,
            )  # fmt: skip
        publication.replace_file(database, published)
        publication.replace_file(report, build_dir / "partners.html")
        publication.replace_file(docs, build_dir / DOCS_PAGE)
        marker = docs.with_name(f".{DOCS_PAGE}.sha256")
        if marker.exists():  # the page was generated: its definition's digest
            publication.replace_file(marker, build_dir / marker.name)
        stamp = build_dir / ".build-stamp.new"
        stamp.write_text(build_stamp(inputs, as_of) + "\n", encoding="utf-8")
        publication.replace_file(stamp, stamp_file)
    except BaseException:
        publication.rollback()
        raise
    publication.commit()
    prune_scratch_copies(build_dir)


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------


def run(
    breakout: Path | None = None,
    health: Path | None = None,
    build_dir: Path = PROJECT_DIR / "build",
    as_of: dt.date | None = None,
    force: bool = False,
    sample: bool = False,
) -> Path:
    """Run every stage; return the published database path.

    When the inputs, the history and the project are unchanged since the
    last published build (same stamp), nothing is redone unless ``force``.
    """
    build_dir = build_dir.resolve()
    published = build_dir / "partners.duckdb"
    started = time.perf_counter()
    with run_lock(build_dir):
        with stage("inputs"):
            inputs = resolve_inputs(breakout, health, sample, build_dir)
            stamp = build_stamp(inputs, as_of)
        stamp_file = build_dir / ".build-stamp"
        outputs = (published, build_dir / "partners.html", build_dir / DOCS_PAGE)
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
        work = build_dir / ".work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        with stage("read + convert") as summary:
            converted = convert(inputs, work / "raw", as_of)
            summary.rows = converted.summary
        database = work / "partners.duckdb"
        with stage("load raw") as summary:
            loaded = load_raw_tables(database, converted.seeds_dir)
            summary.rows = f"{len(loaded)} raw tables (DuckDB CSV reader)"
        with stage("dbt build") as summary:
            try:
                with seed_nodes_for(SEEDS_DIR, converted.seeds_dir):
                    dbt_build(database, loaded)
            except PipelineError:
                if rejected := fully_rejected_files(database):
                    raise PipelineError(_rejected_message(rejected)) from None
                raise
            summary.rows = f"{converted.roster_rows:,} roster rows"
        with stage("checks"):
            if rejected := fully_rejected_files(database):
                raise PipelineError(_rejected_message(rejected))
            now, before = match_rate(database), match_rate(published)
            warning = match_warning(now, before)
            if warning:
                shout(warning)
            record_match_rate_check(database, now, before, warning)
        report = work / "partners.html"
        with stage("export partners.html"):
            try:
                export_html.export(database, report, database_name=published.name)
            except export_html.ExportError as error:
                raise PipelineError(str(error)) from error
        docs = work / DOCS_PAGE
        with (
            stage("docs page") as summary,
            seed_nodes_for(SEEDS_DIR, converted.seeds_dir),
        ):
            generated = docs_page(database, docs, build_dir)
            summary.rows = "generated" if generated else "definition unchanged: kept"
        with stage("publish"):
            publish(converted, database, report, docs, build_dir, inputs, as_of)
        shutil.rmtree(work, ignore_errors=True)
    LOG.info("published %s in %.1f s", published, time.perf_counter() - started)
    return published


def _rejected_message(rejected: list[str]) -> str:
    return " / ".join(rejected) + (
        "; nothing was published (is it the right file, with the right columns?)"
    )


def argument_parser() -> argparse.ArgumentParser:
    """The main job's command line (the Makefile writes it: make partners)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--breakout", type=Path, help="the Breakout (roster) workbook")
    parser.add_argument("--health", type=Path, help="the Health workbook")
    parser.add_argument(
        "--sample",
        action="store_true",
        help="generate the sample workbooks (build/sample/) and build those",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="rebuild even when the inputs and the project are unchanged",
    )
    parser.add_argument(
        "--as-of",
        type=dates.as_of_argument,
        help="the date the Health workbook describes: YYYY-MM-DD or a month "
        "(2026-11, Nov 2026) (default: the "
        "month or date in its title, else the file's date)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    args = argument_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    # Ctrl-C stops the run cleanly even when this process was started with
    # SIGINT ignored (as a background job of a non-interactive shell is)
    previous_interrupt = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        run(args.breakout, args.health, as_of=args.as_of, force=args.force,
            sample=args.sample)  # fmt: skip
    except PipelineError as error:
        LOG.error("%s", error)
        return 1
    except OSError as error:  # a full disk, a read-only folder, ...
        LOG.error("%s; nothing was published", error)
        return 1
    except KeyboardInterrupt as interrupt:
        children.stop_all()
        terminated = isinstance(interrupt, Terminated)
        LOG.error(
            "stopped by %s; nothing was published",
            "SIGTERM" if terminated else "Ctrl-C",
        )
        return 143 if terminated else 130
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_interrupt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
