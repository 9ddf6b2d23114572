"""The sentence label taxonomy ``framing.labels.v1`` (see LABELS.md in the shared folder).

The order of :data:`LABELS` is fixed: every score vector and model head uses it, so changing it
is a new taxonomy version, not an edit.
"""

from __future__ import annotations

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
