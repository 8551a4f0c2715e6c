"""The example queries in analyses/ compile and answer with their documented columns."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ANALYSES = [
    "top_partners_by_budget",
    "single_product_advertisers",
    "budget_coverage_by_partner",
    "product_penetration",
    "campaigns_without_budget_by_product",
]


@pytest.fixture(scope="module")
def compiled(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compile the analyses as `make analyses` does; return the project."""
    # compiled SQL names the catalog after the file: partners.duckdb -> "partners"
    scratch = tmp_path_factory.mktemp("compile") / "partners.duckdb"
    completed = subprocess.run(
        [sys.executable, str(sample_build / "scripts" / "dbt_runner.py"),
         "--database", str(scratch), "compile", "--select", "resource_type:analysis"],
        cwd=sample_build, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout
    return sample_build


def test_every_analysis_is_covered() -> None:
    folder = Path(__file__).resolve().parents[2] / "analyses"
    assert sorted(p.stem for p in folder.glob("*.sql")) == sorted(ANALYSES)


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_returns_rows_with_its_documented_columns(
    compiled: Path, name: str
) -> None:
    manifest = json.loads((compiled / "target" / "manifest.json").read_text())
    documented = list(manifest["nodes"][f"analysis.partners.{name}"]["columns"])
    sql = compiled / "target" / "compiled" / "partners" / "analyses" / f"{name}.sql"
    database = compiled / "build" / "partners.duckdb"
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute(sql.read_text())
        rows = cursor.fetchall()
        columns = [description[0] for description in cursor.description]
    assert columns == documented
    assert rows


def test_sql_console_opens_read_only_with_marts_first(sample_build: Path) -> None:
    completed = subprocess.run(
        [shutil.which("make") or "make", "--no-print-directory", "-s", "sql",
         f"BIN={Path(sys.executable).parent}", "READY=",
         f"DATABASE={sample_build / 'build' / 'partners.duckdb'}"],
        input="select count(*) from campaigns;\ncreate table marts.x (i int);\n",
        cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert "2067" in completed.stdout
    assert "read-only mode" in completed.stderr


def test_docs_generate_offline_with_the_catalog_and_the_exposure(
    sample_build: Path,
) -> None:
    completed = subprocess.run(
        [shutil.which("make") or "make", "-C", str(sample_build), "docs",
         f"BIN={Path(sys.executable).parent}", "READY="],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr
    catalog = json.loads((sample_build / "target" / "catalog.json").read_text())
    assert "model.partners.campaigns" in catalog["nodes"]
    page = (sample_build / "target" / "static_index.html").read_text()
    assert "partners_html" in page
