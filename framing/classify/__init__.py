"""Sentence classifiers: each reads one sentence alone and gives P(label) in LABELS order.

``base`` holds the two interfaces (:class:`SentenceClassifier` reads text, :class:`VectorClassifier`
reads the encoder's pooled vectors), ``rules`` the transparent rule classifier, ``heads`` the
trained heads of framing-v1 (imported on use: they need torch) and ``fusion`` their cue fusion.
Which classifier runs is chosen by name in :mod:`framing.model`; ``framing.classify`` (the
function) lives in :mod:`framing.pipeline`.
"""

from __future__ import annotations

from framing.classify.base import SentenceClassifier, VectorClassifier
from framing.classify.rules import RuleClassifier

__all__ = ["RuleClassifier", "SentenceClassifier", "VectorClassifier"]
