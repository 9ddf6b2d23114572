"""One process scoring a stream of records: the loop under ``analyze_many`` and its workers.

Articles are read into a small look-ahead window until about ``batch_size`` sentences are
pending; their sentences are pooled and scored in one call (:func:`framing.pipeline.score_articles`),
then each article is finished (attribution, context, results) and yielded in input order. The
labels are exactly those of ``framing.analyze`` one article at a time, because a sentence's
scores never depend on its batch neighbours (see :class:`~framing.classify.base.SentenceClassifier`).

A record that cannot be analyzed becomes a :class:`~framing.results.RecordError` in its place:
bad input, and also a failure while scoring it. When the pooled scoring call fails (an exception,
or more than ``time_limit`` seconds per article in it), each article of the window is scored
alone, so only the one at fault gets an error row (kind "internal", or "timeout") and the others
their usual results.

``time_limit`` (seconds) bounds the stages a record goes through on its own: reading, the scoring
of a long article (:data:`framing.pipeline.STREAM_CHARS`), attribution and results. It works by
``SIGALRM``, so only in the main thread of a process on a POSIX system (elsewhere there is no
limit), and it stops Python code, not one call into C that never returns: a record that hangs or
kills its process there is handled by ``framing score``'s record of attempts.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, TypeVar

from framing.article import Article
from framing.errors import FramingInputError
from framing.model import FramingModel
from framing.pipeline import Scored, finish, score_articles
from framing.results import Analysis, RecordError
from framing.text.validate import MAX_CHARS, has_surrogates

__all__ = ["stream"]

T = TypeVar("T")


class _TimeLimit(Exception):
    """Raised by the SIGALRM handler inside a record's work."""


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def _deadline(seconds: float | None) -> Iterator[None]:
    """Raise _TimeLimit in the block after ``seconds`` (no limit: None, or not the main thread)."""
    if seconds is None or not _can_alarm():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _guarded(index: int, seconds: float | None, work: Callable[[], T]) -> T | RecordError:
    """``work()``, or the RecordError of its failure: a bug must not cost the rest of the corpus."""
    try:
        with _deadline(seconds):
            return work()
    except _TimeLimit:
        return RecordError(index, "timeout", f"not done within the time limit of {seconds:g} s per record")
    except Exception as exc:  # MemoryError included: the record is too big for this machine
        return RecordError(index, "internal", f"{type(exc).__name__}: {exc} (please report this)")


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


def _read(index: int, text: object, markdown: bool | None, seconds: float | None) -> Article | RecordError:
    if isinstance(text, RecordError):  # a reader already knows this record is bad
        return RecordError(index, text.kind, text.message)
    if isinstance(text, str) and not text.strip():
        return RecordError(index, "empty", "the text is empty or only whitespace")

    def read() -> Article | RecordError:
        try:
            return Article.read(text, markdown=markdown)
        except FramingInputError as exc:
            return RecordError(index, _error_kind(text), str(exc))

    return _guarded(index, seconds, read)


def _score_window(
    model: FramingModel, articles: list[Article], indices: list[int], attribution: str | None, seconds: float | None
) -> list[Scored | RecordError]:
    """Stage 2 for the articles of a window: pooled, or, when that fails, one article at a time."""
    if not articles:
        return []
    try:
        with _deadline(None if seconds is None else seconds * len(articles)):
            return list(score_articles(model, articles, attribution))
    except Exception:  # _TimeLimit included
        pass  # find the article at fault; the others get the results a pooled call gives
    return [_guarded(index, seconds, lambda a=article: score_articles(model, [a], attribution)[0])
            for index, article in zip(indices, articles)]


def stream(
    model: FramingModel,
    texts: Iterable[object],
    *,
    attribution: str | None = "tagger",
    batch_size: int = 256,
    markdown: bool | None = None,
    time_limit: float | None = None,
) -> Iterator[Analysis | RecordError]:
    """One result per record of ``texts``, in order, scored by ``model`` in this process; a record
    whose own stages take more than ``time_limit`` seconds gets a RecordError of kind "timeout"."""
    window: list[Article | RecordError] = []
    indices: list[int] = []
    spent: list[float] = []  # seconds each record of the window took to read
    pending = 0

    def flush() -> Iterator[Analysis | RecordError]:
        good = [(index, a) for index, a in zip(indices, window) if not isinstance(a, RecordError)]
        scored = iter(_score_window(model, [a for _, a in good], [i for i, _ in good], attribution, time_limit))
        for index, item, used in zip(indices, window, spent):
            if isinstance(item, RecordError):
                yield item
                continue
            result = next(scored)
            if isinstance(result, RecordError):
                yield result
                continue
            left = None if time_limit is None else max(time_limit - used, 0.0)
            yield _guarded(index, left, lambda: finish(item, result, model, attribution))

    for index, text in enumerate(texts):
        started = time.perf_counter()
        item = _read(index, text, markdown, time_limit)
        spent.append(time.perf_counter() - started)
        window.append(item)
        indices.append(index)
        if not isinstance(item, RecordError):
            pending += len(item.sentences)
        # The article cap bounds the window when records have few or no sentences.
        if pending >= batch_size or len(window) >= batch_size:
            yield from flush()
            window, indices, spent, pending = [], [], [], 0
    if window:
        yield from flush()
