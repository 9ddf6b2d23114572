"""Batch scoring benchmark: throughput, peak memory, and a corrupted corpus.

    python -m evals.bench_batch --n 2000                       # default (trained) model
    python -m evals.bench_batch --n 2000 --classifier rules    # quick, model-free
    python -m evals.bench_batch --skip-throughput              # only the memory and corruption checks

1. Throughput: ``framing.analyze`` in a loop against ``framing.analyze_many`` over the same N
   BASIL-sized articles (BASIL from ../shared/data when present, else generated articles of
   similar length), each in its own subprocess so that each peak RSS is its own. Articles are
   taken in file order, cycling after the last one, so a repeated article is never in the same
   window: analyze_many's de-duplication of identical sentences gets no unfair help. With
   ``--workers N`` (default: the CPU cores), also ``analyze_many(workers=N)``; its time includes
   starting the worker processes and loading the model in each, which the other two do untimed.
   On a machine with several cores it also times the loop on one torch thread: that is the work
   per article done with no parallelism, so ``cores x loop(1 thread) / loop`` bounds what any
   scheme doing the same work can gain over the loop (printed as the ceiling).
2. Flat memory: ``framing score`` JSONL → Parquet over 1,000 and over 10,000 articles, each in
   its own subprocess; the peak RSS of the two should differ by less than 20%.
3. Corrupted corpus: bad JSON lines, nulls, numbers, 5 MB texts and non-UTF-8 bytes must give
   exactly one output row per record and a report of the unreadable lines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Any, Iterator

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "basil" / "articles"


def _basil_texts() -> list[str]:
    texts = []
    for path in sorted(BASIL.glob("*/*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(s) for s in article["body-paragraphs"])
        texts.append(f"{article['title']}\n\n{body}")
    return texts


def _generated_texts(n: int = 200, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    words = "council budget vote mayor plan city bus routes critics said cost rise tax police report school".split()
    texts = []
    for i in range(n):
        paragraphs = []
        for _ in range(rng.randint(8, 16)):
            sentences = []
            for _ in range(rng.randint(1, 3)):
                body = " ".join(rng.choice(words) for _ in range(rng.randint(8, 30)))
                sentences.append(body.capitalize() + rng.choice([".", ".", ".", "?", ', officials said.']))
            paragraphs.append(" ".join(sentences))
        texts.append(f"Article {i}\n\n" + "\n\n".join(paragraphs))
    return texts


def articles(n: int) -> list[str]:
    source = _basil_texts() if BASIL.is_dir() else _generated_texts()
    return list(islice(cycle(source), n))


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS. RUSAGE_CHILDREN: the largest child.
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- subprocess workers ---------------------------------------------------------------------------


def _load(classifier: str | None) -> Any:
    """A classifier by name, or a model folder given by path (e.g. a candidate before it ships)."""
    if classifier is not None and Path(classifier).is_dir():
        from framing.model import FramingModel

        return FramingModel.load(classifier)
    from framing.model import get_classifier

    return get_classifier(classifier)


def _worker_throughput(mode: str, n: int, classifier: str | None, batch_size: int, threads: int) -> dict[str, Any]:
    import framing
    from framing.batch import analyze_many

    if mode == "loop1":  # the same loop on one torch thread: the work per article, measured alone
        mode, threads = "loop", 1
    if threads:
        import torch

        torch.set_num_threads(threads)

    texts = articles(n)
    model = _load(classifier)
    framing.analyze(texts[0], classifier=model)  # warm up (lazy imports, first-call costs)
    if mode == "classify":  # the same articles' body sentences, labeled alone: the encoder's pace
        from framing.article import Article

        sentences = [s for t in texts for s in Article.read(t).sentence_texts]
        start = time.perf_counter()
        framing.classify(sentences, classifier=model)
        elapsed = time.perf_counter() - start
        return {"mode": mode, "classifier": model.name, "articles": n, "sentences": len(sentences),
                "seconds": round(elapsed, 2), "articles_per_s": round(n / elapsed, 1),
                "sentences_per_s": round(len(sentences) / elapsed, 1), "peak_rss_mb": round(_peak_rss_mb(), 1),
                "largest_child_rss_mb": 0.0, "labels_digest": None}
    import torch

    # analyze_many runs on one torch thread by default (see framing.batch.DEFAULT_THREADS); here it
    # gets this process's threads, as the loop and classify() have, so the rows compare work, not
    # thread counts. Worker processes keep their default of one thread each.
    same = torch.get_num_threads()
    start = time.perf_counter()
    if mode == "loop":
        results = [framing.analyze(t, classifier=model) for t in texts]
    elif mode.startswith("workers"):  # "workers2": N processes, each loading the model by name
        results = list(analyze_many(texts, classifier=classifier, batch_size=batch_size, workers=int(mode[7:])))
    elif mode == "many-noattr":  # no attribution stage: what who-speaks costs, by difference
        results = list(analyze_many(texts, classifier=model, attribution=None, batch_size=batch_size, threads=same))
    else:
        results = list(analyze_many(texts, classifier=model, batch_size=batch_size, threads=same))
    elapsed = time.perf_counter() - start
    sentences = sum(r.overall.n_sentences for r in results)
    return {
        "mode": mode,
        "classifier": model.name,
        "articles": n,
        "sentences": sentences,
        "seconds": round(elapsed, 2),
        "articles_per_s": round(n / elapsed, 1),
        "sentences_per_s": round(sentences / elapsed, 1),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "largest_child_rss_mb": round(_peak_rss_mb(resource.RUSAGE_CHILDREN), 1),
        "labels_digest": None if mode == "many-noattr"
        else hashlib.sha256(" ".join(s.label for r in results for s in r.sentences).encode()).hexdigest(),
    }


def _worker_stream(corpus: str, output: str, classifier: str | None) -> dict[str, Any]:
    from framing.batch.corpus import score_file

    summary = score_file(corpus, output, classifier=classifier, log=None, restart=True)
    return {"records": summary["records"], "seconds": summary["elapsed_s"], "peak_rss_mb": round(_peak_rss_mb(), 1)}


def _run_worker(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "evals.bench_batch", "--worker", *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the three checks ---------------------------------------------------------------------------


def write_jsonl(path: Path, texts: Iterator[str] | list[str]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": f"a{i}", "text": text}, ensure_ascii=False) + "\n")
    return path


def corrupted_corpus(path: Path, good: list[str]) -> int:
    """Write a corpus with every kind of damage; return the number of records (non-blank lines)."""
    lines: list[bytes] = []
    for i, text in enumerate(good):
        lines.append(json.dumps({"id": f"ok{i}", "text": text}).encode())
        lines.append(
            [
                b"{broken json",
                json.dumps({"id": f"null{i}", "text": None}).encode(),
                json.dumps({"id": f"num{i}", "text": 3.14}).encode(),
                json.dumps({"id": f"huge{i}", "text": "Filler. " * 700_000}).encode(),  # 5.6 MB
                b'{"id": "latin1-%d", "text": "Caf\xe9 cr\xe8me br\xfbl\xe9e."}' % i,
                b"\xff\xfe\x00garbage",
                json.dumps({"id": f"nofield{i}"}).encode(),
                b"",
            ][i % 8]
        )
    path.write_bytes(b"\n".join(lines) + b"\n")
    return sum(1 for line in lines if line.strip())


def check_corrupted(folder: Path, classifier: str | None) -> dict[str, Any]:
    import pyarrow.parquet as pq

    from framing.batch.corpus import score_file

    corpus = folder / "corrupted.jsonl"
    n_records = corrupted_corpus(corpus, articles(24))
    out = folder / "corrupted.parquet"
    summary = score_file(corpus, out, classifier=classifier, log=None, restart=True)
    rows = pq.read_table(out, columns=["id", "error"]).to_pylist()
    ok = len(rows) == n_records == summary["records"]
    return {
        "records": n_records,
        "rows": len(rows),
        "one_row_per_record": ok,
        "errors": summary["errors"],
        "unreadable_lines": summary["unreadable_lines"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="articles for the throughput test")
    parser.add_argument(
        "--classifier", default=None, help="default: the trained model; 'rules' is quick; or a model folder path"
    )
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=2, help="alternating runs of each; the best counts")
    parser.add_argument(
        "--threads", type=int, default=0, help="torch threads (0: torch's default); 1 is steadiest on a busy machine"
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1,
        help="also time analyze_many(workers=N) (default: the CPU cores; 1 skips it)",
    )
    parser.add_argument("--rss-sizes", default="1000,10000", help="corpus sizes for the memory test")
    parser.add_argument("--rss-classifier", default="rules", help="classifier for the memory test (default rules)")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-rss", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        kind, *rest = args.worker
        if kind == "throughput":
            mode, n, classifier, batch, threads = rest
            model = None if classifier == "default" else classifier
            result = _worker_throughput(mode, int(n), model, int(batch), int(threads))
        else:
            corpus, output, classifier = rest
            result = _worker_stream(corpus, output, None if classifier == "default" else classifier)
        print(json.dumps(result))
        return 0

    results: dict[str, Any] = {"source": "BASIL" if BASIL.is_dir() else "generated"}
    classifier = args.classifier or "default"
    if not args.skip_throughput:
        # Alternate the two (loop, many, loop, many...) and keep each one's best run: on a shared
        # machine the load drifts, and a single pair of runs can be off by several times.
        runs: dict[str, list[dict[str, Any]]] = {"loop": [], "many": [], "classify": [], "many-noattr": []}
        by_name = classifier in ("default", "rules", "rules-v1", "framing-v1")  # workers load by name
        if args.workers > 1 and by_name:
            runs[f"workers{args.workers}"] = []
        cores = os.cpu_count() or 1
        if cores > 1 and args.threads != 1:
            runs["loop1"] = []
        for _ in range(args.repeat):
            for mode in runs:
                runs[mode].append(
                    _run_worker("throughput", mode, str(args.n), classifier, str(args.batch_size), str(args.threads))
                )
        best = {mode: min(rs, key=lambda r: r["seconds"]) for mode, rs in runs.items()}
        for mode, r in best.items():
            r["all_seconds"] = [x["seconds"] for x in runs[mode]]
        loop, many = best["loop"], best["many"]
        results["throughput"] = {
            **best,
            "speedup": round(many["articles_per_s"] / loop["articles_per_s"], 2),
            "same_labels": len({d for rs in runs.values() for r in rs if (d := r.pop("labels_digest")) is not None}) == 1,
            # Issue #18's measure: end-to-end with attribution against labeling the same sentences alone.
            "many_vs_classify": round(many["sentences_per_s"] / best["classify"]["sentences_per_s"], 2),
        }
        par = next((m for m in best if m.startswith("workers")), None)
        if par:
            results["throughput"]["speedup_workers"] = round(best[par]["articles_per_s"] / loop["articles_per_s"], 2)
        threads = args.threads or "default"
        print(f"{results['source']} articles, classifier {many['classifier']}, n={args.n}, torch threads {threads}")
        print(f"{'':22}{'articles/s':>12}{'sentences/s':>13}{'seconds':>9}{'peak RSS MB':>13}")
        names = {"loop": "analyze() loop", "many": "analyze_many()", "loop1": "loop, 1 torch thread",
                 "classify": "classify() alone", "many-noattr": "many, attribution=None"}
        if par:
            names[par] = f"analyze_many(workers={par[7:]})"
        for mode, r in best.items():
            figures = f"{r['articles_per_s']:>12}{r['sentences_per_s']:>13}{r['seconds']:>9}{r['peak_rss_mb']:>13}"
            extra = f"  (+ each worker up to {r['largest_child_rss_mb']} MB)" if mode == par else ""
            print(f"{names[mode]:22}{figures}{extra}")
        t = results["throughput"]
        print("runs (s): " + ", ".join(f"{names[m]} {r['all_seconds']}" for m, r in best.items()))
        also = f", with workers {t['speedup_workers']}x" if par else ""
        print(f"speedup {t['speedup']}x{also}, same labels: {t['same_labels']}")
        print(f"analyze_many with attribution / classify alone (sentences/s): {t['many_vs_classify']}")
        if "loop1" in best:
            # The one-thread loop's time is the work per article with nothing run in parallel. Spread
            # perfectly over every core, that work takes loop1 / cores: no scheme that does the same
            # work can beat the loop by more than loop * cores / loop1 (the loop's own torch threads
            # already use part of the machine). Beyond that, only doing less work helps.
            ceiling = round(cores * best["loop1"]["articles_per_s"] / loop["articles_per_s"], 2)
            t["cores"], t["parallel_ceiling"] = cores, ceiling
            print(f"ceiling on {cores} cores: the loop on 1 thread does {best['loop1']['articles_per_s']} articles/s, so "
                  f"spreading the same work over all {cores} cores can beat the loop by at most {ceiling}x")
        print()

    with tempfile.TemporaryDirectory(prefix="framing-bench-") as tmp:
        folder = Path(tmp)
        if not args.skip_rss:
            rss = {}
            for size in (int(s) for s in args.rss_sizes.split(",")):
                corpus = write_jsonl(folder / f"corpus-{size}.jsonl", articles(size))
                rss[size] = _run_worker("stream", str(corpus), str(folder / f"out-{size}.parquet"), args.rss_classifier)
                print(
                    f"stream JSONL→Parquet {size:>6} articles ({args.rss_classifier}): "
                    f"peak RSS {rss[size]['peak_rss_mb']} MB, {rss[size]['seconds']} s"
                )
            sizes = sorted(rss)
            growth = rss[sizes[-1]]["peak_rss_mb"] / rss[sizes[0]]["peak_rss_mb"] - 1
            results["stream_rss"] = {"runs": rss, "growth": round(growth, 3), "flat": abs(growth) < 0.2}
            print(f"peak RSS growth {sizes[0]} → {sizes[-1]} articles: {growth:+.1%}\n")
        corrupted = check_corrupted(folder, args.rss_classifier if args.rss_classifier != "default" else None)
        results["corrupted"] = corrupted
        print(
            f"corrupted corpus: {corrupted['records']} records → {corrupted['rows']} rows "
            f"(one per record: {corrupted['one_row_per_record']}); errors {corrupted['errors']}; "
            f"unreadable lines {corrupted['unreadable_lines']}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
