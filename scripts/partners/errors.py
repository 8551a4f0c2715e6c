"""The errors whose message is what the user reads: one line, no traceback."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from typing import NoReturn


class PipelineError(Exception):
    """A failed stage; the message says which and why (one line, no traceback)."""


class IngestError(Exception):
    """A problem that stops the conversion: the message is shown to the user as is."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser with its errors on one line (not under the usage
    block), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}; see {self.prog} --help\n")


def exit_code(
    command: Callable[[], object],
    log: logging.Logger,
    errors: tuple[type[Exception], ...],
) -> int:
    """Run a command-line tool's ``command``: 0, or 1 with the one line of an
    error of ``errors`` logged (no traceback)."""
    try:
        command()
    except errors as error:
        log.error("%s", error)
        return 1
    return 0
