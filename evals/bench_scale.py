"""Does analysis time grow linearly with article length?

    python -m evals.bench_scale [--classifier rules|framing-v1] [--factors 1 10 100]

Times ``framing.analyze`` on the reference article repeated 1×, 10× and 100× (paragraphs
concatenated, so structure, sentences and attribution all see a longer article) and prints the
time per 1,000 characters for each size and its ratio to the 1× figure. Linear growth keeps the
ratio near 1; a quadratic step anywhere in the pipeline shows up as a ratio near the factor.
The first run warms the model up and is not counted.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import framing

ARTICLE = Path(__file__).resolve().parents[1] / "examples" / "us-draft-plan-ukraine.txt"


def _attribution(classifier: str | None) -> str:
    """The rule classifier runs with the rule frames here: the model-free path."""
    return "rules" if classifier == "rules" else "tagger"


def _best_of(text: str, classifier: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        framing.analyze(text, classifier=classifier, attribution=_attribution(classifier))
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classifier", default="rules")
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    args = parser.parse_args(argv)

    base = ARTICLE.read_text(encoding="utf-8")
    framing.analyze(base, classifier=args.classifier, attribution=_attribution(args.classifier))  # warm-up: model load, caches
    print(f"classifier: {args.classifier}")
    print(f"{'factor':>6} {'chars':>10} {'sentences':>10} {'seconds':>9} {'ms/1k chars':>12} {'vs 1x':>6}")
    per_char_1x = None
    for factor in args.factors:
        text = "\n\n".join([base] * factor)
        n_sentences = len(framing.analyze(text, classifier="rules", attribution="rules").sentences)
        seconds = _best_of(text, args.classifier, repeats=3 if factor <= 10 else 1)
        per_char = seconds / len(text)
        per_char_1x = per_char_1x or per_char
        print(
            f"{factor:>6} {len(text):>10,} {n_sentences:>10,} {seconds:>9.3f} "
            f"{1e6 * per_char:>12.3f} {per_char / per_char_1x:>6.2f}"
        )


if __name__ == "__main__":
    main()
