"""Work in a forked child process, stopped cleanly at any moment.

``in_child`` runs a function on the other core while this process goes on, and
hands back its result, its error, or a stop. A stop may come at any moment,
Ctrl-C or SIGTERM, also while the child is being forked or is running Python's
fork hooks: SIGINT and SIGTERM are blocked from before the fork until the child
is inside its own handler's reach, so it never runs the parent's handlers (which
raise) and never prints a traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import TypeVar

from partners import stops
from partners.readers import IngestError
from partners.stops import STOP_SIGNALS

T = TypeVar("T")
#: the niceness of work beside the critical path (the roster's conversion)
YIELDING = 10
#: in a child: True while its function runs, the only time SIGTERM unwinds it
_working = False


def _unwind(signum: int, frame: object) -> None:
    """A child's SIGTERM: unwind the function (so that it stops a child of its
    own); outside it the child is ending anyway, and the signal is dropped."""
    if _working:
        raise KeyboardInterrupt


def _stop(process: multiprocessing.Process) -> None:
    """End a child: SIGTERM first, which unwinds it, then SIGKILL if it is
    still there after 5 s."""
    process.terminate()
    process.join(5)
    process.kill()


#: prctl's option: the signal a process gets when its parent ends (Linux)
_PR_SET_PDEATHSIG = 1


def _end_with(parent: int) -> None:
    """In a child: SIGTERM, which unwinds its work, when its parent ends, even
    by kill -9 (Linux), so that no conversion goes on writing into the work
    folder the next run empties and fills; at once if it has ended already.
    Called with SIGTERM blocked: it comes once the work has started."""
    if sys.platform.startswith("linux"):
        import ctypes  # here: only a child pays for it

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


@contextlib.contextmanager
def in_child(
    function: Callable[..., T], *args: object, niceness: int = 0, **kwargs: object
) -> Iterator[Callable[[], T]]:
    """Start ``function(*args, **kwargs)`` in a forked child process; the
    callable given waits for its result, or raises its exception here (a bug's
    with the child's traceback as a note). Leaving the block without asking
    for the result, by an error, Ctrl-C or SIGTERM, stops the child and reaps
    it. The child leaves Ctrl-C to this process, may start a child of its own,
    and with ``niceness`` yields the CPU to this process. With one core, or
    beside other threads (a fork copies no thread), the function runs here,
    when its result is asked for (so errors come in the same order).
    """
    if (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        yield lambda: function(*args, **kwargs)
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    parent = os.getpid()

    def child() -> None:
        global _working
        _STARTED.clear()  # the parent's children are not this one's
        # SIGINT and SIGTERM are still blocked, as the parent was at the fork
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops it
        signal.signal(signal.SIGTERM, _unwind)
        _end_with(parent)
        outcome: tuple[object, BaseException | None]
        try:
            try:
                _working = True
                signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
                os.nice(niceness)
                outcome = (function(*args, **kwargs), None)
            finally:
                _working = False
        except KeyboardInterrupt:  # stopped by the parent, which is ending
            return
        except BaseException as error:  # the parent raises it
            if not isinstance(error, IngestError):  # a bug
                error.add_note("".join(traceback.format_exception(error)).rstrip())
            outcome = (None, error)
        with contextlib.suppress(OSError):  # the parent stopped listening
            try:
                send.send(outcome)
            except Exception as error:
                send.send((None, RuntimeError(f"the result cannot be sent: {error}")))

    # not a daemon: a daemon may not start a child of its own
    process = context.Process(target=child)
    pending = stops.hold()
    try:
        process.start()
        _STARTED.add(process)
    except BaseException:
        receive.close()
        stops.release(pending)
        raise
    finally:
        send.close()
    received = False

    def result() -> T:
        nonlocal received
        try:
            value, error = receive.recv()
        except EOFError:  # the child died (killed, out of memory)
            process.join()
            raise IngestError(
                f"{args[0]}: the conversion stopped (exit code {process.exitcode})"
            ) from None
        received = True
        if error is not None:
            raise error
        return value  # type: ignore[no-any-return]

    try:
        stops.release(pending)  # a stop that came during the fork is raised here
        yield result
    finally:
        # a stop that comes while the child is stopped and reaped waits for it
        with stops.held():
            if not received:  # stopped or interrupted (a dead child: no-op)
                _stop(process)
            _reap(process)
            receive.close()
            # freed here, not at some later moment where their finalizers
            # (Python code) would swallow a stop raised in them
            process = receive = send = None  # type: ignore[assignment]


#: children started and not reaped yet (stop_all's list)
_STARTED: set[multiprocessing.Process] = set()


def _reap(process: multiprocessing.Process) -> None:
    process.join()
    _STARTED.discard(process)


def stop_all() -> None:
    """Stop and reap every child still running: for a stop that came at a
    moment no block could see it (between two statements of a block's end).
    Called when the main job ends, and at exit."""
    with stops.held():
        for process in list(_STARTED):
            _stop(process)
            _reap(process)


atexit.register(stop_all)  # before multiprocessing's own, which waits for them
