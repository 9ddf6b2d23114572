"""The context rules of :mod:`framing.context` measured on PolNeAR.

    python -m evals.context --split train       # development: QUOTED_SPEECH is set from this
    python -m evals.context --split selection   # train's selection slice: SPEECH_FRAME is set from this
    python -m evals.context                     # PolNeAR dev, for reporting

A sentence is *inside* a gold content when at least 80% of its word tokens lie in the content
fragments of the article's gold attributions; it *holds* a gold speech cue when a gold cue that
is a reporting verb, "according to", a colon or a dash lies in it (evals.attribution's
``is_speech_cue``).

1. **Quotations** (rule 1): of the sentences a speaker's quotation holds, how many lie inside a
   gold content (any cue; speech cues only). This is what QUOTED_SPEECH estimates. And the
   *continuation sentences* (inside a gold speech content, holding none of the article's gold cue
   tokens: the middle of a long quotation): how many are ``attributed_quote`` read alone (the
   classifier) and in context (``analyze``).
2. **Speech frames** (rule 2): of the sentences read alone as ``factual_report`` that hold a
   reported-speech frame, how many hold a gold speech cue. This is what SPEECH_FRAME estimates.
3. **Sentence level**: ``attributed_quote`` against a gold that follows LABELS.md rule 2 (the
   sentence holds a gold speech cue or lies inside a gold speech content), read alone and in
   context; and the label changes the context made.
4. **Over-calling**: every sentence labeled ``attributed_quote`` in context, by what backs the
   label (an attribution ``analyze`` anchored in it, a quotation mark only, or nothing), with the
   share of each group that is gold speech as in 3.

The classifier is the shipped default; the attributions are ``framing.analyze``'s.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from typing import Sequence

from evals.attribution import is_speech_cue, load_polnear
from framing.labels import LABELS

_WORD = re.compile(r"\w+")
# Double marks only: framing.text.quotes also reads single ones, and ’ is mostly an apostrophe.
_QUOTE_MARK = re.compile(r"[\"“”]")
INSIDE = 0.8


def _inside(words: list[tuple[int, int]], frags: Sequence[tuple[int, int]]) -> bool:
    if not words:
        return False
    hit = sum(1 for a, b in words if any(s <= a and b <= e for s, e in frags))
    return hit / len(words) >= INSIDE


def evaluate(split: str, limit: int | None = None, root=None) -> dict:
    """Counts for the report (see the module docstring); ``root``: the PolNeAR folder.
    ``split="selection"``: PolNeAR train's selection slice (framing.train.data)."""
    import framing
    from framing.article import Article
    from framing.context import sentence_evidence
    from framing.model import get_classifier
    from framing.train.data import polnear_is_selection

    model = get_classifier(None)
    counts: Counter = Counter()
    flips: Counter = Counter()
    started = time.perf_counter()
    articles = load_polnear("train" if split == "selection" else split, root=root, limit=None if split == "selection" else limit)
    if split == "selection":
        articles = [a for a in articles if polnear_is_selection(a.name)][:limit]
    for art in articles:
        text = art.text
        analysis = framing.analyze(text, classifier=model)
        sentences = analysis.sentences
        if not sentences:
            continue
        alone_scores = model.predict_proba([s.text for s in sentences])
        contents = [f for g in art.attributions if g.content is not None for f in g.content.fragments]
        speech = [g for g in art.attributions if g.cue is not None and is_speech_cue(text[g.cue.start : g.cue.end])]
        speech_contents = [f for g in speech if g.content is not None for f in g.content.fragments]
        speech_cues = [(g.cue.start, g.cue.end) for g in speech]
        cue_words = {w for g in art.attributions if g.cue is not None for a, b in g.cue.fragments
                     for w in range(a, b)}
        article = Article.read(text)  # the sentences and paragraphs analyze read
        evidence = sentence_evidence(article, alone_scores, analysis.attributions, [s.attributions for s in sentences])
        for s, row, ev in zip(sentences, alone_scores, evidence):
            before = LABELS[int(row.argmax())]
            words = [(m.start() + s.start, m.end() + s.start) for m in _WORD.finditer(s.text)]
            in_content = _inside(words, contents)
            in_speech = _inside(words, speech_contents)
            holds_speech_cue = any(s.start <= a and b <= s.end for a, b in speech_cues)
            if ev is not None and ev.quoted:
                counts["quoted"] += 1
                counts["quoted inside gold content"] += in_content
                counts["quoted inside gold speech content"] += in_speech
            if ev is not None and not ev.quoted:
                counts["framed"] += 1
                counts["framed holding a gold speech cue"] += holds_speech_cue
            if s.label != before:
                flips[f"{before} -> {s.label}"] += 1
            holds_cue = any(w in cue_words for a, b in words for w in range(a, b))
            if in_speech and not holds_cue:
                counts["continuation"] += 1
                counts["continuation quote alone"] += before == "attributed_quote"
                counts["continuation quote in context"] += s.label == "attributed_quote"
            gold = holds_speech_cue or in_speech
            if s.label == "attributed_quote":
                backing = "attribution" if s.attributions else "quote mark" if _QUOTE_MARK.search(s.text) else "nothing"
                counts[f"quote backed by {backing}"] += 1
                counts[f"quote backed by {backing}, gold"] += gold
            for when, label in (("alone", before), ("in context", s.label)):
                pred = label == "attributed_quote"
                counts[f"sentence {when} tp"] += gold and pred
                counts[f"sentence {when} fp"] += pred and not gold
                counts[f"sentence {when} fn"] += gold and not pred
    return {"split": split, "articles": len(articles), "counts": dict(counts), "flips": dict(flips),
            "seconds": round(time.perf_counter() - started, 1)}


