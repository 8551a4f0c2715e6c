"""The forked child the conversion runs in: results, errors, stops at any moment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from partners import children
from partners.readers import IngestError

SCRIPTS = Path(children.__file__).resolve().parents[1]


def _fails_to_read(name: str) -> None:
    raise IngestError(f"{name}, sheet 'A': bad")


def _dies(name: str) -> None:
    os._exit(9)


def _sleeps(name: str) -> None:
    time.sleep(120)


def test_the_child_reports_its_result_errors_and_death(
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The child's result, its IngestError message, a bug's traceback and an
    unexpected death all reach the parent; a block left without the result
    stops the child, and every child is reaped."""
    with children.in_child(lambda rows, name: {"rows": rows, "name": name}, 3,
                           name="book.xlsx") as result:  # fmt: skip
        assert result() == {"rows": 3, "name": "book.xlsx"}
    with (
        pytest.raises(IngestError, match=r"^book.xlsx, sheet 'A': bad$"),
        children.in_child(_fails_to_read, "book.xlsx") as result,
    ):
        result()
    with (
        pytest.raises(ZeroDivisionError) as bug,
        children.in_child(lambda name: 1 / 0, "book.xlsx") as result,
    ):
        result()
    assert "ZeroDivisionError" in "".join(bug.value.__notes__)  # the child's traceback
    with (  # a result that cannot be sent is a bug said in the parent
        pytest.raises(RuntimeError, match="the result cannot be sent"),
        children.in_child(lambda name: lambda: name, "book.xlsx") as result,
    ):
        result()
    with (
        pytest.raises(IngestError, match=r"^book.xlsx: .* \(exit code 9\)$"),
        children.in_child(_dies, "book.xlsx") as result,
    ):
        result()
    ended = []  # each child's exit code as it is reaped
    reap = children._reap

    def reaped(process: children.multiprocessing.Process) -> None:
        reap(process)
        ended.append(process.exitcode)

    monkeypatch.setattr(children, "_reap", reaped)
    with (
        pytest.raises(RuntimeError, match="the roster failed"),
        children.in_child(_sleeps, "book.xlsx"),
    ):
        raise RuntimeError("the roster failed")
    assert ended == [0]  # unwound by SIGTERM, not killed (-9) by the 5 s SIGKILL
    assert children.multiprocessing.active_children() == []
    assert "Traceback" not in capfd.readouterr().err  # none from any child


def test_a_child_with_a_niceness_yields_and_without_a_fork_runs_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Health side of the conversion yields the CPU to the roster's; where
    no child can be forked, the function runs when its result is asked for
    (so errors come in the same order) and not at all when the block is left."""
    before = os.nice(0)
    with children.in_child(os.nice, 0, niceness=5) as result:
        assert result() == min(before + 5, 19)
    assert os.nice(0) == before
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    calls: list[int] = []
    with children.in_child(calls.append, 1, niceness=5) as result:
        assert calls == []
        result()
    assert calls == [1]
    with children.in_child(calls.append, 2):
        pass
    assert calls == [1]
    assert os.nice(0) == before


#: a parent as the main job is: SIGTERM raises where it is, as Ctrl-C does
PARENT = """
import signal, sys, time
sys.path.insert(0, {scripts!r})
from partners import children

class Terminated(KeyboardInterrupt):
    pass

def on_sigterm(signum, frame):
    raise Terminated

signal.signal(signal.SIGTERM, on_sigterm)
signal.signal(signal.SIGINT, signal.default_int_handler)

def ready():  # called by the body where a stop may come (inside its try)
    print("ready", file=sys.stderr, flush=True)
"""


def run_parent(body: str, stop_after: float | None = None) -> tuple[int, str]:
    """Run ``body`` in a parent process like the main job; SIGTERM it
    ``stop_after`` seconds after it called ``ready()`` (when given). Returns its exit
    code and what it wrote to stderr after it was ready."""
    code = PARENT.format(scripts=str(SCRIPTS)) + textwrap.dedent(body)
    process = subprocess.Popen(
        [sys.executable, "-c", code], stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    assert process.stderr.readline() == "ready\n"
    if stop_after is not None:
        time.sleep(stop_after)
        process.send_signal(signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=60)
    finally:  # a parent that missed its stop is not left running
        process.kill()
    return process.returncode, stderr


def test_a_child_stopped_while_it_starts_prints_nothing() -> None:
    """The roster failing within a moment stops the Health child while Python
    still runs its fork hooks: the child's stop is held until it is in its own
    handler's reach, so no "Exception ignored in ... _after_fork" traceback,
    however often it happens (it did in about half of quick failures)."""
    code, stderr = run_parent(
        """
        ready()
        for attempt in range(200):
            try:
                with children.in_child(time.sleep, 5):
                    raise ValueError("the roster failed")
            except ValueError:
                pass
        assert children.multiprocessing.active_children() == []
        print("done", file=sys.stderr)
        """
    )
    assert (code, stderr) == (0, "done\n")


@pytest.mark.parametrize("stop_after", [0.02 * step for step in range(1, 16)])
def test_a_parent_stopped_at_any_moment_leaves_no_child_and_no_traceback(
    stop_after: float,
) -> None:
    """SIGTERM at any moment of a parent forking children in a loop (during a
    fork, a child's start, its work or its end) ends with the parent's one
    line: no traceback from any process, and no child left running once the
    parent has ended as the main job does (children.stop_all, for a stop
    that came between two statements of a block's end)."""
    code, stderr = run_parent(
        """
        try:
            ready()  # inside the try: a stop that comes next is caught
            while True:
                with children.in_child(time.sleep, 0.003) as result:
                    result()
        except KeyboardInterrupt:  # as the main job ends
            children.stop_all()
            left = children.multiprocessing.active_children()
            print(f"stopped; children left: {len(left)}", file=sys.stderr)
        """,
        stop_after,
    )
    assert (code, stderr) == (0, "stopped; children left: 0\n")


def _alive(process: Path) -> bool:
    """Whether the process of /proc entry ``process`` runs (not a zombie)."""
    try:
        return "State:\tZ" not in (process / "status").read_text()
    except FileNotFoundError:
        return False


def test_a_child_ends_with_its_parent_killed_by_sigkill() -> None:
    """kill -9 of the main job while its child converts: the child ends as
    well (SIGTERM from the kernel, which unwinds it), rather than go on
    writing into the work folder that the next run empties and fills."""
    code = PARENT.format(scripts=str(SCRIPTS)) + textwrap.dedent(
        """
        with children.in_child(time.sleep, 120):
            (started,) = children._STARTED
            print(started.pid, file=sys.stderr, flush=True)
            time.sleep(120)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    child = Path(f"/proc/{int(process.stderr.readline())}")
    assert _alive(child)
    process.kill()
    process.wait()
    for _ in range(100):  # 10 s at most; it ends within milliseconds
        if not _alive(child):
            break
        time.sleep(0.1)
    else:
        os.kill(int(child.name), signal.SIGKILL)
        raise AssertionError("the child outlived its killed parent")
