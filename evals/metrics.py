"""Small, dependency-free metrics shared by the evaluation scripts."""

from __future__ import annotations

import numpy as np


def f1_binary(gold: np.ndarray, pred: np.ndarray) -> float:
    gold, pred = np.asarray(gold).astype(bool), np.asarray(pred).astype(bool)
    tp = float(np.sum(gold & pred))
    fp = float(np.sum(~gold & pred))
    fn = float(np.sum(gold & ~pred))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 over the two classes (the CheckThat! official metric)."""
    gold, pred = np.asarray(gold).astype(bool), np.asarray(pred).astype(bool)
    return (f1_binary(gold, pred) + f1_binary(~gold, ~pred)) / 2


def precision_recall(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    gold, pred = np.asarray(gold).astype(bool), np.asarray(pred).astype(bool)
    tp = float(np.sum(gold & pred))
    return (tp / max(1.0, float(pred.sum())), tp / max(1.0, float(gold.sum())))


def ece_binary(prob: np.ndarray, gold: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of P(positive) with equal-width confidence bins."""
    prob, gold = np.asarray(prob, dtype=float), np.asarray(gold).astype(bool)
    conf = np.maximum(prob, 1 - prob)
    correct = ((prob >= 0.5) == gold).astype(float)
    edges = np.linspace(0.5, 1.0, bins + 1)
    total = 0.0
    for k in range(bins):
        hi_ok = conf <= edges[k + 1] if k == bins - 1 else conf < edges[k + 1]
        sel = (conf >= edges[k]) & hi_ok
        if sel.any():
            total += sel.mean() * abs(conf[sel].mean() - correct[sel].mean())
    return float(total)