def _share(c: dict, part: str, whole: str) -> str:
    return f"{c.get(part, 0) / c[whole]:.3f}" if c.get(whole) else "–"


#: What can back an ``attributed_quote`` label, in the order it is checked.
_BACKINGS = {"attribution": "an attribution in the sentence (tagged cue, or a quotation continued)",
             "quote mark": "a quotation mark only", "nothing": "neither"}


def report(res: dict) -> str:
    c = res["counts"]
    lines = [
        f"## Context rules on PolNeAR {res['split']} ({res['articles']} articles, {res['seconds']} s)",
        "",
        "| measure | count | share |",
        "|---|---:|---:|",
        f"| 1. sentences a speaker's quotation holds | {c.get('quoted', 0)} | |",
        f"| … inside a gold content (any cue) | {c.get('quoted inside gold content', 0)} | {_share(c, 'quoted inside gold content', 'quoted')} |",
        f"| … inside a gold speech content | {c.get('quoted inside gold speech content', 0)} | {_share(c, 'quoted inside gold speech content', 'quoted')} |",
        f"| continuation sentences (inside gold speech content, no gold cue) | {c.get('continuation', 0)} | |",
        f"| … attributed_quote read alone | {c.get('continuation quote alone', 0)} | {_share(c, 'continuation quote alone', 'continuation')} |",
        f"| … attributed_quote in context | {c.get('continuation quote in context', 0)} | {_share(c, 'continuation quote in context', 'continuation')} |",
        f"| 2. factual reports (read alone) holding a speech frame | {c.get('framed', 0)} | |",
        f"| … holding a gold speech cue | {c.get('framed holding a gold speech cue', 0)} | {_share(c, 'framed holding a gold speech cue', 'framed')} |",
        "",
        "3. Sentence level, `attributed_quote` against gold = holds a gold speech cue or lies inside a gold speech content:",
        "",
        "| read | P | R | F1 | tp | fp | fn |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for when in ("alone", "in context"):
        tp, fp, fn = (c.get(f"sentence {when} {k}", 0) for k in ("tp", "fp", "fn"))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        lines.append(f"| {when} | {p:.3f} | {r:.3f} | {f:.3f} | {tp} | {fp} | {fn} |")
    lines += ["", "4. What backs each `attributed_quote` in context (quote over-calling: a label with nothing "
              "behind it), and how many of those sentences are gold speech as in 3:", "",
              "| backed by | sentences | share | gold speech |", "|---|---:|---:|---:|"]
    labeled = sum(c.get(f"quote backed by {b}", 0) for b in _BACKINGS)
    for b, what in _BACKINGS.items():
        n = c.get(f"quote backed by {b}", 0)
        lines.append(f"| {what} | {n} | {n / labeled if labeled else 0:.3f} | {_share(c, f'quote backed by {b}, gold', f'quote backed by {b}')} |")
    lines += ["", "Label changes made by the context: "
              + (", ".join(f"{k}: {v}" for k, v in sorted(res["flips"].items())) or "none")]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train", "selection"),
                    help="PolNeAR dev (reporting), train or train's selection slice (development)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = ap.parse_args(argv)
    print(report(evaluate(args.split, args.limit)))


if __name__ == "__main__":
    main()
