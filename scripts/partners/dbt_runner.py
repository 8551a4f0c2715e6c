"""The one place that runs dbt: in this process, through dbt's ``dbtRunner``.

Usage (the Makefile's targets and developers)::

    python scripts/partners dbt [--database PATH] DBT_ARGUMENTS...
    python scripts/partners dbt --database build/.docs/partners.duckdb docs generate

Every caller (the main job, ``make docs`` / ``make analyses``, the Spark check,
the documentation check, the tests, the benchmark) goes through :func:`invoke`:
dbt runs in-process (no second Python start-up, and stopping the process stops
dbt with it), against this project whatever the current directory is, with
dbt's partial-parse cache kept in the target folder between runs.

``--database`` / ``database=`` sets ``PARTNERS_DUCKDB_PATH`` for the call;
without it ``profiles.yml`` uses its default, ``build/dev.duckdb``.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib.metadata
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from partners import stops
from partners.project import PROJECT_DIR

#: the profile's database when PARTNERS_DUCKDB_PATH is not set (profiles.yml)
DEFAULT_DATABASE = PROJECT_DIR / "build" / "dev.duckdb"
DATABASE_VARIABLE = "PARTNERS_DUCKDB_PATH"


#: what build_info records of the code that made a build (models/marts/build_info.sql)
CODE_VERSION_VARIABLE = "PARTNERS_CODE_VERSION"
ADAPTER_VERSION_VARIABLE = "PARTNERS_DBT_ADAPTER_VERSION"


@functools.cache
def code_version(project_dir: Path = PROJECT_DIR) -> str:
    """The project's git commit ("-modified" when its files differ from it),
    or "unknown" outside a git checkout."""
    git = ["git", "-C", str(project_dir)]  # fixed arguments, no user input
    try:
        commit = subprocess.run(  # noqa: S603
            [*git, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
        if commit.returncode != 0:
            return "unknown"
        changes = subprocess.run(  # noqa: S603
            [*git, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return commit.stdout.strip() + ("-modified" if changes.stdout.strip() else "")


def adapter_version(arguments: Sequence[str]) -> str:
    """The dbt adapter's package and version for a dbt call: dbt-spark with
    ``--target spark``, else dbt-duckdb."""
    package = "dbt-spark" if "spark" in arguments else "dbt-duckdb"
    try:
        return f"{package} {importlib.metadata.version(package)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{package} unknown"


class DbtError(Exception):
    """dbt ran and failed (a model, a test, a parse error); the message says which."""


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of one dbt call."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def dbt_arguments(
    arguments: Sequence[str],
    project_dir: Path = PROJECT_DIR,
    target_path: Path | None = None,
) -> list[str]:
    """``arguments`` plus the project, profile, target and log folders, absolute.

    Absolute folders make dbt independent of the current directory; the
    target folder holds ``partial_parse.msgpack``, which later runs reuse.
    """
    project_dir = project_dir.resolve()
    extra = ["--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    if arguments and arguments[0] not in ("clean", "deps", "debug", "init"):
        extra += ["--target-path", str(target_path or project_dir / "target")]
    extra += ["--log-path", str(project_dir / "logs")]
    if not sys.stdout.isatty():
        extra.append("--no-use-colors")
    return [*arguments, *extra]


def dbt_version() -> str:
    """The installed dbt-core version."""
    from importlib.metadata import version

    return version("dbt-core")


def _import_dbt() -> None:
    """Import dbt, its locks made by a fork context first.

    dbt makes its locks (the manifest's, each adapter's connection lock) with
    a "spawn" multiprocessing context, although it runs its nodes in threads:
    each such lock is a named semaphore, registered with multiprocessing's
    resource tracker, a Python process of its own started for it. A stop that
    came between the two (the registration and its cleanup) left the tracker
    to print "leaked semaphore objects" on the console once the run had ended.
    A fork context's lock is the same lock to threads, with no name, nothing
    registered and no tracker process. Set before dbt's modules are imported:
    the manifest takes its lock factory at import time.
    """
    import multiprocessing

    import dbt.mp_context

    if (
        dbt.mp_context._MP_CONTEXT.get_start_method() != "fork"
        and sys.platform != "win32"
    ):
        dbt.mp_context._MP_CONTEXT = multiprocessing.get_context("fork")
    import dbt.adapters.duckdb
    import dbt.cli.main


def preload(niceness: int = 0) -> None:
    """Import dbt and its DuckDB adapter now (about 1 s), so that a caller
    can do it while another process works; :func:`invoke` needs no more.

    With ``niceness`` (Linux, where it is per thread), the imports run in a
    thread of that lower priority, so they take the CPU the other work leaves.
    """
    if not niceness or not sys.platform.startswith("linux"):
        _import_dbt()
        return
    failure: list[BaseException] = []

    def imports() -> None:
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
        try:
            _import_dbt()
        except BaseException as error:  # raised again in the caller's thread
            failure.append(error)

    # a daemon: should it not end within STOP_WAIT_S of a stop, the run still does
    thread = threading.Thread(target=imports, name="preload-dbt", daemon=True)
    thread.start()
    try:
        thread.join()
    except KeyboardInterrupt:  # a stop: the imports end first (see _let_finish)
        _let_finish([thread])
        raise
    if failure:
        raise failure[0]


#: how long a stopped run waits for the threads still in DuckDB or dbt
STOP_WAIT_S = 10.0


def _let_finish(threads: Iterable[threading.Thread]) -> None:
    """Wait (at most STOP_WAIT_S in all) for ``threads`` to end, before a
    stopped program does: a daemon thread still inside DuckDB's C++ code as
    the interpreter ends is cut there, which aborted the process ("FATAL:
    exception not rethrown", exit -6) or left DuckDB's objects for nanobind
    to list as leaks after the stop's one line."""
    deadline = time.monotonic() + STOP_WAIT_S
    waiting = set(threads) - {threading.current_thread()}
    # not Thread.join: a join cut short by the stop marks its thread as ended
    # although it runs on (CPython's bpo-45274 path); a thread leaves
    # threading.enumerate() only as its last Python code ends
    while waiting and time.monotonic() < deadline:
        waiting &= set(threading.enumerate())
        if waiting:
            time.sleep(0.01)


def invoke(
    arguments: Sequence[str],
    *,
    database: Path | None = None,
    project_dir: Path = PROJECT_DIR,
    target_path: Path | None = None,
    environment: dict[str, str] | None = None,
) -> object:
    """Run one dbt command in-process; return dbt's result; raise DbtError on failure.

    ``database`` is the DuckDB file the default target writes (absolute, so
    dbt-duckdb never resolves it against the current directory). Ctrl-C and
    SIGTERM (turned into KeyboardInterrupt by the caller) stop dbt and are
    raised again here, not reported as a dbt failure, also when dbt turned
    them into one.
    """
    _import_dbt()  # on first use: ~1 s
    from dbt.cli.main import dbtRunner

    values = {
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        CODE_VERSION_VARIABLE: code_version(project_dir.resolve()),
        ADAPTER_VERSION_VARIABLE: adapter_version(arguments),
        **(environment or {}),
    }
    if database is None and DATABASE_VARIABLE not in os.environ:
        database = project_dir.resolve() / DEFAULT_DATABASE.relative_to(PROJECT_DIR)
    if database is not None:
        values[DATABASE_VARIABLE] = str(database.resolve())
        database.parent.mkdir(parents=True, exist_ok=True)
    command = dbt_arguments(arguments, project_dir, target_path)
    running = set(threading.enumerate())
    with _environment(values), _imports_frozen(), _console_until_stopped():
        try:
            outcome = dbtRunner().invoke(command)
        finally:
            _close_duckdb()
            if stops.stopped():  # dbt's workers end before the program does
                _let_finish(set(threading.enumerate()) - running)
    # a stop dbt made a failure of its own of ("Connection already closed":
    # it closes the connections of the models it runs) is raised as the stop
    stops.raise_if_stopped()
    if isinstance(outcome.exception, KeyboardInterrupt):
        raise outcome.exception
    if not outcome.success:
        reason = (
            f": {_one_line(str(outcome.exception))}"
            if outcome.exception
            else _failed_nodes(outcome.result)
        )
        raise DbtError(f"dbt {' '.join(arguments)} failed{reason}")
    return outcome.result


def _one_line(message: str) -> str:
    """A dbt error's message on one line: its kind and its first line
    ("Runtime Error: Out of Memory Error: failed to allocate ..."), without
    the advice DuckDB adds below it."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    kind = lines[0] if lines else ""
    if len(lines) > 1 and (kind.endswith(" Error") or " Error in " in kind):
        return f"{kind}: {lines[1]}"  # "Runtime Error [in model x (path)]"
    return lines[0] if lines else message


def _failed_nodes(result: object, most: int = 3) -> str:
    """The first nodes that failed in a dbt result, each with its message's
    first line (": model x: Out of Memory Error: ..."), or nothing."""
    failed = [
        f"{node.node.resource_type} {node.node.name}: "
        + _one_line(str(node.message or node.status))
        for node in getattr(result, "results", None) or []
        if str(node.status) in ("error", "fail")
    ]
    more = f" (and {len(failed) - most} more)" if len(failed) > most else ""
    return (": " + "; ".join(failed[:most]) + more) if failed else ""


class _ConsoleUntilStopped(io.TextIOBase):
    """dbt's console lines, written on to standard output, but for those dbt
    writes while a stop (Ctrl-C, SIGTERM: a KeyboardInterrupt) unwinds it: its
    "Encountered an error" and the stop's stack trace, and, once the main job
    was stopped, the models its threads were running, which dbt interrupts
    ("INTERRUPT Error: Interrupted!"). The main job says the stop in one line
    of its own."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        unwinding = isinstance(sys.exc_info()[1], KeyboardInterrupt)
        if not (unwinding or stops.stopped()):
            sys.stdout.write(text)
        return len(text)

    def flush(self) -> None:
        sys.stdout.flush()


@contextlib.contextmanager
def _console_until_stopped() -> Iterator[None]:
    """dbt's console logger writes to _ConsoleUntilStopped for one dbt call
    (dbt_common's capture stream: the stream dbt's console logger is given
    when it is set up, once dbt has read its flags). Until then dbt writes to
    the logger it was imported with, on standard output: it is replaced by
    one writing to the same _ConsoleUntilStopped, so that a stop that comes
    before dbt has read its flags is not printed either."""
    from dbt_common.events import (
        EventLevel,
        LineFormat,
        get_event_manager,
        get_stdout_config,
    )
    from dbt_common.events.functions import (
        capture_stdout_logs,
        stop_capture_stdout_logs,
    )

    console = _ConsoleUntilStopped()
    capture_stdout_logs(console)
    first = get_stdout_config(LineFormat.PlainText, True, EventLevel.WARN, False)
    first.output_stream = console
    manager = get_event_manager()
    manager.loggers.clear()
    manager.add_logger(first)
    try:
        yield
    finally:
        stop_capture_stdout_logs()


@contextlib.contextmanager
def _imports_frozen() -> Iterator[None]:
    """Keep the objects that exist now (dbt's imported modules and classes,
    about 135,000) out of Python's cyclic garbage collections for one dbt call.

    dbt allocates enough to trigger many full collections, and each one
    walked every imported object again: about 0.5 s of a sample build
    (``make bench``). The objects dbt creates are still collected; afterwards
    the frozen ones are ordinary objects again.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _close_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process.

    dbt-duckdb holds one database instance per process between invocations;
    closed here, the file is free for this process's own DuckDB connections
    (with their own configuration) and for other processes.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - dbt-duckdb is a requirement
        return
    with DuckDBConnectionManager._LOCK:  # no public way to close it
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if environment is not None:
        environment.close()
    gc.collect()  # cursors of the closed environment hold the database too


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if arguments else 2
    database = None
    if arguments[0] == "--database":
        if len(arguments) < 3:
            print(
                "dbt_runner: --database needs a path and a dbt command", file=sys.stderr
            )
            return 2
        database, arguments = Path(arguments[1]), arguments[2:]
    try:
        invoke(arguments, database=database)
    except DbtError as error:
        print(f"dbt_runner: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dbt_runner: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
