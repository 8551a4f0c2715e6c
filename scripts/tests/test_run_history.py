"""The build history kept beside the Health history store (partners.run_history)."""

from __future__ import annotations

from pathlib import Path

import pytest

from partners import raw_load, run_history


def test_a_long_build_history_reads_back_with_one_look_at_its_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each published build adds a row: reading the history must not parse
    the seed properties once per row (about 45 ms each: 4.5 s a run after
    a hundred builds)."""
    names = run_history.columns()
    rows = [{name: f"{name}-{number}" for name in names} for number in range(300)]
    history = run_history.write(tmp_path / "builds.csv", rows)
    parses = []
    parse = raw_load.seed_column_types

    def counted(*args: object, **kwargs: object) -> dict:
        parses.append(1)
        return parse(*args, **kwargs)

    monkeypatch.setattr(raw_load, "seed_column_types", counted)
    assert run_history.read(history) == rows
    assert len(parses) == 1
