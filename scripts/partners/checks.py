"""Run-level checks of a build: files whose every row was rejected, and the
match rate against the published build (``main.match_rate_check``)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import duckdb

from partners.project import STORAGE_COMPATIBILITY

LOG = logging.getLogger("partners")

ROW_MODELS = {
    "breakout": "stg_breakout__campaigns",
    "health": "stg_health__campaigns",
}
#: a match rate below this is "near zero"
NEAR_ZERO_MATCH_RATE = 0.05
#: a match rate below this share of the previous build's has "collapsed"
COLLAPSED_SHARE = 0.5


def _columns(
    connection: duckdb.DuckDBPyConnection, schema: str, table: str
) -> set[str]:
    return {
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    }


def fully_rejected_files(database: Path) -> list[str]:
    """One message per input file whose every row was rejected, naming its top
    reasons (empty when every file loaded rows, or before staging exists)."""
    messages = []
    with duckdb.connect(str(database), read_only=True) as connection:
        for role, model in ROW_MODELS.items():
            if not {"reject_reason", "source_file"} <= _columns(
                connection, "staging", model
            ):
                continue
            relation = f"staging.{model}"
            files = connection.execute(
                f"select source_file, count(*), count(*) filter (where reject_reason "  # noqa: S608
                f"is null) from {relation} group by 1 order by 1"
            ).fetchall()
            for source_file, read, loaded in files:
                if loaded:
                    continue
                reasons = connection.execute(
                    f"select reject_reason, count(*) from {relation} "  # noqa: S608
                    "where source_file = ? group by 1 order by 2 desc, 1 limit 3",
                    [source_file],
                ).fetchall()
                top = "; ".join(f"{reason} ({n:,} rows)" for reason, n in reasons)
                messages.append(
                    f"{source_file} ({role}): every one of its {read:,} rows was "
                    f"rejected; top reasons: {top}"
                )
    return messages


def match_rate(database: Path) -> tuple[int, int] | None:
    """(health campaigns found in the roster, health campaigns) of a build's
    marts, or None when the database or its marts cannot be read."""
    if not database.exists():
        return None
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            [(matched,)] = connection.execute(
                "select count(*) from marts.campaigns where has_health_data"
            ).fetchall()
            [(unmatched,)] = connection.execute(
                "select count(*) from marts.unmatched_health_campaigns"
            ).fetchall()
    except duckdb.Error:
        return None
    return matched, matched + unmatched


def match_warning(
    now: tuple[int, int] | None, before: tuple[int, int] | None
) -> str | None:
    """What is alarming about this build's match rate, or None."""
    if now is None or now[1] == 0:
        return None
    rate = now[0] / now[1]
    if rate < NEAR_ZERO_MATCH_RATE:
        return (
            f"only {now[0]:,} of {now[1]:,} health campaigns ({rate:.1%}) match a "
            "roster campaign: check that both files use the same campaign IDs"
        )
    if before and before[1]:
        previous = before[0] / before[1]
        if rate < previous * COLLAPSED_SHARE:
            return (
                f"the match rate collapsed: {now[0]:,} of {now[1]:,} health "
                f"campaigns ({rate:.1%}) match a roster campaign, against "
                f"{before[0]:,} of {before[1]:,} ({previous:.1%}) in the published "
                "build: check that both files use the same campaign IDs"
            )
    return None


#: the descriptions SQL clients show on main.match_rate_check (its comments)
MATCH_RATE_CHECK_DOCS = {
    "": "The main job's match-rate check of this build (one row): how many Health "
    "campaigns match a roster campaign, against the build published before it; "
    "partners.html shows the warning as a banner.",
    "built_at": "When the check ran (UTC).",
    "health_campaigns": "Health campaigns loaded in this build.",
    "matched_health_campaigns": "Of those, the ones that match a roster campaign.",
    "match_rate": "matched_health_campaigns / health_campaigns.",
    "previous_match_rate": "The match rate of the build published before this one; "
    "null when there was none.",
    "match_rate_warning": "The warning shown when the rate is very low or collapsed "
    "against the previous build; null when there is none.",
}


def record_match_rate_check(
    database: Path,
    now: tuple[int, int] | None,
    before: tuple[int, int] | None,
    warning: str | None,
) -> None:
    """``main.match_rate_check``: the match rate against the last published build,
    and its warning, for the banner of partners.html."""
    rate = now[0] / now[1] if now and now[1] else None
    previous = before[0] / before[1] if before and before[1] else None
    with duckdb.connect(
        str(database), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}
    ) as connection:
        connection.execute(
            "create or replace table main.match_rate_check as select "
            "cast(? as timestamp) as built_at, "
            "cast(? as integer) as health_campaigns, "
            "cast(? as integer) as matched_health_campaigns, "
            "cast(? as double) as match_rate, "
            "cast(? as double) as previous_match_rate, "
            "cast(? as varchar) as match_rate_warning",
            [
                dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
                now[1] if now else None,
                now[0] if now else None,
                rate,
                previous,
                warning,
            ],
        )
        for column, text in MATCH_RATE_CHECK_DOCS.items():
            relation = "main.match_rate_check"
            target = f"column {relation}.{column}" if column else f"table {relation}"
            literal = "'" + text.replace("'", "''") + "'"
            connection.execute(f"comment on {target} is {literal}")
        connection.execute("checkpoint")


def shout(message: str) -> None:
    """A warning nobody can miss in the run output."""
    bar = "!" * 78
    LOG.warning("%s", bar)
    LOG.warning("WARNING: %s", message)
    LOG.warning("%s", bar)
