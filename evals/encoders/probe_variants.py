"""How much the issue's protocol (C chosen on dev_en, refit on train_en + dev_en, threshold 0.5)
moves with details it did not fix: feature scaling, class weights and the C grid (mpnet, layers 5,
6 and 12). Reads :mod:`evals.encoders.features`' cache.

    OMP_NUM_THREADS=1 nice -n 10 python -m evals.encoders.probe_variants [--features DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer, StandardScaler

from evals.encoders import CACHE
from evals.encoders import probe as P

GRIDS = {
    "half-decade": P.C_GRID,
    "fine": [float(c) for c in 10.0 ** np.arange(-4, 2.01, 0.25)],
    "decade": [float(c) for c in 10.0 ** np.arange(-4, 3)],
}
MAKERS = {
    "scaled": lambda c: make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000)),
    "raw": lambda c: LogisticRegression(C=c, max_iter=5000),
    "l2norm": lambda c: make_pipeline(Normalizer(), LogisticRegression(C=c, max_iter=5000)),
    "scaled-balanced": lambda c: make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000, class_weight="balanced")),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--features", type=Path, default=CACHE / "features")
    args = ap.parse_args(argv)
    folder = args.features / "mpnet"
    y = P.checkthat_labels(folder)
    for k in (5, 6, 12):
        X = {s: P.load_layer(folder, f"checkthat_{s}", k) for s in ("train", "dev", "dev_test")}
        Xtd = np.concatenate([X["train"], X["dev"]])
        ytd = np.concatenate([y["train"], y["dev"]])
        for mname, mk in MAKERS.items():
            for gname, grid in GRIDS.items():
                if gname != "half-decade" and mname not in ("raw", "l2norm"):
                    continue
                dev = {c: P.macro_f1(y["dev"], mk(c).fit(X["train"], y["train"]).predict(X["dev"])) for c in grid}
                c = max(grid, key=lambda c: (dev[c], -abs(np.log10(c))))
                f = P.macro_f1(y["dev_test"], mk(c).fit(Xtd, ytd).predict(X["dev_test"]))
                print(f"L{k} {mname:<16} {gname:<12} C={c:<10.4g} dev={dev[c]:.3f} dev_test={f:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
