"""The example queries in analyses/ compile and answer with their documented columns."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

#: one worker builds this module's project (make test: pytest-xdist, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("analyses")

ANALYSES = [
    "top_partners_by_budget",
    "single_product_advertisers",
    "budget_coverage_by_partner",
    "product_penetration",
    "campaigns_without_budget_by_product",
    "budget_by_account_manager",
    "advertisers_across_partners",
    "unmatched_campaigns_by_partner",
    "campaign_budget_changes",
    "rejected_rows_explained",
    "live_campaigns_by_partner",
]


@pytest.fixture(scope="module")
def compiled(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compile the analyses as `make analyses` does; return the project."""
    # compiled SQL names the catalog after the file: partners.duckdb -> "partners"
    scratch = tmp_path_factory.mktemp("compile") / "partners.duckdb"
    completed = subprocess.run(
        [sys.executable, str(sample_build / "scripts" / "partners"), "dbt",
         "--database", str(scratch), "compile", "--select", "resource_type:analysis"],
        cwd=sample_build, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout
    return sample_build


def test_every_analysis_is_covered() -> None:
    folder = Path(__file__).resolve().parents[2] / "analyses"
    assert sorted(p.stem for p in folder.glob("*.sql")) == sorted(ANALYSES)


@pytest.fixture(scope="module")
def renamed_copy(compiled: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the published database under another name (another catalog)."""
    copy = tmp_path_factory.mktemp("elsewhere") / "copy_of_the_marts.duckdb"
    shutil.copyfile(compiled / "build" / "partners.duckdb", copy)
    return copy


def compiled_sql(compiled: Path, name: str) -> str:
    folder = compiled / "target" / "compiled" / "partners" / "analyses"
    return (folder / f"{name}.sql").read_text()


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_returns_rows_with_its_documented_columns_on_a_renamed_copy(
    compiled: Path, renamed_copy: Path, name: str
) -> None:
    manifest = json.loads((compiled / "target" / "manifest.json").read_text())
    documented = list(manifest["nodes"][f"analysis.partners.{name}"]["columns"])
    sql = compiled_sql(compiled, name)
    # no catalog name: the statement runs whatever the file is called
    assert '"partners".' not in sql
    assert "partners.marts" not in sql
    assert sql.rstrip().endswith(";")
    with duckdb.connect(str(renamed_copy), read_only=True) as connection:
        cursor = connection.execute(sql)
        rows = cursor.fetchall()
        columns = [description[0] for description in cursor.description]
    assert columns == documented
    assert rows


def test_compiled_analyses_run_concatenated_in_one_script(
    compiled: Path, renamed_copy: Path
) -> None:
    script = "\n".join(compiled_sql(compiled, name) for name in ANALYSES)
    with duckdb.connect(str(renamed_copy), read_only=True) as connection:
        connection.execute(script)
        assert connection.fetchall()  # the last query's rows


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
