"""All-or-nothing publishing, and analysts reading while a build runs."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from conftest import (
    health_rows,
    processes_running_in,
    roster_rows,
    run_pipeline,
    tree_digest,
    write_workbook,
)
from partners import publish

COUNT = "select count(*) from marts.campaigns"


def published(project: Path) -> list[Path]:
    return [project / "build" / "partners.duckdb", project / "build" / "partners.html"]


def small_workbooks(tmp_path: Path) -> list[str]:
    roster = write_workbook(tmp_path / "r.xlsx", {"Roster": roster_rows(5)})
    health = write_workbook(tmp_path / "h.xlsx", {"Health": health_rows(["1001"])})
    return ["--breakout", str(roster), "--health", str(health)]


def count(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(COUNT).fetchone()[0]


def start_main_job(project: Path, *args: str) -> subprocess.Popen[str]:
    """The main job in the background, its log lines readable as they come."""
    return subprocess.Popen(
        [sys.executable, str(project / "scripts" / "partners"), *args],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def wait_for(process: subprocess.Popen[str], text: str) -> list[str]:
    """Read the job's log until a line holds ``text``; return the lines read."""
    lines = []
    for line in process.stderr:
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"the run ended before {text!r}:\n{''.join(lines)}")


def test_killed_build_leaves_the_last_good_files(project: Path, tmp_path: Path) -> None:
    before = tree_digest(*published(project), project / "seeds" / "raw")
    process = start_main_job(project, *small_workbooks(tmp_path))
    wait_for(process, "[dbt build] started")
    time.sleep(1.0)  # dbt is parsing or building
    os.killpg(process.pid, signal.SIGKILL)  # the main job, killed while dbt runs
    process.wait()
    assert tree_digest(*published(project), project / "seeds" / "raw") == before
    assert count(published(project)[0]) == 2067
    # and what a kill between the two renames of the seed swap leaves (the
    # published set put aside, none in its place): the next run heals it
    seeds = project / "seeds" / "raw"
    seeds.rename(seeds.with_name(".raw-previous-999"))
    # the lock died with the process: the next run goes through
    completed = run_pipeline(project, *small_workbooks(tmp_path))
    assert completed.returncode == 0, completed.stderr
    assert count(published(project)[0]) == 5
    assert "seeds/raw put back: a run was stopped while it replaced it" in (
        completed.stderr
    )
    assert list(seeds.parent.glob(".raw-*")) == []


@pytest.mark.parametrize("saved_state", [False, True], ids=["parsing", "building"])
@pytest.mark.parametrize(
    ("signal_number", "exit_code", "name"),
    [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")],
)
def test_a_stopped_run_says_one_line_and_leaves_nothing_running(
    project: Path,
    tmp_path: Path,
    signal_number: int,
    exit_code: int,
    name: str,
    saved_state: bool,
) -> None:
    """Stopped a second into the dbt build: without dbt's saved state (a fresh
    copy) the stop comes while dbt parses, and dbt's own "Encountered an
    error" and traceback of the stop are not shown; with it, while dbt runs
    the models, where dbt swallowed the stop (the run went on, published and
    exited 0): the run now stops before its checks all the same."""
    if not saved_state:
        shutil.rmtree(project / "target")
    before = tree_digest(*published(project), project / "seeds" / "raw")
    process = start_main_job(project, *small_workbooks(tmp_path))
    wait_for(process, "[dbt build] started")
    time.sleep(1.0)
    process.send_signal(signal_number)  # to the main job only, not its group
    rest = process.stderr.read()
    assert process.wait(timeout=60) == exit_code, rest
    assert "Traceback" not in rest
    assert rest.strip().splitlines()[-1] == (
        f"partners: stopped by {name}; nothing was published"
    )
    assert processes_running_in(project) == []  # dbt ran in the job's process
    assert (project / "build" / ".partners.lock").read_text() == ""  # no stale PID
    assert tree_digest(*published(project), project / "seeds" / "raw") == before
    completed = run_pipeline(project, *small_workbooks(tmp_path))
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize(
    ("signal_number", "exit_code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)]
)
def test_a_run_stopped_while_converting_stops_the_conversion_too(
    project: Path, tmp_path: Path, signal_number: int, exit_code: int
) -> None:
    """The conversion runs in a child process: stopping the main job then
    (a slow conversion, here a patched one) ends the child as well."""
    driver = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(project / 'scripts')!r})\n"
        "from partners import cli, ingest\n"
        "ingest.convert = lambda *args, **kwargs: time.sleep(120)\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", driver, *small_workbooks(tmp_path)],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    wait_for(process, "[read + convert] started")
    time.sleep(1.0)
    assert len(processes_running_in(project)) == 2  # the main job and its child
    process.send_signal(signal_number)
    rest = process.stderr.read()
    assert process.wait(timeout=30) == exit_code, rest
    assert "Traceback" not in rest
    assert processes_running_in(project) == []


