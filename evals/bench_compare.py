"""How long does ``framing.compare_groups`` take on a large scored corpus?

    python -m evals.bench_compare [--articles 200000] [--outlets 10] [--per-event 4] [--resamples 1000]

Builds a synthetic scored corpus (``evals.compare_coverage.simulate_corpus``): ``--articles``
articles from ``--outlets`` outlets, each event covered by ``--per-event`` of them, 10–44
sentences per article (27 on average, as BASIL), as the article table *and* the sentence table of
``framing score``. Writes both as Parquet to a temporary folder (not timed), then times
``compare_groups(articles, by="outlet", pair_by="event", sentences=sentences)``: group means,
every pairwise difference, paired differences within events and position profiles, with 1,000
cluster-bootstrap resamples each — from in-memory DataFrames, and again from the Parquet paths
(reading included). Prints the timings and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

from evals.compare_coverage import simulate_corpus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--outlets", type=int, default=10)
    parser.add_argument("--per-event", type=int, default=4)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    import framing

    rng = np.random.default_rng(args.seed)
    outlets = [f"outlet{i:02d}" for i in range(args.outlets)]
    mu = {o: float(np.log(0.04 + 0.01 * i) - np.log(0.96 - 0.01 * i)) for i, o in enumerate(outlets)}
    t = time.perf_counter()
    articles, sentences = simulate_corpus(rng, n_events=args.articles // args.per_event, mu=mu,
                                          outlets_per_event=args.per_event, sentences=(10, 44), sentence_table=True)
    made = time.perf_counter() - t
    print(f"synthetic corpus: {len(articles):,} articles, {len(sentences):,} sentences, "
          f"{args.outlets} outlets, {articles['event'].nunique():,} events ({made:.1f} s to make, not timed)")

    t = time.perf_counter()
    c = framing.compare_groups(articles, by="outlet", pair_by="event", sentences=sentences, resamples=args.resamples)
    in_memory = time.perf_counter() - t
    print(f"compare_groups from DataFrames: {in_memory:.1f} s "
          f"({len(c.table)} groups, {len(c.differences)} differences, {len(c.paired)} paired, {len(c.positions)} position rows)")

    with tempfile.TemporaryDirectory() as folder:
        a_path, s_path = Path(folder) / "articles.parquet", Path(folder) / "sentences.parquet"
        articles.to_parquet(a_path)
        sentences.to_parquet(s_path)
        t = time.perf_counter()
        framing.compare_groups(a_path, by="outlet", pair_by="event", sentences=s_path, resamples=args.resamples)
        from_files = time.perf_counter() - t
    print(f"compare_groups from Parquet paths (reading included): {from_files:.1f} s")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs visible, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, numpy {np.__version__}")
    print(c.table[["group", "n_articles", "opinion_density", "opinion_density_low", "opinion_density_high"]].head(3).to_string())


if __name__ == "__main__":
    main()
