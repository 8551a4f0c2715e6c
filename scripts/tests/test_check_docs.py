"""The documentation coverage check finds every kind of gap it promises to."""

from __future__ import annotations

import json
from pathlib import Path

import check_docs


def node(unique_id: str, description: str = "Documented.", **extra) -> dict:
    resource_type, _, name = unique_id.split(".")
    return {
        "unique_id": unique_id, "resource_type": resource_type, "name": name,
        "package_name": "partners", "description": description,
        "columns": {"id": {"description": "The key."}}, **extra,
    }  # fmt: skip


def grain_test(model: str, name: str = "unique") -> dict:
    return {
        "unique_id": f"test.partners.{name}_{model}", "resource_type": "test",
        "name": f"{name}_{model}", "package_name": "partners",
        "test_metadata": {"name": name}, "attached_node": f"model.partners.{model}",
    }  # fmt: skip


def manifest(*nodes: dict, exposures: dict | None = None) -> dict:
    return {
        "metadata": {"project_name": "partners"},
        "nodes": {n["unique_id"]: n for n in nodes},
        "exposures": exposures or {},
    }


def test_a_documented_and_grain_tested_project_passes() -> None:
    clean = manifest(node("model.partners.campaigns"), grain_test("campaigns"),
                     node("seed.partners.raw_x"))  # fmt: skip
    assert check_docs.problems_in(clean) == []


def test_every_gap_is_reported() -> None:
    gaps = manifest(
        node("model.partners.campaigns", description=" "),
        node("model.partners.partners", columns={"partner_name": {"description": ""}}),
        node("model.partners.bare", columns={}),
        grain_test("partners", "unique_combination_of_columns"),
        grain_test("bare", "not_null"),  # not a grain test
        node("analysis.partners.top", description=""),
        exposures={"e": {"name": "partners_html", "description": ""}},
    )
    assert check_docs.problems_in(gaps) == [
        "analysis top: no description",
        "model bare: no documented columns",
        "model bare: no test on its grain (unique, unique_combination_of_columns"
        " or row_count)",
        "model campaigns: no description",
        "model campaigns: no test on its grain (unique, unique_combination_of_columns"
        " or row_count)",
        "model partners: column partner_name has no description",
        "exposure partners_html: no description",
    ]


def test_cli_exits_1_on_gaps(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest(node("model.partners.x", description=""))))
    assert check_docs.main(["--manifest", str(path)]) == 1
