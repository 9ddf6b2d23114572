"""Baselines for the research suite, each a ``System`` that the runner scores with the same code.

A system returns, for a list of sentences, four-label predictions (indices into
``framing.LABELS``) and, when it has real probabilities, an ``(n, 4)`` probability matrix.
Binary baselines predict ``editorial_judgment`` for "opinion" and ``factual_report`` otherwise,
so they collapse onto the opinion scheme exactly and score 0 on attribution (they are left out
of attribution tables: ``axes`` says which schemes a system speaks to).

- ``majority``: the majority class of the *training* split of the set being scored;
- ``textblob``: TextBlob subjectivity >= t, t tuned for macro-F1 on CheckThat! dev (never dev_test),
  and >= 0.5 untuned (the CheckThat! reference baseline);
- ``mpqa``: MPQA subjectivity-lexicon score (2 per strong clue, 1 per weak clue), >= t with t
  tuned the same way; the lexicon is read from ../shared/data/lexicons at run time only;
- ``rules``: ``framing.classify.rules.RuleClassifier`` (its scores are cue-strength grades);
- ``probe``: frozen MiniLM-L6 mean-pooled embeddings (``evals.checkthat._frozen_minilm_embed``)
  + the same logistic regression as ``evals.checkthat._probe`` (C=1, balanced), opinion probe
  trained on CheckThat! train, attribution probe on the fixed PolNeAR train sample;
- ``framing-v1``: the shipped model (``FramingModel.load``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from evals import data as ed
from framing.labels import ATTRIBUTED_QUOTE, EDITORIAL_JUDGMENT, FACTUAL_REPORT, LABEL_INDEX, LABELS
from framing.metrics import macro_f1

FR, AQ, EJ = LABEL_INDEX[FACTUAL_REPORT], LABEL_INDEX[ATTRIBUTED_QUOTE], LABEL_INDEX[EDITORIAL_JUDGMENT]
MPQA_FILE = "mpqa_subjclueslen1-HLTEMNLP05.tff"


@dataclass
class Output:
    pred4: np.ndarray  # label indices
    proba4: np.ndarray | None = None  # (n, 4) or None when the system has no probabilities
    score: np.ndarray | None = None  # a raw score, kept for the report (threshold baselines)


@dataclass
class System:
    name: str
    predict: Callable[[Sequence[str]], Output]
    axes: tuple[str, ...]  # which schemes it speaks to: "opinion", "quote"
    note: str = ""
    info: dict = field(default_factory=dict)


def _binary_output(score: np.ndarray, threshold: float) -> Output:
    pred = np.where(score >= threshold, EJ, FR)
    return Output(pred4=pred, proba4=None, score=score)


def tune_threshold(score: np.ndarray, gold: np.ndarray) -> float:
    """The threshold among the observed scores that maximizes binary macro-F1 (ties: lowest)."""
    best_t, best = 0.5, -1.0
    for t in np.unique(np.round(score, 6)):
        f = macro_f1(gold, (score >= t).astype(int), 2)
        if f > best + 1e-12:
            best_t, best = float(t), f
    return best_t


# ------------------------------------------------------------------------------------------
def majority(name_of_set: str, data_dir: Path | None) -> System:
    """Always the majority label of the matching training split."""
    train = {
        "checkthat": ("checkthat_train", "opinion"),
        "babe": ("babe_train", "opinion"),
        "polnear": ("polnear_train_sample", "quote"),
    }[name_of_set]
    s = ed.load(train[0], data_dir)
    positive_majority = s.gold.mean() > 0.5
    if train[1] == "opinion":
        label = EJ if positive_majority else FR
    else:
        label = AQ if positive_majority else FR

    def predict(texts: Sequence[str]) -> Output:
        return Output(np.full(len(texts), label))

    return System("majority", predict, ("opinion", "quote"), note=f"always {LABELS[label]} (majority of {train[0]})")


def textblob(data_dir: Path | None, threshold: float | None = None) -> System:
    """TextBlob subjectivity >= threshold; None tunes it on CheckThat! dev."""
    from textblob import TextBlob

    def score(texts: Sequence[str]) -> np.ndarray:
        return np.array([TextBlob(t).sentiment.subjectivity for t in texts])

    if threshold is None:
        dev = ed.load("checkthat_dev", data_dir)
        t = tune_threshold(score(dev.texts), dev.gold)
        name, note = "TextBlob subjectivity (tuned)", f"subjectivity >= {t:.3f} (threshold tuned on CheckThat! dev)"
    else:
        t = float(threshold)
        name, note = f"TextBlob subjectivity >= {t:g}", "the conventional untuned threshold (CheckThat! reference baseline)"
    return System(name, lambda texts: _binary_output(score(texts), t), ("opinion",), note=note, info={"threshold": t})


def read_mpqa(data_dir: Path | None) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Exact-match clues and stemmed (prefix) clues with weights 2 (strong) / 1 (weak)."""
    path = Path(data_dir or ed.default_data_dir()) / "lexicons" / MPQA_FILE
    exact: dict[str, int] = {}
    stems: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        word = fields.get("word1", "").lower()
        if not word:
            continue
        weight = 2 if fields.get("type") == "strongsubj" else 1
        target = stems if fields.get("stemmed1") == "y" else exact
        target[word] = max(weight, target.get(word, 0))
    return exact, sorted(stems.items())