def run_patched(project: Path, patch: str, *args: str) -> subprocess.CompletedProcess:
    """The main job with ``patch`` (Python) applied first: a full disk, a
    read-only folder (tests run as root, where chmod stops nothing)."""
    driver = (
        "import errno, os, sys\n"
        f"sys.path.insert(0, {str(project / 'scripts')!r})\n"
        "from partners import cli, export_html\n"
        + textwrap.dedent(patch)
        + "\nsys.exit(cli.main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", driver, *args],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip


FULL_DISK_IN_EXPORT = """
    def full_disk(path, chunks):
        text = "".join(chunks)
        with open(str(path) + ".partial", "w") as handle:
            handle.write(text[: len(text) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    export_html.write_atomically = full_disk
"""
FULL_DISK_IN_PUBLISH = """
    replace = os.replace

    def full_disk(source, target):
        if str(target).endswith("build/partners.html"):
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        replace(source, target)

    os.replace = full_disk
"""
READ_ONLY_SEEDS = """
    replace = os.replace

    def read_only(source, target):  # the project folder, where seeds/ is
        if "/seeds/" in f"{source} {target}":
            raise OSError(errno.EROFS, "Read-only file system", str(target))
        replace(source, target)

    os.replace = read_only
"""


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (FULL_DISK_IN_EXPORT, "No space left on device"),
        (FULL_DISK_IN_PUBLISH, "No space left on device"),
        (READ_ONLY_SEEDS, "Read-only file system"),
    ],
    ids=["full disk writing the report", "full disk publishing", "read-only seeds"],
)
def test_a_run_failing_on_the_disk_publishes_nothing_and_leaves_no_trace(
    project: Path, tmp_path: Path, patch: str, message: str
) -> None:
    """Issue 12 #1: the history, the seeds, the stamp and the published files
    stay as they were (a failure while publishing undoes the steps before
    it), and the next run with the same inputs builds and publishes them."""
    kept = [*published(project), project / "seeds" / "raw",
            project / "build" / ".build-stamp"]  # fmt: skip
    before = tree_digest(*kept)
    inputs = small_workbooks(tmp_path)
    completed = run_patched(project, patch, *inputs)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert message in completed.stderr
    assert completed.stderr.strip().endswith("nothing was published")
    assert "Traceback" not in completed.stderr
    assert tree_digest(*kept) == before
    assert count(published(project)[0]) == 2067
    history = project / "data" / "history"
    assert not history.exists() or list(history.iterdir()) == []
    assert not list((project / "build").glob("*.scratch-*"))
    again = run_pipeline(project, *inputs)
    assert again.returncode == 0, again.stderr
    assert "up to date" not in again.stderr
    assert count(published(project)[0]) == 5
    assert len(list(history.glob("*.csv"))) == 1


