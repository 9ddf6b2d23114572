"""Score a classifier on your own annotated sentences.

    >>> report = framing.evaluate("my_gold.csv", label_map={"SUBJ": "opinion", "OBJ": "not_opinion"})
    >>> report.macro_f1, report.interval("macro_f1")
    >>> print(report.to_markdown())
    >>> report.confident_errors(5)

Gold labels are compared in one of three *schemes*, decided by what the (mapped) gold labels are:

- ``labels.v1``: the four labels of :data:`framing.LABELS`; predictions are the argmax label;
- ``opinion``: ``opinion`` / ``not_opinion``; a sentence is predicted ``opinion`` when its
  argmax label is ``editorial_judgment`` or ``rhetorical_question`` (as in every density figure),
  and P(opinion) = P(editorial_judgment) + P(rhetorical_question);
- ``quote``: ``quote`` / ``not_quote``; predicted ``quote`` when the argmax is
  ``attributed_quote``, P(quote) = P(attributed_quote).

``label_map`` maps your labels onto one scheme's names; map a label to ``None`` to drop its rows
(e.g. BABE's "No agreement"). A label that is neither mapped nor a scheme name is an error, so a
typo cannot silently become a class. The metrics come from :mod:`framing.metrics`, the same code
the research suite in ``evals/`` reports with.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from framing.classify import SentenceClassifier
from framing.model import get_classifier
from framing.errors import FramingInputError
from framing.labels import ATTRIBUTED_QUOTE, LABEL_INDEX, LABELS, OPINION_LABELS
from framing.metrics import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    ClassificationMetrics,
    Interval,
    classification_metrics,
)

#: scheme name -> its classes, in index order (the positive class of a binary scheme is last).
SCHEMES: dict[str, tuple[str, ...]] = {
    "labels.v1": LABELS,
    "opinion": ("not_opinion", "opinion"),
    "quote": ("not_quote", "quote"),
}

_OPINION_IDX = [LABEL_INDEX[x] for x in LABELS if x in OPINION_LABELS]
_QUOTE_IDX = LABEL_INDEX[ATTRIBUTED_QUOTE]


def collapse(scheme: str, proba4: np.ndarray | None = None, pred4: np.ndarray | None = None):
    """Map four-label outputs onto ``scheme``: returns ``(pred, proba)`` as class indices of the
    scheme and an ``(n, len(classes))`` probability matrix (None when ``proba4`` is None).

    ``pred4`` (label indices) defaults to the argmax of ``proba4``."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; known: {sorted(SCHEMES)}")
    if pred4 is None:
        if proba4 is None:
            raise ValueError("collapse() needs proba4 or pred4")
        pred4 = np.asarray(proba4).argmax(axis=1)
    pred4 = np.asarray(pred4, dtype=np.int64)
    if scheme == "labels.v1":
        return pred4, (None if proba4 is None else np.asarray(proba4, dtype=float))
    if scheme == "opinion":
        pred = np.isin(pred4, _OPINION_IDX).astype(np.int64)
        pos = None if proba4 is None else np.asarray(proba4, dtype=float)[:, _OPINION_IDX].sum(axis=1)
    else:
        pred = (pred4 == _QUOTE_IDX).astype(np.int64)
        pos = None if proba4 is None else np.asarray(proba4, dtype=float)[:, _QUOTE_IDX]
    proba = None if pos is None else np.column_stack([1.0 - pos, pos])
    return pred, proba


# ------------------------------------------------------------------------------------------
# Reading the user's gold data


