"""What the project is: its folders, the files that define it, the storage format.

The one place that knows where things live; every module of the product and
every tool asks here.
"""

from __future__ import annotations

from pathlib import Path

#: the project: the folder holding dbt_project.yml (two above this package)
PROJECT_DIR = Path(__file__).resolve().parents[2]
#: the published raw seed set (dbt parses one file per raw seed)
SEEDS_DIR = PROJECT_DIR / "seeds" / "raw"
#: where builds are published (partners.duckdb, partners.html, the docs page)
BUILD_DIR = PROJECT_DIR / "build"
#: where the Health drops of real runs are kept
HISTORY_DIR = PROJECT_DIR / "data" / "history"
#: the build history's file name: one row per published build, kept beside
#: the Health history store (data/builds.csv; the sample's in build/sample/)
BUILD_HISTORY_NAME = "builds.csv"
#: the main job's own dbt target folder (its partial-parse cache is kept there
#: between runs; a hand-run dbt on build/dev.duckdb keeps its own in target/)
TARGET_DIR = PROJECT_DIR / "target" / "main-job"
#: the published database, the report and the dbt docs page (in BUILD_DIR;
#: a run writes them into build/.work/ first)
DATABASE_FILE = "partners.duckdb"
REPORT_PAGE = "partners.html"
DOCS_PAGE = "partners-docs.html"
#: as in profiles.yml: files pre-2.0 DuckDB clients can read
STORAGE_COMPATIBILITY = "v1.0.0"

#: what dbt parses, besides the raw seeds' contents (the main job loads those)
DBT_DEFINITION = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests",
                  "analyses", "seeds/_seeds.yml", "seeds/reference")  # fmt: skip
#: the project files a build depends on, besides its inputs and the history
BUILD_DEFINITION = (*DBT_DEFINITION, "scripts")


def files_under(path: Path) -> list[Path]:
    """The files of ``path`` (itself when a file), sorted; caches and hidden
    files left out."""
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and "__pycache__" not in p.parts
            and not p.name.startswith(".")
        )
    return [path] if path.exists() else []


def build_history_file(history_dir: Path) -> Path:
    """The build history kept beside the Health history store ``history_dir``
    (outside it: the build stamp covers that folder)."""
    return history_dir.parent / BUILD_HISTORY_NAME
