"""framing: sentence-level framing and opinion-density analysis of news articles.

    >>> import framing
    >>> a = framing.analyze(text)           # structure, labeled sentences, densities
    >>> a.compare("What Comes Next?")       # a section against the lede, with uncertainty
    >>> a.to_pandas()                       # one row per sentence
"""

from __future__ import annotations

import logging

from typing import Any

from framing.aggregate import Density, DensityDifference
from framing.attribution import Attribution, SourceProfile, Span
from framing.batch import analyze_many
from framing.batch.tables import corpus_tables
from framing.compare import ArticleComparison, GroupComparison, compare_articles, compare_groups
from framing.model import FramingModel, get_classifier
from framing.errors import FramingError, FramingInputError, FramingModelError
# `framing.evaluate` is the function; its module is framing.evaluation.
from framing.evaluation import EvaluationReport, evaluate
from framing.labels import LABELS, OPINION_LABELS, TAXONOMY
from framing.pipeline import analyze, analyze_html, classify
from framing.results import Analysis, Classification, RecordError, Section, Sentence
from framing.text.validate import replace_surrogates

__version__ = "0.1.0"

# Entry points whose modules pull in optional or heavy dependencies (datasets, Ray, trafilatura,
# ...) load on first use, so that `import framing` stays fast.
_LAZY = {
    "score_dataset": "framing.batch.hf",
    "score_ray_dataset": "framing.batch.ray_data",
    "html_to_text": "framing.text.html",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


# A library never configures logging for its user.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "LABELS",
    "OPINION_LABELS",
    "TAXONOMY",
    "Analysis",
    "ArticleComparison",
    "Attribution",
    "Classification",
    "Density",
    "EvaluationReport",
    "RecordError",
    "DensityDifference",
    "FramingError",
    "FramingInputError",
    "FramingModel",
    "FramingModelError",
    "GroupComparison",
    "Section",
    "Sentence",
    "SourceProfile",
    "Span",
    "__version__",
    "analyze",
    "analyze_html",
    "analyze_many",
    "classify",
    "compare_articles",
    "compare_groups",
    "corpus_tables",
    "evaluate",
    "get_classifier",
    "html_to_text",
    "score_dataset",
    "replace_surrogates",
    "score_ray_dataset",
]