def read_write_session(database: Path) -> subprocess.Popen[str]:
    """An analyst's read-write session (DBeaver's default) that wrote a table."""
    session = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, time
            connection = duckdb.connect({str(database)!r})
            connection.execute("create table main.my_scratch as select 42 as answer")
            print("written", flush=True)
            time.sleep(120)
        """)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert session.stdout.readline().strip() == "written"
    return session


def test_a_live_read_write_session_stops_the_publish_naming_its_pid(
    project: Path, tmp_path: Path
) -> None:
    """Issue 12 #2: publishing under it would leave a .wal no reader can use;
    issue 25: it is found before the run converts or builds anything."""
    database = published(project)[0]
    session = read_write_session(database)
    try:
        assert database.with_name("partners.duckdb.wal").exists()
        before = tree_digest(published(project)[1], project / "seeds" / "raw")
        completed = run_pipeline(project, *small_workbooks(tmp_path))
        assert completed.returncode == 1
        assert f"open read-write by another program (PID {session.pid})" in (
            completed.stderr
        )
        assert "reconnect read-only" in completed.stderr
        assert "Traceback" not in completed.stderr
        assert "[read + convert] started" not in completed.stderr
        assert tree_digest(published(project)[1], project / "seeds" / "raw") == before
    finally:
        session.kill()
        session.wait()


def test_a_killed_read_write_session_is_moved_aside_with_a_warning(
    project: Path, tmp_path: Path
) -> None:
    """Issue 12 #2: the stale .wal and its database go aside, named; the new
    database opens read-only, in the DuckDB 1.x CLI too (as make sql does)."""
    database = published(project)[0]
    session = read_write_session(database)
    session.send_signal(signal.SIGKILL)
    session.wait()
    assert database.with_name("partners.duckdb.wal").exists()
    completed = run_pipeline(project, *small_workbooks(tmp_path))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    [scratch] = (project / "build").glob("partners.scratch-*.duckdb")
    assert f"they are kept, with that database, as {scratch}" in completed.stderr
    assert not database.with_name("partners.duckdb.wal").exists()
    cli = Path(sys.executable).with_name("duckdb")
    opened = subprocess.run(
        [str(cli), "-readonly", "-csv", "-noheader", str(database), "-c", COUNT],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (opened.returncode, opened.stdout.strip()) == (0, "5"), opened.stderr
    # the analyst's scratch work is there, with the old build
    with duckdb.connect(str(scratch), read_only=True) as connection:
        assert connection.execute("select answer from main.my_scratch").fetchall() == [
            (42,)
        ]
        assert connection.execute(COUNT).fetchone()[0] == 2067


def test_an_analyst_reading_does_not_block_the_next_run(
    project: Path, tmp_path: Path
) -> None:
    database = published(project)[0]
    reader = subprocess.Popen(  # an analyst's read-only session, kept open
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys
            connection = duckdb.connect({str(database)!r}, read_only=True)
            for _ in sys.stdin:
                print(connection.execute({COUNT!r}).fetchone()[0], flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "2067"
        completed = run_pipeline(project, *small_workbooks(tmp_path))
        assert completed.returncode == 0, completed.stdout + completed.stderr
        assert count(database) == 5  # a new connection sees the new build
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "2067"  # the open one, the old
    finally:
        reader.kill()
        reader.wait()


def test_a_second_run_is_told_why_it_cannot_start(project: Path) -> None:
    holder = subprocess.Popen(  # holds the run lock as a running build would
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(project / "scripts")!r})
            from partners import pipeline
            from pathlib import Path
            with pipeline.run_lock(Path({str(project / "build")!r})):
                print("locked", flush=True)
                time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = tree_digest(*published(project))
        completed = run_pipeline(project)
        assert completed.returncode == 1
        assert (
            f"another pipeline run is in progress (PID {holder.pid}" in completed.stderr
        )
        assert tree_digest(*published(project)) == before
    finally:
        holder.kill()
        holder.wait()


def test_scratch_copies_moved_aside_are_kept_three_deep(tmp_path: Path) -> None:
    """Scratch copies a publish moves aside accumulated in build/; the three
    newest (with their journals) are kept, older ones deleted."""
    names = [f"partners.scratch-2026120{day}T090000.duckdb" for day in range(1, 6)]
    for name in names:
        (tmp_path / name).write_text("db")
        (tmp_path / (name + ".wal")).write_text("wal")
    (tmp_path / "partners.duckdb").write_text("published")
    deleted = publish.prune_scratch_copies(tmp_path)
    assert [path.name for path in deleted] == [names[1], names[0]]
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == sorted(
        ["partners.duckdb", *names[2:], *(name + ".wal" for name in names[2:])]
    )


def test_a_history_on_another_file_system_publishes_and_rolls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trust round 3: the history store (and the build history beside it) on
    another file system than build/ (a hard link or a rename between them
    fails with EXDEV) is published and rolled back like the rest."""
    work, history = tmp_path / "fs1" / "work", tmp_path / "fs2" / "history"
    work.mkdir(parents=True)
    history.mkdir(parents=True)
    (history / "health_2026-10-01_0123456789abcdef.csv").write_text("october\n")
    (history / "builds.csv").write_text("one build\n")

    def system_of(path: object) -> str:
        return Path(path).relative_to(tmp_path).parts[0]

    def crossing(call):
        def checked(source, target, *args, **kwargs):
            if system_of(source) != system_of(target):
                raise OSError(errno.EXDEV, "Invalid cross-device link")
            return call(source, target, *args, **kwargs)

        return checked

    monkeypatch.setattr(publish.os, "link", crossing(os.link))
    monkeypatch.setattr(publish.os, "replace", crossing(os.replace))
    before = tree_digest(history)
    for outcome in ("rollback", "commit"):
        publication = publish.Publication(work)
        publication.guard_folder(history)
        (history / "health_2026-11-01_fedcba9876543210.csv").write_text("november\n")
        new_builds = history / ".builds.csv.new"
        new_builds.write_text("one build\nthis build\n")
        publication.replace_file(new_builds, history / "builds.csv")
        getattr(publication, outcome)()
        if outcome == "rollback":
            assert tree_digest(history) == before
    assert (history / "builds.csv").read_text() == "one build\nthis build\n"
    assert len(list(history.glob("health_*.csv"))) == 2
    assert list(work.iterdir()) == []


