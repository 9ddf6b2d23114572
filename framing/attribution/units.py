"""How the span tagger groups sentences into units, from token counts alone (no torch).

A unit is the sentences of one paragraph, cut at sentence boundaries to a token cap: the tagger
reads each unit as one sequence. Because units depend only on the sentences' token counts, the
pipeline can plan blocks of whole units before encoding a long article (framing.pipeline) and
the tagger, reading each block, forms exactly the units it would form in one piece.
"""

from __future__ import annotations

from typing import Sequence

from framing.article import SentenceSpan

__all__ = ["unit_groups"]


def unit_groups(spans: Sequence[SentenceSpan], lengths: Sequence[int], max_tokens: int) -> list[list[int]]:
    """Which sentences (indices into ``spans``) form each unit: the sentences of one paragraph,
    cut at sentence boundaries so that no unit exceeds ``max_tokens`` tokens (a sentence longer
    than that stays whole). ``lengths``: each sentence's token count, [CLS] and [SEP] included.
    Units depend only on these counts, so an article can be encoded in blocks of whole units
    (framing.pipeline) and tagged exactly as in one piece."""
    groups: list[list[int]] = []
    size = 0
    for k, (span, n) in enumerate(zip(spans, lengths)):
        if not groups or spans[groups[-1][-1]].paragraph != span.paragraph or size + n > max_tokens:
            groups.append([])
            size = 0
        groups[-1].append(k)
        size += n
    return groups
