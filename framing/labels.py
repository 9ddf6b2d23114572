"""The sentence label taxonomy ``framing.labels.v1`` (see LABELS.md in the shared folder).

The order of :data:`LABELS` is fixed: every score vector and model head uses it, so changing it
is a new taxonomy version, not an edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

TAXONOMY = "framing.labels.v1"

FACTUAL_REPORT = "factual_report"
ATTRIBUTED_QUOTE = "attributed_quote"
EDITORIAL_JUDGMENT = "editorial_judgment"
RHETORICAL_QUESTION = "rhetorical_question"

LABELS: tuple[str, ...] = (
    FACTUAL_REPORT,
    ATTRIBUTED_QUOTE,
    EDITORIAL_JUDGMENT,
    RHETORICAL_QUESTION,
)

# Labels that count as the author's own opinion in every density figure.
OPINION_LABELS: frozenset[str] = frozenset({EDITORIAL_JUDGMENT, RHETORICAL_QUESTION})

LABEL_INDEX: dict[str, int] = {name: i for i, name in enumerate(LABELS)}


# -- The one rule that turns three axes into four label probabilities ---------------------------
#
# LABELS.md decides a sentence by precedence: an author-voice question first, then attributed
# speech, then the author's opinion, else a factual report. A model scores each axis on its own
# (q: question, a: speech, o: opinion), and the four probabilities follow from the precedence.
# ``framing.context`` reads a sentence's axes back (``split_axes``), raises one, and recombines:
# both directions live here so that the rule is written once.


def combine_axes(q: "np.ndarray", a: "np.ndarray", o: "np.ndarray") -> "np.ndarray":
    """P(label) in LABELS order from the axes: P(rhetorical_question) = q,
    P(attributed_quote) = (1-q)a, P(editorial_judgment) = (1-q)(1-a)o,
    P(factual_report) = (1-q)(1-a)(1-o). Shape (n, 4); rows sum to 1."""
    import numpy as np

    out = np.stack([(1.0 - q) * (1.0 - a) * (1.0 - o), (1.0 - q) * a, (1.0 - q) * (1.0 - a) * o, q], axis=1)
    out = out.astype(np.float64)
    return out / out.sum(axis=1, keepdims=True)


def split_axes(scores: "np.ndarray") -> tuple["np.ndarray", "np.ndarray", "np.ndarray"]:
    """The axes (q, a, o) behind label probabilities, the inverse of :func:`combine_axes`. An
    axis that the higher ones leave no mass to read is 0 (a = 0 where q = 1; o = 0 where the
    quote and question take everything)."""
    import numpy as np

    p = np.asarray(scores, dtype=np.float64).reshape(-1, len(LABELS))
    q = p[:, LABEL_INDEX[RHETORICAL_QUESTION]]
    rest_q = 1.0 - q
    a = np.divide(p[:, LABEL_INDEX[ATTRIBUTED_QUOTE]], rest_q, out=np.zeros_like(q), where=q < 1.0)
    rest = p[:, LABEL_INDEX[EDITORIAL_JUDGMENT]] + p[:, LABEL_INDEX[FACTUAL_REPORT]]
    o = np.divide(p[:, LABEL_INDEX[EDITORIAL_JUDGMENT]], rest, out=np.zeros_like(q), where=rest > 0)
    return q, a, o
