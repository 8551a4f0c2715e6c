"""Run-level checks of a build, made by dbt and read here: a file whose every
row was rejected (marts.rejected_input_files, an error-severity test: the run
stops), and the warnings of a build that still publishes: the match rate
(marts.match_rate_check) and the drift of its headline figures against the
last published build (marts.build_drift)."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

LOG = logging.getLogger("partners")

REJECTED_FILES_SQL = "select message from marts.rejected_input_files order by all"
MATCH_RATE_SQL = "select match_rate_warning from marts.match_rate_check"
DRIFT_SQL = (
    "select drift_warning from marts.build_drift where is_drift order by figure_order"
)


def _messages(database: Path, sql: str) -> list[str]:
    """The non-null texts ``sql`` selects, or none when its model was not built."""
    if not database.exists():
        return []
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            return [text for (text,) in connection.execute(sql).fetchall() if text]
    except duckdb.CatalogException:  # dbt stopped before the model
        return []


def fully_rejected_files(database: Path) -> list[str]:
    """One message per input file whose every row was rejected, naming its top
    reasons (empty when every file loaded rows, or the model was not built)."""
    return _messages(database, REJECTED_FILES_SQL)


def match_rate_warning(database: Path) -> str | None:
    """The match-rate warning of the build, or None."""
    return next(iter(_messages(database, MATCH_RATE_SQL)), None)


def drift_warnings(database: Path) -> list[str]:
    """One line per headline figure that moved beyond its threshold since the
    last published build."""
    return _messages(database, DRIFT_SQL)


def shout(message: str) -> None:
    """A warning nobody can miss in the run output."""
    bar = "!" * 78
    LOG.warning("%s", bar)
    LOG.warning("WARNING: %s", message)
    LOG.warning("%s", bar)
