"""One process scoring a stream of records: the loop under ``analyze_many`` and its workers.

Articles are read into a small look-ahead window until about ``batch_size`` sentences are
pending; their sentences are pooled and scored in one call (:func:`framing.pipeline.score_articles`),
then each article is finished (attribution, context, results) and yielded in input order. The
labels are exactly those of ``framing.analyze`` one article at a time, because a sentence's
scores never depend on its batch neighbours (see :class:`~framing.classify.base.SentenceClassifier`).

A record that cannot be analyzed becomes a :class:`~framing.results.RecordError` in its place.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from framing.article import Article
from framing.errors import FramingInputError
from framing.model import FramingModel
from framing.pipeline import Scored, finish, score_articles
from framing.results import Analysis, RecordError
from framing.text.validate import MAX_CHARS, has_surrogates

__all__ = ["stream"]


def _error_kind(text: object) -> str:
    """Which kind of bad input ``text`` is, once check_text has refused it."""
    if text is None:
        return "missing"
    if not isinstance(text, str):
        return "not_text"
    if len(text) > MAX_CHARS:
        return "too_long"
    if "\x00" not in text and has_surrogates(text):
        return "undecodable"  # half a character: text decoded with surrogateescape, or cut mid-emoji
    return "binary"


def _read(index: int, text: object, markdown: bool | None) -> Article | RecordError:
    if isinstance(text, RecordError):  # a reader already knows this record is bad
        return RecordError(index, text.kind, text.message)
    if isinstance(text, str) and not text.strip():
        return RecordError(index, "empty", "the text is empty or only whitespace")
    try:
        return Article.read(text, markdown=markdown)
    except FramingInputError as exc:
        return RecordError(index, _error_kind(text), str(exc))
    except Exception as exc:  # a bug must not cost the rest of the corpus
        return RecordError(index, "internal", f"{type(exc).__name__}: {exc} (please report this)")


def _finish(index: int, article: Article, scored: Scored, model: FramingModel, attribution: str | None) -> Analysis | RecordError:
    try:
        return finish(article, scored, model, attribution)
    except Exception as exc:  # a bug must not cost the rest of the corpus
        return RecordError(index, "internal", f"{type(exc).__name__}: {exc} (please report this)")


def stream(
    model: FramingModel,
    texts: Iterable[object],
    *,
    attribution: str | None = "tagger",
    batch_size: int = 256,
    markdown: bool | None = None,
) -> Iterator[Analysis | RecordError]:
    """One result per record of ``texts``, in order, scored by ``model`` in this process."""
    window: list[Article | RecordError] = []
    indices: list[int] = []
    pending = 0

    def flush() -> Iterator[Analysis | RecordError]:
        good = [a for a in window if isinstance(a, Article)]
        scored = iter(score_articles(model, good, attribution))
        for index, item in zip(indices, window):
            yield item if isinstance(item, RecordError) else _finish(index, item, next(scored), model, attribution)

    for index, text in enumerate(texts):
        item = _read(index, text, markdown)
        window.append(item)
        indices.append(index)
        if isinstance(item, Article):
            pending += len(item.sentences)
        # The article cap bounds the window when records have few or no sentences.
        if pending >= batch_size or len(window) >= batch_size:
            yield from flush()
            window, indices, pending = [], [], 0
    if window:
        yield from flush()
