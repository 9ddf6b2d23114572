"""Shared fixtures.

Data in ../shared is not part of a user's clone: tests that need it use the ``shared_dir``
fixture, which skips with a reason there, but fails loudly under CI=true, where it must exist.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRAMING_SHARED_DIR", REPO.parent / "shared"))
REFERENCE_ARTICLE = REPO / "examples" / "us-draft-plan-ukraine.txt"


def _shared_or_skip() -> Path:
    if (SHARED / "data").is_dir():
        return SHARED
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the shared data folder is missing at {SHARED}")
    pytest.skip(f"needs the shared data folder at {SHARED} (not part of a user's clone)")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _shared_or_skip()


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE_ARTICLE.read_text(encoding="utf-8")
