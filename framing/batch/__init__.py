"""Scoring corpora: ``analyze_many`` and the file, dataset and cluster paths built on it.

``analyze_many`` (here) yields one result per record, in order, with flat memory; ``stream``
is its one-process loop, ``parallel`` runs that loop in worker processes; ``tables`` maps results
to flat rows (article, section, sentence), ``io`` reads and writes corpus files, ``corpus`` is
the resumable ``framing score`` run, ``hf`` and ``ray_data`` score Hugging Face and Ray datasets.

A record that cannot be analyzed (None, a number, bytes, binary junk, a text over the size
limit, an empty string) does not stop the stream: a :class:`~framing.results.RecordError` takes
its place.
"""

from __future__ import annotations

import sys
from typing import Iterable, Iterator

from framing.batch.parallel import analyze_in_workers, check_workers
from framing.batch.stream import stream
from framing.classify.base import SentenceClassifier
from framing.model import check_attribution, load
from framing.results import Analysis, RecordError


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython") and getattr(sys.modules["IPython"], "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


def analyze_many(
    texts: Iterable[object],
    *,
    classifier: str | SentenceClassifier | None = None,
    attribution: str | None = "tagger",
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

    ``workers`` > 1 scores in that many processes (:mod:`framing.batch.parallel`), each loading the
    classifier (given by name) once, with the same results; use about one per CPU core. In a
    script, call it under ``if __name__ == "__main__":`` (the workers re-import the script).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    check_attribution(attribution)
    check_workers(workers, classifier)
    show = _in_notebook() if progress is None else bool(progress)
    total = len(texts) if hasattr(texts, "__len__") else None  # type: ignore[arg-type]
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="articles", unit="article")
    if workers > 1:
        try:
            for result in analyze_in_workers(texts, classifier=classifier, attribution=attribution,
                                             batch_size=batch_size, markdown=markdown, workers=workers):
                yield result
                if bar is not None:
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
        return
    try:
        for result in stream(load(classifier, attribution=attribution), texts, attribution=attribution,
                             batch_size=batch_size, markdown=markdown):
            yield result
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()


__all__ = ["analyze_many"]