_WORD = re.compile(r"[a-z][a-z'-]*")


def mpqa(data_dir: Path | None) -> System:
    exact, stems = read_mpqa(data_dir)
    stem_map = dict(stems)

    def clue_weight(word: str) -> int:
        if word in exact:
            return exact[word]
        for cut in range(len(word), 2, -1):  # longest stem that prefixes the word
            w = stem_map.get(word[:cut])
            if w is not None and len(word) - cut <= 4:
                return w
        return 0

    def score(texts: Sequence[str]) -> np.ndarray:
        return np.array([float(sum(clue_weight(w) for w in _WORD.findall(t.lower()))) for t in texts])

    dev = ed.load("checkthat_dev", data_dir)
    t = tune_threshold(score(dev.texts), dev.gold)
    return System(
        "MPQA lexicon", lambda texts: _binary_output(score(texts), t), ("opinion",),
        note=f"2*strong + weak clues >= {t:g} (tuned on CheckThat! dev)",
        info={"threshold": t, "clues": len(exact) + len(stems)},
    )


def rules() -> System:
    from framing.model import get_classifier

    clf = get_classifier("rules")

    def predict(texts: Sequence[str]) -> Output:
        p = clf.predict_proba(list(texts))
        return Output(p.argmax(axis=1), p)

    return System("rules-v1", predict, ("opinion", "quote"), note="framing.classify.rules; scores are cue grades")


def _embed(texts: Sequence[str]) -> np.ndarray:
    """``evals.checkthat._frozen_minilm_embed`` over length-sorted input (less padding, same
    vectors: padding is masked), returned in input order."""
    from evals.checkthat import _frozen_minilm_embed

    texts = list(texts)
    order = np.argsort([-len(t) for t in texts], kind="stable")
    emb = _frozen_minilm_embed([texts[i] for i in order])
    out = np.empty_like(emb)
    out[order] = emb
    return out


