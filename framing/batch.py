"""``analyze_many``: score a stream of articles with flat memory and no lost records.

Articles are read into a small look-ahead window until about ``batch_size`` sentences are
pending; their sentences are pooled, sorted by length and classified in one call, then each
article is assembled and yielded in input order. The labels are exactly those of
``framing.analyze`` one article at a time, because a classifier's scores for a sentence never
depend on its batch neighbours (see :class:`~framing.classify.base.SentenceClassifier`).

A record that cannot be analyzed (None, a number, bytes, binary junk, a text over the size
limit, an empty string) does not stop the stream: a :class:`RecordError` takes its place.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import numpy as np

from framing.classify import get_classifier
from framing.classify.base import SentenceClassifier
from framing.errors import FramingInputError
from framing.labels import LABELS
from framing.parallel import analyze_in_workers, check_workers
from framing.pipeline import PreparedArticle, assemble, prepare, score
from framing.results import Analysis
from framing.text.validate import MAX_CHARS

#: Kinds of RecordError the library produces.
ERROR_KINDS = (
    "missing",  # None, or the text field is absent
    "not_text",  # a number, a list, bytes...
    "empty",  # an empty or whitespace-only string
    "too_long",  # over framing.text.validate.MAX_CHARS characters
    "binary",  # NUL or many control characters: binary data or a wrongly decoded file
    "undecodable",  # bytes that are not UTF-8 (reported by the file readers)
    "unreadable",  # a line of the input file that could not be parsed (reported by the readers)
    "internal",  # a bug in framing: please report it
)


@dataclass(frozen=True)
class RecordError:
    """Stands in for an Analysis when a record could not be analyzed."""

    #: Position of the record in the input stream (0-based).
    index: int
    #: One of ERROR_KINDS.
    kind: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "kind": self.kind, "message": self.message}


def _error_kind(text: object) -> str:
    """Which kind of bad input ``text`` is, once check_text has refused it."""
    if text is None:
        return "missing"
    if not isinstance(text, str):
        return "not_text"
    if len(text) > MAX_CHARS:
        return "too_long"
    return "binary"


def _prepare(index: int, text: object, markdown: bool | None) -> PreparedArticle | RecordError:
    if isinstance(text, RecordError):  # a reader already knows this record is bad
        return RecordError(index, text.kind, text.message)
    if isinstance(text, str) and not text.strip():
        return RecordError(index, "empty", "the text is empty or only whitespace")
    try:
        return prepare(text, markdown=markdown)
    except FramingInputError as exc:
        return RecordError(index, _error_kind(text), str(exc))
    except Exception as exc:  # a bug must not cost the rest of the corpus
        return RecordError(index, "internal", f"{type(exc).__name__}: {exc} (please report this)")


def _assemble(index: int, prepared: PreparedArticle, scored: "_Scored", model: SentenceClassifier) -> Analysis | RecordError:
    try:
        return assemble(
            prepared, scored.scores, model.name,
            span_tagger=getattr(model, "span_tagger", None), token_states=scored.token_states,
        )
    except Exception as exc:  # a bug must not cost the rest of the corpus
        return RecordError(index, "internal", f"{type(exc).__name__}: {exc} (please report this)")


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython") and getattr(sys.modules["IPython"], "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


@dataclass(frozen=True)
class _Scored:
    """One article's rows of a pooled classifier call (token states: see pipeline.score)."""

    scores: np.ndarray
    token_states: list[Any] | None


def _classify_pooled(model: SentenceClassifier, prepared: list[PreparedArticle]) -> list[_Scored]:
    """One classifier call for the sentences of many articles; one result per article."""
    with_title = getattr(model, "span_tagger", None) is not None
    per_article = [p.encoder_texts(with_title) for p in prepared]
    texts = [t for mine in per_article for t in mine]
    # Identical sentences (datelines, boilerplate) are scored once; the longest go first, so the
    # classifier's own batches hold sentences of similar length and little padding.
    unique = sorted(set(texts), key=len, reverse=True)
    scores, states = score(model, unique)
    row_of = {t: i for i, t in enumerate(unique)}
    rows = [row_of[t] for t in texts]
    pooled = scores[rows] if rows else np.zeros((0, len(LABELS)))
    out, start = [], 0
    for p, mine_texts in zip(prepared, per_article):
        mine = rows[start : start + len(mine_texts)]
        # Scores of the body sentences; token states of those and of the title (pipeline.assemble).
        out.append(_Scored(pooled[start : start + len(p.spans)], None if states is None else [states[r] for r in mine]))
        start += len(mine_texts)
    return out


def analyze_many(
    texts: Iterable[object],
    *,
    classifier: str | SentenceClassifier | None = None,
    batch_size: int = 256,
    progress: bool | None = None,
    markdown: bool | None = None,
    workers: int = 1,
) -> Iterator[Analysis | RecordError]:
    """Analyze articles from any iterable, yielding one result per input, in input order.

    Each result is the Analysis ``framing.analyze`` would give, or a :class:`RecordError` for
    input it would refuse (and for an empty text). ``batch_size`` is the number of sentences
    pooled into one classifier call; memory stays flat however long the input is. ``progress``
    shows a tqdm bar (None: only in a Jupyter notebook). A RecordError in ``texts`` is passed
    through in its place, which lets file readers report records they could not decode.

    ``workers`` > 1 scores in that many processes (:mod:`framing.parallel`), each loading the
    classifier (given by name) once, with the same results; use about one per CPU core. In a
    script, call it under ``if __name__ == "__main__":`` (the workers re-import the script).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    check_workers(workers, classifier)
    show = _in_notebook() if progress is None else bool(progress)
    total = len(texts) if hasattr(texts, "__len__") else None  # type: ignore[arg-type]
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="articles", unit="article")
    if workers > 1:
        try:
            for result in analyze_in_workers(texts, classifier=classifier, batch_size=batch_size,
                                             markdown=markdown, workers=workers):
                yield result
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
        return
    model = get_classifier(classifier)

    window: list[PreparedArticle | RecordError] = []
    indices: list[int] = []
    pending = 0

    def flush() -> Iterator[Analysis | RecordError]:
        good = [p for p in window if isinstance(p, PreparedArticle)]
        scores = iter(_classify_pooled(model, good))
        for index, item in zip(indices, window):
            yield item if isinstance(item, RecordError) else _assemble(index, item, next(scores), model)
        if bar is not None:
            bar.update(len(window))

    try:
        for index, text in enumerate(texts):
            item = _prepare(index, text, markdown)
            window.append(item)
            indices.append(index)
            if isinstance(item, PreparedArticle):
                pending += len(item.spans)
            # The article cap bounds the window when records have few or no sentences.
            if pending >= batch_size or len(window) >= batch_size:
                yield from flush()
                window, indices, pending = [], [], 0
        if window:
            yield from flush()
    finally:
        if bar is not None:
            bar.close()


__all__ = ["ERROR_KINDS", "RecordError", "analyze_many"]
