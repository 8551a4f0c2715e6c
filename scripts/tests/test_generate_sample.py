"""The sample workbooks: deterministic, messy, and exact after cleaning."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import generate_sample
import ingest


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return generate_sample.generate(tmp_path_factory.mktemp("sample"))


def test_same_seed_gives_the_same_bytes(
    sample: tuple[Path, Path], tmp_path: Path
) -> None:
    again = generate_sample.generate(tmp_path)
    for first, second in zip(sample, again, strict=True):
        assert first.read_bytes() == second.read_bytes()


def test_sample_reproduces_the_real_figures_after_cleaning(
    sample: tuple[Path, Path],
) -> None:
    aliases = ingest.load_aliases()
    roster = ingest.ingest_file(sample[0], ingest.BREAKOUT, aliases["breakout"])
    health = ingest.ingest_file(sample[1], ingest.HEALTH, aliases["health"])
    roster_ids = {row[1] for row in roster.rows}
    assert len(roster.rows) == len(roster_ids) == 2067
    assert len({row[3] for row in roster.rows}) == 588
    assert len(health.rows) == len({row[1] for row in health.rows}) == 800
    budgets = {row[1]: Decimal(row[6]) for row in health.rows}
    matched = roster_ids & budgets.keys()
    assert len(matched) == 449
    assert Decimal("1475000") <= sum(budgets.values()) < Decimal("1485000")
    assert Decimal("767500") <= sum(budgets[i] for i in matched) < Decimal("768500")
    assert roster.is_sample
    assert health.is_sample


def test_sample_carries_the_mess_of_real_exports(sample: tuple[Path, Path]) -> None:
    roster_sheets = {s.name: s for s in ingest.read_sheets(sample[0])}
    health_sheets = {s.name: s for s in ingest.read_sheets(sample[1])}
    roster, health = roster_sheets["Breakout"].rows, health_sheets["Health"].rows
    assert not roster_sheets["lookup"].visible
    assert roster[0][0].startswith("Campaign Breakout")  # a title above the header
    assert roster[3][:2] == ["Campaign  ID", "Campaign Name"]  # not canonical names
    cells = [cell for row in roster + health for cell in row]
    assert any(isinstance(c, float) for c in (row[0] for row in roster[4:]))
    assert any(isinstance(c, str) and "\u00a0" in c for c in cells)
    assert any(isinstance(c, str) and c.startswith("$") for c in cells)
    assert any(isinstance(c, str) and c.endswith("%") for c in cells)
    partners = {row[4] for row in roster[4:] if row[4]}
    assert any(p.isupper() for p in partners)
    assert any("  " in p for p in partners)
    assert roster[-1][0] == "Grand Total"
    assert health[-1][0] == "Total"
    assert any(all(c in ("", None) for c in row) for row in roster[4:])
    data = [tuple(row) for row in roster[4:-1] if any(row)]
    assert len(data) > len(set(data))  # exact duplicate rows


def test_sample_advertisers_buy_realistic_bundles() -> None:
    """Products go together as they do in real portfolios: lift well above 1."""
    roster, health = generate_sample.build_sample()
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
    assert matched == set(generate_sample.TUNABLE)
