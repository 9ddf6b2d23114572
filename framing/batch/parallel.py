"""``analyze_many(..., workers=N)``: N worker processes on one machine, results in input order.

Why processes and not more torch threads: threads speed up only the encoder's matrix products,
while much of an article's time (sentence splitting, the span taggers' LSTMs, assembling the
result) runs on one core at a time; and under contention, OpenMP threads wait for each other at
every operation, so a process with two threads beside one or two busy processes ran at 0.51x and
0.29x the speed of one thread (README, "Threads"; beside another two-thread torch job it has been
seen 7-38x slower). Each worker, like a one-process run, uses
``threads`` torch threads (default 1). On the 2-core development machine,
``python -m evals.bench_batch --n 2000`` gave 18.7 articles/s with ``workers=2`` against 14.2 for an
``analyze`` loop with two torch threads (1.32x, worker start included; the same loop on one
thread gave 10.2, so no scheme doing the same work could pass 2 x 10.2 / 14.2 = 1.44x there);
on a 16-core machine
(``--n 800``), 63.2 with ``workers=16`` against 19.2 for the loop with 16 threads (3.29x). For
more than one machine, use Ray Data (:mod:`framing.batch.ray_data`).

Each worker loads the classifier once and runs :func:`framing.analyze_many` on chunks of records,
so its results, :class:`~framing.results.RecordError` included, are exactly those of ``workers=1``
(a sentence's scores never depend on its batch neighbours). Chunks are submitted in input order
and at most two per worker are in flight, so memory stays flat on an endless input.

A worker never outlives its parent: it watches the parent (the pipe multiprocessing keeps to it,
and on Linux ``PR_SET_PDEATHSIG``) and exits at once when the parent dies, even by SIGKILL. Its
standard output is its standard error, so a wrapper reading the parent's output (``subprocess.run``)
is never held open by a worker.
"""

from __future__ import annotations

import collections
import itertools
import os
import signal
import sys
import threading
from typing import Any, Iterable, Iterator

from framing.batch.stream import stream
from framing.errors import FramingError
from framing.model import check_classifier_name
from framing.results import RecordError

#: Records per task sent to a worker: large enough that pickling is cheap next to the work,
#: small enough that the order-keeping buffer stays small.
CHUNK = 16

_worker: dict[str, Any] = {}


class WorkerDied(FramingError):
    """A worker process died (killed, out of memory) while records were in flight."""


def check_workers(workers: object, classifier: object) -> None:
    """Refuse a worker count below 1, and a classifier object where workers must load their own."""
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError(f"workers must be a positive integer, not {workers!r}")
    if workers > 1:
        if classifier is not None and not isinstance(classifier, str):
            raise TypeError("with workers > 1, pass the classifier by name: each worker process loads its own")
        check_classifier_name(classifier)


def _die_with_parent() -> None:
    """Exit this worker as soon as its parent process is gone."""
    if sys.platform.startswith("linux"):
        try:  # the kernel's own guarantee, even when this process is stuck in C code
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    parent_pid = parent.pid if parent is not None else os.getppid()

    def watch() -> None:
        if parent is not None and parent.sentinel is not None:
            wait([parent.sentinel])  # ready when the parent's end of the pipe closes: it died
        else:  # pragma: no cover - a start method without a parent sentinel
            import time

            while os.getppid() == parent_pid:
                time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="framing-parent-watch", daemon=True).start()
    if os.getppid() != parent_pid:  # died before the watch began
        os._exit(1)


def _init(classifier: str | None, attribution: str | None, batch_size: int, markdown: bool | None,
          time_limit: float | None = None, threads: int = 1) -> None:
    # Ctrl-C goes to the whole process group; the parent alone decides what happens then.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    try:  # the parent's stdout is its own (a wrapper waits for it to close): print to stderr
        sys.stdout.flush()
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real standard streams (pythonw, some IDEs)
        pass
    try:
        import torch

        torch.set_num_threads(threads)  # one per process by default: more would fight over the cores
    except ImportError:  # the rule classifier needs no torch
        pass
    try:
        from framing.model import load

        _worker["model"] = load(classifier, attribution=attribution)
    except Exception as exc:  # raised again with the first chunk, so the caller sees the cause
        _worker["error"] = exc
    _worker["attribution"] = attribution
    _worker["batch_size"] = batch_size
    _worker["markdown"] = markdown
    _worker["time_limit"] = time_limit


def _work(start: int, texts: list[object]) -> list[Any]:
    if "error" in _worker:
        raise _worker["error"]
    out = []
    for result in stream(_worker["model"], texts, attribution=_worker["attribution"],
                         batch_size=_worker["batch_size"], markdown=_worker["markdown"],
                         time_limit=_worker["time_limit"]):
        if isinstance(result, RecordError):  # its index counts from the chunk's start
            result = RecordError(start + result.index, result.kind, result.message)
        out.append(result)
    return out


def analyze_in_workers(
    texts: Iterable[object], *, classifier: str | None, attribution: str | None, batch_size: int,
    markdown: bool | None, workers: int, time_limit: float | None = None, threads: int = 1,
) -> Iterator[Any]:
    """Yield one result per record of ``texts``, in order, computed by ``workers`` processes."""
    # Imported here, not at module level: ``import framing`` stays as quick as before.
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    records = iter(texts)
    # "spawn": a fresh interpreter per worker; forking a process that has run torch can deadlock.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init,
                               initargs=(classifier, attribution, batch_size, markdown, time_limit, threads))
    in_flight: collections.deque[Future] = collections.deque()
    finished = False
    try:
        start = 0
        while True:
            chunk = list(itertools.islice(records, CHUNK))
            if chunk:
                in_flight.append(pool.submit(_work, start, chunk))
                start += len(chunk)
            if in_flight and (not chunk or len(in_flight) >= 2 * workers):
                yield from in_flight.popleft().result()
            if not chunk and not in_flight:
                break
        finished = True
    except BrokenProcessPool as exc:
        raise WorkerDied(
            "a framing worker process died (killed, or out of memory?); results after the last "
            "yielded record are missing. Rerun with fewer workers."
        ) from exc
    finally:
        # After the last record, wait for the workers to exit; after an error or Ctrl-C, do not
        # wait for queued chunks (running ones finish on their own).
        pool.shutdown(wait=finished, cancel_futures=not finished)
