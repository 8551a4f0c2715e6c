"""The dates people write for a Health drop: in a title row, or as ``AS_OF``.

A drop describes a month. Its date is read from an ISO date (2026-11-01), an
ISO month (2026-11) or a month name with its year ("November 2026", "Nov
2026", "Sept. 2026"); a month is its first day. A date with slashes
(12/01/2026) is never guessed: it is 1 December in the US and 12 January
elsewhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

MONTHS = ("january", "february", "march", "april", "may", "june", "july",
          "august", "september", "october", "november", "december")  # fmt: skip
#: "November 2026", "Nov 2026", "Sept. 2026", "Oct-2026"
_MONTH_YEAR_RE = re.compile(
    r"\b(" + "|".join(m[:3] for m in MONTHS) + r")([a-z]*)\.?[\s\-]+(\d{4})\b",
    re.IGNORECASE,
)
_ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ISO_MONTH_RE = re.compile(r"\b(\d{4})-(\d{2})\b(?!-\d)")
_SLASHED_RE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def month_or_date(text: str) -> dt.date | None:
    """The first date or month ``text`` names (a month as its first day), or
    None when it names none."""
    if match := _ISO_DATE_RE.search(text):
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    if match := _ISO_MONTH_RE.search(text):
        year, month = map(int, match.groups())
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
    for match in _MONTH_YEAR_RE.finditer(text):
        start, rest, year = match.groups()
        names = [m for m in MONTHS if m.startswith(start.lower())]
        # "Nov", "November", "Sept": the letters after the first three must
        # continue the month's own name
        if names and names[0].startswith((start + rest).lower()):
            return dt.date(int(year), MONTHS.index(names[0]) + 1, 1)
    return None


def as_of_argument(text: str, today: dt.date | None = None) -> dt.date:
    """``--as-of`` / ``AS_OF``: a date or month as :func:`month_or_date` reads
    it, alone and not in the future; else an error naming what it wants."""
    wanted = "write it as YYYY-MM-DD (2026-11-01) or a month (2026-11, Nov 2026)"
    value = text.strip()
    found = month_or_date(value)
    if _SLASHED_RE.fullmatch(value):
        first, second, year = map(int, value.split("/"))
        readable = _date_or_none(year, first, second) or _date_or_none(
            year, second, first
        )
        kind = "ambiguous (day/month or month/day?)" if readable else "not a date"
        raise argparse.ArgumentTypeError(f"{text!r} is {kind}: {wanted}")
    if found is None or not _names_only_a_date(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: {wanted}")
    if found > (today or dt.date.today()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is in the future: the as-of date is the day (or month) "
            "the Health file describes"
        )
    return found


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when there is no such day (13/45/2026)."""
    try:
        return dt.date(year + (2000 if year < 100 else 0), month, day)
    except ValueError:
        return None


def _names_only_a_date(value: str) -> bool:
    """True when ``value`` is nothing but one date or month."""
    return any(
        pattern.fullmatch(value)
        for pattern in (_ISO_DATE_RE, _ISO_MONTH_RE, _MONTH_YEAR_RE)
    )
