"""The project's own parts and the browser it tests with, for tools that need them.

Used by the test suite and the benchmark, which both run the main job in a
throw-away copy of the project, and both drive Debian's Chromium.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from partners.project import PROJECT_DIR

#: what a copy of the project needs to run the main job (no build output,
#: generated seeds, dbt target or virtual environment)
PROJECT_PARTS = (
    "Makefile",
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "tests",
    "scripts",
    "seeds/_seeds.yml",
    "seeds/reference",
    "analyses",
)

#: Debian's chromium; Playwright's own browser download fails offline
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def copy_project(destination: Path) -> Path:
    """Copy the committed project to ``destination`` (emptied first), with a build/."""
    shutil.rmtree(destination, ignore_errors=True)
    for part in PROJECT_PARTS:
        source, target = PROJECT_DIR / part, destination / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(
                source,
                target,
                ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "raw"),
            )
        elif source.exists():
            shutil.copy2(source, target)
    (destination / "build").mkdir()
    return destination
