"""The main job stopped at any moment of a sample run: Ctrl-C (SIGINT to the
whole process group, as a terminal sends it), SIGTERM and kill -9.

Ctrl-C or SIGTERM ends the run with one line, exit 130 / 143, no traceback
from any process, and nothing changed: the published database, report and
docs page, the build stamp, seeds/raw, the history store and the build
history are byte-identical (unless the run had finished: exit 0). After
every stop, and after a kill -9, the next run builds and publishes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import processes_running_in
from generate_sample import main_job_arguments

#: what a run may change only when it publishes
WATCHED = (
    "build/partners.duckdb",
    "build/partners.html",
    "build/partners-docs.html",
    "build/.partners-docs.html.sha256",
    "build/.build-stamp",
    "seeds/raw",
    "build/sample",  # the workbooks, the history store, the build history
)
#: the moment the main job takes SIGTERM, its first line of code: a stop
#: before it comes while Python starts (and compiles __main__), out of reach
TAKES_STOPS = "(takes stops)"
#: what no run may print, in any process (dbt's "INTERRUPT Error:
#: Interrupted!" is a model it was running when stopped)
TRACES = ("Traceback", "Exception ignored", "Interrupted")
#: the lines a run prints whether stopped or not (its progress): one written
#: just before the signal may be read just after it, on a busy machine
PROGRESS = ("ingest: ", "partners: [")


def digest(project: Path) -> dict[str, str]:
    """sha256 of every watched file."""
    found = {}
    for name in WATCHED:
        root = project / name
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@dataclass
class Run:
    """The main job (``--force``: it does the whole run's work) in a session
    of its own, its output lines read as they come, each with its time."""

    project: Path
    process: subprocess.Popen[str] = field(init=False)
    lines: list[tuple[float, str]] = field(default_factory=list)
    started: float = field(init=False)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def __post_init__(self) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, str(self.project / "scripts" / "partners"), "--force",
             *main_job_arguments(self.project / "build" / "sample")],
            cwd=self.project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )  # fmt: skip
        self.readers = [
            threading.Thread(target=self._read, args=(stream,))
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            with self.changed:
                self.lines.append((time.perf_counter(), line))
                self.changed.notify_all()

    def wait_for(self, text: str) -> None:
        """Until a line holds ``text`` (or the run has ended); with
        TAKES_STOPS, until it has taken SIGTERM (its first line of code)."""
        if text == TAKES_STOPS:
            status = Path(f"/proc/{self.process.pid}/status")
            while self.process.poll() is None and not (
                int(status.read_text().split("SigCgt:")[1].split()[0], 16)
                & 1 << (signal.SIGTERM - 1)
            ):
                time.sleep(0.001)
            return
        with self.changed:
            self.changed.wait_for(
                lambda: (
                    any(text in line for _, line in self.lines)
                    or self.process.poll() is not None
                )
            )

    def stop(self, signal_number: int, group: bool = False) -> float:
        """Send the signal (to the session's whole group: a terminal's
        Ctrl-C); return when it was sent."""
        sent = time.perf_counter()
        try:
            if group:
                os.killpg(self.process.pid, signal_number)
            else:
                self.process.send_signal(signal_number)
        except ProcessLookupError:  # it had ended
            pass
        return sent

    def end(self) -> tuple[int, str]:
        """Its exit code and its whole output, once it has ended."""
        code = self.process.wait(timeout=300)
        for reader in self.readers:
            reader.join()
        return code, "".join(line for _, line in self.lines)

    def said_after(self, moment: float) -> list[str]:
        return [line for at, line in self.lines if at >= moment]


def run_to_the_end(project: Path) -> float:
    """A whole forced run, which publishes; returns how long it took."""
    run = Run(project)
    code, output = run.end()
    assert code == 0, output
    assert not any(trace in output for trace in TRACES), output
    assert output.rstrip().splitlines()[-1].startswith("partners: published ")
    return time.perf_counter() - run.started


def stop_at(
    project: Path, signal_number: int, after: float, anchor: str = "", group=False
) -> tuple[int, str]:
    """Start a run, send it the signal ``after`` seconds after its start (or
    after the line holding ``anchor``, or TAKES_STOPS); check that it ended
    in one line with no traceback, and changed nothing unless it finished
    (exit 0). Returns the exit code and what the run printed after the
    signal."""
    before = digest(project)
    run = Run(project)
    if anchor:
        run.wait_for(anchor)
    time.sleep(max(0.0, after - (0 if anchor else time.perf_counter() - run.started)))
    sent = run.stop(signal_number, group)
    code, output = run.end()
    said = run.said_after(sent)
    where = f"stopped {after:.2f} s after {anchor or 'the start'}: "
    name, stopped_code = {
        signal.SIGINT: ("Ctrl-C", 130),
        signal.SIGTERM: ("SIGTERM", 143),
    }[signal_number]
    # ended by the signal itself (-N, what a shell reports as 128 + N too): a
    # signal that comes while the interpreter starts, before it has installed
    # its own handler, ends the process by the signal's default action, and
    # it says nothing (a run that said its line and ended -2 all the same:
    # test_a_stop_caught_after_an_exec_keeps_the_exit_code)
    assert code in (stopped_code, -signal_number, 0), f"{where}exit {code}\n{output}"
    assert not any(trace in output for trace in TRACES), where + output
    assert processes_running_in(project) == [], where + output
    lock = project / "build" / ".partners.lock"  # no stale PID of this run
    assert lock.read_text().strip() != str(run.process.pid), where + output
    if code == 0:  # it had published before the signal
        assert output.rstrip().splitlines()[-1].startswith("partners: published "), (
            where + output
        )
        return code, "".join(said)
    if code == -signal_number:  # before Python took the signal: it says nothing
        assert output == "", where + output
        assert digest(project) == before, where + output
        return code, ""
    added = [line for line in said if not line.startswith(PROGRESS)]
    assert len(added) <= 2, where + "".join(said)
    assert output.rstrip().splitlines()[-1] == (
        f"partners: stopped by {name}; nothing was published"
    ), where + output
    assert digest(project) == before, where + output
    return code, "".join(said)


def kill_at(project: Path, anchor: str, after: float, group: bool) -> None:
    """kill -9 of a run ``after`` seconds after the line holding ``anchor``
    (of the main job alone, or of its whole group); no process of it is left
    (a conversion child ends with the main job), nothing published changed."""
    before = digest(project)
    run = Run(project)
    run.wait_for(anchor)
    time.sleep(after)
    run.stop(signal.SIGKILL, group)
    code, output = run.end()  # its output ends once no process of it is left
    assert code == -signal.SIGKILL, output
    assert processes_running_in(project) == []
    assert digest(project) == before


#: Ctrl-C this many seconds after the start (Python imports the program, half
#: a second), after the main job took the stops, and after it started
#: converting (its children are forked)
EARLY = (
    (0.25, ""),
    (0.0, TAKES_STOPS),
    (0.2, TAKES_STOPS),
    (0.1, "[read + convert] started"),
)
#: and at this many moments spread evenly over a whole run
SPREAD = 3


def test_ctrl_c_at_any_moment_says_one_line_and_changes_nothing(
    project: Path,
) -> None:
    """Ctrl-C (SIGINT to the job's whole process group, its children too, as
    a terminal sends it) at 4 moments of its first second and at 3 moments
    spread evenly over a whole run, measured first (D: about 25 s on the
    sample, 30-40 s on 2 busy cores); then a whole run publishes, the stopped
    runs' leftovers (build/.work) notwithstanding.

    About 2 D + 3 x D / 2, 90-100 s on 2 busy cores: every 50 ms of a run
    would be 500 runs, hours. The moments where the run changes state have
    tests of their own besides: the fork (test_children), the publish step
    and kill -9 (below), dbt parsing and building (test_publishing)."""
    duration = run_to_the_end(project)
    spread = [((step + 0.5) * duration / SPREAD, "") for step in range(SPREAD)]
    moments = [*EARLY, *spread]
    codes = [stop_at(project, signal.SIGINT, *at, group=True)[0] for at in moments]
    assert codes.count(130) >= len(moments) - 1, codes  # stopped, not ended
    run_to_the_end(project)


#: ``make test-stops``: Ctrl-C every this many milliseconds of a whole run,
#: the moments shared out among SWEEP_PARTS tests (the workers run them side
#: by side); 0, as in ``make test``: the sweep is not run (hundreds of runs)
STOP_SWEEP_MS = int(os.environ.get("PARTNERS_STOP_SWEEP_MS", "0"))
SWEEP_PARTS = 4


@pytest.mark.skipif(not STOP_SWEEP_MS, reason="hundreds of runs: make test-stops")
@pytest.mark.parametrize("part", range(SWEEP_PARTS))
def test_ctrl_c_at_every_moment_of_a_run(project: Path, part: int) -> None:
    """Ctrl-C to the job's whole group at every STOP_SWEEP_MS of a whole run
    (measured first, on this worker): each stop as stop_at checks it (one
    line, no traceback from any process, nothing changed unless it had
    published); then a whole run publishes. Prints how the runs ended."""
    duration = run_to_the_end(project)
    step = STOP_SWEEP_MS / 1000
    moments = [at * step for at in range(int(duration / step) + 1)][part::SWEEP_PARTS]
    codes, failed = [], []
    for at in moments:  # every moment, each failure said at the end
        try:
            codes.append(stop_at(project, signal.SIGINT, at, group=True)[0])
        except AssertionError as failure:
            failed.append(str(failure))
    run_to_the_end(project)
    ended = ", ".join(f"exit {c}: {codes.count(c)}" for c in sorted(set(codes)))
    print(f"part {part}: {len(moments)} stops over a {duration:.1f} s run; {ended}")
    assert not failed, f"{len(failed)} of {len(moments)} stops:\n" + "\n\n".join(failed)


def test_sigterm_and_kill_9_then_the_next_run_publishes(project: Path) -> None:
    """SIGTERM to the main job alone (as ``kill PID`` sends it) while Python
    imports it, while its child converts, and as it starts publishing (the
    step is not cut: a stop that came during it undoes it whole): one line,
    exit 143, nothing changed. Then kill -9 of the main job alone while its
    child converts (the child ends with it) and of its whole group while dbt
    builds: nothing published changed, and the next whole run publishes.

    About 3 whole runs: 70-90 s on 2 busy cores."""
    assert stop_at(project, signal.SIGTERM, 0.1, TAKES_STOPS)[0] == 143
    assert stop_at(project, signal.SIGTERM, 0.3, "[read + convert] started")[0] == 143
    assert stop_at(project, signal.SIGTERM, 0.0, "[publish] started")[0] == 143
    kill_at(project, "[read + convert] started", 0.3, group=False)
    kill_at(project, "[dbt build] started", 2.0, group=True)
    run_to_the_end(project)


#: a run's step that Ctrl-C cuts inside DuckDB's query (``raw_load``): DuckDB
#: swallows the stop and raises ``RuntimeError('Query interrupted')`` instead
CUT_QUERY = """
import os, signal, threading, duckdb
from partners import stops
threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
try:
    with stops.stoppable(), duckdb.connect() as connection:
        connection.execute(
            "select count(*) from range(2000000000) t(x) where x % 7 = 3"
        ).fetchall()
except KeyboardInterrupt as stop:
    print("stopped:", type(stop.__context__).__name__, stop.__context__)
"""


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` run by this Python in a process of its own, the product's
    package importable."""
    scripts = Path(__file__).resolve().parents[1]
    return subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(scripts)},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_an_error_a_stop_caused_is_the_stop() -> None:
    """Ctrl-C while DuckDB runs a query reaches the run as DuckDB's own error;
    the run says it was stopped (exit 130), not "Query interrupted" (exit 1)."""
    done = run_python(CUT_QUERY)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "stopped: RuntimeError Query interrupted\n", done.stdout


