"""The one interface every sentence classifier implements.

A classifier sees sentences one by one, without article context, and returns a probability for
each label in :data:`framing.labels.LABELS` order. Keeping it this narrow is what lets the rule
classifier stand in for the trained model in fast tests, and lets batch scoring pool sentences
from many articles into one call.
"""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

import numpy as np


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
