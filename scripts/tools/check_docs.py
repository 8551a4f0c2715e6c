"""Fail when the dbt project is not fully documented and tested on its grain.

Usage::

    python scripts/tools check_docs [--manifest target/manifest.json] [--no-parse]

Runs ``dbt parse`` (against the in-memory ``lint`` target, so the published
database is never opened) and then checks ``target/manifest.json``:

- every model, seed, analysis and exposure has a description;
- every documented column has a description, and every model documents its
  columns;
- every model has a test on its grain: ``unique`` on a column,
  ``unique_combination_of_columns`` or ``row_count``.

Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from partners import dbt_runner
from partners.project import PROJECT_DIR

LOG = logging.getLogger("check_docs")

DOCUMENTED = ("model", "seed", "analysis", "snapshot")
GRAIN_TESTS = {"unique", "unique_combination_of_columns", "row_count"}


def parse_project() -> Path:
    """Run ``dbt parse`` on the lint target; return the manifest's path."""
    target = PROJECT_DIR / "target"
    dbt_runner.invoke(["parse", "--target", "lint", "--quiet"], target_path=target)
    return target / "manifest.json"


def problems_in(manifest: dict[str, Any]) -> list[str]:
    """Every documentation or grain-test gap in a dbt manifest, one line each."""
    problems = []
    nodes = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] in DOCUMENTED
        and node["package_name"] == _project(manifest)
    ]
    grain_tested = set()
    for node in manifest["nodes"].values():
        test = node.get("test_metadata") or {}
        if node["resource_type"] == "test" and test.get("name") in GRAIN_TESTS:
            grain_tested.add(node.get("attached_node"))
    for node in sorted(nodes, key=lambda n: n["unique_id"]):
        name = f"{node['resource_type']} {node['name']}"
        if not node.get("description", "").strip():
            problems.append(f"{name}: no description")
        columns = node.get("columns", {})
        if node["resource_type"] == "model" and not columns:
            problems.append(f"{name}: no documented columns")
        problems += [
            f"{name}: column {column} has no description"
            for column, spec in sorted(columns.items())
            if not spec.get("description", "").strip()
        ]
        if node["resource_type"] == "model" and node["unique_id"] not in grain_tested:
            problems.append(
                f"{name}: no test on its grain (unique, "
                "unique_combination_of_columns or row_count)"
            )
    for exposure in manifest.get("exposures", {}).values():
        if not exposure.get("description", "").strip():
            problems.append(f"exposure {exposure['name']}: no description")
    return problems


def _project(manifest: dict[str, Any]) -> str:
    return manifest["metadata"].get("project_name", "partners")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path)
    parser.add_argument(
        "--no-parse", action="store_true", help="use the manifest as is"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    try:
        path = args.manifest or (
            PROJECT_DIR / "target" / "manifest.json"
            if args.no_parse
            else parse_project()
        )
    except dbt_runner.DbtError as error:
        LOG.error("%s", error)
        return 1
    manifest = json.loads(path.read_text(encoding="utf-8"))
    problems = problems_in(manifest)
    for problem in problems:
        LOG.error("%s", problem)
    if problems:
        LOG.error("%d documentation problem(s) in %s", len(problems), path)
        return 1
    LOG.info("every model, seed, analysis and column is documented; every model "
             "is tested on its grain")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
