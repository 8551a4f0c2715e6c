"""The dbt side of a run: ``dbt build`` with its parse-cache policy, and the
offline docs page."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from pathlib import Path

from partners import dbt_runner, ingest
from partners.errors import PipelineError
from partners.project import (
    DBT_DEFINITION,
    DOCS_PAGE,
    PROJECT_DIR,
    SEEDS_DIR,
    TARGET_DIR,
    files_under,
)

LOG = logging.getLogger("partners")


def dbt_definition_digest(database: Path) -> str:
    """A digest of what dbt's parse depends on: the files it parses (only the
    names of the raw seeds), this folder and database, dbt's version, and the
    environment variables dbt and the project read."""
    settings = [str(PROJECT_DIR), str(database), definition_digest()]
    settings += sorted(
        f"{name}={value}"
        for name, value in os.environ.items()
        if name.startswith(("DBT_", "PARTNERS_"))
    )
    return hashlib.sha256("\n".join(settings).encode()).hexdigest()


def docs_page(database: Path, page: Path, build_dir: Path) -> bool:
    """Write the offline dbt docs page of ``database`` (lineage, every
    description; one file, no network request) to ``page``.

    ``dbt docs generate --static`` runs only when the project's definition
    changed since the published page was made (its digest is kept beside it,
    in ``.partners-docs.html.sha256``); otherwise the published page is copied.
    Returns whether it was generated.
    """
    published = build_dir / DOCS_PAGE
    marker = build_dir / f".{DOCS_PAGE}.sha256"
    digest = definition_digest()
    if published.exists() and marker.exists() and marker.read_text().strip() == digest:
        shutil.copyfile(published, page)
        return False
    try:
        dbt_runner.invoke(
            ["docs", "generate", "--static", "--log-level", "warn"],
            database=database,
            target_path=TARGET_DIR,
        )
    except dbt_runner.DbtError as error:
        raise PipelineError(f"{error}; nothing was published") from error
    os.replace(TARGET_DIR / "static_index.html", page)
    page.with_name(marker.name).write_text(digest + "\n", encoding="utf-8")
    return True


def definition_digest() -> str:
    """A digest of the project's definition alone: the files dbt parses (the
    raw seeds by name) and dbt's version, whatever folder the project is in."""
    digest = hashlib.sha256(dbt_runner.dbt_version().encode())
    for part in DBT_DEFINITION:
        for path in files_under(PROJECT_DIR / part):
            name = path.relative_to(PROJECT_DIR)
            digest.update(f"{name}:{ingest.sha256_of(path)}\n".encode())
    for path in sorted(SEEDS_DIR.glob("*.csv")):
        digest.update(f"seeds/raw/{path.name}\n".encode())
    return digest.hexdigest()


def dbt_build(database: Path) -> None:
    """One in-process ``dbt build`` writing ``database``; raise PipelineError when
    it fails. The raw seeds (``seeds/raw/``: the main job loads them) and the
    unit tests are excluded, the whole folder by its path, so that a raw seed
    an earlier version published there is never seeded.

    dbt's partial parsing still reads and hashes every project file to find
    what changed; when nothing dbt parses changed since the main job's last
    build (the raw seeds' contents do not count: they are not built from the
    files), the saved manifest is used as it is (``--no-partial-parse-file-diff``).
    Should dbt reject the saved manifest all the same, that invocation builds
    no model, and the build is run again with the usual partial parsing.
    """
    marker = TARGET_DIR / "definition.sha256"
    digest = dbt_definition_digest(database)
    unchanged = (
        marker.exists()
        and marker.read_text().strip() == digest
        and (TARGET_DIR / "partial_parse.msgpack").exists()
    )
    marker.unlink(missing_ok=True)
    # dbt's own lines: warnings and failures on the console (the stages say
    # the rest), one line per node in logs/dbt.log; its debug lines (every
    # statement) cost the four threads about 0.5 s of a 1x build in a lock
    raw_seeds = f"path:{SEEDS_DIR.relative_to(PROJECT_DIR)}"
    arguments = ["build", "--exclude", raw_seeds, "test_type:unit", "--no-write-json",
                 "--log-level", "warn", "--log-level-file", "info"]  # fmt: skip
    try:
        if unchanged:
            result = dbt_runner.invoke(
                [*arguments, "--no-partial-parse-file-diff"],
                database=database,
                target_path=TARGET_DIR,
            )
            if _built_models(result):
                marker.write_text(digest + "\n", encoding="utf-8")
                return
            LOG.info("dbt did not use its saved manifest: building again")
        dbt_runner.invoke(arguments, database=database, target_path=TARGET_DIR)
    except dbt_runner.DbtError as error:
        memory = (
            "; the build's memory limit is PARTNERS_DUCKDB_MEMORY_LIMIT (its "
            "default: profiles.yml)"
            if "Out of Memory" in str(error)
            else ""
        )
        raise PipelineError(
            f"{error}{memory}; see dbt's output above; nothing was published"
        ) from error
    if (TARGET_DIR / "partial_parse.msgpack").exists():
        marker.write_text(digest + "\n", encoding="utf-8")


def _built_models(result: object) -> int:
    """How many models a ``dbt build`` result ran."""
    return sum(
        1
        for item in getattr(result, "results", None) or []
        if getattr(getattr(item, "node", None), "resource_type", None) == "model"
    )
