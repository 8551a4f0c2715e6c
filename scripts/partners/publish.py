"""Publishing, the one place that replaces what users read: the main job's
publish step, all or nothing (history, seeds, database, report, docs page,
build stamp and the build history's new row, or none of them); the seed
set's swap of ``partners convert`` and the healing of a killed swap; and a
file written whole (``write_atomically``: ``partners export``'s page)."""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from partners import run_history, stops
from partners.errors import PipelineError
from partners.project import DATABASE_FILE, DOCS_PAGE, REPORT_PAGE, SEEDS_DIR

LOG = logging.getLogger("partners")

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


def refuse_if_held(published: Path) -> None:
    """Raise PipelineError when another program holds the published database
    open read-write: checked before the run's work starts, and again when
    it publishes."""
    holder = read_write_holder(published) if published.exists() else None
    if holder is not None:
        raise PipelineError(
            f"{published} is open read-write by another program (PID "
            f"{holder if holder > 0 else 'unknown'}): publishing now would "
            "leave a database that no reader can open. Close that session "
            "and reconnect read-only (make sql; DBeaver: tick 'Read-only "
            "connection'), then run again; nothing was published"
        )


#: where ``Publication.swap_folder`` puts the folder it replaces, by the PID
_ASIDE_PREFIX = ".%s-previous-"


def heal_swapped_folder(target: Path) -> None:
    """Undo what a run killed while it swapped folder ``target`` left: when
    ``target`` is missing, the newest folder put aside comes back in its
    place; every other one is deleted (it is an earlier set, and dbt would
    read its files)."""
    asides = sorted(
        target.parent.glob(f"{_ASIDE_PREFIX % target.name}*"),
        key=lambda path: path.stat().st_mtime,
    )
    if asides and not target.exists():
        os.replace(asides.pop(), target)
        LOG.warning("%s put back: a run was stopped while it replaced it", target)
    for leftover in asides:
        shutil.rmtree(leftover, ignore_errors=True)


