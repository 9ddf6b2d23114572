"""Cue fusion: the opinion head's logit combined with surface cues by a fitted logistic model.

The encoder sees words, not the project's hand-written evaluative lexicon; on CheckThat! dev
(5-fold cross-validation) adding a few cue counts to the opinion logit raised macro-F1 from 0.740
to 0.758. The fitted weights live in the model's config.json (``cue_fusion``), so the same
features must be computed here at run time and in ``framing.train.fusion`` at fit time: both
call :func:`cue_features`.

A sentence's features depend only on that sentence, so fusion keeps labels batch-independent.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from framing.cues import find_cues

#: Feature names, in the order of the fitted coefficients (after the opinion logit itself).
FEATURES = ("evaluative_words", "evaluative_patterns", "exclamation", "second_person")

#: More evaluative words than this add nothing: long rants should not dominate the fit.
MAX_EVALUATIVE_WORDS = 3


def cue_features(sentences: Sequence[str]) -> np.ndarray:
    """One row per sentence, columns as FEATURES; all counted outside quotation marks."""
    rows = []
    for s in sentences:
        c = find_cues(s)
        rows.append(
            (
                min(len(c.evaluative_words), MAX_EVALUATIVE_WORDS),
                len(c.evaluative_patterns),
                float(c.exclamation),
                float(c.second_person),
            )
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


class CueFusion:
    """``sigmoid(a · logit + w · cue_features + b)``: replaces temperature scaling for opinion."""

    def __init__(self, logit_weight: float, weights: Sequence[float], bias: float) -> None:
        if len(weights) != len(FEATURES):
            raise ValueError(f"cue fusion needs {len(FEATURES)} feature weights, got {len(weights)}")
        self.logit_weight = float(logit_weight)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.bias = float(bias)

    @classmethod
    def from_config(cls, config: dict[str, Any] | None) -> "CueFusion | None":
        if not config:
            return None
        if tuple(config.get("features", ())) != FEATURES:
            raise ValueError(f"cue fusion features {config.get('features')} differ from {FEATURES}")
        return cls(config["logit_weight"], config["weights"], config["bias"])

    def logits(self, opinion_logits: np.ndarray, sentences: Sequence[str]) -> np.ndarray:
        """Fused opinion logits (before the sigmoid)."""
        return self.logit_weight * opinion_logits + cue_features(sentences) @ self.weights + self.bias
