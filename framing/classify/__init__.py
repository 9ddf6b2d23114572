"""Sentence classifiers behind one interface, and the cached default.

``get_classifier()`` is the one place that decides which classifier labels sentences; a reader
following ``framing.analyze`` finds it here in one hop.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Mapping, Sequence, overload

from framing.classify.base import SentenceClassifier
from framing.classify.rules import RuleClassifier
from framing.cues import find_cues
from framing.errors import FramingInputError, FramingModelError
from framing.labels import LABELS

#: The trained model shipped in the wheel (models/framing-v1).
DEFAULT_CLASSIFIER = "framing-v1"

_cache: dict[str, SentenceClassifier] = {}
_lock = threading.Lock()


#: Names that get_classifier loads.
CLASSIFIER_NAMES = ("framing-v1", "rules", "rules-v1")


def check_classifier_name(name: str | None) -> None:
    """Raise FramingModelError for a name that :func:`get_classifier` does not know (None is the default)."""
    if name is not None and name not in CLASSIFIER_NAMES:
        raise FramingModelError(f"unknown classifier {name!r}; known: 'framing-v1', 'rules'")


def _load(name: str) -> SentenceClassifier:
    if name in {"rules", "rules-v1"}:
        return RuleClassifier()
    if name == "framing-v1":
        try:
            from framing.classify.transformer import TransformerClassifier
        except ImportError as exc:  # torch/transformers missing or broken
            raise FramingModelError(
                f"the trained classifier needs torch and transformers ({exc}); "
                "install them, or pass classifier='rules' for the rule-based classifier"
            ) from exc
        return TransformerClassifier.load()
    check_classifier_name(name)  # raises: the name is unknown
    raise FramingModelError(f"classifier {name!r} has no loader")  # only if CLASSIFIER_NAMES grows


def get_classifier(classifier: str | SentenceClassifier | None = None) -> SentenceClassifier:
    """Resolve a name (or None for the default) to a loaded classifier, loading each once."""
    if classifier is not None and not isinstance(classifier, str):
        if not isinstance(classifier, SentenceClassifier):
            raise TypeError("classifier must be a name or an object with .name and .predict_proba()")
        return classifier
    name = classifier or DEFAULT_CLASSIFIER
    with _lock:
        if name not in _cache:
            _cache[name] = _load(name)
        return _cache[name]


@dataclass(frozen=True)
class Classification:
    """The label of one sentence classified on its own, without article context."""

    text: str
    label: str
    scores: Mapping[str, float]
    cues: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "label": self.label, "scores": dict(self.scores), "cues": list(self.cues)}


@overload
def classify(sentences: str, classifier: str | SentenceClassifier | None = None) -> Classification: ...
@overload
def classify(sentences: Sequence[str], classifier: str | SentenceClassifier | None = None) -> list[Classification]: ...


def classify(sentences, classifier=None):  # type: ignore[no-untyped-def]
    """Label sentences one by one. A string gives one Classification, a list gives a list."""
    single = isinstance(sentences, str)
    items = [sentences] if single else sentences
    if items is None or isinstance(items, (bytes, bytearray)) or not hasattr(items, "__iter__"):
        raise FramingInputError(f"classify() takes a string or a list of strings, not {type(sentences).__name__}")
    items = list(items)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise FramingInputError(f"sentence {i} is {type(item).__name__}, not str")
    model = get_classifier(classifier)
    probabilities = model.predict_proba(items) if items else []
    out = [
        Classification(
            text=text,
            label=LABELS[int(row.argmax())],
            scores={name: float(p) for name, p in zip(LABELS, row)},
            cues=find_cues(text).describe(),
        )
        for text, row in zip(items, probabilities)
    ]
    return out[0] if single else out


__all__ = [
    "Classification",
    "DEFAULT_CLASSIFIER",
    "CLASSIFIER_NAMES",
    "RuleClassifier",
    "SentenceClassifier",
    "check_classifier_name",
    "classify",
    "get_classifier",
]
