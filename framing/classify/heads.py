"""The trained classifier heads of ``framing-v1``: sentence labels from the encoder's pooled vectors.

Three axes are scored separately, each learned from data that really labels it, and combined by
the precedence rule of LABELS.md (:func:`framing.labels.combine_axes`):

- q: author-voice question, a rule ('?'-ending sentence not inside quotes);
- a: attributed speech (head trained on PolNeAR speech cues);
- o: author-voice opinion (head trained on CheckThat! SUBJ/OBJ and BABE ``label_opinion``),
  fused with surface cues (:mod:`framing.classify.fusion`) where the model config fits them.

The heads read vectors, not text: :class:`framing.model.FramingModel` runs its encoder once and
hands the same pass to these heads and to the span tagger.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import torch

from framing.classify.fusion import CueFusion
from framing.cues import is_author_question
from framing.errors import FramingModelError
from framing.labels import combine_axes

__all__ = ["HEADS", "TrainedHeads"]

#: The learned heads, in the order of the weight matrix's rows.
HEADS = ("opinion", "attribution")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class TrainedHeads:
    """Linear heads over pooled sentence vectors, calibrated, plus the question rule."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor, config: dict[str, Any], name: str) -> None:
        self.weight = weight  # (len(HEADS), hidden), fp32
        self.bias = bias
        self.name = name
        temps = config.get("temperature", {})
        self.temperature = np.array([float(temps.get(h, 1.0)) for h in HEADS])
        try:
            self.fusion = CueFusion.from_config(config.get("cue_fusion"))
        except (KeyError, TypeError, ValueError) as exc:
            raise FramingModelError(f"bad cue_fusion in the model config: {exc}") from exc
        rule = config.get("question_rule", {})
        self.q_yes = float(rule.get("p_if_question", 0.97))
        self.q_no = float(rule.get("p_otherwise", 0.001))

    def logits(self, pooled: torch.Tensor) -> np.ndarray:
        """Uncalibrated logits, shape (n, len(HEADS)). An elementwise product and a row sum, not a
        GEMM (whose blocking depends on the batch size): bit-identical per sentence."""
        with torch.inference_mode():
            out = (pooled[:, None, :] * self.weight[None]).sum(-1) + self.bias
        return out.double().numpy()

    def axes(self, sentences: Sequence[str], raw: np.ndarray, opinion: bool = True) -> dict[str, np.ndarray]:
        """Calibrated per-axis probabilities from the raw logits: question q, attribution a,
        opinion o. ``opinion=False`` skips the opinion axis's cue fusion (for a caller that
        replaces that axis; the column is then temperature-scaled only)."""
        logits = raw / self.temperature
        if opinion and self.fusion is not None:  # fitted cue fusion replaces temperature scaling for opinion
            logits[:, HEADS.index("opinion")] = self.fusion.logits(raw[:, HEADS.index("opinion")], sentences)
        # Round so that float noise from batch composition cannot change a result.
        probs = np.round(_sigmoid(logits), 6)
        q = np.array([self.q_yes if is_author_question(s) else self.q_no for s in sentences])
        return {"question": q, "attribution": probs[:, 1], "opinion": probs[:, 0]}

    def predict_proba_encoded(self, sentences: Sequence[str], pooled: torch.Tensor) -> np.ndarray:
        """P(label) in LABELS order for sentences whose pooled vectors are ``pooled``."""
        ax = self.axes(sentences, self.logits(pooled))
        return combine_axes(ax["question"], ax["attribution"], ax["opinion"])
