"""Classification metrics with bootstrap intervals: the one implementation that
:func:`framing.evaluate` and the research suite in ``evals/`` both use.

Everything works on integer class indices (``gold``, ``pred`` in ``range(n_classes)``) and,
where there are probabilities, on an ``(n, n_classes)`` matrix whose rows sum to 1.

- per-class precision/recall/F1 and support, macro-F1 (unweighted mean of per-class F1 over
  all classes, so a class the system never predicts counts as 0), accuracy;
- ECE: top-label expected calibration error with ``bins`` equal-width bins of confidence over
  ``[1/K, 1]`` (for two classes that is ``[0.5, 1]``, the same as ``evals.metrics.ece_binary``);
  the predicted class for ECE is the argmax of the probability matrix it is given (a tie goes to
  the later class, so P(positive) = 0.5 counts as positive, as ``p >= 0.5`` would);
- percentile bootstrap 95% intervals over items (fixed seed, 1000 resamples by default);
- a reliability table (per bin: count, mean confidence, accuracy) for plots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20251125
DEFAULT_BINS = 10


def confusion_matrix(gold: np.ndarray, pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Rows: gold class, columns: predicted class."""
    gold = np.asarray(gold, dtype=np.int64)
    pred = np.asarray(pred, dtype=np.int64)
    return np.bincount(gold * n_classes + pred, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def _prf_from_confusion(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp = np.diag(cm).astype(float)
    pred_n = cm.sum(axis=0).astype(float)
    gold_n = cm.sum(axis=1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(pred_n > 0, tp / pred_n, 0.0)
        recall = np.where(gold_n > 0, tp / gold_n, 0.0)
        f1 = np.where(2 * tp + (pred_n - tp) + (gold_n - tp) > 0, 2 * tp / (pred_n + gold_n), 0.0)
    return precision, recall, f1


def per_class(gold: np.ndarray, pred: np.ndarray, n_classes: int) -> dict[str, np.ndarray]:
    """precision, recall, f1 (0 where undefined, as sklearn's ``zero_division=0``), support."""
    cm = confusion_matrix(gold, pred, n_classes)
    p, r, f = _prf_from_confusion(cm)
    return {"precision": p, "recall": r, "f1": f, "support": cm.sum(axis=1)}


def macro_f1(gold: np.ndarray, pred: np.ndarray, n_classes: int) -> float:
    return float(per_class(gold, pred, n_classes)["f1"].mean())


def accuracy(gold: np.ndarray, pred: np.ndarray) -> float:
    gold, pred = np.asarray(gold), np.asarray(pred)
    return float(np.mean(gold == pred)) if len(gold) else 0.0


def _top(proba: np.ndarray) -> np.ndarray:
    """Argmax per row, ties to the highest index."""
    return proba.shape[1] - 1 - np.argmax(proba[:, ::-1], axis=1)


def reliability(proba: np.ndarray, gold: np.ndarray, bins: int = DEFAULT_BINS) -> list[dict[str, float]]:
    """Per confidence bin: lower/upper edge, count, mean confidence, accuracy (None when empty)."""
    proba = np.asarray(proba, dtype=float)
    gold = np.asarray(gold, dtype=np.int64)
    k = proba.shape[1]
    conf = proba.max(axis=1)
    correct = (_top(proba) == gold).astype(float)
    edges = np.linspace(1.0 / k, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, conf, side="right") - 1, 0, bins - 1)
    rows = []
    for b in range(bins):
        sel = which == b
        n = int(sel.sum())
        rows.append({
            "lo": float(edges[b]), "hi": float(edges[b + 1]), "n": n,
            "confidence": float(conf[sel].mean()) if n else None,
            "accuracy": float(correct[sel].mean()) if n else None,
        })
    return rows


def ece(proba: np.ndarray, gold: np.ndarray, bins: int = DEFAULT_BINS) -> float:
    """Top-label expected calibration error (see the module docstring for the binning)."""
    proba = np.asarray(proba, dtype=float)
    n = len(proba)
    if n == 0:
        return 0.0
    total = 0.0
    for row in reliability(proba, gold, bins):
        if row["n"]:
            total += row["n"] / n * abs(row["confidence"] - row["accuracy"])
    return float(total)


def _ece_vectorized(conf: np.ndarray, correct: np.ndarray, which: np.ndarray, idx: np.ndarray, bins: int) -> float:
    w = which[idx]
    sc = np.bincount(w, weights=conf[idx], minlength=bins)
    sa = np.bincount(w, weights=correct[idx], minlength=bins)
    return float(np.abs(sc - sa).sum() / max(1, len(idx)))


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def __iter__(self):  # lets callers write ``lo, hi = interval``
        return iter((self.low, self.high))

    def to_list(self) -> list[float]:
        return [self.low, self.high]


@dataclass(frozen=True)
class ClassificationMetrics:
    """Point estimates and bootstrap intervals for one system on one labeled set."""

    classes: tuple[str, ...]
    n: int
    accuracy: float
    macro_f1: float
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    support: dict[str, int]
    confusion: list[list[int]]
    ece: float | None
    intervals: dict[str, Interval] = field(default_factory=dict)
    reliability: list[dict[str, float]] | None = None
    resamples: int = 0
    seed: int | None = None
    unit: str = "item"  # what the bootstrap resampled: items, or groups of items

    def interval(self, name: str) -> Interval | None:
        return self.intervals.get(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "classes": list(self.classes),
            "n": self.n,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "precision": dict(self.precision),
            "recall": dict(self.recall),
            "f1": dict(self.f1),
            "support": dict(self.support),
            "confusion": [list(r) for r in self.confusion],
            "ece": self.ece,
            "intervals": {k: v.to_list() for k, v in self.intervals.items()},
            "reliability": self.reliability,
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "method": "percentile, 95%",
                          "unit": self.unit},
        }


def bootstrap_indices(n: int, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """``(resamples, n)`` item indices drawn with replacement; same seed, same draws."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(resamples, n))


def grouped_bootstrap_indices(
    groups: Sequence[Any], resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED
) -> list[np.ndarray]:
    """Cluster bootstrap: draw whole groups (e.g. articles) with replacement and return the item
    indices of the drawn groups, one array per resample. Use it when items of a group are
    correlated (sentences of one article), which an item bootstrap would treat as independent."""
    keys: dict[Any, list[int]] = {}
    for i, g in enumerate(groups):
        keys.setdefault(g, []).append(i)
    members = [np.asarray(v, dtype=np.int64) for v in keys.values()]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(members), size=(resamples, len(members)))
    return [np.concatenate([members[j] for j in row]) for row in draws]


def bootstrap_sums(
    values: np.ndarray, resamples: int = DEFAULT_RESAMPLES, seed: "int | np.random.Generator" = DEFAULT_SEED,
    *, chunk_elements: int = 1 << 23,
) -> np.ndarray:
    """``(resamples, k)``: for each resample, the column sums of ``values`` (``(n, k)``) over
    ``n`` rows drawn with replacement — the rows of :func:`bootstrap_indices` for the same seed,
    without a Python loop over resamples or rows.

    Each chunk of resamples becomes a matrix of draw counts per row (``np.bincount`` of the
    drawn indices), and one matrix product gives every column's sums at once, so a statistic
    that is a ratio of sums (a mean, a pooled share) costs one pass for all its columns. The
    draws come in ``bootstrap_indices``' order (chunking by whole resamples does not change a
    numpy Generator's stream), so ``bootstrap_sums(v, r, s)[i] == v[bootstrap_indices(n, r, s)[i]].sum(0)``
    up to floating-point rounding. Memory stays near ``chunk_elements`` × 24 bytes.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    n, k = values.shape
    if n == 0:
        raise ValueError("bootstrap_sums needs at least one row")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    out = np.empty((resamples, k))
    step = max(1, chunk_elements // n)
    for start in range(0, resamples, step):
        m = min(step, resamples - start)
        idx = rng.integers(0, n, size=(m, n))
        idx += (np.arange(m, dtype=np.int64) * n)[:, None]
        counts = np.bincount(idx.ravel(), minlength=m * n).reshape(m, n)
        out[start:start + m] = counts.astype(float) @ values
    return out


def _resamples(n: int, groups: Sequence[Any] | None, resamples: int, seed: int):
    if groups is None:
        return bootstrap_indices(n, resamples, seed)
    if len(groups) != n:
        raise ValueError(f"groups has {len(groups)} entries for {n} items")
    return grouped_bootstrap_indices(groups, resamples, seed)


def percentile_interval(values: Sequence[float], level: float = 0.95) -> Interval:
    v = np.asarray(values, dtype=float)
    a = (1 - level) / 2
    return Interval(float(np.quantile(v, a)), float(np.quantile(v, 1 - a)))


def classification_metrics(
    gold: Sequence[int] | np.ndarray,
    pred: Sequence[int] | np.ndarray,
    classes: Sequence[str],
    proba: np.ndarray | None = None,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    bins: int = DEFAULT_BINS,
    groups: Sequence[Any] | None = None,
) -> ClassificationMetrics:
    """All metrics for one system: ``gold``/``pred`` are class indices into ``classes``;
    ``proba`` (optional, ``(n, len(classes))``) gives ECE and the reliability table.
    ``resamples=0`` skips the bootstrap; ``groups`` (one key per item, e.g. an article id)
    makes it a cluster bootstrap over groups."""
    gold = np.asarray(gold, dtype=np.int64)
    pred = np.asarray(pred, dtype=np.int64)
    k = len(classes)
    if gold.shape != pred.shape:
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}")
    if len(gold) and (gold.min() < 0 or gold.max() >= k or pred.min() < 0 or pred.max() >= k):
        raise ValueError(f"class indices must lie in range({k})")
    if proba is not None:
        proba = np.asarray(proba, dtype=float)
        if proba.shape != (len(gold), k):
            raise ValueError(f"proba must have shape ({len(gold)}, {k}), not {proba.shape}")
    cm = confusion_matrix(gold, pred, k)
    p, r, f = _prf_from_confusion(cm)
    intervals: dict[str, Interval] = {}
    n = len(gold)
    if resamples and n:
        idx = _resamples(n, groups, resamples, seed)
        codes = gold * k + pred
        stats: dict[str, list[float]] = {"macro_f1": [], "accuracy": []}
        for c in classes:
            stats[f"f1[{c}]"] = []
            stats[f"precision[{c}]"] = []
            stats[f"recall[{c}]"] = []
        if proba is not None:
            stats["ece"] = []
            conf = proba.max(axis=1)
            correct = (_top(proba) == gold).astype(float)
            edges = np.linspace(1.0 / k, 1.0, bins + 1)
            which = np.clip(np.searchsorted(edges, conf, side="right") - 1, 0, bins - 1)
        for row in idx:
            bcm = np.bincount(codes[row], minlength=k * k).reshape(k, k)
            bp, br, bf = _prf_from_confusion(bcm)
            stats["macro_f1"].append(float(bf.mean()))
            stats["accuracy"].append(float(np.trace(bcm) / max(1, len(row))))
            for j, c in enumerate(classes):
                stats[f"f1[{c}]"].append(float(bf[j]))
                stats[f"precision[{c}]"].append(float(bp[j]))
                stats[f"recall[{c}]"].append(float(br[j]))
            if proba is not None:
                stats["ece"].append(_ece_vectorized(conf, correct, which, row, bins))
        intervals = {name: percentile_interval(v) for name, v in stats.items()}
    return ClassificationMetrics(
        classes=tuple(classes),
        n=n,
        accuracy=float(np.trace(cm) / n) if n else 0.0,
        macro_f1=float(f.mean()),
        precision={c: float(p[j]) for j, c in enumerate(classes)},
        recall={c: float(r[j]) for j, c in enumerate(classes)},
        f1={c: float(f[j]) for j, c in enumerate(classes)},
        support={c: int(cm[j].sum()) for j, c in enumerate(classes)},
        confusion=cm.tolist(),
        ece=ece(proba, gold, bins) if proba is not None else None,
        intervals=intervals,
        reliability=reliability(proba, gold, bins) if proba is not None else None,
        resamples=resamples if n else 0,
        seed=seed if resamples else None,
        unit="item" if groups is None else "group",
    )


def paired_difference(
    gold: np.ndarray, pred_a: np.ndarray, pred_b: np.ndarray, n_classes: int,
    *, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED, groups: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """macro-F1(a) - macro-F1(b) on the same items, with a paired percentile-bootstrap 95%
    interval (both systems scored on the same resampled items) and the share of resamples in
    which the difference is <= 0 (a one-sided bootstrap p-value for "a is better")."""
    gold = np.asarray(gold, dtype=np.int64)
    ca = gold * n_classes + np.asarray(pred_a, dtype=np.int64)
    cb = gold * n_classes + np.asarray(pred_b, dtype=np.int64)
    k2 = n_classes * n_classes

    def mf1(codes: np.ndarray) -> float:
        return float(_prf_from_confusion(np.bincount(codes, minlength=k2).reshape(n_classes, n_classes))[2].mean())

    point = mf1(ca) - mf1(cb)
    diffs = [mf1(ca[row]) - mf1(cb[row]) for row in _resamples(len(gold), groups, resamples, seed)] if resamples else []
    return {
        "difference": point,
        "interval": percentile_interval(diffs).to_list() if diffs else None,
        "share_le_0": float(np.mean(np.asarray(diffs) <= 0)) if diffs else None,
        "resamples": resamples,
        "seed": seed,
    }


def confident_errors(
    texts: Sequence[str], gold: np.ndarray, pred: np.ndarray, confidence: np.ndarray, classes: Sequence[str], k: int = 5
) -> dict[str, list[dict[str, Any]]]:
    """Per gold class, the ``k`` wrong predictions with the highest confidence in the wrong label."""
    gold = np.asarray(gold)
    pred = np.asarray(pred)
    confidence = np.asarray(confidence, dtype=float)
    out: dict[str, list[dict[str, Any]]] = {}
    for j, c in enumerate(classes):
        wrong = np.flatnonzero((gold == j) & (pred != j))
        order = wrong[np.argsort(-confidence[wrong], kind="stable")][:k]
        out[c] = [
            {"index": int(i), "text": texts[i], "gold": c, "predicted": classes[int(pred[i])],
             "confidence": float(confidence[i])}
            for i in order
        ]
    return out


__all__ = [
    "ClassificationMetrics",
    "Interval",
    "accuracy",
    "bootstrap_indices",
    "classification_metrics",
    "confident_errors",
    "confusion_matrix",
    "grouped_bootstrap_indices",
    "ece",
    "macro_f1",
    "paired_difference",
    "per_class",
    "percentile_interval",
    "reliability",
]
