"""Shared fixtures.

Data in ../shared is not part of a user's clone: tests that need it use the ``shared_dir``
fixture, which skips with a reason there, but fails loudly under CI=true, where it must exist.
The optional all-mpnet-base-v2 parts (``mpnet_parts``, ``mpnet_dir``) are handled the same way.
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


def _mpnet_parts_or_skip() -> list[Path]:
    """The installed files of all-mpnet-base-v2's five PyPI parts (``framing.nn.packaged``):
    optional for a user, so tests that need them skip, but fail under CI=true, which installs
    them (.ci/run)."""
    from framing.nn.packaged import MPNET, locate_part

    try:
        return [locate_part(p) for p in MPNET.parts]
    except FileNotFoundError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the all-mpnet-base-v2 parts are not installed ({exc})")
        pytest.skip(f"needs the all-mpnet-base-v2 parts ({exc}): framing install-encoder all-mpnet-base-v2")


@pytest.fixture(scope="session")
def mpnet_parts() -> list[Path]:
    return _mpnet_parts_or_skip()


@pytest.fixture(scope="session")
def mpnet_dir() -> Path:
    """The verified all-mpnet-base-v2 folder in the user cache, built from the parts if absent."""
    from framing.nn.packaged import MPNET, cache_is_valid, default_cache_dir, encoder_dir

    if not cache_is_valid(MPNET, default_cache_dir() / MPNET.folder_name):
        _mpnet_parts_or_skip()
    return encoder_dir(MPNET.name)


@pytest.fixture(scope="session")
def reference_text() -> str:
    return REFERENCE_ARTICLE.read_text(encoding="utf-8")


def make_article(text: str, spans, paragraphs=None):
    """An Article over ``text`` whose body sentences are ``spans`` ((start, end) pairs, or
    (start, end, paragraph) triples) — for unit tests of one stage with chosen boundaries.
    ``paragraphs`` default to one paragraph holding the whole text."""
    from framing.article import Article, SentenceSpan
    from framing.text.layout import parse_layout

    sentences = tuple(
        SentenceSpan(s[0], s[1], s[2] if len(s) > 2 else 0, i, 0) for i, s in enumerate(spans)
    )
    paragraphs = tuple(paragraphs) if paragraphs is not None else ((0, len(text)),)
    return Article(text, parse_layout(text), sentences, paragraphs, None, ())


@pytest.fixture(scope="session")
def shipped_model():
    """The shipped framing-v1 (encoder, heads, span tagger), loaded once for the whole session:
    the same cached object ``framing.analyze`` uses."""
    pytest.importorskip("torch")
    from framing.model import load

    return load()
