"""Readers for the .csv / .tsv and .parquet exports of a workbook: the rows as
they come, one at a time, so memory stays flat whatever the file's length.

A CSV is read twice from disk: one streaming pass checks it is text (the byte
offset of the first byte that is not, a NUL character), then the records are
parsed from the file as the converter writes them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator

from partners.errors import IngestError
from partners.limits import parquet_limits
from partners.sheet_meaning import wall_clock

#: the head of a CSV read for its ``sep=`` line and its delimiter
_TOP = 1 << 16
_KEEP_ZEROS = re.compile(r'^="(.*)"$', re.S)  # Excel's ="00123", kept as 00123


def read_parquet(path) -> tuple[list[object], Iterator[list[object]]]:
    """A Parquet export (rosters beyond Excel's row limit): column names, then
    rows, in batches sized by limits.parquet_limits."""
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
        batch_size = parquet_limits(path, table)
        names = list(table.schema_arrow.names)
    except IngestError:
        raise
    except Exception as error:  # pyarrow's errors have no common base
        raise IngestError(f"{path}: cannot read the Parquet file: {error}") from error

    def rows() -> Iterator[list[object]]:
        try:
            for batch in table.iter_batches(batch_size=batch_size):
                columns = wall_clock(batch.to_pydict(), batch.schema.types)
                yield from map(list, zip(*columns.values(), strict=True))
        except MemoryError as error:
            raise IngestError(
                f"{path}: cannot read the file: out of memory reading "
                f"{batch_size:,} rows at a time"
            ) from error
        except Exception as error:
            raise IngestError(f"{path}: cannot read the file: {error}") from error

    return names, rows()


def read_csv(path) -> tuple[Iterator[list[str]], str]:
    """A CSV export as Excel reads it (BOMs, ``sep=`` lines, quoted line
    breaks): its records, read as they are taken, and how it was read."""
    with path.open("rb") as handle:
        start = handle.read(4)
    encoding, skip_bom = "utf-8", 0
    if start.startswith(codecs.BOM_UTF8):
        skip_bom = 3
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    _check_text(path, encoding, skip_bom)
    opened = "utf-8-sig" if skip_bom else encoding
    with path.open(encoding=opened, newline="") as handle:
        top = handle.read(_TOP)
    line = top.split("\n", 1)[0]
    skipped, first = 0, line.strip()
    if re.fullmatch(r"sep=.", first):  # Excel's own delimiter line
        delimiter, skipped = first[4], 1
        offset = len(line) + 1
    else:  # the delimiter that splits the top rows into the most fields
        delimiter = max(",;\t", key=lambda d: sum(map(len, _records(
            path, io.StringIO(top, newline=""), d, 0))))  # fmt: skip
        offset = 0
    records = _records(path, _lines(path, opened, offset), delimiter, skipped)
    shown = {",": "','", ";": "';'", "\t": "tab"}.get(delimiter, repr(delimiter))
    return records, f" (read as CSV delimited by {shown})"


def _lines(path, encoding: str, offset: int) -> Iterator[str]:
    """The file's lines as csv.reader wants them, after ``offset`` characters."""
    with path.open(encoding=encoding, newline="") as handle:
        handle.read(offset)
        yield from handle


def _check_text(path, encoding: str, start: int) -> None:
    """Stop unless the file decodes as ``encoding`` and holds no NUL: one
    streaming pass, a megabyte at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    position, characters = start, 0  # of the next byte read, the next character
    with path.open("rb") as handle:
        handle.seek(start)
        while True:
            chunk = handle.read(1 << 20)
            pending = decoder.getstate()[0]  # the bytes of a character cut in two
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                offset = position - len(pending) + error.start
                byte = (pending + chunk)[error.start]
                raise IngestError(
                    f"{path}: cannot read the CSV: byte {offset:,} (0x{byte:02x}) is "
                    f"not {encoding.upper()} text; save it from Excel as 'CSV UTF-8'"
                ) from error
            if "\x00" in text:
                raise IngestError(
                    f"{path}: not a text CSV: it holds a NUL character at character "
                    f"{characters + text.index(chr(0)):,} (binary, or UTF-16 without "
                    "a byte-order mark)"
                )
            if not chunk:
                return
            position, characters = position + len(chunk), characters + len(text)


def _records(path, lines: Iterable[str], delimiter: str, skipped: int) -> Iterator:
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for record in reader:
            yield [_KEEP_ZEROS.sub(r"\1", f).replace('""', '"') if f.startswith('="')
                   else f for f in record]  # fmt: skip
    except csv.Error as error:
        raise IngestError(
            f"{path}, line {reader.line_num + skipped}: cannot read the CSV: {error}"
        ) from error
