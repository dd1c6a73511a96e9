from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))  # tests import their helpers (libreoffice, factories)

# `make test` is a gate: the property tests draw the same examples on every run and machine, so a red CI
# run is reproducible and a green one is not luck. `make fuzz` (profile "explore") draws new examples
# each run to look for what the fixed ones miss.
settings.register_profile("gate", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))

ROOT = Path(__file__).resolve().parents[1]
# Rendered pages land in an ignored folder: a test run never rewrites tracked files.
# `make artifacts` runs the tests that use the fixture and copies their pictures into
# tests/artifacts/ (the committed ones).
ARTIFACTS = Path(__file__).parent / "artifacts" / "out"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # a test that writes pictures is an artifacts test: `pytest -m artifacts` runs exactly these
    for item in items:
        if "artifacts" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.artifacts)


@pytest.fixture
def seed_path() -> Path:
    return ROOT / "pyxl" / "data" / "tribunal.yaml"


@pytest.fixture
def seed_dept(seed_path: Path):
    from pyxl.core.loader import load_data

    return load_data(seed_path)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