#: Ctrl-C as dbt starts, before it has read its flags and set its loggers up
#: (a moment of the stop sweep): it then printed "Encountered an error" and
#: the stop's traceback
STOP_BEFORE_DBT_FLAGS = """
import signal
from dbt.cli import flags
from partners import dbt_runner, stops

def stopped(*arguments, **keywords):
    stops._RECEIVED.append(signal.SIGINT)
    raise KeyboardInterrupt

flags.Flags.__init__ = stopped
try:
    dbt_runner.invoke(["parse"])
except KeyboardInterrupt:
    print("stopped")
"""


def test_a_stop_before_dbt_reads_its_flags_prints_nothing() -> None:
    done = run_python(STOP_BEFORE_DBT_FLAGS)
    assert (done.returncode, done.stdout, done.stderr) == (0, "stopped\n", "")


#: a stop caught after it passed through an exec of source text, as a stop
#: that comes while dbt starts (dataclasses writes its methods with exec)
CAUGHT_AFTER_EXEC = """
from partners import stops
try:
    exec("raise KeyboardInterrupt")
except KeyboardInterrupt:
    print("stopped")
{keep}
"""


def test_a_stop_caught_after_an_exec_keeps_the_exit_code() -> None:
    """CPython ends such a process with SIGINT (-2) once it has exited, its
    own exit code lost (the main job's 130; here 0), unless the program
    clears the mark (stops.keep_exit_code), as the main job does. The stop
    sweep found 3 runs among 206 stops ending so; 7 of 30 stops 0-0.3 s after
    "[dbt build] started" did, and none of 30 with the mark cleared."""
    kept = run_python(CAUGHT_AFTER_EXEC.format(keep="stops.keep_exit_code()"))
    assert (kept.returncode, kept.stdout, kept.stderr) == (0, "stopped\n", "")
    assert run_python(CAUGHT_AFTER_EXEC.format(keep="")).returncode == -2


