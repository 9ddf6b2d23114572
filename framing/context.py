"""Labels from article context: a sentence inside a speaker's quotation is the speaker's voice.

The classifier reads each sentence alone, so the middle of a long quotation looks like the
author's own text::

    "I believe that phrase is from the Bible. And I think the point the president is making is
    that we have it within our capacity to act," Carney told reporters.

Alone, "And I think the point ... to act," reads as an author's opinion. LABELS.md rule 2 counts
"a quoted sentence that continues the previous sentence's speaker" as ``attributed_quote``, and
rule 1 keeps questions inside quotation marks out of ``rhetorical_question``. The attribution
stage already knows who speaks each quotation; this module hands that knowledge to the labels.
A sentence is held by a quotation when

* it lies wholly inside one quotation region (``framing.attribution.quotes``: the marks, or a
  paragraph of a multi-paragraph quote), but for its closing mark and final stop, so no words of
  the author's are in it;
* an attribution with a source or a resolved speaker has content overlapping that quotation
  (direct, or mixed: "Clinton said the group was dangerous. 'It cannot be contained.'" where
  the tagger's content runs on into the quote); the one overlapping most speaks it;
* no such attribution's cue is in the sentence: a sentence with its own cue ("But the language
  was telling: '...'") keeps the classifier's reading, since the author may wrap the quote in an
  evaluation of their own (the LABELS.md exception).

Such a sentence's speech axis is raised to :data:`QUOTED_SPEECH` (never lowered) and its
question axis set to 0, then the four probabilities are recombined by the LABELS.md precedence,
so the label stays the argmax of the scores and expected densities stay consistent with it. The
sentence's ``context`` says which quotation decided it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Sequence

import numpy as np

from framing.attribution.quotes import QuoteRegion, find_quotes
from framing.attribution.spans import Attribution
from framing.labels import LABELS

__all__ = ["QUOTED_SPEECH", "quoting_attribution", "quoted_speakers", "apply_quote_context", "describe"]

#: P(attributed_quote) for a sentence held by a speaker's quotation: the share of such sentences
#: that lie inside a gold attribution's content on PolNeAR train (0.956)
#: (``python -m evals.context --split train``); see the model card.
QUOTED_SPEECH = 0.96

# Characters a sentence may hold outside the quotation's content: the closing mark, the final
# stop after it, and spaces.
_EDGE = frozenset("\"'“”‘’«»„‚‹›.,;:!?…)] \t\n")

_I_FR, _I_AQ, _I_EJ, _I_RQ = (LABELS.index(n) for n in
                              ("factual_report", "attributed_quote", "editorial_judgment", "rhetorical_question"))


def _holds(region: QuoteRegion, text: str, start: int, end: int) -> bool:
    """The quotation holds the sentence whole (but for its closing mark and final stop)."""
    return region.start <= start < region.end and all(ch in _EDGE for ch in text[max(start, region.end) : end])


def quoting_attribution(
    text: str, start: int, end: int, region: QuoteRegion, attributions: Sequence[Attribution]
) -> Attribution | None:
    """Of ``attributions``, the one that speaks the quotation ``region`` holding the sentence
    ``text[start:end]``: it has a source or speaker, its content overlaps the quotation most, and
    its cue is not in the sentence. None when the region does not hold the sentence or no
    attribution qualifies."""
    if not _holds(region, text, start, end):
        return None
    best, best_overlap = None, 0
    for a in attributions:
        content = a.content
        if content is None or (a.source is None and a.speaker is None):
            continue
        if a.cue is not None and a.cue.start < end and start < a.cue.end:
            return None  # the sentence holds the cue of this quotation: the classifier decides
        overlap = min(content.end, region.end) - max(content.start, region.start)
        if overlap > best_overlap:
            best, best_overlap = a, overlap
    return best


def describe(a: Attribution) -> str:
    who = a.speaker or (a.source.text if a.source is not None else "a source")
    cue = f" ({a.cue.text!r})" if a.cue is not None else ""
    return f"inside a quotation of {who}{cue}: the speaker's voice, not the author's"


def quoted_speakers(
    text: str,
    spans: Sequence[tuple[int, int, int]],
    attributions: Sequence[Attribution],
    paragraphs: Sequence[tuple[int, int]],
) -> list[Attribution | None]:
    """For each sentence, the attribution whose quotation holds it (see
    :func:`quoting_attribution`), or None. ``spans``: (start, end, paragraph index) of each body
    sentence; ``paragraphs``: (start, end) of each body paragraph."""
    held: list[Attribution | None] = [None] * len(spans)
    if not attributions:
        return held
    regions = [r for k in sorted({p for _, _, p in spans}) for r in find_quotes(text, *paragraphs[k])]
    # Which attributions overlap which quotation: regions are disjoint and sorted, so each
    # content finds its regions by bisection (linear in the article, not regions x attributions).
    starts = [r.start for r in regions]
    ends = [r.end for r in regions]
    speakers_of: list[list[Attribution]] = [[] for _ in regions]
    for a in attributions:
        if a.content is not None:
            for k in range(bisect_right(ends, a.content.start), bisect_left(starts, a.content.end)):
                speakers_of[k].append(a)
    for i, (start, end, _) in enumerate(spans):
        k = bisect_right(starts, start) - 1
        if k >= 0 and speakers_of[k]:
            held[i] = quoting_attribution(text, start, end, regions[k], speakers_of[k])
    return held


def apply_quote_context(
    scores: np.ndarray, held: Sequence[Attribution | None]
) -> tuple[np.ndarray, list[Attribution | None]]:
    """Scores with the quote context applied (a new array; ``held`` from :func:`quoted_speakers`),
    and for each sentence the attribution that changed its scores (None where nothing changed:
    no quotation holds it, or it was already at least that sure of a quote)."""
    out = np.array(scores, dtype=np.float64, copy=True)
    why: list[Attribution | None] = [None] * len(held)
    for k, a in enumerate(held):
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
