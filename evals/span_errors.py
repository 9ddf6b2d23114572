"""The span errors that issue framing-v2 names, counted on PolNeAR dev for one system at a time.

    python -m evals.span_errors                                # framing-v1, the default
    python -m evals.span_errors --system framing-v2-large      # the accurate tier (needs the mpnet parts)

Each gold attribution is paired with the first predicted attribution whose cue shares a word
with its cue. Spans are compared by the exact-match keys of ``evals.attribution`` (bounds without
surrounding spaces, quote marks and ``.,;``).

1. **Cue boundaries**: of the paired cues, how many are exact; how many are the gold cue plus
   words after it ("said Sunday", "said of", "said in an interview" where PolNeAR marks the
   verb), and how many stop short of words PolNeAR keeps ("said in a statement"). The most
   frequent first extra words are listed.
2. **Source boundaries**: of the paired attributions where both have a source: exact; longer
   than gold by an appositive after a comma ("Jeh Johnson, the secretary"); longer by words
   before it (a title: "Sen. Ted Cruz" where gold is "Ted Cruz"); shorter than gold; other.
3. **Missed cues**: gold cues no predicted cue touches, split by whether the cue is speech
   (``evals.attribution.is_speech_cue``: a reporting verb of our lexicon, "according to", a colon
   or dash) or not, with the most frequent missed cue words; and the reporting verbs the issue
   names ("responded", "upbraided"), found / in gold.

PolNeAR dev is read for reporting only: nothing here chooses anything.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from typing import Callable, Sequence

from evals.attribution import SYSTEMS, GoldArticle, _exact_key, _Tokens, cached_predictor, is_speech_cue, load_polnear

Frag = tuple[int, int]
_WORD = re.compile(r"[\w’'-]+")
#: Reporting verbs the issue names as missed.
NAMED_VERBS = ("responded", "upbraided")


def boundary(text: str, gold: Frag, pred: Frag) -> tuple[str, str]:
    """How the predicted span's exact key relates to the gold one's: ("exact" | "longer after" |
    "longer before" | "shorter" | "other", the first extra word of a longer span, lowercased)."""
    if pred == gold:
        return "exact", ""
    if pred[0] <= gold[0] and pred[1] >= gold[1]:
        if pred[1] > gold[1]:
            extra = _WORD.findall(text[gold[1] : pred[1]])
            return "longer after", (extra[0].lower() if extra else text[gold[1] : pred[1]].strip())
        extra = _WORD.findall(text[pred[0] : gold[0]])
        return "longer before", (extra[0].lower() if extra else "")
    if gold[0] <= pred[0] and gold[1] >= pred[1]:
        return "shorter", ""
    return "other", ""


def count(articles: Sequence[GoldArticle], predict: Callable[[str], Sequence[object]]) -> dict[str, Counter]:
    """The counts behind the tables (see the module docstring)."""
    out = {k: Counter() for k in ("cue", "cue tails", "cue short of", "source", "appositive", "title",
                                  "missed", "missed words", "named")}
    for art in articles:
        text = art.text
        toks = _Tokens(text)  # the scorer's tokens: a colon or dash cue stands as its characters
        pred = [p for p in predict(text) if p.cue is not None]
        pred_words = [toks.of([(p.cue.start, p.cue.end)]) for p in pred]
        for g in art.attributions:
            gold_cue = _exact_key(text, g.cue.fragments)
            cue_text = text[g.cue.start : g.cue.end]
            words = {w.lower() for w in _WORD.findall(cue_text)}
            speech = is_speech_cue(cue_text)
            words_g = toks.of(g.cue.fragments)
            k = next((i for i, w in enumerate(pred_words) if w & words_g), None)
            for verb in NAMED_VERBS:
                if verb in words:
                    out["named"][f"{verb} in gold"] += 1
                    out["named"][f"{verb} found"] += k is not None
            if k is None:
                out["missed"]["speech" if speech else "belief, intention, stance"] += 1
                out["missed words"][" ".join(cue_text.lower().split()) + ("" if speech else " (not speech)")] += 1
                continue
            p = pred[k]
            how, extra = boundary(text, gold_cue, _exact_key(text, ((p.cue.start, p.cue.end),)))
            out["cue"][how] += 1
            if how == "longer after":
                out["cue tails"][extra] += 1
            elif how == "shorter":
                out["cue short of"][text[gold_cue[0] : gold_cue[1]].split()[-1].lower()] += 1
            if g.source is None or p.source is None:
                continue
            gold_src = _exact_key(text, g.source.fragments)
            pred_src = _exact_key(text, ((p.source.start, p.source.end),))
            how, extra = boundary(text, gold_src, pred_src)
            if how == "longer after" and "," in text[gold_src[1] : pred_src[1]]:
                how = "longer after: an appositive after a comma"
                out["appositive"][text[pred_src[0] : pred_src[1]]] += 1
            elif how == "longer before":
                out["title"][extra] += 1
            out["source"][how] += 1
    return out


def _rows(c: Counter, order: Sequence[str]) -> list[str]:
    total = sum(c.values())
    keys = [k for k in order if k in c] + sorted(k for k in c if k not in order)
    return [f"| {k} | {c[k]} | {c[k] / total:.3f} |" for k in keys]


def _top(c: Counter, n: int = 10) -> str:
    return ", ".join(f"{k!r} {v}" for k, v in c.most_common(n)) or "none"


def report(system: str, articles: Sequence[GoldArticle], counts: dict[str, Counter]) -> str:
    n_gold = sum(len(a.attributions) for a in articles)
    named = counts["named"]
    lines = [f"## {system}: span errors on PolNeAR dev ({len(articles)} articles, {n_gold} gold attributions)", "",
             "| paired cues | count | share |", "|---|---:|---:|",
             *_rows(counts["cue"], ("exact", "longer after", "shorter", "longer before", "other")), "",
             f"Words after a gold cue that the prediction adds: {_top(counts['cue tails'])}.", "",
             f"Last words of gold cues the prediction stops short of: {_top(counts['cue short of'])}.", "",
             "| paired sources | count | share |", "|---|---:|---:|",
             *_rows(counts["source"], ("exact", "longer after: an appositive after a comma", "longer after",
                                       "longer before", "shorter", "other")), "",
             f"Words before a gold source that the prediction adds: {_top(counts['title'])}.", "",
             "| gold cues no prediction touches | count |", "|---|---:|",
             *[f"| {k} | {v} |" for k, v in sorted(counts["missed"].items())], "",
             f"Most missed: {_top(counts['missed words'], 15)}.", "",
             "Named in the issue: " + "; ".join(f"{v} found in {named[v + ' found']} of {named[v + ' in gold']}"
                                                 for v in NAMED_VERBS) + "."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--system", default="framing-v1", choices=[s for s in SYSTEMS if s != "rules-v1"] + ["rules-v1"])
    ap.add_argument("--limit", type=int, default=None, help="only the first N dev articles")
    args = ap.parse_args(argv)
    articles = load_polnear("dev", limit=args.limit)
    print(report(args.system, articles, count(articles, cached_predictor(**SYSTEMS[args.system]))))


if __name__ == "__main__":
    main()
