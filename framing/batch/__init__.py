"""Scoring corpora: ``analyze_many`` and the file, dataset and cluster paths built on it.

``analyze_many`` (here) yields one result per record, in order, with flat memory; ``stream``
is its one-process loop, ``parallel`` runs that loop in worker processes; ``tables`` maps results
to flat rows (article, section, sentence), ``io`` reads and writes corpus files, ``corpus`` is
the resumable ``framing score`` run, ``hf`` and ``ray_data`` score Hugging Face and Ray datasets.

A record that cannot be analyzed (None, a number, bytes, binary junk, a text over the size
limit, an empty string) or fails while it is scored (an exception, the time limit) does not stop
the stream: a :class:`~framing.results.RecordError` takes its place.
"""

from __future__ import annotations


import sys
from contextlib import contextmanager, nullcontext
from typing import Iterable, Iterator

from framing.batch.parallel import analyze_in_workers, check_workers
from framing.batch.stream import stream
from framing.classify.base import SentenceClassifier
from framing.model import check_attribution, load
from framing.results import Analysis, RecordError


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython") and getattr(sys.modules["IPython"], "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"


#: Torch threads per scoring process. One: OpenMP's threads wait for each other at every
#: operation, so beside other busy processes two threads ran at 0.51x (one busy process) and
#: 0.29x (two) the speed of one thread on a 2-core machine, while two worker processes of one
#: thread ran at 1.58x on the quiet machine (README "Threads", evals.bench_threads).
DEFAULT_THREADS = 1


def check_threads(threads: object) -> None:
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise ValueError(f"threads must be a positive integer, not {threads!r}")


def check_time_limit(time_limit: object) -> None:
    if time_limit is not None and (isinstance(time_limit, bool) or not isinstance(time_limit, (int, float))
                                   or not time_limit > 0):
        raise ValueError(f"time_limit must be a positive number of seconds or None, not {time_limit!r}")


@contextmanager
def torch_threads(threads: int) -> Iterator[None]:
    """Run the block with ``threads`` torch threads in this process (when torch is in use)."""
    torch = sys.modules.get("torch")
    if torch is None:  # the rule classifier: no torch, nothing to set
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def analyze_many(
    texts: Iterable[object],
    *,
    classifier: str | SentenceClassifier | None = None,
    attribution: str | None = "tagger",
    batch_size: int = 256,
    progress: bool | None = None,
    markdown: bool | None = None,
    workers: int = 1,
    threads: int = DEFAULT_THREADS,
    time_limit: float | None = None,
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

    ``threads``: torch threads in each scoring process (this one while the iteration runs, or each
    worker); the default, 1, stays fast on a busy machine (see :data:`DEFAULT_THREADS`).
    ``time_limit``: seconds a record may spend in the stages it goes through alone (reading,
    attribution, results, the scoring of a long article); past it the record gets a RecordError
    of kind "timeout" (in the main thread of a POSIX process only; see :mod:`framing.batch.stream`).
    A record whose scoring raises gets one of kind "internal"; the stream goes on either way.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    check_attribution(attribution)
    check_workers(workers, classifier)
    check_threads(threads)
    check_time_limit(time_limit)
    # Loaded before the bar opens: a model error leaves nothing half started.
    model = load(classifier, attribution=attribution) if workers == 1 else None
    show = _in_notebook() if progress is None else bool(progress)
    total = len(texts) if hasattr(texts, "__len__") else None  # type: ignore[arg-type]
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, desc="articles", unit="article")
    if workers > 1:
        results = analyze_in_workers(texts, classifier=classifier, attribution=attribution, batch_size=batch_size,
                                     markdown=markdown, workers=workers, time_limit=time_limit, threads=threads)
        in_this_process = nullcontext()  # each worker sets its own threads
    else:
        results = stream(model, texts, attribution=attribution, batch_size=batch_size,  # type: ignore[arg-type]
                         markdown=markdown, time_limit=time_limit)
        in_this_process = torch_threads(threads)
    try:
        with in_this_process:
            for result in results:
                yield result
                if bar is not None:
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()


__all__ = ["DEFAULT_THREADS", "analyze_many"]
