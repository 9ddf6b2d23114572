"""The quote-context rule (:mod:`framing.context`) measured on PolNeAR.

    python -m evals.context --split train    # development: QUOTED_SPEECH is set from this
    python -m evals.context                  # PolNeAR dev, for reporting

A sentence held by a speaker's quotation, with no cue of its own, gets the speech axis
``framing.context.QUOTED_SPEECH``. Two questions, answered against PolNeAR's gold attributions
(a sentence is *inside* a gold content when at least 80% of its word tokens lie in the content
fragments of the article's gold attributions):

1. **Precision of the rule**: of the sentences it holds to be inside a quotation, how many are
   inside a gold content (any cue; and speech cues only). This is what QUOTED_SPEECH estimates.
2. **Continuation sentences**: gold sentences inside a speech attribution's content that hold
   none of that article's gold cue tokens (the middle of a long quotation). How many are
   labeled ``attributed_quote`` read alone (the classifier) and in context (``analyze``).
   And of the sentences the rule changed, how many flipped label, and which way.

The classifier is the shipped default; the attributions are ``framing.analyze``'s.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from typing import Sequence

from evals.attribution import is_speech_cue, load_polnear

_WORD = re.compile(r"\w+")
INSIDE = 0.8


def _inside(words: list[tuple[int, int]], frags: Sequence[tuple[int, int]]) -> bool:
    if not words:
        return False
    hit = sum(1 for a, b in words if any(s <= a and b <= e for s, e in frags))
    return hit / len(words) >= INSIDE


def _paragraphs(text: str):
    from framing.document import parse_layout

    return [p for section in parse_layout(text).sections for p in section.paragraphs]


def evaluate(split: str, limit: int | None = None, root=None) -> dict:
    """Counts for the report (see the module docstring); ``root``: the PolNeAR folder."""
    import framing
    from framing.classify import get_classifier
    from framing.context import quoted_speakers

    model = get_classifier(None)
    counts: Counter = Counter()
    flips: Counter = Counter()
    started = time.perf_counter()
    articles = load_polnear(split, root=root, limit=limit)
    for art in articles:
        text = art.text
        analysis = framing.analyze(text, classifier=model)
        sentences = analysis.sentences
        if not sentences:
            continue
        alone = model.predict([s.text for s in sentences])
        contents = [f for g in art.attributions if g.content is not None for f in g.content.fragments]
        speech = [g for g in art.attributions if g.cue is not None and is_speech_cue(text[g.cue.start : g.cue.end])]
        speech_contents = [f for g in speech if g.content is not None for f in g.content.fragments]
        cue_words = {w for g in art.attributions if g.cue is not None for a, b in g.cue.fragments
                     for w in range(a, b)}
        paragraphs = [(p.start, p.end) for p in _paragraphs(text)]
        held = quoted_speakers(text, [(s.start, s.end, s.paragraph_index) for s in sentences],
                               analysis.attributions, paragraphs)
        for s, before, holder in zip(sentences, alone, held):
            words = [(m.start() + s.start, m.end() + s.start) for m in _WORD.finditer(s.text)]
            in_content = _inside(words, contents)
            in_speech = _inside(words, speech_contents)
            ruled = holder is not None
            if ruled:
                counts["ruled"] += 1
                counts["ruled inside gold content"] += in_content
                counts["ruled inside gold speech content"] += in_speech
            if s.context is not None and before != s.label:
                flips[f"{before} -> {s.label}"] += 1
            holds_cue = any(w in cue_words for a, b in words for w in range(a, b))
            if in_speech and not holds_cue:
                counts["continuation"] += 1
                counts["continuation quote alone"] += before == "attributed_quote"
                counts["continuation quote in context"] += s.label == "attributed_quote"
            if not in_content:
                counts["outside gold content"] += 1
                counts["outside quote alone"] += before == "attributed_quote"
                counts["outside quote in context"] += s.label == "attributed_quote"
    return {"split": split, "articles": len(articles), "counts": dict(counts), "flips": dict(flips),
            "seconds": round(time.perf_counter() - started, 1)}


def report(res: dict) -> str:
    c = res["counts"]
    ruled = max(1, c.get("ruled", 0))
    cont = max(1, c.get("continuation", 0))
    out_ = max(1, c.get("outside gold content", 0))
    lines = [
        f"## Quote context on PolNeAR {res['split']} ({res['articles']} articles, {res['seconds']} s)",
        "",
        "| measure | count | share |",
        "|---|---:|---:|",
        f"| sentences the rule holds inside a speaker's quotation | {c.get('ruled', 0)} | |",
        f"| … inside a gold content (any cue) | {c.get('ruled inside gold content', 0)} | "
        f"{c.get('ruled inside gold content', 0) / ruled:.3f} |",
        f"| … inside a gold speech content | {c.get('ruled inside gold speech content', 0)} | "
        f"{c.get('ruled inside gold speech content', 0) / ruled:.3f} |",
        f"| continuation sentences (inside gold speech content, no gold cue) | {c.get('continuation', 0)} | |",
        f"| … attributed_quote read alone | {c.get('continuation quote alone', 0)} | "
        f"{c.get('continuation quote alone', 0) / cont:.3f} |",
        f"| … attributed_quote in context | {c.get('continuation quote in context', 0)} | "
        f"{c.get('continuation quote in context', 0) / cont:.3f} |",
        f"| sentences outside every gold content | {c.get('outside gold content', 0)} | |",
        f"| … attributed_quote read alone | {c.get('outside quote alone', 0)} | "
        f"{c.get('outside quote alone', 0) / out_:.3f} |",
        f"| … attributed_quote in context | {c.get('outside quote in context', 0)} | "
        f"{c.get('outside quote in context', 0) / out_:.3f} |",
        "",
        "Label changes made by the context: " + (", ".join(f"{k}: {v}" for k, v in sorted(res["flips"].items())) or "none"),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", help="PolNeAR split (dev for reporting; train for development)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = ap.parse_args(argv)
    print(report(evaluate(args.split, args.limit)))


if __name__ == "__main__":
    main()