def write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write the text ``chunks`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(
            handle, "w", encoding="utf-8", newline="\n", buffering=1 << 20
        ) as output:
            for chunk in chunks:
                output.write(chunk)
            output.flush()
            os.fsync(output.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private (0600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _keep_copy(source: Path, copy: Path) -> None:
    """``source`` kept at ``copy``: a hard link, or a copy where the two are
    on different file systems (a history store may be)."""
    try:
        os.link(source, copy)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        shutil.copy2(source, copy)


def _put_back(kept: Path, target: Path) -> None:
    """``os.replace(kept, target)``; across file systems a copy beside
    ``target`` renamed over it."""
    try:
        os.replace(kept, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        temporary = target.with_name(f".{target.name}.restored")
        shutil.copy2(kept, temporary)
        os.replace(temporary, target)
        kept.unlink()


#: the publish step's journal, in the build folder: one JSON line per change,
#: written before the change is made, saying how to undo it; deleted at the
#: commit. A run killed while it published (kill -9, a power cut) leaves it,
#: and the next run undoes what it lists before anything else
#: (:func:`heal_unfinished_publish`): the history, seeds and published files
#: are then those of the last publish that was committed.
JOURNAL = ".publishing"


def _undo(step: dict[str, list[str]]) -> None:
    """Undo one journaled change, whether or not it was made in full."""
    action, paths = next(iter(step.items()))
    if action == "put_back":  # a replaced file: its previous version back
        kept, target = map(Path, paths)
        if kept.exists():
            _put_back(kept, target)
    elif action == "remove":  # a file that was new
        Path(paths[0]).unlink(missing_ok=True)
    elif action == "move_back":  # a file or folder moved: back, if it was
        moved, original = map(Path, paths)
        if moved.exists() and not original.exists():
            os.replace(moved, original)
    elif action == "restore_folder":  # a folder's files as they were
        folder, backup = Path(paths[0]), Path(paths[1])
        before = {name: backup / name for name in paths[2:]}
        for path in folder.iterdir() if folder.is_dir() else []:
            kept = before.get(path.name)
            if kept is None:
                path.unlink()
            elif kept.exists() and not os.path.samefile(path, kept):
                _put_back(kept, path)
        for name, kept in before.items():
            if not (folder / name).exists() and kept.exists():
                _put_back(kept, folder / name)


def heal_unfinished_publish(build_dir: Path) -> None:
    """Undo the changes of a publish step that never reached its commit (the
    journal it left), newest first; say so in one line."""
    journal = build_dir / JOURNAL
    if not journal.exists():
        return
    lines = journal.read_text(encoding="utf-8").splitlines()
    steps = [json.loads(line) for line in lines if line.endswith("}")]
    for step in reversed(steps):
        _undo(step)
    journal.unlink()
    LOG.warning(
        "a run was killed while it published: its %d change(s) are undone (the "
        "history, seeds and published files are those of the last publish)",
        len(steps),
    )


class Publication:
    """The publish step's changes, undone in reverse order if a later one
    fails, or by the next run if this one is killed (the journal)."""

    def __init__(self, work: Path, journal: Path | None = None) -> None:
        self.work = work
        self.journal = journal  # none: undone by this process alone
        self._steps: list[dict[str, list[str]]] = []
        self._cleanup: list[Path] = []
        if journal:
            journal.write_text("", encoding="utf-8")

    def _will(self, action: str, *paths: Path | str) -> None:
        """Journal how to undo the change about to be made."""
        step = {action: [str(path) for path in paths]}
        self._steps.append(step)
        if self.journal:
            with self.journal.open("a", encoding="utf-8") as log:
                log.write(json.dumps(step) + "\n")

    def replace_file(self, source: Path, target: Path) -> None:
        """``os.replace`` with the previous file kept (a hard link) until commit."""
        if target.exists():
            backup = self.work / f"previous-{target.name}"
            backup.unlink(missing_ok=True)
            _keep_copy(target, backup)
            self._cleanup.append(backup)
            self._will("put_back", backup, target)
        else:
            self._will("remove", target)
        os.replace(source, target)

    def move(self, source: Path, target: Path) -> None:
        self._will("move_back", target, source)
        os.replace(source, target)

    def swap_folder(self, new: Path, target: Path) -> None:
        """Put folder ``new`` in place of folder ``target`` (two renames)."""
        aside = target.with_name(f"{_ASIDE_PREFIX % target.name}{os.getpid()}")
        shutil.rmtree(aside, ignore_errors=True)
        if target.exists():
            self._will("move_back", aside, target)
            os.replace(target, aside)
            self._cleanup.append(aside)
        self._will("move_back", target, new)
        os.replace(new, target)

    def guard_folder(self, folder: Path) -> None:
        """Undo any file change in ``folder`` made after this call."""
        backup = self.work / f"previous-{folder.name}"
        shutil.rmtree(backup, ignore_errors=True)
        backup.mkdir(parents=True)
        names = []
        if folder.is_dir():
            for path in folder.iterdir():
                if path.is_file():
                    _keep_copy(path, backup / path.name)
                    names.append(path.name)
        self._cleanup.append(backup)
        self._will("restore_folder", folder, backup, *names)

    def rollback(self) -> None:
        for step in reversed(self._steps):
            try:
                _undo(step)
            except OSError as error:  # keep undoing the rest
                LOG.error("could not undo a publish step: %s", error)
        self._steps.clear()
        if self.journal:
            self.journal.unlink(missing_ok=True)

    def commit(self) -> None:
        if self.journal:
            self.journal.unlink()  # the commit point
        self._steps.clear()
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


def require_complete(database: Path) -> None:
    """The build's database holds everything in its one file, the file that
    is published. dbt's connection checkpoints its write-ahead log as it
    closes, and says nothing when that fails (a full disk, a file-size
    limit): the file alone then lacks what the log holds (the marts), and
    was published. A log left is checkpointed here; when that fails too,
    nothing is published."""
    log = database.with_name(database.name + ".wal")
    if not log.exists():
        return
    try:
        with duckdb.connect(str(database)) as connection:
            connection.execute("checkpoint")
    except duckdb.Error as error:
        raise PipelineError(
            f"{database}: the build could not be written into its file (is the "
            f"disk full?): {str(error).splitlines()[0]}; nothing was published"
        ) from None
    if log.exists():
        raise PipelineError(
            f"{database}: the build could not be written into its file: {log.name} "
            "is left after a checkpoint; nothing was published"
        )


def publish(
    *,
    store_history: Callable[[], None],
    history_dir: Path,
    builds: Path,
    seeds: Path,
    database: Path,
    report: Path,
    docs: Path,
    build_dir: Path,
    stamp: Callable[[], str],
) -> None:
    """Commit the run: history, seeds, database, report, docs page, stamp and
    the build history's new row, or none of them. ``store_history`` stores
    the run's Health drops in ``history_dir``; ``stamp`` makes the build's
    stamp, once they are stored (the stamp covers the history); ``builds``
    is the build history, which gains this build's row of ``database``.

    The stops are held throughout: every step, then the commit, or, when a
    stop came meanwhile, every step undone and the stop raised."""
    with stops.held() as free:  # the step ends whole: a stop waits for its end
        if not free:  # a stop was on its way: raised as the block ends
            return
        published = build_dir / DATABASE_FILE
        wal = published.with_name(published.name + ".wal")
        refuse_if_held(published)  # again: a session may have opened since
        stamp_file = build_dir / ".build-stamp"
        publication = Publication(database.parent, build_dir / JOURNAL)
        try:
            require_complete(database)  # before anything is touched
            publication.guard_folder(history_dir)
            store_history()
            build_stamp = stamp()
            new_builds = run_history.with_this_build(
                database, builds, build_stamp, builds.with_name(f".{builds.name}.new")
            )
            publication.swap_folder(seeds, SEEDS_DIR)
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
            publication.replace_file(report, build_dir / REPORT_PAGE)
            publication.replace_file(docs, build_dir / DOCS_PAGE)
            marker = docs.with_name(f".{DOCS_PAGE}.sha256")
            if marker.exists():  # the page was generated: its definition's digest
                publication.replace_file(marker, build_dir / marker.name)
            new_stamp = build_dir / ".build-stamp.new"
            new_stamp.write_text(build_stamp + "\n", encoding="utf-8")
            publication.replace_file(new_stamp, stamp_file)
            publication.replace_file(new_builds, builds)
        except BaseException:
            publication.rollback()
            builds.with_name(f".{builds.name}.new").unlink(missing_ok=True)
            raise
        if stops.pending():  # stopped while it published: raised as it ends
            publication.rollback()
            return
        publication.commit()
        stops.published()
    stops.raise_if_stopped()  # (unless its handler let it pass)
    prune_scratch_copies(build_dir)
