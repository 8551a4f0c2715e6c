"""The page's data as JSON text (partners.js decodes it: data.js): each
report section's columns, and its rows a batch at a time, column by column;
a text or date column as codes into levels every section shares by column
name (a MAID is sent once), each batch of codes as they are or, where that
is smaller, as deltas.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: column types sent as levels (distinct values) and each row's index: the
#: page parses each distinct text once, and compares rows by index
CODED_TYPES = {"VARCHAR", "DATE"}
#: rows per batch read from DuckDB (and per batch of a section's JSON)
BATCH_ROWS = 65_536


def _plain(value: object) -> object:
    """A JSON value for what json cannot write: 12.00 as 12, dates as ISO text."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(value: object) -> str:
    """Compact JSON, non-ASCII text as it is (the page is UTF-8)."""
    return json.dumps(value, default=_plain, ensure_ascii=False, separators=(",", ":"))


def _codes_json(codes: np.ndarray, previous: int) -> object:
    """A batch of a text column's codes as JSON: the codes, or ``{"d": [...]}``,
    each less the one before (``previous`` before the first), when that has
    fewer bits (zero-order entropy): an ID, or a column the rows are sorted
    by, then holds mostly 0 and 1."""

    def bits(values: np.ndarray) -> float:
        counts = np.unique(values, return_counts=True)[1]
        return float(-(counts * np.log2(counts / len(values))).sum())

    deltas = np.diff(codes, prepend=previous)
    if len(codes) and bits(deltas) < bits(codes):
        return {"d": deltas.tolist()}
    return codes.tolist()


def section_json(
    columns: list[str],
    types: list[str],
    batches: Iterable[list[list[Any]]],
    counts: list[int],
    lookups: dict[str, dict[object, int]],
) -> Iterator[str]:
    """One section as JSON text: its columns, its coded (text and date) ones,
    then per batch each column's values, a coded column's as codes into the
    levels every section shares by column name (``lookups[column]``: a MAID
    is sent once), numbered as they first appear. Rows counted into counts."""
    shared = [
        lookups.setdefault(column, {}) if kind in CODED_TYPES else None
        for column, kind in zip(columns, types, strict=True)
    ]
    coded = [c for c, lookup in zip(columns, shared, strict=True) if lookup is not None]
    previous = [-1 for _ in columns]
    yield f'{{"columns":{to_json(columns)},"coded":{to_json(coded)},"batches":['
    for position, values in enumerate(batches):
        counts.append(len(values[0]) if values else 0)
        for at, lookup in enumerate(shared):
            if lookup is not None and values[at]:
                codes = np.fromiter(
                    (lookup.setdefault(v, len(lookup)) for v in values[at]),
                    dtype=np.int64,
                    count=len(values[at]),
                )
                values[at] = _codes_json(codes, previous[at])
                previous[at] = int(codes[-1])
        yield ("," if position else "") + to_json(values)
    yield "]}"


def column_batches(relation: Any, batch_rows: int) -> Iterator[list[list[Any]]]:
    """The rows a batch at a time, as lists of column values; Arrow makes the
    Python values (amounts as floats, dates as ISO text) far faster than
    DuckDB's rows of Decimal and date objects. An amount goes through its text
    (237.48, not Arrow's direct cast 237.48000000000002): the float nearest
    the model's value, as ``float(Decimal)`` makes it, and the shortest JSON."""
    for batch in relation.to_arrow_reader(batch_rows):
        columns = []
        for array in batch.columns:
            if pa.types.is_decimal(array.type):
                array = pc.cast(pc.cast(array, pa.string()), pa.float64())
            elif pa.types.is_date(array.type):
                array = pc.cast(array, pa.string())
            columns.append(array.to_pylist())
        yield columns
