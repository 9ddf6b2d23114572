"""framing: sentence-level framing and opinion-density analysis of news articles.

    >>> import framing
    >>> a = framing.analyze(text)           # structure, labeled sentences, densities
    >>> a.compare("What Comes Next?")       # a section against the lede, with uncertainty
    >>> a.to_pandas()                       # one row per sentence
"""

from __future__ import annotations

import logging

from framing.aggregate import Density, DensityDifference
from framing.classify import Classification, classify, get_classifier
from framing.errors import FramingError, FramingInputError, FramingModelError
from framing.labels import LABELS, OPINION_LABELS, TAXONOMY
from framing.pipeline import analyze
from framing.results import Analysis, Section, Sentence

__version__ = "0.1.0"

# A library never configures logging for its user.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "LABELS",
    "OPINION_LABELS",
    "TAXONOMY",
    "Analysis",
    "Classification",
    "Density",
    "DensityDifference",
    "FramingError",
    "FramingInputError",
    "FramingModelError",
    "Section",
    "Sentence",
    "__version__",
    "analyze",
    "classify",
    "get_classifier",
]