#: in a fresh Python: dbt imported as the program imports it; the names of
#: the locks dbt makes (the manifest's, an adapter's connection lock) and
#: whether multiprocessing's resource tracker process was started
DBT_LOCKS = """
import dataclasses, json
from partners import dbt_runner
dbt_runner._import_dbt()
from dbt.contracts.graph.manifest import Manifest
from dbt.mp_context import get_mp_context
from multiprocessing import resource_tracker
manifest_lock = {f.name: f for f in dataclasses.fields(Manifest)}["_lock"]
locks = [manifest_lock.default_factory(), get_mp_context().RLock()]
print(json.dumps([[lock._semlock.name for lock in locks],
                  resource_tracker._resource_tracker._pid]))
"""


def test_dbts_locks_leave_nothing_for_a_stop_to_leak() -> None:
    """dbt makes its locks with a "spawn" context: named semaphores,
    registered with a resource tracker process started for them; a stop
    between the registration and its cleanup had the tracker print "There
    appear to be 1 leaked semaphore objects" after the run's one line (once
    in 206 stops of `make test-stops`). The program has dbt make them with a
    fork context: no name, nothing registered, no tracker."""
    scripts = Path(__file__).resolve().parents[1]
    completed = subprocess.run(
        [sys.executable, "-c", DBT_LOCKS],
        capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(scripts)},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert json.loads(completed.stdout) == [[None, None], None]


def test_a_stop_waits_for_the_threads_still_in_dbt_or_duckdb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stop while dbt is imported in its thread (or while dbt's workers
    run): the program ends only once that thread has. Cut at the
    interpreter's end inside DuckDB, such a thread aborted the process (exit
    -6) or left nanobind's leak report after the stop's line (make
    test-stops, 3 of 210 stops)."""
    from partners import dbt_runner

    ended = threading.Event()

    def slow_imports() -> None:
        time.sleep(0.5)
        ended.set()

    monkeypatch.setattr(dbt_runner, "_import_dbt", slow_imports)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    main = threading.main_thread().ident
    try:  # Ctrl-C, 0.1 s in: a real signal, which cuts the wait short
        threading.Timer(0.1, signal.pthread_kill, [main, signal.SIGINT]).start()
        with pytest.raises(KeyboardInterrupt):
            dbt_runner.preload(niceness=1)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert ended.is_set()
