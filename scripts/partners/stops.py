"""Stopping the main job (Ctrl-C, SIGTERM): each stop is raised where the run
is, so that it unwinds, and is also remembered, so that a stop some library
code swallowed (dbt's, while it builds) still stops the run before it
publishes (``raise_if_stopped``)."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is, so that it unwinds like Ctrl-C."""


#: the stops received, in order (signal numbers)
_RECEIVED: list[int] = []


def _stop(signum: int) -> KeyboardInterrupt:
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _on_stop(signum: int, frame: object) -> None:
    _RECEIVED.append(signum)
    raise _stop(signum)


def raise_if_stopped() -> None:
    """Raise the first stop received, should it have been swallowed."""
    if _RECEIVED:
        raise _stop(_RECEIVED[0])


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """Ctrl-C and SIGTERM stop the run, even when this process was started with
    SIGINT ignored (as a background job of a non-interactive shell is)."""
    _RECEIVED.clear()
    previous = {
        number: signal.signal(number, _on_stop)
        for number in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
