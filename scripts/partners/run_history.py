"""The build history: one row of headline figures per published build.

It is a CSV kept beside the Health history store (``project.build_history_file``)
that survives rebuilds. A run copies it into its raw seed set as
``raw_partners_builds`` (the builds published before it: dbt compares this
build with the last of them, in marts.build_drift and marts.match_rate_check);
publishing the build appends this build's row, read from marts.build_history,
all or nothing with the rest (``partners.publish``). Its columns are the raw
seed's, as seeds/_seeds.yml declares them.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from partners import raw_load
from partners.errors import ArgumentParser, PipelineError
from partners.project import HISTORY_DIR, SEEDS_DIR, build_history_file

#: the raw seed the build history becomes
SEED = "raw_partners_builds"
#: this build's row, as dbt made it (its stamp is added at publish)
THIS_BUILD_SQL = "select * from marts.build_history where is_this_build"


def columns() -> list[str]:
    """The build history's columns, in order: the raw seed's in seeds/_seeds.yml."""
    return list(raw_load.seed_column_types()[SEED])


def read(history: Path) -> list[dict[str, str]]:
    """The build history's rows (none when the file does not exist yet); a
    column the file lacks is empty."""
    if not history.exists():
        return []
    names = columns()  # once: each row asking for them parsed the YAML again
    with history.open(newline="", encoding="utf-8") as handle:
        return [
            {name: row.get(name) or "" for name in names}
            for row in csv.DictReader(handle)
        ]


def write(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    """Write ``rows`` as a build history CSV (the seed's columns, ``\\n``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns(), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_seed(history: Path, seeds_dir: Path) -> Path:
    """The build history as the raw seed of ``seeds_dir`` (header only when
    no build was published yet)."""
    return write(seeds_dir / f"{SEED}.csv", read(history))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def with_this_build(database: Path, history: Path, stamp: str, out: Path) -> Path:
    """Write to ``out`` the build history with this build's row appended: its
    figures from ``database`` (marts.build_history), its ``stamp``."""
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            relation = connection.sql(THIS_BUILD_SQL)
            [row] = relation.fetchall()
            this_build = dict(zip(relation.columns, row, strict=True))
    except (duckdb.Error, ValueError) as error:
        raise PipelineError(
            f"{database}: cannot read this build's row of marts.build_history: "
            f"{error}; nothing was published"
        ) from error
    this_build["build_stamp"] = stamp
    record = {name: _text(this_build[name]) for name in columns()}
    return write(out, [*read(history), record])


def main(argv: Sequence[str] | None = None) -> int:
    """Write the build history kept beside a Health history store as the raw
    seed of a seed folder (for tools that make ``seeds/raw/`` without the
    main job: ``python -m partners.run_history --history-dir DIR``)."""
    parser = ArgumentParser(description="Write raw_partners_builds.csv.")
    parser.add_argument("--history-dir", type=Path, default=HISTORY_DIR)
    parser.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR)
    args = parser.parse_args(argv)
    write_seed(build_history_file(args.history_dir), args.seeds_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
