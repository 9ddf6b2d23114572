"""An opinion axis read by a second, stronger encoder (``framing-v2-large``).

framing-v1's opinion head is the weakest of its parts: a frozen probe of all-mpnet-base-v2's
middle layers beats it on both opinion benchmarks (evals/encoders). This classifier keeps
everything else of the model it wraps (the question rule, the attribution head, and, in
:class:`framing.model.FramingModel`, the span taggers over the same small encoder) and replaces
only the opinion axis: a linear head over the mean-pooled states of the first k mpnet layers.
The axes are combined by LABELS.md's rule (:func:`framing.labels.combine_axes`), as in v1.

The second encoder is an object with ``encode(sentences).pooled`` (a
:class:`framing.nn.encoder.SentenceEncoder` over a :class:`framing.nn.mpnet.MPNetEncoder`):
batch-independent, so a sentence's label does not depend on what shares its batch.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from framing.classify.heads import _sigmoid
from framing.labels import combine_axes

__all__ = ["SecondEncoderOpinion"]


class SecondEncoderOpinion:
    """``base``'s question and attribution axes; the opinion axis from ``encoder`` + a linear head."""

    def __init__(self, base: Any, encoder: Any, weight: np.ndarray, bias: float, name: str) -> None:
        weight = np.asarray(weight, dtype=np.float64).reshape(-1)
        if weight.shape[0] != encoder.hidden_size:
            raise ValueError(f"the opinion head reads {weight.shape[0]}-wide vectors, the encoder gives {encoder.hidden_size}")
        self.base = base
        self.encoder = encoder
        self.weight = weight
        self.bias = float(bias)
        self.name = name

    def opinion_logits(self, sentences: Sequence[str], pooled: Any = None) -> np.ndarray:
        """``pooled``: the second encoder's vectors of ``sentences`` when a pass made them already
        (the span taggers' pass, :meth:`framing.model.FramingModel.score`)."""
        if pooled is None:
            pooled = self.encoder.encode(list(sentences)).pooled
        pooled = pooled.double().numpy()
        # An elementwise product and a row sum, not a matrix-vector product whose blocking
        # depends on the row count: the same sentence gives the same bits in any batch.
        return (pooled * self.weight[None, :]).sum(axis=1) + self.bias

    def logits(self, pooled: Any) -> np.ndarray:
        """The wrapped model's raw head logits (its attribution axis is kept)."""
        return self.base.logits(pooled)

    def axes(self, sentences: Sequence[str], raw: np.ndarray, second_pooled: Any = None) -> dict[str, np.ndarray]:
        """The wrapped model's calibrated axes, with the opinion axis replaced."""
        axes = self.base.axes(sentences, raw, opinion=False)
        if len(sentences):
            axes["opinion"] = np.round(_sigmoid(self.opinion_logits(sentences, second_pooled)), 6)
        return axes

    def predict_proba_encoded(self, sentences: Sequence[str], pooled: Any, second_pooled: Any = None) -> np.ndarray:
        """P(label) in LABELS order; ``pooled`` are the wrapped model's own vectors,
        ``second_pooled`` (optional) the second encoder's."""
        ax = self.axes(sentences, self.logits(pooled), second_pooled)
        return combine_axes(ax["question"], ax["attribution"], ax["opinion"])