def database_with_its_log(path: Path) -> Path:
    """A database whose table is only in its write-ahead log (no checkpoint
    on close), as a connection leaves it when its checkpoint failed."""
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute("pragma disable_checkpoint_on_shutdown")
        connection.execute("set wal_autocheckpoint = '1TB'")
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.campaigns as select range as i from range(50000)"
        )
    assert path.with_name(path.name + ".wal").exists()
    return path


#: require_complete under a file-size limit (the file's own size): the
#: checkpoint cannot write, as on a full disk
UNDER_A_SIZE_LIMIT = """
import os, resource, sys
from partners import publish
from partners.errors import PipelineError
size = os.path.getsize(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
try:
    publish.require_complete(publish.Path(sys.argv[1]))
except PipelineError as error:
    print(error)
"""


def test_a_build_left_in_its_log_is_completed_or_never_published(
    tmp_path: Path,
) -> None:
    """A build whose checkpoint failed as dbt closed it (its marts in the
    write-ahead log, which is not published) was published without its
    marts, exit 0, "published". Its log is checkpointed before publishing;
    when the checkpoint fails, one line and nothing published."""
    database = database_with_its_log(tmp_path / "ok" / "partners.duckdb")
    publish.require_complete(database)
    assert not database.with_name("partners.duckdb.wal").exists()
    alone = tmp_path / "alone.duckdb"  # the file alone, as it is published
    shutil.copy(database, alone)
    with duckdb.connect(str(alone), read_only=True) as connection:
        assert connection.execute(
            "select count(*) from marts.campaigns"
        ).fetchone() == (50000,)
    full = database_with_its_log(tmp_path / "full" / "partners.duckdb")
    completed = subprocess.run(
        [sys.executable, "-c", UNDER_A_SIZE_LIMIT, str(full)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(Path(publish.__file__).parents[1])},
    )  # fmt: skip
    assert completed.stderr == ""
    assert completed.stdout.startswith(
        f"{full}: the build could not be written into its file (is the disk full?)"
    )
    assert completed.stdout.rstrip().endswith("nothing was published")


#: the main job, killed (SIGKILL) as it reaches the publish step ``argv[1]``
#: (a method of Publication), its other arguments those of the program
KILLED_AT = """
import os, runpy, signal, sys
sys.path.insert(0, "scripts")
from partners import publish
setattr(publish.Publication, sys.argv[1],
        lambda *args: os.kill(os.getpid(), signal.SIGKILL))
sys.argv = ["scripts/partners", *sys.argv[2:]]
runpy.run_path("scripts/partners", run_name="__main__")
"""


@pytest.mark.parametrize("step", ["swap_folder", "commit"])
def test_a_run_killed_while_it_publishes_is_undone_by_the_next(
    project: Path, tmp_path: Path, step: str
) -> None:
    """kill -9 after the run's Health drop is stored (the seeds' swap), or
    with every file replaced but before the commit: the drop stayed in the
    history and the next run published it without a word. The next run
    undoes every change of the killed publish (its journal), says so in one
    line, and, its inputs unchanged, finds the last build up to date."""
    history = tmp_path / "history"
    first = [*small_workbooks(tmp_path), f"--history-dir={history}", "--as-of=2026-10"]
    assert run_pipeline(project, *first).returncode == 0
    state = [*published(project), project / "seeds" / "raw", history]
    before = tree_digest(*state)
    november = write_workbook(
        tmp_path / "nov.xlsx", {"Health": health_rows(["1001", "1002"])}
    )
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT, step, *first[:2], f"--health={november}",
         f"--history-dir={history}", "--as-of=2026-11"],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(list(history.glob("health_2026-11-01_*.csv"))) == 1  # stored
    assert (project / "build" / publish.JOURNAL).exists()
    again = run_pipeline(project, *first)
    assert again.returncode == 0, again.stderr
    assert "a run was killed while it published: its" in again.stderr
    assert "unchanged since the last build" in again.stderr
    assert tree_digest(*state) == before
    assert not list(history.glob("health_2026-11-01_*.csv"))
    assert not (project / "build" / publish.JOURNAL).exists()
