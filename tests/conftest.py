from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests import their helpers (libreoffice, factories)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def seed_path() -> Path:
    return ROOT / "pyxl" / "data" / "tribunal.yaml"


@pytest.fixture
def seed_dept(seed_path: Path):
    from pyxl.loader import load_data

    return load_data(seed_path)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
