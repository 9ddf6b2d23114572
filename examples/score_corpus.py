"""Score a small news corpus end to end and compare outlets by opinion density.

    python examples/score_corpus.py                       # default (trained) classifier
    python examples/score_corpus.py --classifier rules    # fast, model-free
    python examples/score_corpus.py --n 300 --out /tmp/basil

Builds a JSONL corpus from the BASIL articles in ../shared/data/basil when that folder exists
(otherwise from a few generated articles), scores it with ``framing score`` (the same as
``framing.batch.corpus.score_file``), then reads the Parquet table with pandas.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "basil" / "articles"


def basil_records(limit: int) -> list[dict]:
    records = []
    for path in sorted(BASIL.glob("*/*.json"))[:limit]:
        article = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(sentences) for sentences in article["body-paragraphs"])
        records.append(
            {"id": path.stem, "outlet": str(article.get("source")).lower(), "text": f"{article['title']}\n\n{body}"}
        )
    return records


def generated_records() -> list[dict]:
    facts = "The city council voted 5-2 on Tuesday to approve the budget. The plan adds 40 bus routes."
    quotes = '"This is a good day for riders," the mayor said. Opponents said the cost was too high.'
    opinion = "It is a reckless gamble. Who will pay for it when the money runs out? The plan is a disaster."
    texts = {
        "wire": [facts, f"{facts} {quotes}"],
        "daily": [f"{facts} {quotes}", f"{quotes} {facts}"],
        "opinion-site": [f"{opinion} {facts}", f"{facts} {opinion}"],
    }
    return [
        {"id": f"{outlet}-{i}", "outlet": outlet, "text": f"Budget Passes\n\n{text}"}
        for outlet, items in texts.items()
        for i, text in enumerate(items)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=120, help="number of BASIL articles (default 120)")
    parser.add_argument("--classifier", default=None, help="'framing-v1' (default) or 'rules'")
    parser.add_argument("--out", type=Path, default=None, help="folder for corpus.jsonl and scores.parquet")
    args = parser.parse_args()

    folder = args.out or Path(tempfile.mkdtemp(prefix="framing-corpus-"))
    folder.mkdir(parents=True, exist_ok=True)
    records = basil_records(args.n) if BASIL.is_dir() else generated_records()
    source = "BASIL" if BASIL.is_dir() else "generated"
    corpus = folder / "corpus.jsonl"
    with open(corpus, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(records)} {source} articles written to {corpus}")

    # The command line; from Python the same is framing.batch.corpus.score_file(corpus, out, ...).
    out = folder / "scores.parquet"
    command = [sys.executable, "-m", "framing", "score", str(corpus), "-o", str(out)]
    command += ["--summary-json", "--restart", "--no-progress"]
    if args.classifier:
        command += ["--classifier", args.classifier]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    summary = json.loads(done.stdout)
    print(json.dumps({k: summary[k] for k in ("records", "succeeded", "errors", "sentences", "articles_per_s")}))

    import pandas as pd

    scores = pd.read_parquet(out)
    outlets = pd.DataFrame.from_records(records, columns=["id", "outlet"])
    table = scores.merge(outlets, on="id", validate="one_to_one")
    per_outlet = (
        table[table.error.isna()]
        .groupby("outlet")
        .agg(
            articles=("id", "size"),
            sentences=("n_sentences", "sum"),
            mean_opinion_density=("opinion_density", "mean"),
            mean_expected_density=("expected_opinion_density", "mean"),
            mean_lede_density=("lede_opinion_density", "mean"),
        )
        .sort_values("mean_opinion_density")
    )
    print(f"\nPer-outlet mean opinion density ({summary['classifier']}):")
    print(per_outlet.round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
