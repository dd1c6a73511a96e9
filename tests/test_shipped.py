"""The committed workbooks are what the code builds today."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from workbook_fingerprint import fingerprint

from pyxl.shipped import SHIPPED


@pytest.mark.parametrize("rel", sorted(SHIPPED))
def test_shipped_workbook_is_current(rel: str, tmp_path: Path):
    committed = ROOT / rel
    assert committed.exists(), f"{rel} is missing: run `python -m pyxl.shipped`"
    fresh = tmp_path / Path(rel).name
    SHIPPED[rel](fresh)
    assert fingerprint(fresh) == fingerprint(committed), f"{rel} is stale: run `python -m pyxl.shipped`"
