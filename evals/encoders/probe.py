"""Frozen-encoder probe: CheckThat! SUBJ/OBJ macro-F1 on dev_test by layer, from cached features.

    python -m evals.encoders.features          # first (fp16 features, into ../cache/v2/features)
    nice -n 10 python -m evals.encoders.probe  # --features ../cache/v2/features --out ../cache/v2/probe

A probe is StandardScaler + LogisticRegression (lbfgs, L2) on one layer's mean-pooled states.
dev_test is only ever *reported*; nothing below is chosen on it. Selection methods:

- ``dev``:    C chosen on dev_en (fit on train_en), then refit on train_en + dev_en, threshold 0.5
              (the issue's protocol).
- ``cv``:     C chosen by stratified 5-fold cross-validation on train_en + dev_en (macro-F1 at
              threshold 0.5), refit on all of it.
- ``cv+thr``: C and the decision threshold chosen together on the 5-fold out-of-fold
              probabilities (the threshold absorbs the prior: dev_en is 52% SUBJ, train_en 36%,
              dev_test 25%), refit on all of it.

``--extra`` adds: BABE train rows (read_babe "train" split) as extra training data (folds run
over CheckThat! only, BABE is in every training fold), and the mean / concatenation of layers
5-7. Every figure comes with a 95% percentile bootstrap interval over dev_test sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from evals.encoders import CACHE

C_GRID = [float(c) for c in 10.0 ** np.arange(-4, 1.01, 0.5)]
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.01), 2)
SEED = 13


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    return float(f1_score(y, pred, average="macro", labels=[0, 1], zero_division=0))


def make_probe(c: float):
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000))


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    scores = [(macro_f1(y, (p >= t).astype(int)), -abs(t - 0.5), t) for t in THRESHOLDS]
    f, _, t = max(scores)
    return float(t), f


def bootstrap(y: np.ndarray, pred: np.ndarray, n: int = 1000) -> tuple[float, float]:
    rng = np.random.default_rng(SEED)
    idx = rng.integers(0, len(y), size=(n, len(y)))
    vals = [macro_f1(y[i], pred[i]) for i in idx]
    return float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))


def evaluate(X: dict, y: dict, extra: tuple[np.ndarray, np.ndarray] | None = None) -> dict:
    """All three selection methods for one feature set. X/y: train, dev, dev_test."""
    Xtd = np.concatenate([X["train"], X["dev"]])
    ytd = np.concatenate([y["train"], y["dev"]])
    Xe, ye = extra if extra is not None else (np.zeros((0, Xtd.shape[1])), np.zeros(0, dtype=int))
    out = {}

    # dev: choose C on dev_en
    dev_scores = {}
    for c in C_GRID:
        m = make_probe(c).fit(np.concatenate([X["train"], Xe]), np.concatenate([y["train"], ye]))
        dev_scores[c] = macro_f1(y["dev"], m.predict(X["dev"]))
    c_dev = max(C_GRID, key=lambda c: (dev_scores[c], -abs(np.log10(c))))

    # cv: 5-fold on train+dev (extra data in every training fold)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(Xtd, ytd))
    oof = {c: np.zeros(len(ytd)) for c in C_GRID}
    for c in C_GRID:
        for tr, te in folds:
            m = make_probe(c).fit(np.concatenate([Xtd[tr], Xe]), np.concatenate([ytd[tr], ye]))
            oof[c][te] = m.predict_proba(Xtd[te])[:, 1]
    cv_scores = {c: float(np.mean([macro_f1(ytd[te], (oof[c][te] >= 0.5).astype(int)) for _, te in folds])) for c in C_GRID}
    c_cv = max(C_GRID, key=lambda c: (cv_scores[c], -abs(np.log10(c))))
    thr = {c: best_threshold(ytd, oof[c]) for c in C_GRID}
    c_thr = max(C_GRID, key=lambda c: (thr[c][1], -abs(np.log10(c))))

    fitted = {}
    for c in {c_dev, c_cv, c_thr}:
        fitted[c] = make_probe(c).fit(np.concatenate([Xtd, Xe]), np.concatenate([ytd, ye]))
    yt = y["dev_test"]
    for method, c, t, sel in (
        ("dev", c_dev, 0.5, dev_scores[c_dev]),
        ("cv", c_cv, 0.5, cv_scores[c_cv]),
        ("cv+thr", c_thr, thr[c_thr][0], thr[c_thr][1]),
    ):
        p = fitted[c].predict_proba(X["dev_test"])[:, 1]
        pred = (p >= t).astype(int)
        lo, hi = bootstrap(yt, pred)
        out[method] = {
            "C": c, "threshold": t, "selection_score": round(sel, 4),
            "dev_test_macro_f1": round(macro_f1(yt, pred), 4), "ci95": [round(lo, 3), round(hi, 3)],
            "dev_test_subj_rate_predicted": round(float(pred.mean()), 3),
        }
    return out


def load_layer(folder: Path, set_name: str, layer: int) -> np.ndarray:
    return np.load(folder / f"{set_name}.L{layer}.npy").astype(np.float64)


def checkthat_labels(folder: Path) -> dict:
    return {
        split: np.array(json.loads((folder / f"checkthat_{split}.meta.json").read_text())["opinion"])
        for split in ("train", "dev", "dev_test")
    }


def babe_train(folder: Path, layers: list[int], combine: str = "one") -> tuple[np.ndarray, np.ndarray]:
    meta = json.loads((folder / "babe_all.meta.json").read_text())
    keep = np.array([s == "train" and o is not None for s, o in zip(meta["split"], meta["opinion"])])
    y = np.array([o for o, k in zip(meta["opinion"], keep) if k], dtype=int)
    return features(folder, "babe_all", layers, combine)[keep], y


def features(folder: Path, set_name: str, layers: list[int], combine: str = "one") -> np.ndarray:
    arrays = [load_layer(folder, set_name, k) for k in layers]
    if combine == "mean":
        return np.mean(arrays, axis=0)
    return np.concatenate(arrays, axis=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--features", type=Path, default=CACHE / "features")
    ap.add_argument("--out", type=Path, default=CACHE / "probe")
    ap.add_argument("--encoders", nargs="+", default=["mpnet", "minilm"])
    ap.add_argument("--extra", action="store_true", help="instead: BABE-train-added and layers 5-7 combined (mpnet)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    n_layers = {"mpnet": 12, "minilm": 6}
    for enc in [] if args.extra else args.encoders:
        folder = args.features / enc
        y = checkthat_labels(folder)
        for k in range(1, n_layers[enc] + 1):
            started = time.perf_counter()
            X = {s: load_layer(folder, f"checkthat_{s}", k) for s in ("train", "dev", "dev_test")}
            res = evaluate(X, y)
            results[f"{enc}/L{k}"] = res
            print(f"{enc} L{k:>2}  " + "  ".join(
                f"{m}: {r['dev_test_macro_f1']:.3f} (sel {r['selection_score']:.3f}, C={r['C']:g}, t={r['threshold']:.2f})"
                for m, r in res.items()) + f"  [{time.perf_counter() - started:.0f} s]", flush=True)
    if args.extra:
        folder = args.features / "mpnet"
        y = checkthat_labels(folder)
        variants = [(f"L{k}", [k], "one") for k in (5, 6, 7)] + [("mean L5-7", [5, 6, 7], "mean"), ("concat L5-7", [5, 6, 7], "one")]
        for label, layers, combine in variants:
            X = {s: features(folder, f"checkthat_{s}", layers, combine) for s in ("train", "dev", "dev_test")}
            for with_babe in (False, True):
                if not with_babe and len(layers) == 1:
                    continue  # already in the by-layer table
                extra = babe_train(folder, layers, combine) if with_babe else None
                key = f"mpnet/{label}" + (" +BABE" if with_babe else "")
                res = evaluate(X, y, extra)
                results[key] = res
                print(f"{key:<24} " + "  ".join(
                    f"{m}: {r['dev_test_macro_f1']:.3f} (sel {r['selection_score']:.3f}, C={r['C']:g}, t={r['threshold']:.2f})"
                    for m, r in res.items()), flush=True)
    name = "probe_extra.json" if args.extra else "probe.json"
    (args.out / name).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