def probe(data_dir: Path | None, limit: int | None = None) -> list[System]:
    """Two logistic-regression probes on frozen MiniLM-L6 embeddings, as two systems:

    - combined like the model (question rule first, then attribution, then opinion), so it is
      scored as a four-label system exactly as framing-v1 is;
    - the opinion head alone (``evals/checkthat.py``'s row), for the opinion sets only.
    """
    from sklearn.linear_model import LogisticRegression

    from framing.labels import combine_axes
    from framing.cues import is_author_question

    cache: dict[str, np.ndarray] = {}

    def embed(texts: Sequence[str]) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        if todo:
            for t, row in zip(todo, _embed(todo)):
                cache[t] = row
        return np.stack([cache[t] for t in texts]) if len(texts) else np.zeros((0, 384), dtype=np.float32)

    heads = {}
    for axis, set_name in (("opinion", "checkthat_train"), ("quote", "polnear_train_sample")):
        s = ed.load(set_name, data_dir)
        texts, gold = s.texts, s.gold
        if limit:
            texts, gold = texts[: 4 * limit], gold[: 4 * limit]
        # Same settings as evals.checkthat._probe; fitted here too so that it yields probabilities.
        heads[axis] = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced").fit(embed(list(texts)), gold)

    def combined(texts: Sequence[str]) -> Output:
        x = embed(list(texts))
        o = heads["opinion"].predict_proba(x)[:, 1]
        a = heads["quote"].predict_proba(x)[:, 1]
        q = np.array([0.97 if is_author_question(t) else 0.001 for t in texts])
        p = combine_axes(q, a, o)
        return Output(p.argmax(axis=1), p)

    def opinion_alone(texts: Sequence[str]) -> Output:
        o = heads["opinion"].predict_proba(embed(list(texts)))[:, 1]
        p = np.zeros((len(texts), len(LABELS)))
        p[:, FR], p[:, EJ] = 1 - o, o
        return Output(p.argmax(axis=1), p)

    features = "frozen all-MiniLM-L6-v2 (6 layers, mean-pool), logistic regression (C=1, balanced)"
    return [
        System("frozen MiniLM + LR probe", combined, ("opinion", "quote"),
               note=f"{features}: opinion head on CheckThat! train, attribution head on the PolNeAR train sample, "
                    "combined by the model's precedence (question rule, attribution, opinion)"),
        System("frozen probe, opinion head alone", opinion_alone, ("opinion",),
               note="the same opinion head, thresholded at 0.5 on its own (the probe row of evals/checkthat.py)"),
    ]


class CachedClassifier:
    """A classifier whose scores are remembered by sentence text. The shipped model scores each
    sentence independently of its batch (framing.classify.base), so scoring the union of all sets
    in one call (:meth:`prefetch`) gives the same numbers and lets its exact-length batching find
    larger groups than a set of a few hundred sentences does."""

    def __init__(self, model) -> None:
        self.model = model
        self.name = model.name
        self._cache: dict[str, np.ndarray] = {}

    def prefetch(self, texts: Sequence[str]) -> None:
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo:
            for t, row in zip(todo, self.model.predict_proba(todo)):
                self._cache[t] = row

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        self.prefetch(sentences)
        return np.array([self._cache[t] for t in sentences]).reshape(len(sentences), len(LABELS))


def tier(name: str) -> System:
    """Another named model tier (``framing-v2-large``), scored exactly as the shipped model is."""
    from framing.model import get_classifier

    model = get_classifier(name)
    cached = CachedClassifier(model)

    def predict(texts: Sequence[str]) -> Output:
        p = cached.predict_proba(list(texts))
        return Output(p.argmax(axis=1), p)

    return System(model.name, predict, ("opinion", "quote"),
                  note=f"the accurate tier ({model!r}; models/{name}/MODEL_CARD.md)", info={"cached": cached})


def shipped(model_path: Path | None = None) -> System:
    from framing.model import FramingModel, get_classifier

    # The shipped model through the library's cache, so framing-v2-large (built on it) loads it once.
    model = get_classifier() if model_path is None else FramingModel.load(model_path)
    cached = CachedClassifier(model)

    def predict(texts: Sequence[str]) -> Output:
        p = cached.predict_proba(list(texts))
        return Output(p.argmax(axis=1), p)

    return System(model.name, predict, ("opinion", "quote"), note=f"the shipped model ({model!r})",
                  info={"model": model, "cached": cached})
