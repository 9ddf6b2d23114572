"""Where ``analyze_many``'s time goes, beside ``classify`` alone in the same run (issue #18).

    python -m evals.bench_stages --n 120 --threads 1

Scores the same N BASIL articles (file order) with ``framing.analyze_many`` and times, inside
that one call, the encoder pass, the cue tagger's and the role tagger's networks and the rest of
the span tagger (decoding runs into character spans); what is left is reading the articles,
the context stage and building the results. Then ``framing.classify`` scores the same body
sentences alone. CPU seconds of this process, one torch thread by default (analyze_many's own
default), best of ``--repeat`` runs. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator


@contextmanager
def timed_calls(owner: Any, name: str, totals: dict[str, float], key: str) -> Iterator[None]:
    """Add the CPU time of every call of ``owner.name`` to ``totals[key]`` inside the block."""
    original: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            totals[key] += time.process_time() - start

    setattr(owner, name, timed)  # an instance attribute, shadowing the method
    try:
        yield
    finally:
        delattr(owner, name)


def profile(texts: list[str], threads: int, folder: "Path | None" = None) -> dict[str, float]:
    """CPU seconds per stage of one analyze_many call, and of classify over its sentences, with
    the shipped framing-v1 or the model folder ``folder``."""
    from contextlib import ExitStack

    import framing
    from framing.model import load, load_folder

    model = load("framing-v1") if folder is None else load_folder(folder)
    tagger = model.span_tagger
    totals = {"encoder": 0.0, "cue tagger": 0.0, "role tagger": 0.0, "span tagger": 0.0}
    list(framing.analyze_many(texts[:3], classifier=model, threads=threads))  # warm: first calls allocate
    with ExitStack() as timers:
        # framing-v2-large-style folders run a second encoder (mpnet) for the taggers and the opinion head
        for encoder in {id(e): e for e in (model.encoder, model.tagger_encoder)}.values():
            timers.enter_context(timed_calls(encoder, "encode", totals, "encoder"))
        for owner, name, key in ((tagger.cue_net, "forward", "cue tagger"), (tagger.role_net, "forward", "role tagger"),
                                 (tagger, "frames", "span tagger")):
            timers.enter_context(timed_calls(owner, name, totals, key))
        start = time.process_time()
        results = list(framing.analyze_many(texts, classifier=model, threads=threads))
        totals["analyze_many"] = time.process_time() - start
    sentences = [s.text for r in results for s in r.sentences]
    from framing.batch import torch_threads

    with torch_threads(threads):
        start = time.process_time()
        framing.classify(sentences, classifier=model)
        totals["classify alone"] = time.process_time() - start
    totals["sentences"] = len(sentences)
    return totals


def table(t: dict[str, float]) -> str:
    n, total = t["sentences"], t["analyze_many"]
    nets = t["cue tagger"] + t["role tagger"]
    rows = [
        ("encoder pass(es), token states kept", t["encoder"]),
        ("cue tagger network (BiLSTM)", t["cue tagger"]),
        ("role tagger network (BiLSTM, one row per cue)", t["role tagger"]),
        ("span tagger: batching and decoding", t["span tagger"] - nets),
        ("the rest: reading, context stage, results", total - t["encoder"] - t["span tagger"]),
    ]
    lines = ["| stage of analyze_many | CPU s | share |", "|---|---:|---:|"]
    lines += [f"| {name} | {sec:.2f} | {100 * sec / total:.0f}% |" for name, sec in rows]
    lines.append(f"| **analyze_many, all** | **{total:.2f}** | {n / total:.0f} sentences/CPU-s |")
    lines.append(f"| classify alone, same sentences | {t['classify alone']:.2f} | {n / t['classify alone']:.0f} sentences/CPU-s |")
    lines.append("")
    lines.append(f"analyze_many / classify throughput: **{t['classify alone'] / total:.2f}** ({int(n)} sentences)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from evals.bench_batch import articles

    p = argparse.ArgumentParser(prog="python -m evals.bench_stages", description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=120, help="BASIL-sized articles")
    p.add_argument("--threads", type=int, default=1, help="torch threads for both calls")
    p.add_argument("--repeat", type=int, default=2, help="runs; the one with the least analyze_many time is kept")
    p.add_argument("--model", type=Path, default=None, help="a model folder instead of the shipped framing-v1")
    args = p.parse_args(argv)
    texts = articles(args.n)
    runs = [profile(texts, args.threads, args.model) for _ in range(args.repeat)]
    print(table(min(runs, key=lambda t: t["analyze_many"])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
