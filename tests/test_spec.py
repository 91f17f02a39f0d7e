"""The package's data dictionary is the shared spec, unchanged."""

from __future__ import annotations

import pytest
from conftest import ROOT, SHARED

from generator.spec import cell_addresses, row_specs


@pytest.mark.parametrize("name", ["fields.yaml", "report-format.md"])
def test_spec_copy_is_identical(name: str) -> None:
    shared = SHARED / "spec" / name
    assert shared.exists(), f"{shared} missing"
    assert (ROOT / "generator" / "spec" / name).read_bytes() == shared.read_bytes()


def test_cell_counts_per_template() -> None:
    # 2021: 10 proactive + 25 request rows x 7 + 15 appeals; 2019: 22 + 23 x 7 + 15.
    assert len(cell_addresses("2021")) == 10 + 25 * 7 + 15
    assert len(cell_addresses("2019")) == 22 + 23 * 7 + 15
    assert row_specs("2019")[-1].width == 15
