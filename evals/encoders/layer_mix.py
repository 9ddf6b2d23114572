"""Do several mpnet layers together beat framing-v2-large's one (issue framing-v2, the 0.75 target)?

    python -m evals.encoders.layer_mix        # ~7 min on one thread

framing-v2-large's opinion head reads the mean-pooled states after mpnet layer 5, chosen with C
by ``framing.train.opinion_head``'s cross-validation. Here the same cross-validation (5 folds,
3 fold seeds, CheckThat! train + dev_en and BABE train, per-source macro-F1 averaged) scores
layer 5 and 6 alone, layers concatenated (4+5, 4+5+6, 3+4+5+6) and layers averaged (4..6, 3..6),
each over a C grid. The cross-validated figure is what would choose; CheckThat! dev_test
macro-F1 of the opinion head alone (SUBJ when the head says opinion, without the question and
attribution axes of the full tier) is printed beside it for reporting only.

Result (2026-12-05): every candidate cross-validates at 0.850-0.867; the best, layers 4..6
averaged at C 0.003 (0.8666), is 0.001 above the shipped layer 5 (0.8654), inside the folds'
noise, so nothing changed. Head-only dev_test moved between 0.69 and 0.74, mostly with C: the
0.75 target sits inside that spread.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Callable

import numpy as np

LAYERS = (3, 4, 5, 6)
CS = (0.0003, 0.001, 0.003, 0.01)
#: Candidate features from the pooled vectors of ``LAYERS`` (layer -> (n, 768)).
CANDIDATES: dict[str, Callable[[dict[int, np.ndarray]], np.ndarray]] = {
    "layer 5": lambda d: d[5],
    "layer 6": lambda d: d[6],
    "layers 4+5 concatenated": lambda d: np.hstack([d[4], d[5]]),
    "layers 4+5+6 concatenated": lambda d: np.hstack([d[4], d[5], d[6]]),
    "layers 3..6 concatenated": lambda d: np.hstack([d[k] for k in (3, 4, 5, 6)]),
    "layers 4..6 averaged": lambda d: (d[4] + d[5] + d[6]) / 3,
    "layers 3..6 averaged": lambda d: sum(d[k] for k in (3, 4, 5, 6)) / 4,
}


def main(argv: list[str] | None = None) -> int:
    import torch

    from evals.data import default_data_dir
    from framing.metrics import macro_f1
    from framing.train import data as D
    from framing.train import opinion_head as OH

    p = argparse.ArgumentParser(prog="python -m evals.encoders.layer_mix", description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", type=Path, default=default_data_dir())
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    texts, y, source = OH.read_training_rows(args.data_dir)
    train = OH.pooled_by_layer(texts, LAYERS)
    rows = D.read_checkthat(args.data_dir, "dev_test")
    test = OH.pooled_by_layer([r["text"] for r in rows], LAYERS)
    gold = np.array([r["opinion"] for r in rows])
    print("| features | C | cross-validated macro-F1 (chooses) | CheckThat! dev_test, head alone (reported) |")
    print("|---|---:|---:|---:|")
    for name, features in CANDIDATES.items():
        x, tx = features(train), features(test)
        for c in CS:
            cv = OH.cross_validated_f1(x, y, source, c)
            w, b = OH.fit(x, y, c)
            f1 = macro_f1(gold, (tx @ w + b > 0).astype(np.int64), 2)
            print(f"| {name} | {c} | {cv:.4f} | {float(f1):.4f} |", flush=True)
    print(json.dumps({"rows": len(texts), "dev_test": len(rows)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
