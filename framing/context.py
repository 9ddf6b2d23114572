"""Labels from article context: a sentence inside a speaker's quotation is the speaker's voice.

The classifier reads each sentence alone, so the middle of a long quotation looks like the
author's own text::

    "I believe that phrase is from the Bible. And I think the point the president is making is
    that we have it within our capacity to act," Carney told reporters.

Alone, "And I think the point ... to act," reads as an author's opinion. LABELS.md rule 2 counts
"a quoted sentence that continues the previous sentence's speaker" as ``attributed_quote``, and
rule 1 keeps questions inside quotation marks out of ``rhetorical_question``. The attribution
stage already knows where each direct quotation runs and who says it; this module hands that
knowledge to the labels, for sentences that lie wholly inside such a quotation:

* the quotation is **direct** (all of its content is in quotation marks), so no author's words
  are inside it; a mixed or indirect attribution's content may hold the author's paraphrase;
* someone speaks it: the attribution has a source or a resolved speaker;
* its cue is **not** in the sentence: a sentence with its own cue ("But the language was
  telling: '...'") keeps the classifier's reading, since the author may wrap the quote in an
  evaluation of their own (the LABELS.md exception).

Such a sentence's speech axis is raised to :data:`QUOTED_SPEECH` (never lowered) and its
question axis set to 0, then the four probabilities are recombined by the LABELS.md precedence,
so the label stays the argmax of the scores and expected densities stay consistent with it. The
sentence's ``context`` says which quotation decided it.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from framing.attribution.spans import Attribution
from framing.labels import LABELS

__all__ = ["QUOTED_SPEECH", "quoting_attribution", "apply_quote_context", "describe"]

#: P(attributed_quote) for a sentence inside a speaker's direct quotation: the share of such
#: sentences that lie inside a gold attribution's content on PolNeAR train
#: (``python -m evals.context --split train``); see the model card.
QUOTED_SPEECH = 0.96

# Characters a sentence may hold outside the quotation's content: the closing mark, the final
# stop after it, and spaces.
_EDGE = frozenset("\"'“”‘’«»„‚‹›.,;:!?…)] \t\n")

_I_FR, _I_AQ, _I_EJ, _I_RQ = (LABELS.index(n) for n in
                              ("factual_report", "attributed_quote", "editorial_judgment", "rhetorical_question"))


def quoting_attribution(text: str, start: int, end: int, attributions: Sequence[Attribution]) -> Attribution | None:
    """The first of ``attributions`` that is a direct quotation, with a speaker and a cue outside
    ``text[start:end]``, holding this sentence whole; None when there is none."""
    for a in attributions:
        content = a.content
        if a.quote_type != "direct" or content is None or (a.source is None and a.speaker is None):
            continue
        if content.start > start or content.end <= start:
            continue
        if any(ch not in _EDGE for ch in text[max(start, content.end) : end]):
            continue  # the sentence runs past the quotation
        if a.cue is not None and a.cue.start < end and start < a.cue.end:
            continue  # its own cue: the classifier's reading stands
        return a
    return None


def describe(a: Attribution) -> str:
    who = a.speaker or (a.source.text if a.source is not None else "a source")
    cue = f" ({a.cue.text!r})" if a.cue is not None else ""
    return f"inside a direct quotation of {who}{cue}: the speaker's voice, not the author's"


def apply_quote_context(
    text: str, spans: Sequence[tuple[int, int]], scores: np.ndarray, attributions: Sequence[Attribution]
) -> tuple[np.ndarray, list[Attribution | None]]:
    """Scores with the quote context applied (a new array), and for each sentence the
    attribution that changed it (None where nothing changed)."""
    direct = sorted((a for a in attributions if a.quote_type == "direct" and a.content is not None),
                    key=lambda a: a.content.start)  # type: ignore[union-attr]
    out = np.array(scores, dtype=np.float64, copy=True)
    why: list[Attribution | None] = [None] * len(spans)
    # One sweep in text order: ``open_`` holds the quotations opened before the sentence and
    # not yet closed (a handful), so a long article costs linear time, not quotations x sentences.
    open_: list[Attribution] = []
    nxt = 0
    for k, (start, end) in enumerate(spans):
        while nxt < len(direct) and direct[nxt].content.start <= start:  # type: ignore[union-attr]
            open_.append(direct[nxt])
            nxt += 1
        open_ = [a for a in open_ if a.content.end > start]  # type: ignore[union-attr]
        # The innermost (latest-opened) quotation first.
        a = quoting_attribution(text, start, end, open_[::-1]) if open_ else None
        if a is None:
            continue
        row = out[k]
        q = row[_I_RQ]
        speech = row[_I_AQ] / (1.0 - q) if q < 1.0 else 0.0
        rest = row[_I_EJ] + row[_I_FR]
        opinion = row[_I_EJ] / rest if rest > 0 else 0.0
        speech = max(speech, QUOTED_SPEECH)
        new = np.zeros(len(LABELS))
        new[_I_AQ] = speech
        new[_I_EJ] = (1.0 - speech) * opinion
        new[_I_FR] = (1.0 - speech) * (1.0 - opinion)
        if not np.allclose(new, row):
            out[k] = np.round(new, 6)
            why[k] = a
    return out, why
