"""Load a converted raw seed set into the ``raw`` tables of a database.

The tables are the ones ``dbt seed`` creates from the same files, made with
DuckDB's CSV reader instead of agate.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb

from partners.errors import PipelineError
from partners.project import PROJECT_DIR, STORAGE_COMPATIBILITY

_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
#: what agate (dbt seed) strips before it reads "" or "null" as a missing value
_PY_WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_SPACES = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _PY_WHITESPACE) + "]*"
#: a field agate reads as missing (one RE2 match: 5x faster than ``trim`` with
#: a character set, the slowest step of loading a large roster)
MISSING_FIELD = f"^{_SPACES}(?i:null)?{_SPACES}$"


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle), [])
    bad = [name for name in header if not _NAME_RE.match(name)]
    if not header or bad or not _NAME_RE.match(path.stem):
        raise PipelineError(
            f"{path}: not a raw seed of this pipeline (header {header})"
        )
    return header


_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]*(\(\d+(, ?\d+)?\))?$")


def seed_column_types(properties: Path = PROJECT_DIR / "seeds" / "_seeds.yml") -> dict:
    """Each seed's ``column_types`` from the seed properties: name -> {column: type}."""
    import yaml  # a dbt dependency

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: 10x faster
    document = yaml.load(properties.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506
    return {
        seed["name"]: dict((seed.get("config") or {}).get("column_types") or {})
        for seed in document.get("seeds") or []
    }


def load_raw_tables(database: Path, seeds_dir: Path) -> list[str]:
    """Create ``raw.<seed>`` for every CSV of ``seeds_dir`` with DuckDB's CSV reader.

    The tables are the ones ``dbt seed`` creates from the same files (dbt-core
    reads seeds with agate, in Python, which dominates a large build): the
    same schema, names and ``column_types`` (text where none is given), and a
    field that is empty or ``null`` (any case, surrounding whitespace) a NULL,
    as agate reads it. Returns the seed names, for ``dbt build`` to exclude.
    """
    types = seed_column_types()
    names = []
    with duckdb.connect(
        str(database), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}
    ) as connection:
        connection.execute("create schema if not exists raw")
        for path in sorted(seeds_dir.glob("*.csv")):
            header = _header(path)
            declared = types.get(path.stem, {})
            columns = ", ".join(f"'{name}': 'varchar'" for name in header)
            selected = []
            for name in header:
                kind = str(declared.get(name, "varchar")).strip().lower()
                if not _TYPE_RE.match(kind):
                    raise PipelineError(f"seeds/_seeds.yml: {path.stem}.{name}: "
                                        f"unexpected column type {kind!r}")  # fmt: skip
                selected.append(
                    f'cast(case when regexp_full_match("{name}", $missing) '
                    f'then null else "{name}" end as {kind}) as "{name}"'
                )
            connection.execute(  # names and types checked above; the path is bound
                f"create or replace table raw.{path.stem} as select "  # noqa: S608
                f"{', '.join(selected)} from read_csv($path, header = true, "
                f"auto_detect = false, columns = {{{columns}}}, delim = ',', "
                "quote = '\"', escape = '\"', strict_mode = true)",
                {"path": str(path), "missing": MISSING_FIELD},
            )
            names.append(path.stem)
        connection.execute("checkpoint")
    return names


@contextlib.contextmanager
def seed_nodes_for(seeds_dir: Path, new_set: Path) -> Iterator[None]:
    """Make sure ``seeds/raw/`` has a file for every seed of the new set.

    dbt's parser needs a seed file for each ``ref('raw_...')``; their contents
    are not read (the main job loads the raw tables itself). Where the
    published set lacks one (a first run), a header-only placeholder stands in
    for the build and is removed after it, so a failed run leaves nothing.
    """
    created: list[Path] = []
    made_folder = not seeds_dir.exists()
    try:
        seeds_dir.mkdir(parents=True, exist_ok=True)
        for path in sorted(new_set.glob("*.csv")):
            target = seeds_dir / path.name
            if not target.exists():
                target.write_text(",".join(_header(path)) + "\n", encoding="utf-8")
                created.append(target)
        yield
    finally:
        for path in created:
            path.unlink(missing_ok=True)
        if made_folder:
            with contextlib.suppress(OSError):
                seeds_dir.rmdir()
