"""The interfaces of sentence classifiers: one reads text, one reads the encoder's vectors.

A classifier sees sentences one by one, without article context, and returns a probability for
each label in :data:`framing.labels.LABELS` order. Keeping it this narrow is what lets the rule
classifier stand in for the trained model in fast tests, and lets batch scoring pool sentences
from many articles into one call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Sequence, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    import torch


@runtime_checkable
class SentenceClassifier(Protocol):
    #: Short, citable identifier, e.g. ``"rules-v1"`` or ``"framing-v1"``.
    name: str

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        """Return an array of shape ``(len(sentences), 4)``; each row sums to 1.

        The result for a sentence must not depend on which other sentences share the call
        (batch size, order): the same sentence always gets the same scores.
        """
        ...


@runtime_checkable
class VectorClassifier(Protocol):
    """A classifier over the encoder's mean-pooled sentence vectors (the trained heads): the
    model runs the encoder once and hands the same pass to it and to the span tagger."""

    name: str

    def predict_proba_encoded(self, sentences: Sequence[str], pooled: "torch.Tensor") -> np.ndarray:
        """P(label) of each sentence from its text and pooled vector; the same contract as
        :meth:`SentenceClassifier.predict_proba`."""
        ...
