"""The sample workbooks: deterministic, and as messy as real exports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import generate_sample
import sample_data
from partners import ingest

#: one worker builds this module's project (make test: pytest-xdist, --dist loadgroup)
pytestmark = pytest.mark.xdist_group("generate_sample")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return generate_sample.generate(tmp_path_factory.mktemp("sample"))


def test_same_seed_gives_the_same_bytes(
    sample: tuple[Path, Path], tmp_path: Path
) -> None:
    again = generate_sample.generate(tmp_path)
    for first, second in zip(sample, again, strict=True):
        assert first.read_bytes() == second.read_bytes()


def read_seed(seeds: Path, name: str) -> list[dict[str, str]]:
    with (seeds / f"{name}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_sample_carries_the_mess_of_real_exports(
    sample: tuple[Path, Path], tmp_path: Path
) -> None:
    conversion = ingest.convert(*sample, tmp_path / "raw")
    roster_file, health_file = conversion.files
    assert (roster_file.sheet_name, roster_file.header_row) == ("Breakout", 4)
    assert (health_file.sheet_name, health_file.header_row) == ("Health", 2)
    assert roster_file.header_mapping.startswith("Campaign ID -> campaign_id")
    roster = read_seed(tmp_path / "raw", "raw_breakout_campaigns")
    health = read_seed(tmp_path / "raw", "raw_health_campaigns")
    assert len(roster) == roster_file.rows_read > 2067  # totals, duplicates
    assert roster_file.blank_rows_skipped > 0
    assert any(r["cell_types"].startswith("campaign_id=number") for r in roster)
    assert any(not r["cell_types"].startswith("campaign_id=") for r in roster)
    assert any("\u00a0" in value for row in roster + health for value in row.values())
    assert any(r["campaign_budget"].lstrip().startswith("$") for r in health)
    assert any(r["utilization"].endswith("%") for r in health)
    partners = {r["partner_name"] for r in roster if r["partner_name"]}
    assert any(p.isupper() for p in partners)
    assert any("  " in p for p in partners)
    assert roster[-1]["campaign_id"] == "Grand Total"
    assert health[-1]["campaign_id"] == "Total"
    rows = [tuple(v for k, v in r.items() if k != "source_row") for r in roster]
    assert len(rows) > len(set(rows))  # exact duplicate rows


def test_sample_advertisers_buy_realistic_bundles() -> None:
    """Products go together as they do in real portfolios: lift well above 1."""
    roster, health = sample_data.build_sample()
    portfolios: dict[int, set[str]] = {}
    for campaign in roster:
        portfolios.setdefault(campaign.maid, set()).add(campaign.product)
    advertisers = len(portfolios)

    def lift(antecedent: str, consequent: str) -> float:
        holders = [p for p in portfolios.values() if antecedent in p]
        both = sum(consequent in p for p in holders)
        share = sum(consequent in p for p in portfolios.values()) / advertisers
        return both / len(holders) / share

    for antecedent, consequent in (
        ("Search", "Call Tracking"),
        ("SEO", "Listings"),
        ("Display", "Social"),
    ):
        assert lift(antecedent, consequent) > 1.5, (antecedent, consequent)
    # budget data lies on every tunable product, never on a non-tunable one
    products = {c.campaign_id: c.product for c in roster}
    matched = {products[h.campaign_id] for h in health if h.campaign_id in products}
    assert matched == set(sample_data.TUNABLE)


def test_a_messy_export_grows_its_mess_with_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--messy at scale 2 (4,134 campaigns), its blocks made small enough to
    show: a subtotal row every 1,000 campaigns, the header again every 2,000,
    exact duplicates in proportion, unknown products, and half the budgets as
    text. The converter reads it (the header rows repeated are marked)."""
    monkeypatch.setattr(generate_sample, "SUBTOTAL_EVERY", 1_000)
    monkeypatch.setattr(generate_sample, "HEADER_EVERY", 2_000)
    paths = generate_sample.generate(tmp_path / "messy", 2, history=False, messy=True)
    ingest.convert(*paths, tmp_path / "raw")
    roster = read_seed(tmp_path / "raw", "raw_breakout_campaigns")
    health = read_seed(tmp_path / "raw", "raw_health_campaigns")
    subtotals = [r for r in roster if r["campaign_id"] == "Subtotal"]
    assert len(subtotals) == 5  # after 1,000 .. 4,000 and the last rows
    repeated = [r for r in roster if "row=repeated-header" in r["cell_types"]]
    assert len(repeated) == 2  # after 2,000 and 4,000
    rows = [tuple(v for k, v in r.items() if k != "source_row") for r in roster]
    assert len(rows) - len(set(rows)) >= 4134 // 300
    products = {r["product_type"] for r in roster}
    assert set(generate_sample.UNKNOWN_PRODUCTS) <= products
    as_text = [r for r in health if r["campaign_budget"].lstrip().startswith("$")]
    assert len(as_text) >= len(health) // 2 - 10


def test_a_messy_sample_is_refused_at_scale_1() -> None:
    with pytest.raises(SystemExit):
        generate_sample.main(["--out-dir", "unused", "--messy"])