def _rows_from(gold: Any, text_column: str, label_column: str) -> tuple[list[Any], list[Any]]:
    """(texts, labels) from a path, DataFrame, datasets.Dataset or iterable of mappings."""
    if isinstance(gold, (str, os.PathLike)):
        path = Path(gold)
        if not path.is_file():
            raise FramingInputError(f"no such file: {path}")
        import pandas as pd

        suffix = "".join(path.suffixes[-2:]).lower() if path.suffix == ".gz" else path.suffix.lower()
        if suffix.startswith(".csv"):
            frame = pd.read_csv(path, keep_default_na=False)
        elif suffix.startswith(".tsv"):  # read literally: TSV fields are not quoted (CheckThat! has bare " marks)
            frame = pd.read_csv(path, sep="\t", keep_default_na=False, quoting=csv.QUOTE_NONE)
        elif suffix.startswith(".jsonl") or suffix.startswith(".json"):
            frame = pd.read_json(path, lines=suffix.startswith(".jsonl"))
        elif suffix.startswith(".parquet"):
            frame = pd.read_parquet(path)
        else:
            raise FramingInputError(f"cannot read {path.name}: use .csv, .tsv, .jsonl, .json or .parquet")
        return _rows_from(frame, text_column, label_column)
    columns = getattr(gold, "columns", None)
    if columns is not None and hasattr(gold, "iloc"):  # pandas DataFrame
        missing = [c for c in (text_column, label_column) if c not in columns]
        if missing:
            raise FramingInputError(f"missing column(s) {missing}; the data has {list(columns)}")
        return list(gold[text_column]), list(gold[label_column])
    names = getattr(gold, "column_names", None)
    if names is not None and hasattr(gold, "features"):  # datasets.Dataset
        if isinstance(names, dict):
            raise FramingInputError("pass one split of a DatasetDict, e.g. ds['test']")
        missing = [c for c in (text_column, label_column) if c not in names]
        if missing:
            raise FramingInputError(f"missing column(s) {missing}; the dataset has {list(names)}")
        labels = list(gold[label_column])
        feature = gold.features.get(label_column)
        if hasattr(feature, "int2str"):  # ClassLabel: compare by name, not index
            labels = [feature.int2str(int(v)) for v in labels]
        return list(gold[text_column]), labels
    if isinstance(gold, (bytes, bytearray, Mapping)) or not isinstance(gold, Iterable):
        raise FramingInputError(
            "gold must be a path to CSV/TSV/JSONL/Parquet, a pandas DataFrame, a datasets.Dataset "
            f"or a list of dicts, not {type(gold).__name__}"
        )
    texts, labels = [], []
    for i, row in enumerate(gold):
        if not isinstance(row, Mapping):
            raise FramingInputError(f"row {i} is {type(row).__name__}, not a dict")
        if text_column not in row or label_column not in row:
            raise FramingInputError(f"row {i} lacks {text_column!r} or {label_column!r}; it has {sorted(row)}")
        texts.append(row[text_column])
        labels.append(row[label_column])
    return texts, labels


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _map_labels(labels: Sequence[Any], label_map: Mapping[Any, str | None] | None) -> tuple[list[str | None], str]:
    """Mapped labels (None = drop) and the scheme they belong to."""
    mapped: list[str | None] = []
    unknown: dict[Any, int] = {}
    for value in labels:
        key = value.strip() if isinstance(value, str) else value
        if label_map is not None and key in label_map:
            mapped.append(label_map[key])
        elif label_map is not None and not isinstance(key, str) and str(key) in label_map:
            mapped.append(label_map[str(key)])
        elif isinstance(key, str) and any(key in classes for classes in SCHEMES.values()):
            mapped.append(key)
        else:
            unknown[key] = unknown.get(key, 0) + 1
            mapped.append(None)
    if unknown:
        shown = ", ".join(f"{k!r} ({n}x)" for k, n in list(unknown.items())[:8])
        raise FramingInputError(
            f"gold labels with no mapping: {shown}. Pass label_map={{your label: one of "
            f"{list(LABELS)} or 'opinion'/'not_opinion' or 'quote'/'not_quote' (or None to drop)}}"
        )
    targets = {m for m in mapped if m is not None}
    for scheme, classes in SCHEMES.items():
        if targets and targets <= set(classes):
            return mapped, scheme
    if not targets:
        raise FramingInputError("no gold rows left to evaluate (every label was mapped to None)")
    bad = sorted(str(t) for t in targets)
    raise FramingInputError(
        f"gold labels {bad} mix schemes or name no scheme: map them all onto {list(LABELS)}, "
        "or all onto 'opinion'/'not_opinion', or all onto 'quote'/'not_quote'"
    )


