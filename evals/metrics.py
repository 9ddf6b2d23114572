"""Small metrics shared by the evaluation scripts.

These keep their original signatures (binary 0/1 or bool arrays) but delegate to
:mod:`framing.metrics`, the one implementation behind ``framing.evaluate`` and
``python -m evals run``, so every figure the project reports comes from the same code.
"""

from __future__ import annotations

import numpy as np

from framing import metrics as _m


def _ints(x: np.ndarray) -> np.ndarray:
    return np.asarray(x).astype(bool).astype(np.int64)


def f1_binary(gold: np.ndarray, pred: np.ndarray) -> float:
    return float(_m.per_class(_ints(gold), _ints(pred), 2)["f1"][1])


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 over the two classes (the CheckThat! official metric)."""
    return _m.macro_f1(_ints(gold), _ints(pred), 2)


def precision_recall(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    pc = _m.per_class(_ints(gold), _ints(pred), 2)
    return (float(pc["precision"][1]), float(pc["recall"][1]))


def ece_binary(prob: np.ndarray, gold: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of P(positive) with equal-width confidence bins on [0.5, 1]."""
    prob = np.asarray(prob, dtype=float)
    return _m.ece(np.column_stack([1.0 - prob, prob]), _ints(gold), bins)
