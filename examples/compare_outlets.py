"""How did Fox News, the New York Times and HuffPost frame the same events? BASIL end to end.

    python examples/compare_outlets.py                          # all 90 BASIL events (270 articles), default model
    python examples/compare_outlets.py --classifier rules       # model-free, a few seconds
    python examples/compare_outlets.py --limit 10 --report /tmp/outlets.html --side-by-side /tmp/event.html

Reads the BASIL triplets from ../shared/data/basil (three outlets covering each event), scores
every article with ``framing.analyze_many``, turns the results into tables with
``framing.corpus_tables`` (outlet, event and year carried into every row), and compares the
outlets with ``framing.compare_groups``: mean opinion density, quote share, anonymous sourcing
and lede − rest per outlet with cluster-bootstrap intervals (articles resampled), and paired
differences within events (events resampled). Prints the tables as Markdown; ``--report`` writes
the HTML report with plots, ``--side-by-side`` the three articles of the first event in columns.

The article texts are built as ``evals/run.py`` builds them (title, blank line, paragraphs), so
with the default model the numbers are those of ``python -m evals run --suite basil``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "basil"


def basil_text(article: dict) -> str:
    """Title, a blank line, then each paragraph's sentences joined by spaces, paragraphs apart."""
    title = (article.get("title") or "").strip()
    body = "".join(" ".join(paragraph) + "\n\n" for paragraph in article.get("body-paragraphs") or [])
    return (title + "\n\n" if title else "") + body


def load_basil(root: Path, limit: int | None) -> tuple[list[str], list[str], list[dict]]:
    """Texts, ids and metadata (outlet, event, year) of the BASIL articles, whole events only."""
    paths = sorted((root / "articles").glob("*/*.json"))
    if not paths:
        sys.exit(f"no BASIL articles under {root / 'articles'}")
    if limit is not None:  # the first `limit` events (triplets), all their articles
        keep = sorted({p.stem.rsplit("_", 1)[0] for p in paths})[:limit]
        paths = [p for p in paths if p.stem.rsplit("_", 1)[0] in keep]
    texts, ids, meta = [], [], []
    for p in paths:
        article = json.loads(p.read_text(encoding="utf-8"))
        texts.append(basil_text(article))
        ids.append(p.stem)
        meta.append({
            "outlet": str(article.get("source", "?")).lower(),
            "event": article.get("triplet-uuid") or p.stem.rsplit("_", 1)[0],
            "year": p.parent.name,
        })
    return texts, ids, meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BASIL, help="the BASIL folder (default ../shared/data/basil)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N events (three articles each)")
    parser.add_argument("--classifier", default=None, help="'framing-v1' (default, trained) or 'rules' (no model)")
    parser.add_argument("--report", type=Path, help="also write the report: .html (plots embedded) or .md")
    parser.add_argument("--side-by-side", type=Path, help="also write the first event's three articles in columns (.html)")
    args = parser.parse_args(argv)

    import framing

    texts, ids, meta = load_basil(args.data, args.limit)
    attribution = "rules" if args.classifier == "rules" else "tagger"
    started = time.perf_counter()
    results = list(framing.analyze_many(texts, classifier=args.classifier, attribution=attribution, progress=True))
    scored = time.perf_counter() - started
    tables = framing.corpus_tables(results, ids=ids, metadata=meta)
    comparison = framing.compare_groups(tables["article"], by="outlet", pair_by="event", sentences=tables["sentence"])
    events = len({m["event"] for m in meta})
    classifier = tables["article"]["classifier"].dropna().iloc[0]
    print(f"{len(texts)} BASIL articles on {events} events, classifier {classifier}, scored in {scored:.0f} s\n")
    print(comparison.to_markdown())

    if args.report:
        print(f"report written to {comparison.save(args.report)}")
    if args.side_by_side:
        first = meta[0]["event"]
        picked = [k for k, m in enumerate(meta) if m["event"] == first]
        view = framing.compare_articles([results[k] for k in picked], names=[meta[k]["outlet"] for k in picked])
        print(f"side-by-side view written to {view.save_html(args.side_by_side)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
