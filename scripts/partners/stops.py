"""Stopping the main job (Ctrl-C, SIGTERM): each stop is raised where the run
is, so that it unwinds, and is also remembered, so that a stop some library
code swallowed (dbt's, while it builds) still stops the run before it
publishes (``raise_if_stopped``).

Some moments are not cut: the stops are held (``hold`` / ``release``)
while the program imports (``__main__``), while a child is forked and reaped
(``children``) and while the run publishes (``publish``), and a stop that
came meanwhile is raised at their end; once the run has published
(``published``) a stop ends nothing: the run is done, and says so (exit 0),
rather than claim that nothing was published.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from collections.abc import Iterator


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is, so that it unwinds like Ctrl-C."""


#: the signals that stop a run
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
#: the stops received, in order (signal numbers)
_RECEIVED: list[int] = []
#: set once the run has published: a stop then changes nothing
_DONE: list[bool] = []


def _stop(signum: int) -> KeyboardInterrupt:
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _on_stop(signum: int, frame: object) -> None:
    _RECEIVED.append(signum)
    if not _DONE:
        raise _stop(signum)


def raise_if_stopped() -> None:
    """Raise the first stop received, should it have been swallowed."""
    if _RECEIVED and not _DONE:
        raise _stop(_RECEIVED[0])


def stopped() -> bool:
    """Whether a stop has come, or waits while they are held: the run is
    unwinding, and says nothing more but its one line."""
    return (bool(_RECEIVED) and not _DONE) or pending()


def quiet_once_stopped(record: logging.LogRecord) -> bool:
    """A logging filter: once the run was stopped, only errors pass (the
    stop's one line), not what the steps it cut short still say."""
    return record.levelno >= logging.ERROR or not stopped()


def published() -> None:
    """The run has published: a stop from now on is let pass (the run ends
    in a moment, published, exit 0)."""
    _DONE.append(True)


def described(stop: KeyboardInterrupt) -> tuple[str, int]:
    """The run's one line for the stop that ended it, and its exit code."""
    name, code = ("SIGTERM", 143) if isinstance(stop, Terminated) else ("Ctrl-C", 130)
    return f"stopped by {name}; nothing was published", code


def install() -> None:
    """Ctrl-C and SIGTERM raise a stop from now on (the program's first
    line: also while it imports), even when this process was started with
    SIGINT ignored (as a background job of a non-interactive shell is). A
    stop some import swallowed is kept (``raise_if_stopped``)."""
    if signal.getsignal(signal.SIGINT) is not _on_stop:
        _RECEIVED.clear()
        _DONE.clear()
    for number in STOP_SIGNALS:
        signal.signal(number, _on_stop)


def ignore() -> None:
    """Ctrl-C and SIGTERM do nothing from now on (the program is ending)."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """Ctrl-C and SIGTERM stop the run (``install``) within the block.

    An error raised once a stop has come is the stop's doing, and the stop is
    raised in its place: DuckDB, for one, turns the stop its query was cut by
    into ``RuntimeError('Query interrupted')``.
    """
    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    install()
    try:
        yield
    except Exception as error:
        if _RECEIVED and not _DONE:
            raise _stop(_RECEIVED[0]) from error
        raise
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def pending() -> bool:
    """Whether a stop came while they were held (it is raised at release)."""
    return bool(signal.sigpending() & STOP_SIGNALS)


def hold() -> BaseException | None:
    """Block SIGINT and SIGTERM; a stop that was already on its way (raised
    by its handler as the mask changes) is returned, not raised."""
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    except BaseException as stop:  # the mask has changed all the same
        return stop
    return None


def release(held: BaseException | None) -> None:
    """Unblock SIGINT and SIGTERM (a stop that came meanwhile is raised
    here), then raise ``held``, the stop :func:`hold` returned."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if held is not None:
        raise held


@contextlib.contextmanager
def held() -> Iterator[bool]:
    """Hold the stops within the block (:func:`hold`); a stop that came
    meanwhile is raised at its end (:func:`release`). The block is told
    whether it is free to start: False when a stop was already on its way."""
    pending = hold()
    try:
        yield pending is None
    finally:
        release(pending)


def keep_exit_code() -> None:
    """The program ends with its own exit code (130 for Ctrl-C), not by
    SIGINT (-2). CPython 3.11 marks a KeyboardInterrupt that passed through an
    ``exec`` of source text as never handled, even when it was (dataclasses
    writes its methods so, and dbt makes dataclasses as it starts), and after
    a clean exit ends such a process with SIGINT, its exit handlers run but
    its exit code lost. The mark is cleared: the stop was handled."""
    import ctypes  # here: at the program's end, not while it starts

    try:
        mark = ctypes.c_int.in_dll(ctypes.pythonapi, "_Py_UnhandledKeyboardInterrupt")
    except ValueError:  # another Python keeps it elsewhere, or not at all
        return
    mark.value = 0
