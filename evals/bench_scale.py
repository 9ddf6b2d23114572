"""Peak memory and time of ``framing.analyze`` against input size: does the curve flatten?

    python -m evals.bench_scale                          # default model and rules, all sizes
    python -m evals.bench_scale --classifier rules --factors 1 10 100
    python -m evals.bench_scale --classifier framing-v2-large --factors 1 30 100 --shapes one --no-minister
    python -m evals.bench_scale --json evals/results/scale.json --markdown evals/results/scale.md

Inputs are the reference article's body (its paragraphs, without title and byline) repeated
``factor`` times, in two shapes: as **many** paragraphs (the body again and again) and as **one**
paragraph (everything joined by spaces: transcripts and concatenated feeds arrive like this).
Two more inputs are those of issue #18: "The minister said the plan was fine." 60,000 times
(2.2 MB) in one paragraph, and in 600 paragraphs of 100 sentences. Input over the documented
limit (``framing.text.validate.MAX_CHARS``) is refused up front, and the table says so.

Each measurement runs in a fresh process and reports that process's peak RSS, so one run cannot
inherit another's memory; the first row, ``baseline``, is the same process analyzing one short
sentence: the model and interpreter alone. A flat curve means peak RSS stays near that baseline
plus the result objects, however long the text. Time is wall seconds of ``analyze`` alone (model
already loaded) and seconds per MB of input, the constant of a linear cost.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ARTICLE = Path(__file__).resolve().parents[1] / "examples" / "us-draft-plan-ukraine.txt"
MINISTER = "The minister said the plan was fine."


def body_paragraphs() -> list[str]:
    from framing.article import Article

    article = Article.read(ARTICLE.read_text(encoding="utf-8"))
    return [article.text[a:b] for a, b in article.paragraphs]


def make_text(shape: str, factor: int) -> str:
    if shape == "baseline":
        return "The council met on Monday."
    if shape == "minister-one":
        return " ".join([MINISTER] * 60_000)
    if shape == "minister-many":
        return "\n\n".join(" ".join([MINISTER] * 100) for _ in range(600))
    paragraphs = body_paragraphs()
    if shape == "many":
        return "\n\n".join(paragraphs * factor)
    if shape == "one":
        return " ".join(paragraphs * factor)
    raise ValueError(shape)


def _child(shape: str, factor: int, classifier: str) -> None:
    """Runs in the measuring process: load, analyze, report peak RSS and time as JSON."""
    import resource
    import time

    import framing

    options = {"rules": {"classifier": "rules", "attribution": "rules"},
               "framing-v2-large": {"classifier": "framing-v2-large"}}.get(classifier, {})
    framing.analyze("The model loads here.", **options)
    text = make_text(shape, factor)
    start = time.perf_counter()
    try:
        analysis = framing.analyze(text, **options)
        outcome = {"sentences": len(analysis.sentences), "attributions": len(analysis.attributions)}
    except framing.FramingInputError as exc:
        outcome = {"refused": str(exc).split(";")[0]}
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"shape": shape, "factor": factor, "classifier": classifier, "chars": len(text),
                      "seconds": round(seconds, 3), "peak_mb": round(peak, 1), **outcome}))


def measure(shape: str, factor: int, classifier: str, timeout: float) -> dict:
    cmd = [sys.executable, "-m", "evals.bench_scale", "--child", shape, str(factor), classifier]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=Path(__file__).resolve().parents[1])
    except subprocess.TimeoutExpired:
        return {"shape": shape, "factor": factor, "classifier": classifier, "error": f"over {timeout:.0f} s"}
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"shape": shape, "factor": factor, "classifier": classifier, "error": tail[:120]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def markdown(rows: list[dict]) -> str:
    out = ["| classifier | input | MB | sentences | peak RSS MB | seconds | s per MB |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        name = r["shape"] if r["shape"].startswith(("baseline", "minister")) else f"body x {r['factor']:,} ({r['shape']} paragraph{'s' if r['shape'] == 'many' else ''})"
        mb = r.get("chars", 0) / 1e6
        if "error" in r or "refused" in r:
            out.append(f"| {r['classifier']} | {name} | {mb:.2f} | {r.get('refused') or r['error']} | {r.get('peak_mb', '')} | | |")
            continue
        per_mb = r["seconds"] / mb if mb >= 0.01 else float("nan")
        out.append(f"| {r['classifier']} | {name} | {mb:.2f} | {r['sentences']:,} | {r['peak_mb']:.0f} | {r['seconds']:.1f} | "
                   f"{'' if per_mb != per_mb else f'{per_mb:.1f}'} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        _child(argv[1], int(argv[2]), argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classifier", choices=["default", "rules", "both", "framing-v2-large"], default="both",
                        help="both: default and rules; framing-v2-large (the accurate tier) only when named")
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100, 600, 1000],
                        help="times the reference body (600 is the largest under the 5,000,000-character limit)")
    parser.add_argument("--shapes", nargs="+", default=["many", "one"], choices=["many", "one"])
    parser.add_argument("--no-minister", action="store_true", help="skip the two 2.2 MB inputs of issue #18")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    classifiers = ["default", "rules"] if args.classifier == "both" else [args.classifier]
    rows = []
    for classifier in classifiers:
        plan = [("baseline", 1)] + [(shape, f) for f in args.factors for shape in args.shapes]
        if not args.no_minister:
            plan += [("minister-one", 1), ("minister-many", 1)]
        for shape, factor in plan:
            row = measure(shape, factor, classifier, args.timeout)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    table = markdown(rows)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
