"""A transparent rule classifier over surface cues (framing/cues.py).

It applies the precedence of LABELS.md literally: an author-voice question, then attribution
(reporting verb, "according to", a colon before a quotation), then evaluative wording, else a
factual report. Its scores are not calibrated probabilities: they only grade how many cues agree.
Use it as a fast, model-free stand-in, and as a baseline the trained model must beat.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from framing.cues import Cues, find_cues
from framing.labels import (
    ATTRIBUTED_QUOTE,
    EDITORIAL_JUDGMENT,
    FACTUAL_REPORT,
    LABEL_INDEX,
    LABELS,
    RHETORICAL_QUESTION,
)


def _decide(c: Cues) -> tuple[str, float]:
    """The label and how strongly the cues support it (0.5–0.9)."""
    evaluation = len(c.evaluative_words) + 2 * len(c.evaluative_patterns) + int(c.exclamation) + int(c.second_person)
    if c.author_question:
        return RHETORICAL_QUESTION, 0.85
    if c.attribution_signal or (c.has_quote and c.quoted_share >= 0.5):
        # The author's own framing of a quote wins over the quote (LABELS.md rule 2 exception).
        if evaluation >= 2 and not c.reporting_verbs:
            return EDITORIAL_JUDGMENT, 0.6
        strength = 0.6 + 0.1 * c.attribution_signal + 0.1 * c.has_quote
        return ATTRIBUTED_QUOTE, min(0.85, strength)
    if evaluation:
        return EDITORIAL_JUDGMENT, min(0.9, 0.55 + 0.1 * evaluation)
    return FACTUAL_REPORT, 0.7


class RuleClassifier:
    name = "rules-v1"

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        out = np.empty((len(sentences), len(LABELS)), dtype=np.float64)
        for row, sentence in enumerate(sentences):
            label, confidence = _decide(find_cues(sentence))
            out[row, :] = (1.0 - confidence) / (len(LABELS) - 1)
            out[row, LABEL_INDEX[label]] = confidence
        return out
