"""Labels from article context: whose voice a sentence is, once the article has been read.

The classifier reads each sentence alone; the attribution stage reads the whole article. Two
kinds of sentence are mislabeled alone and set right here:

**1. A sentence inside a speaker's quotation.** The middle of a long quotation looks like the
author's own text::

    "I believe that phrase is from the Bible. And I think the point the president is making is
    that we have it within our capacity to act," Carney told reporters.

Alone, "And I think the point ... to act," reads as an author's opinion. LABELS.md rule 2 counts
"a quoted sentence that continues the previous sentence's speaker" as ``attributed_quote``, and
rule 1 keeps questions inside quotation marks out of ``rhetorical_question``. A sentence is held
by a quotation when

* it lies wholly inside one quotation region (``framing.text.quotes``: the marks, or a
  paragraph of a multi-paragraph quote), but for its closing mark and final stop, so no words of
  the author's are in it;
* an attribution with a source or a resolved speaker has content overlapping that quotation
  (direct, or mixed: "Clinton said the group was dangerous. 'It cannot be contained.'" where
  the tagger's content runs on into the quote); the one overlapping most speaks it;
* no such attribution's cue is in the sentence: a sentence with its own cue ("But the language
  was telling: '...'") keeps the classifier's reading, since the author may wrap the quote in an
  evaluation of their own (the LABELS.md exception).

Its speech axis is raised to :data:`QUOTED_SPEECH` and its question axis set to 0.

**2. A report of speech read as the author's report.** "A Clinton presidency, she vowed, would
bring better-paying jobs" or "..., Federal Election Commission records show." can slip past the
sentence-level speech head while the span tagger finds the frame: a source, a reporting verb
(not a belief such as "think") and content, all in the sentence. Where the classifier said
``factual_report``, the speech axis is raised to :data:`SPEECH_FRAME`. An
``editorial_judgment`` keeps its label, as the author may be evaluating what they report.

Axes are raised, never lowered, and the four probabilities are recombined by the LABELS.md
precedence, so the label stays the argmax of the scores and expected densities stay consistent
with it. The sentence's ``context`` says which attribution decided it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from framing.article import Article
from framing.lexicon import RELAYING_VERBS
from framing.text.quotes import QuoteRegion
from framing.attribution.spans import Attribution
from framing.labels import LABELS, combine_axes, split_axes

__all__ = ["QUOTED_SPEECH", "SPEECH_FRAME", "Evidence", "quoting_attribution", "quoted_speakers", "speech_frame",
           "sentence_evidence", "apply_context"]

#: P(attributed_quote) for a sentence held by a speaker's quotation: the share of such sentences
#: that lie inside a gold attribution's content on PolNeAR train (3,908 of 4,094: 0.955 when set;
#: 3,908 of 4,090 since PolNeAR's headlines are read as titles) (``python -m evals.context
#: --split train``); see the model card.
QUOTED_SPEECH = 0.95

#: P(attributed_quote) for a sentence the classifier reads as a factual report although it holds
#: a reported-speech frame (source, reporting verb, content) found by the attribution stage: the
#: share of such sentences holding a gold speech cue on PolNeAR train's selection slice, which
#: the span tagger never trained on (``python -m evals.context --split selection``): 24 of 26
#: when set, 24 of 25 since PolNeAR's headlines are read as titles (kept at 0.92: 25 is few).
SPEECH_FRAME = 0.92

# Characters a sentence may hold past the end of its quotation: the closing mark, the final stop
# after it, and spaces.
_EDGE = frozenset("\"'“”‘’«»„‚‹›.,;:!?…)] \t\n")

_I_FR = LABELS.index("factual_report")


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
        if a.cue is not None and a.cue.start < end and start < a.cue.end:
            return None  # the sentence holds the cue of this quotation: the classifier decides
        content = a.content
        if content is None or (a.source is None and a.speaker is None):
            continue
        overlap = min(content.end, region.end) - max(content.start, region.start)
        if overlap > best_overlap:
            best, best_overlap = a, overlap
    return best


# The relayed content must be most of the sentence: on PolNeAR train's selection slice, frames
# whose content covered less were mostly side clauses or events ("Paul Manafort resigned ...
# because of reports about ...", "did not respond to a request for comment").
_MIN_CONTENT_SHARE = 0.45
_CUE_WORD = re.compile(r"[\w'’-]+")


def speech_frame(start: int, end: int, attributions: Sequence[Attribution]) -> Attribution | None:
    """The first attribution whose cue relays speech ("said", "vowed", "according to"; not a
    belief such as "think" or a stance such as "rejected") inside ``[start, end)``, with a
    source or speaker and a content covering most of the sentence."""
    for a in attributions:
        if a.cue is None or a.content is None or (a.source is None and a.speaker is None):
            continue
        if not (start <= a.cue.start and a.cue.end <= end):
            continue
        if min(a.content.end, end) - max(a.content.start, start) < _MIN_CONTENT_SHARE * (end - start):
            continue  # the report is a side clause ("..., who first revealed that ...")
        words = [w.lower().replace("’", "'") for w in _CUE_WORD.findall(a.cue.text)]
        if "according" in words or any(w in RELAYING_VERBS for w in words):
            return a
    return None


@dataclass(frozen=True)
class Evidence:
    """Why the article around a sentence changes its scores."""

    #: The attribution that speaks the sentence.
    attribution: Attribution
    #: The speech axis is raised to at least this.
    floor: float
    #: True when the sentence lies inside quotation marks, so it is no author's question.
    quoted: bool

    def describe(self) -> str:
        a = self.attribution
        who = a.who
        cue = f" ({a.cue.text!r})" if a.cue is not None else ""
        if self.quoted:
            return f"inside a quotation of {who}{cue}: the speaker's voice, not the author's"
        return f"relays {who}{cue}: read alone it looked like the author's own report"


def quoted_speakers(article: Article, attributions: Sequence[Attribution]) -> list[Attribution | None]:
    """For each body sentence, the attribution whose quotation holds it (see
    :func:`quoting_attribution`), or None."""
    spans = article.sentences
    held: list[Attribution | None] = [None] * len(spans)
    if not attributions:
        return held
    text = article.text
    regions = [r for k in sorted({s.paragraph for s in spans}) for r in article.quotes[k]]
    # Which attributions overlap which quotation: regions are disjoint and sorted, so each
    # content finds its regions by bisection (linear in the article, not regions x attributions).
    starts = [r.start for r in regions]
    ends = [r.end for r in regions]
    speakers_of: list[list[Attribution]] = [[] for _ in regions]
    for a in attributions:
        if a.content is not None:
            for k in range(bisect_right(ends, a.content.start), bisect_left(starts, a.content.end)):
                speakers_of[k].append(a)
    for i, span in enumerate(spans):
        k = bisect_right(starts, span.start) - 1
        if k >= 0 and speakers_of[k]:
            held[i] = quoting_attribution(text, span.start, span.end, regions[k], speakers_of[k])
    return held


def sentence_evidence(
    article: Article,
    scores: np.ndarray,
    attributions: Sequence[Attribution],
    by_sentence: Sequence[Sequence[Attribution]],
) -> list[Evidence | None]:
    """For each body sentence, the context evidence about its voice, or None: a quotation that
    holds it (:func:`quoted_speakers`), else, for a sentence read alone as ``factual_report``, a
    reported-speech frame in it (:func:`speech_frame`; ``by_sentence``: the attributions touching
    each sentence). A sentence read as ``editorial_judgment`` keeps that reading: the author may
    wrap a report in an evaluation of their own (the LABELS.md exception)."""
    held = quoted_speakers(article, attributions)
    out: list[Evidence | None] = []
    for k, span in enumerate(article.sentences):
        if held[k] is not None:
            out.append(Evidence(held[k], QUOTED_SPEECH, quoted=True))  # type: ignore[arg-type]
            continue
        frame = speech_frame(span.start, span.end, by_sentence[k]) if int(np.argmax(scores[k])) == _I_FR else None
        out.append(None if frame is None else Evidence(frame, SPEECH_FRAME, quoted=False))
    return out


def apply_context(scores: np.ndarray, evidence: Sequence[Evidence | None]) -> tuple[np.ndarray, list[Evidence | None]]:
    """Scores with the context applied (a new array), and for each sentence the evidence that
    changed its scores (None where nothing changed: no evidence, or the classifier was already at
    least that sure of a quote).

    The four probabilities are read back into the axes of LABELS.md's precedence
    (:func:`framing.labels.split_axes`); the speech axis is raised to the evidence's floor, the
    question axis is set to 0 inside quotation marks, and the axes are recombined by the same
    rule (:func:`framing.labels.combine_axes`), so the label stays the argmax of the scores."""
    out = np.array(scores, dtype=np.float64, copy=True)
    why: list[Evidence | None] = [None] * len(evidence)
    rows = [k for k, ev in enumerate(evidence) if ev is not None]
    if not rows:
        return out, why
    q, a, o = split_axes(out[rows])
    floor = np.array([evidence[k].floor for k in rows])  # type: ignore[union-attr]
    quoted = np.array([evidence[k].quoted for k in rows])  # type: ignore[union-attr]
    new = combine_axes(np.where(quoted, 0.0, q), np.maximum(a, floor), o)
    for j, k in enumerate(rows):
        if not np.allclose(new[j], out[k]):
            out[k] = np.round(new[j], 6)
            why[k] = evidence[k]
    return out, why