# ------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True)
class EvaluationReport:
    """Metrics of one classifier on one annotated set, with the rows behind them."""

    classifier: str
    scheme: str
    metrics: ClassificationMetrics
    texts: tuple[str, ...] = field(repr=False)
    gold: tuple[str, ...] = field(repr=False)
    predicted: tuple[str, ...] = field(repr=False)
    confidence: tuple[float, ...] = field(repr=False)  # probability of the predicted class
    dropped: int = 0  # rows whose label was mapped to None

    # -- convenience views --------------------------------------------------------------------
    @property
    def classes(self) -> tuple[str, ...]:
        return self.metrics.classes

    @property
    def n(self) -> int:
        return self.metrics.n

    @property
    def macro_f1(self) -> float:
        return self.metrics.macro_f1

    @property
    def accuracy(self) -> float:
        return self.metrics.accuracy

    @property
    def ece(self) -> float | None:
        return self.metrics.ece

    @property
    def per_class(self) -> dict[str, dict[str, float]]:
        m = self.metrics
        return {c: {"precision": m.precision[c], "recall": m.recall[c], "f1": m.f1[c], "support": m.support[c]}
                for c in m.classes}

    def interval(self, metric: str) -> Interval | None:
        """95% bootstrap interval of ``"macro_f1"``, ``"accuracy"``, ``"ece"``, ``"f1[<class>]"`` ..."""
        return self.metrics.interval(metric)

    def confident_errors(self, k: int = 5, gold: str | None = None) -> list[dict[str, Any]]:
        """The ``k`` mistakes made with the highest confidence (optionally of one gold class)."""
        rows = [
            {"index": i, "text": t, "gold": g, "predicted": p, "confidence": c}
            for i, (t, g, p, c) in enumerate(zip(self.texts, self.gold, self.predicted, self.confidence))
            if g != p and (gold is None or g == gold)
        ]
        rows.sort(key=lambda r: -r["confidence"])
        return rows[:k]

    def to_dict(self, include_rows: bool = False) -> dict[str, Any]:
        out = {"classifier": self.classifier, "scheme": self.scheme, "dropped": self.dropped, **self.metrics.to_dict()}
        if include_rows:
            out["rows"] = [
                {"text": t, "gold": g, "predicted": p, "confidence": c}
                for t, g, p, c in zip(self.texts, self.gold, self.predicted, self.confidence)
            ]
        return out

    def to_markdown(self, errors: int = 3) -> str:
        m = self.metrics

        def ci(name: str) -> str:
            iv = m.interval(name)
            return f" [{iv.low:.3f}, {iv.high:.3f}]" if iv else ""

        lines = [
            f"**{self.classifier}** on {m.n} sentences (scheme `{self.scheme}`"
            + (f", {self.dropped} rows dropped by label_map" if self.dropped else "") + ")",
            "",
            f"- macro-F1 {m.macro_f1:.3f}{ci('macro_f1')}",
            f"- accuracy {m.accuracy:.3f}{ci('accuracy')}",
        ]
        if m.ece is not None:
            lines.append(f"- ECE {m.ece:.3f}{ci('ece')}")
        if m.resamples:
            lines.append(f"- intervals: 95% percentile bootstrap, {m.resamples} resamples, seed {m.seed}")
        lines += ["", "| class | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
        for c in m.classes:
            lines.append(f"| {c} | {m.precision[c]:.3f} | {m.recall[c]:.3f} | {m.f1[c]:.3f}{ci(f'f1[{c}]')} | {m.support[c]} |")
        lines += ["", "Confusion (rows gold, columns predicted):", "",
                  "| gold \\ pred | " + " | ".join(m.classes) + " |", "|---|" + "---:|" * len(m.classes)]
        for c, row in zip(m.classes, m.confusion):
            lines.append(f"| {c} | " + " | ".join(str(v) for v in row) + " |")
        worst = self.confident_errors(errors) if errors else []
        if worst:
            lines += ["", "Most confident mistakes:", ""]
            for e in worst:
                text = e["text"] if len(e["text"]) <= 160 else e["text"][:157] + "..."
                lines.append(f"- ({e['confidence']:.2f}) gold {e['gold']}, predicted {e['predicted']}: {text}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        iv = self.interval("macro_f1")
        ci = f" [{iv.low:.3f}, {iv.high:.3f}]" if iv else ""
        return (f"EvaluationReport(classifier={self.classifier!r}, scheme={self.scheme!r}, n={self.n}, "
                f"macro_f1={self.macro_f1:.3f}{ci}, accuracy={self.accuracy:.3f})")


def evaluate(
    gold: Any,
    *,
    text_column: str = "text",
    label_column: str = "label",
    label_map: Mapping[Any, str | None] | None = None,
    classifier: str | SentenceClassifier | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> EvaluationReport:
    """Classify each gold sentence on its own and score it against its label.

    ``gold``: a path (.csv, .tsv, .jsonl, .json, .parquet), a pandas DataFrame, a
    ``datasets.Dataset`` or a list of dicts, with ``text_column`` and ``label_column``.
    ``label_map``: your labels -> framing labels, ``opinion``/``not_opinion`` or
    ``quote``/``not_quote`` (None drops the row). ``classifier``: a name ("framing-v1",
    "rules") or an object with ``name`` and ``predict_proba``; default the shipped model.
    ``resamples``/``seed``: the bootstrap behind every interval (0 turns it off).
    """
    texts_raw, labels_raw = _rows_from(gold, text_column, label_column)
    if not texts_raw:
        raise FramingInputError("the gold data has no rows")
    mapped, scheme = _map_labels(labels_raw, label_map)
    classes = SCHEMES[scheme]
    texts: list[str] = []
    gold_idx: list[int] = []
    dropped = 0
    for i, (text, label) in enumerate(zip(texts_raw, mapped)):
        if label is None:
            dropped += 1
            continue
        if _is_missing(text) or not isinstance(text, str) or not text.strip():
            raise FramingInputError(f"row {i}: {text_column!r} is empty or not a string ({text!r})")
        texts.append(text)
        gold_idx.append(classes.index(label))
    model = get_classifier(classifier)
    proba4 = np.asarray(model.predict_proba(texts), dtype=float)
    pred, proba = collapse(scheme, proba4)
    metrics = classification_metrics(np.array(gold_idx), pred, classes, proba, resamples=resamples, seed=seed)
    confidence = proba[np.arange(len(pred)), pred]
    return EvaluationReport(
        classifier=str(getattr(model, "name", type(model).__name__)),
        scheme=scheme,
        metrics=metrics,
        texts=tuple(texts),
        gold=tuple(classes[g] for g in gold_idx),
        predicted=tuple(classes[p] for p in pred),
        confidence=tuple(float(c) for c in confidence),
        dropped=dropped,
    )


__all__ = ["EvaluationReport", "SCHEMES", "collapse", "evaluate"]
