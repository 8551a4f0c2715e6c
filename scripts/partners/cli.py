"""The main job's command line: ``python -m partners`` (``make partners``)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from partners import children, dates, stops
from partners.errors import ArgumentParser, PipelineError
from partners.pipeline import run
from partners.stops import stoppable

LOG = logging.getLogger("partners")
#: what ``--help`` says first
DESCRIPTION = (
    "Run the partners pipeline end to end: workbooks -> raw tables -> dbt -> publish."
)


class _Parser(ArgumentParser):
    """The one-line parser; a file name starting with "-" (taken for an
    option) is told how to be written."""

    def error(self, message: str) -> NoReturn:
        if message.endswith("expected one argument"):
            message += (
                " (a file name starting with '-' is written --breakout=-name.xlsx "
                "or ./-name.xlsx)"
            )
        super().error(message)


def argument_parser() -> argparse.ArgumentParser:
    """The main job's command line (the Makefile writes it: make partners)."""
    parser = _Parser(
        prog="partners",
        description=DESCRIPTION,
        epilog="Three steps also run alone: python scripts/partners convert, "
        "dbt or export (each with --help).",
    )
    parser.add_argument("--breakout", type=Path, help="the Breakout (roster) workbook")
    parser.add_argument("--health", type=Path, help="the Health workbook")
    parser.add_argument(
        "--history-dir",
        type=Path,
        help="where every Health drop is kept (default: data/history)",
    )
    parser.add_argument(
        "--earlier-health",
        type=Path,
        nargs="*",
        default=[],
        help="earlier Health drops to add to the history (oldest first)",
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
    for handler in logging.getLogger().handlers:
        handler.addFilter(stops.quiet_once_stopped)
    try:
        with stoppable():
            stops.raise_if_stopped()  # a stop an import swallowed
            run(args.breakout, args.health, as_of=args.as_of, force=args.force,
                history_dir=args.history_dir,
                earlier_health=args.earlier_health)  # fmt: skip
    except PipelineError as error:
        LOG.error("%s", error)
        return 1
    except OSError as error:  # a full disk, a read-only folder, ...
        LOG.error("%s; nothing was published", error)
        return 1
    except KeyboardInterrupt as stop:
        children.stop_all()
        line, code = stops.described(stop)
        LOG.error("%s", line)
        return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
