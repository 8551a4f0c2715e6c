"""The limits that keep a small file from taking the machine's memory, beyond
the sheet XML and cell limits of readers.py (docs/operations.md#limits).

- ``MAX_SHARED_TEXT``: an .xlsx's text as the reader holds it. The reader
  gives every cell its own copy of the shared string it references, so one
  long string referenced by many cells (a 65 KB file) expands to gigabytes.
  The pre-scan sums, over the cells, the size of the string each references.
- ``MAX_PARQUET_CELLS`` and ``MAX_PARQUET_TEXT``: a Parquet file's rows x
  columns (its footer) and its text once decoded (a dictionary-encoded
  column repeats one long value in every row at no cost in the file).
- ``LONG_TEXT``: a cell's text longer than this is cut before it is written
  (``cut_long_text``): the staging models clear text over 1,000 characters
  as too long, so the rest would only be carried, stored and shown.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path

from partners.errors import IngestError

#: Excel's last row: a sheet holds no more rows (readers.MAX_CELLS), and the
#: report carries no more campaigns (export_html.PAGE_MAX_CAMPAIGNS)
EXCEL_ROWS = 1_048_576
#: the most text the cells of one sheet may reference in the shared strings
#: (the reader holds a copy per cell, besides its ~72 bytes a cell: MAX_CELLS)
MAX_SHARED_TEXT = 512 << 20
#: the most cells of a Parquet file: rows x columns, from its footer
MAX_PARQUET_CELLS = 100_000_000
#: the most text a Parquet file's columns may decode to
MAX_PARQUET_TEXT = 1 << 30
#: a text cell longer than this is cut (the staging rule clears text over
#: 1,000 characters; cut_long_text keeps enough to fail it the same way)
LONG_TEXT = 2_000
#: the characters the staging cleaning may drop or merge: spaces, invisible
#: characters (macros/cleaning.sql, clean_text) and combining marks (NFC)
_SHRINKING = re.compile(
    "[\\s\u00a0\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff\u00ad"
    "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
#: the characters the staging rule clears as control-characters
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# ------------------------------------------------------------------ .xlsx

_SI_END = re.compile(rb"</(?:[\w.-]+:)?si>")
#: a cell referencing a shared string: its index
_SHARED_CELL = re.compile(rb"""\st=["']s["'][^>]*>\s*<(?:[\w.-]+:)?v>\s*([0-9]+)\s*<""")


def shared_string_sizes(pieces: Iterable[bytes]) -> array:
    """The size in bytes of each shared string's XML, in order: a bound on its
    text (entities and markup only shrink). ``pieces``: the part's bytes."""
    sizes, base, previous, carry = array("q"), 0, 0, b""
    for piece in pieces:
        data = carry + piece
        last = 0
        for found in _SI_END.finditer(data):
            end = base + found.end()
            sizes.append(max(0, end - previous - 9))  # less <si></si>
            previous, last = end, found.end()
        keep = max(last, len(data) - 64)  # a closing tag cut between pieces
        carry, base = data[keep:], base + keep
    return sizes


class SharedText:
    """The running sum, over a sheet's cells, of the referenced strings' sizes.

    Cheap first: the cells referencing a string (a byte count) times the
    longest string. Only past the limit are the cells' indices read, those
    of the chunks read so far again (``reread``), then the rest's."""

    def __init__(self, sizes: array, reread: Callable[[], Iterable[bytes]]) -> None:
        self.sizes, self.reread, self.total = sizes, reread, 0
        self.longest, self.chunks, self.exact = max(sizes, default=0), 0, False

    def add(self, body: bytes) -> bool:
        """Count a chunk of sheet XML (cut between cells); true past the limit."""
        self.chunks += 1
        if not self.exact:
            cells = body.count(b't="s"') + body.count(b"t='s'")
            self.total += cells * self.longest
            if self.total <= MAX_SHARED_TEXT:
                return False
            self.exact = True  # the cells' own strings, from the first chunk
            earlier = itertools.islice(self.reread(), self.chunks - 1)
            self.total = sum(map(self._count, earlier))
        self.total += self._count(body)
        return self.total > MAX_SHARED_TEXT

    def _count(self, body: bytes) -> int:
        sizes, count = self.sizes, len(self.sizes)
        return sum(sizes[i] if i < count else 0
                   for i in map(int, _SHARED_CELL.findall(body)))  # fmt: skip

    def message(self, where: str, row: int) -> str:
        return (
            f"{where}: the cells repeat shared text expanding to more than the "
            f"limit of {MAX_SHARED_TEXT:,} bytes (MAX_SHARED_TEXT): "
            f"{self.total:,} bytes by row {row:,} (the longest string: "
            f"{self.longest:,} bytes of XML); a long text copied into many cells? "
            "Shorten it, or export the data as CSV"
        )


# ------------------------------------------------------------------ Parquet


def parquet_limits(path: Path, parquet: object) -> int:
    """Stop a Parquet file past the limits, before its rows are read; the
    rows to read at a time, so that a batch's text stays near 64 MB."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    meta = parquet.metadata
    columns = len(parquet.schema_arrow.names)
    if meta.num_rows * columns > MAX_PARQUET_CELLS:
        raise IngestError(
            f"{path}: the file holds {meta.num_rows:,} rows x {columns:,} columns "
            f"({meta.num_rows * columns:,} cells), more than the limit of "
            f"{MAX_PARQUET_CELLS:,} cells (MAX_PARQUET_CELLS)"
        )
    text_columns = []  # the byte-array columns stored with a dictionary
    for group in range(meta.num_row_groups):
        for index in range(meta.num_columns):
            chunk = meta.row_group(group).column(index)
            if chunk.physical_type == "BYTE_ARRAY":
                text_columns.append(chunk.path_in_schema)
    text_columns = sorted(set(text_columns))
    decoded = pq.ParquetFile(path, read_dictionary=text_columns)
    total, batch = 0, 65_536
    for group in range(meta.num_row_groups):
        rows = meta.row_group(group).num_rows
        size = 0
        for index in range(meta.num_columns):
            chunk = meta.row_group(group).column(index)
            if chunk.physical_type != "BYTE_ARRAY":
                continue
            if not any("DICTIONARY" in e for e in chunk.encodings):
                size += chunk.total_uncompressed_size  # plain: the text itself
                continue
            data = decoded.read_row_group(group, columns=[chunk.path_in_schema])
            for part in data.column(0).chunks:
                lengths = pc.binary_length(part.dictionary)
                size += pc.sum(pc.take(lengths, part.indices)).as_py() or 0
        total += size
        if total > MAX_PARQUET_TEXT:
            raise IngestError(
                f"{path}: the file's text decodes to more than the limit of "
                f"{MAX_PARQUET_TEXT:,} bytes (MAX_PARQUET_TEXT): {total:,} bytes "
                f"by row {sum(meta.row_group(g).num_rows for g in range(group + 1)):,}"
                "; a long value repeated in many rows?"
            )
        if size:
            batch = min(batch, max(1, rows * (64 << 20) // size))
    return max(1, min(batch, 2_000_000 // max(columns, 1)))


# ------------------------------------------------------------------ long text


def cut_long_text(text: str) -> str:
    """A text cell of more than ``LONG_TEXT`` characters, cut: its first
    characters, as few as still fail the staging rules the whole text fails
    (over 1,000 characters once cleaned; control characters), then how long
    it was. A text its cleaning could bring under 1,000 characters (mostly
    spaces) is kept whole: the staging models decide."""
    if len(text) <= LONG_TEXT:
        return text
    end = 1_024
    while end < len(text):
        head = text[:end]
        # the cleaned length is at least the characters it cannot drop; the
        # margin covers a character composed across the cut
        if len(_SHRINKING.sub("", unicodedata.normalize("NFC", head))) > 1_010:
            break
        end = end * 3 // 2
    else:
        return text
    marker = f" [cut by the converter: {len(text):,} characters]"
    if not _CONTROL.search(head) and (found := _CONTROL.search(text, end)):
        marker += found.group()  # cleared as before: control-characters
    return head + marker
