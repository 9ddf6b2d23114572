"""``score_file``: score a corpus file into a table file, resumably and without losing records.

The run writes numbered part files and a JSON manifest into ``OUTPUT.framing-partial/`` every
``checkpoint_every`` records (each part written to a temporary name, fsynced, then renamed).
Interrupted by Ctrl-C, SIGKILL or a full disk, the same command continues after the last saved
part; part boundaries depend only on record numbers, so the final file is byte for byte the one
an uninterrupted run writes. The final file is assembled next to OUTPUT under a temporary name
and renamed over it only when complete, so an earlier OUTPUT stays intact until then.

A record never stops the run: one that fails while it is scored (an exception, the time limit)
gets an error row. One that kills the process (the kernel's out-of-memory killer, a crash in C)
cannot be caught, so the run keeps a note of the records in flight (``in_flight.json``); a run
that resumes after a death scores those records one at a time, and a record that was in flight
at two deaths, the second time alone, gets an error row of kind "killed" and is not tried again
(``deaths`` in the manifest). A worker process that dies is handled the same way, without
stopping the run. A lock on the progress folder keeps two runs from writing one OUTPUT.
"""

from __future__ import annotations

import collections
import errno
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import IO, Any, Iterator, Sequence

from framing.batch import DEFAULT_THREADS, analyze_many, check_threads, check_time_limit
from framing.classify.base import SentenceClassifier
from framing.errors import FramingError
from framing.batch.io import (
    DEFAULT_ID_COLUMN,
    OUTPUT_FORMATS,
    InputTruncated,
    Record,
    file_format,
    fsync_dir,
    id_text,
    inspect_input,
    read_records,
    replace_atomically,
    write_rows,
    write_text_rows,
)
from framing.batch.parallel import WorkerDied, check_workers
from framing.model import load
from framing.results import Analysis, RecordError
from framing.batch.tables import LINE, Kept, arrow_schema, arrow_table, check_kept, check_level, rows, with_kept

#: 2: a ``line`` column after ``id``, ids keep their type, parts carry their size, ``deaths``.
MANIFEST_VERSION = 2
_SUFFIX = {"parquet": ".parquet", "jsonl": ".jsonl", "csv": ".csv"}
#: Seconds one record may take in ``framing score`` (its own stages; see framing.batch.stream).
DEFAULT_TIME_LIMIT = 600.0
#: How many records ahead the note of records in flight names (see _Attempts.feeding).
_MARK_AHEAD = 32
#: Worker deaths after which a run goes on without workers (they are likely to die again).
_MAX_WORKER_DEATHS = 3
#: How many line numbers of records without an id a part remembers for the summary.
_SHOWN_LINES = 20


class TruncatedInput(FramingError):
    """The input file ends early; OUTPUT holds the rows of every record read before that.
    ``summary`` is the run's summary."""

    def __init__(self, message: str, summary: dict[str, Any]) -> None:
        super().__init__(message)
        self.summary = summary


def partial_dir(output: str | Path) -> Path:
    output = Path(output)
    return output.with_name(output.name + ".framing-partial")


def _write_json_atomically(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    replace_atomically(tmp, path)


def _disk_error(exc: OSError, path: Path, done: int, partial: Path) -> FramingError:
    why = "the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else (exc.strerror or str(exc))
    return FramingError(
        f"cannot write {path}: {why}. The {done:,} records scored so far are saved in {partial}; "
        "fix the problem and rerun the same command to continue"
    )


def _check_output(output: Path, input_path: Path) -> None:
    if output.resolve() == input_path.resolve():
        raise FramingError("the output path is the input file; choose another output")
    if output.is_dir():
        raise FramingError(f"the output {output} is a folder; give a file name")
    parent = output.parent
    if not parent.is_dir():
        raise FramingError(f"cannot write {output}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise FramingError(f"cannot write {output}: the folder {parent} is not writable")


class _Stats:
    """Counts of one part (or of the whole run, by adding parts)."""

    def __init__(self) -> None:
        self.records = 0
        self.succeeded = 0
        self.sentences = 0
        self.rows = 0
        self.errors: collections.Counter[str] = collections.Counter()
        self.unreadable: list[int] = []  # line numbers (JSONL) or row numbers
        self.killed: list[int] = []
        self.missing_ids = 0
        self.missing_id_lines: list[int] = []  # the first _SHOWN_LINES

    def add(self, record: Record, result: Analysis | RecordError, n_rows: int, id_missing: bool) -> None:
        self.records += 1
        self.rows += n_rows
        unreadable = isinstance(result, RecordError) and result.kind == "unreadable"
        if id_missing and not unreadable:  # an unreadable line is counted as such
            self.missing_ids += 1
            if len(self.missing_id_lines) < _SHOWN_LINES:
                self.missing_id_lines.append(record.line)
        if isinstance(result, RecordError):
            self.errors[result.kind] += 1
            if result.kind == "unreadable":
                self.unreadable.append(record.line)
            elif result.kind == "killed":
                self.killed.append(record.line)
        else:
            self.succeeded += 1
            self.sentences += result.overall.n_sentences

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "succeeded": self.succeeded,
            "sentences": self.sentences,
            "rows": self.rows,
            "errors": dict(sorted(self.errors.items())),
            "unreadable_lines": self.unreadable,
            "killed_lines": self.killed,
            "missing_ids": self.missing_ids,
            "missing_id_lines": self.missing_id_lines,
        }

    @classmethod
    def from_parts(cls, parts: list[dict[str, Any]]) -> "_Stats":
        total = cls()
        for p in parts:
            total.records += p["records"]
            total.succeeded += p["succeeded"]
            total.sentences += p["sentences"]
            total.rows += p["rows"]
            total.errors.update(p["errors"])
            total.unreadable.extend(p["unreadable_lines"])
            total.killed.extend(p["killed_lines"])
            total.missing_ids += p["missing_ids"]
            total.missing_id_lines.extend(p["missing_id_lines"][: _SHOWN_LINES - len(total.missing_id_lines)])
        return total


class _PartRows:
    """The rows of the part being scored, as ``save_part`` writes them.

    For Parquet, every ``ARROW_BATCH_ROWS`` rows are converted into an Arrow table chunk, so a
    part's rows wait as a few compact column buffers instead of as thousands of row dicts (and
    their values) spread over the heap between the model's activations. The chunks are combined
    before writing: the part file is byte for byte the one a single table of its rows gives.
    """

    ARROW_BATCH_ROWS = 256

    def __init__(self, fmt: str, level: str, keep: Kept = (), id_type: Any = None) -> None:
        self.fmt, self.level, self.keep, self.id_type = fmt, level, keep, id_type
        self.pending: list[dict[str, Any]] = []
        self.chunks: list[Any] = []  # pyarrow Tables, for Parquet

    def extend(self, new: list[dict[str, Any]]) -> None:
        self.pending.extend(new)
        if self.fmt == "parquet" and len(self.pending) >= self.ARROW_BATCH_ROWS:
            self._to_arrow()

    def _to_arrow(self) -> None:
        self.chunks.append(arrow_table(self.level, self.pending, self.keep, self.id_type))
        self.pending = []

    def for_writing(self) -> Any:
        """A list of row dicts (CSV, JSONL) or one Arrow table (Parquet)."""
        if self.fmt != "parquet":
            return self.pending
        if self.pending:
            self._to_arrow()
        import pyarrow as pa

        return pa.concat_tables(self.chunks).combine_chunks()


class _Source:
    """The input records, with a look at the next one, records put back in front, and the
    truncation of a compressed input kept (``truncated``) instead of raised."""

    def __init__(self, records: Iterator[Record]) -> None:
        self.records = records
        self.front: collections.deque[Record] = collections.deque()
        self.truncated: InputTruncated | None = None

    def peek(self) -> Record | None:
        if not self.front:
            try:
                self.front.append(next(self.records))
            except StopIteration:
                return None
            except InputTruncated as exc:
                self.truncated = exc
                return None
        return self.front[0]

    def take(self) -> Record:
        return self.front.popleft()

    def put_back(self, records: Sequence[Record]) -> None:
        self.front.extendleft(reversed(records))


class _Attempts:
    """Which records were being scored (``in_flight.json``), and how often each was in flight
    when the process died (``deaths`` in the manifest, by record number).

    The in-flight note is rewritten as records go in and out of the scorer (a small file, not
    fsynced: a killed process does not lose what it wrote, only a crashed machine would) and
    removed when the run stops by itself, Ctrl-C included. Found at start, it means the last
    run died with those records in flight.
    """

    def __init__(self, partial: Path, manifest: dict[str, Any]) -> None:
        self.path = partial / "in_flight.json"
        self.tmp = partial / "in_flight.json.tmp"
        self.manifest = manifest
        self.deaths: dict[str, int] = manifest.setdefault("deaths", {})
        #: Names this run's notes, so that a note is counted once even if the run that counts it
        #: dies before removing it.
        self.run = f"{os.getpid()}-{time.time_ns()}"
        self.marked_end = -1

    def of(self, record: Record) -> int:
        return self.deaths.get(str(record.number), 0)

    def recover(self, done: int) -> tuple[int, int] | None:
        """Count a death for the records the last run had in flight; their range, if any."""
        for key in [k for k in self.deaths if int(k) < done]:  # saved since: no longer needed
            del self.deaths[key]
        try:
            note = json.loads(self.path.read_text(encoding="utf-8"))
            first, end, run = int(note["first"]), int(note["end"]), str(note["run"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if run == self.manifest.get("counted_run"):  # counted by a run that died right after
            return None
        self.manifest["counted_run"] = run
        for number in range(max(first, done), end):
            self.deaths[str(number)] = self.deaths.get(str(number), 0) + 1
        return (max(first, done), end) if end > max(first, done) else None

    def mark(self, first: int, end: int) -> None:
        self.tmp.write_text(json.dumps({"first": first, "end": end, "run": self.run}), encoding="utf-8")
        os.replace(self.tmp, self.path)
        self.marked_end = end

    def feeding(self, first: int, number: int) -> None:
        """Record ``number`` goes in, with the records from ``first`` still in flight. The note
        names the next _MARK_AHEAD records too, so it is rewritten once per that many records:
        naming a record that was not yet in flight costs only that it is scored alone after a death."""
        if number >= self.marked_end:
            self.mark(first, number + _MARK_AHEAD)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
        self.marked_end = -1


def _killed(record: Record) -> RecordError:
    return RecordError(record.number, "killed", "the process scoring this record died twice while it was in flight, "
                       "the second time with this record alone (out of memory?); it was not tried again")


def _results(
    source: _Source, attempts: _Attempts, *, model: Any, classifier: Any, workers: int, log: IO[str] | None,
    save_deaths: Any, **options: Any,
) -> Iterator[tuple[Record, Analysis | RecordError]]:
    """Each record with its result, in input order.

    Records run through one analyze_many stream (pooled, in workers if asked) up to the next
    record that was in flight when a process died: that one is scored alone, in this process.
    When a worker dies, the records it could have held are marked so and scored again that way;
    after _MAX_WORKER_DEATHS such deaths the run goes on in this process.
    """
    worker_deaths = 0
    while True:
        record = source.peek()
        if record is None:
            return
        if attempts.of(record) == 1:
            source.take()
            attempts.mark(record.number, record.number + 1)
            result = next(analyze_many([record.text], classifier=model, **options))
            attempts.clear()
            yield record, result
            continue
        fed: collections.deque[Record] = collections.deque()

        def texts() -> Iterator[object]:
            while True:
                r = source.peek()
                if r is None or attempts.of(r) == 1:
                    return
                fed.append(source.take())
                attempts.feeding(fed[0].number, r.number)
                yield _killed(r) if attempts.of(r) >= 2 else r.text

        scorer = {"classifier": model} if workers == 1 else {"classifier": classifier, "workers": workers}
        try:
            for result in analyze_many(texts(), **scorer, **options):
                done = fed.popleft()
                if not fed:
                    attempts.clear()
                yield done, result
        except WorkerDied:
            lost = list(fed)
            if not lost:  # nothing to blame: the workers cannot start
                raise
            for r in lost:
                attempts.deaths[str(r.number)] = attempts.of(r) + 1
            save_deaths()
            attempts.clear()
            source.put_back(lost)
            worker_deaths += 1
            if log is not None:
                print(f"framing: a worker process died (out of memory?) with records at {lost[0].line:,}-"
                      f"{lost[-1].line:,} in flight; scoring them one at a time", file=log)
            if worker_deaths >= _MAX_WORKER_DEATHS and workers > 1:
                workers = 1
                if log is not None:
                    print(f"framing: workers died {worker_deaths} times; going on in this process", file=log)


class _Lock:
    """An exclusive lock on the progress folder, so that two runs never write one OUTPUT."""

    def __init__(self, partial: Path, output: Path) -> None:
        self.path = partial / "lock"
        self.fh: IO[bytes] | None = None
        self.output = output

    def __enter__(self) -> "_Lock":
        for _ in range(10):
            self._lock()
            try:  # the run before may have removed the folder between our open and our lock
                if os.stat(self.path).st_ino == os.fstat(self.fh.fileno()).st_ino:  # type: ignore[union-attr]
                    return self
            except OSError:
                pass
            self.fh.close()  # type: ignore[union-attr]
        raise FramingError(f"cannot lock {self.path}: it keeps being removed by another run")

    def _lock(self) -> None:
        try:
            self.path.parent.mkdir(exist_ok=True)
            self.fh = open(self.path, "a+b")
        except OSError as exc:
            raise _disk_error(exc, self.path, 0, self.path.parent) from exc
        try:
            if os.name == "nt":  # pragma: no cover
                import msvcrt

                msvcrt.locking(self.fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self.fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.fh.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                raise FramingError(
                    f"another framing run is writing {self.output} (its progress is in {self.path.parent}); "
                    "wait for it to finish or stop it, or choose another output"
                ) from exc
            raise

    def remove_folder(self) -> None:
        """The run is done: remove the progress folder, the lock last, while it is held."""
        for entry in self.path.parent.iterdir():
            if entry != self.path:
                shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)
        try:
            self.path.parent.rmdir()
        except OSError:  # something else was put there: leave it
            pass

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()  # closing the file releases the lock


def _valid_parts(partial: Path, parts: list[dict[str, Any]], log: IO[str] | None) -> list[dict[str, Any]]:
    """The saved parts up to the first one missing or of another size than written."""
    for k, part in enumerate(parts):
        path = partial / part["file"]
        try:
            size = path.stat().st_size
        except OSError:
            size = None
        if size != part.get("bytes"):
            if log is not None:
                done = sum(p["records"] for p in parts[:k])
                why = "missing" if size is None else f"{size:,} bytes, not {part.get('bytes'):,}"
                print(f"framing: {path} is {why}; scoring again from record {done + 1:,}", file=log)
            return parts[:k]
    return parts


def _merge(parts: list[Path], fmt: str, level: str, tmp: Path, keep: Kept = (), id_type: Any = None) -> None:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        schema = arrow_schema(level, keep, id_type)
        # ParquetFile.read, not pq.read_table: read_table goes through pyarrow.dataset, which
        # imports pandas (~45 MB) at the very end of the run, where the peak is.
        with pq.ParquetWriter(tmp, schema) as writer:
            for part in parts:
                writer.write_table(pq.ParquetFile(part).read().cast(schema))
        return
    with open(tmp, "w", encoding="utf-8", newline="") as out:
        if fmt == "csv":
            write_text_rows(out, fmt, level, [], header=True, keep_names=[name for name, _ in keep])
        for part in parts:
            with open(part, encoding="utf-8", newline="") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)


def score_file(
    input: str | Path,
    output: str | Path,
    *,
    text_column: str = "text",
    id_column: str | None = DEFAULT_ID_COLUMN,
    level: str = "article",
    format: str | None = None,
    batch_size: int = 256,
    classifier: str | SentenceClassifier | None = None,
    attribution: str | None = "tagger",
    markdown: bool | None = None,
    checkpoint_every: int = 1000,
    restart: bool = False,
    progress: bool = False,
    log: IO[str] | None | bool = True,
    workers: int = 1,
    keep_columns: "Sequence[str]" = (),
    threads: int = DEFAULT_THREADS,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> dict[str, Any]:
    """Score every record of a JSONL, CSV or Parquet file into a Parquet, JSONL or CSV table.

    One row per record at ``level="article"``; one or more per record at ``"section"`` and
    ``"sentence"`` — never zero, and never a lost record: unreadable lines, bad texts and records
    that fail (an exception, more than ``time_limit`` seconds, killing the process twice) get an
    error row. Returns the run summary, also printed to ``log``: a text stream, True for
    standard error, or None for silence. ``workers`` > 1 scores in that many processes (see
    :func:`framing.analyze_many`), ``threads`` is the torch threads of each; the output is the
    same, and a run may resume with other numbers. ``keep_columns`` names input columns (outlet,
    date, event, ...) copied into every output row, right after ``id`` and ``line``, at every
    level; a name the input lacks is refused before any work. From Parquet they keep their type;
    from CSV and JSONL they are text.

    Ids: ``id_column`` (default "id", when the input has it; a name given must exist) gives each
    row's ``id``, and ``line`` says where the record is (its JSONL line, or its CSV or Parquet row
    number). A record without an id value, and a line that cannot be read, get ``id`` null, never
    a value that a real id could have. Ids keep their type where the output can hold it: JSON
    numbers stay numbers in JSONL output, a Parquet id column keeps its type in Parquet and JSONL
    output; otherwise (CSV output, JSONL ids into Parquet) they are text, a number as its JSON.
    Without an id column (``id_column=None``, or the default absent), the id is the line as text.

    A compressed input that ends early (a truncated ``.gz``) gets the rows of every record before
    the break written to OUTPUT, and then raises :class:`TruncatedInput` naming the last line.
    """
    started = time.monotonic()
    log = sys.stderr if log is True else (log or None)
    input_path, output = Path(input), Path(output)
    if isinstance(keep_columns, str):
        keep_columns = keep_columns.split(",")
    keep_names = [c.strip() for c in keep_columns if c.strip()]
    columns = inspect_input(input_path, text_column, keep_names, id_column)
    asked_id, id_column = id_column, columns.id_column
    fmt = format or file_format(output, OUTPUT_FORMATS)
    if fmt not in OUTPUT_FORMATS:
        raise FramingError(f"unknown output format {fmt!r}; use one of: {', '.join(OUTPUT_FORMATS)}")
    check_level(level)
    check_kept(keep_names, level, reserved=[LINE])
    if checkpoint_every < 1:
        raise ValueError("checkpoint_every must be at least 1")
    check_workers(workers, classifier)
    check_threads(threads)
    check_time_limit(time_limit)
    _check_output(output, input_path)
    import pyarrow as pa

    keep: list[tuple[str, Any]] = [(LINE, pa.int64()), *columns.kept]
    out_names = [name for name, _ in keep]
    ids = columns.id_type
    typed_ids = fmt == "jsonl" or (fmt == "parquet" and ids != pa.string())
    model = load(classifier, attribution=attribution)  # load before any work: a model error fails fast

    st = input_path.stat()
    identity = {"path": str(input_path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    options = {
        "text_column": text_column,
        "id_column": id_column,
        "level": level,
        "format": fmt,
        "classifier": model.name,
        "attribution": attribution,
        "markdown": markdown,
        "checkpoint_every": checkpoint_every,
    }
    if keep_names:  # absent when nothing is kept
        options["keep_columns"] = [[name, str(kind)] for name, kind in keep[1:]]
    partial = partial_dir(output)
    manifest_path = partial / "manifest.json"
    if log is not None and asked_id is not None and id_column is None:
        print(f"framing: {input_path} has no {str(asked_id)!r} column: ids are line numbers "
              "(use --id-column NAME for another column)", file=log)
    with _Lock(partial, output) as lock:
        summary = _run(
            input_path, output, partial, manifest_path, identity, options, restart=restart, log=log,
            progress=progress, started=started, model=model, classifier=classifier, workers=workers,
            keep=keep, out_names=out_names, ids=ids, typed_ids=typed_ids, analyze_options={
                "attribution": attribution, "batch_size": batch_size, "markdown": markdown,
                "threads": threads, "time_limit": time_limit,
            },
        )
        lock.remove_folder()
    if log is not None:
        print(format_summary(summary), file=log)
    if summary["truncated_at_line"] is not None:
        raise TruncatedInput(
            f"{input_path} ends early ({summary['truncated_reason']}): its last complete line is line "
            f"{summary['truncated_at_line']:,}. The rows of the {summary['records']:,} records read are in {output}; "
            "the records after that line are missing",
            summary,
        )
    return summary


def _run(
    input_path: Path, output: Path, partial: Path, manifest_path: Path, identity: dict[str, Any],
    options: dict[str, Any], *, restart: bool, log: IO[str] | None, progress: bool, started: float, model: Any,
    classifier: Any, workers: int, keep: list[tuple[str, Any]], out_names: list[str], ids: Any, typed_ids: bool,
    analyze_options: dict[str, Any],
) -> dict[str, Any]:
    """The run of :func:`score_file`, holding the lock on ``partial``."""
    fmt, level, checkpoint_every = options["format"], options["level"], options["checkpoint_every"]
    if restart:
        for entry in partial.iterdir():
            if entry.name != "lock":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    manifest: dict[str, Any] = {"version": MANIFEST_VERSION, "input": identity, "options": options, "parts": []}
    if manifest_path.is_file():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        if old.get("version") != MANIFEST_VERSION:
            raise FramingError(
                f"{partial} holds an unfinished run of another version of framing; "
                "pass --restart to discard it and start over"
            )
        if old.get("input") != identity or old.get("options") != options:
            raise FramingError(
                f"{partial} holds an unfinished run over another input or with other options; "
                "rerun that command to finish it, or pass --restart to discard it"
            )
        manifest = old
        manifest["parts"] = _valid_parts(partial, manifest["parts"], log)
    parts: list[dict[str, Any]] = manifest["parts"]
    done = sum(p["records"] for p in parts)
    attempts = _Attempts(partial, manifest)
    died = attempts.recover(done)
    try:
        _write_json_atomically(manifest_path, manifest)
    except OSError as exc:
        raise _disk_error(exc, manifest_path, done, partial) from exc
    attempts.clear()
    resumed_from = done
    if log is not None:
        if done:
            print(f"framing: resuming after {done:,} records saved in {partial}", file=log)
        if died is not None:
            again = sum(1 for n in range(*died) if attempts.deaths.get(str(n), 0) >= 2)
            print(f"framing: the last run died while scoring the records from record {died[0] + 1:,} on; up to "
                  f"{died[1] - died[0]:,} of them are scored one at a time"
                  + (f", and {again} that was in flight alone at a second death gets an error row (kind 'killed')"
                     if again else ""), file=log)

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="records", unit="rec", initial=done, file=log or sys.stderr, dynamic_ncols=True)

    def save_part(part_rows: _PartRows, stats: _Stats) -> None:
        nonlocal done
        name = f"part-{len(parts):06d}{_SUFFIX[fmt]}"
        path, tmp = partial / name, partial / (name + ".tmp")
        try:
            write_rows(tmp, fmt, level, part_rows.for_writing(), header=False, keep=keep, id_type=ids)
            size = tmp.stat().st_size
            replace_atomically(tmp, path)
            parts.append({"file": name, "bytes": size, **stats.to_dict()})
            _write_json_atomically(manifest_path, manifest)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _disk_error(exc, path, done, partial) from exc
        done += stats.records

    def save_deaths() -> None:
        try:
            _write_json_atomically(manifest_path, manifest)
        except OSError as exc:
            raise _disk_error(exc, manifest_path, done, partial) from exc

    source = _Source(read_records(input_path, text_column=options["text_column"], id_column=options["id_column"],
                                  skip=done, keep=out_names[1:]))
    part_rows = _PartRows(fmt, level, keep, ids)
    stats = _Stats()
    try:
        for record, result in _results(source, attempts, model=model, classifier=classifier, workers=workers, log=log,
                                       save_deaths=save_deaths, **analyze_options):
            record_id = record.id if typed_ids else id_text(record.id)
            new = with_kept(rows(level, record_id, result), out_names, (record.line, *record.kept))
            part_rows.extend(new)
            stats.add(record, result, len(new), id_missing=record.id is None)
            if bar is not None:
                bar.update(1)
            if stats.records >= checkpoint_every:
                save_part(part_rows, stats)
                part_rows, stats = _PartRows(fmt, level, keep, ids), _Stats()
        if stats.records:
            save_part(part_rows, stats)
    except KeyboardInterrupt:
        attempts.clear()  # not the records' fault
        if log is not None:
            print(f"\nframing: interrupted; {done:,} records are saved in {partial}; rerun to continue", file=log)
        raise
    except BaseException:
        attempts.clear()
        raise
    finally:
        if bar is not None:
            bar.close()

    tmp = output.with_name(f".{output.name}.framing-tmp")
    try:
        _merge([partial / p["file"] for p in parts], fmt, level, tmp, keep, ids)
        replace_atomically(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _disk_error(exc, output, done, partial) from exc
    fsync_dir(output.parent)

    total = _Stats.from_parts(parts)
    elapsed = time.monotonic() - started
    scored_now = total.records - resumed_from
    truncated = source.truncated
    summary = {
        "input": str(input_path),
        "input_format": file_format(input_path),
        "output": str(output),
        "level": level,
        "format": fmt,
        "classifier": model.name,
        "attribution": options["attribution"],
        "id_column": options["id_column"],
        **total.to_dict(),
        "truncated_at_line": truncated.line if truncated is not None else None,
        "truncated_reason": truncated.reason if truncated is not None else None,
        "resumed_after": resumed_from,
        "elapsed_s": round(elapsed, 3),
        "articles_per_s": round(scored_now / elapsed, 2) if elapsed > 0 else None,
    }
    return summary


def _lines_shown(lines: list[int], total: int | None = None) -> str:
    total = len(lines) if total is None else total
    return ", ".join(f"{n:,}" for n in lines[:_SHOWN_LINES]) + (", ..." if total > _SHOWN_LINES else "")


def format_summary(summary: dict[str, Any]) -> str:
    errors = ", ".join(f"{kind} {n:,}" for kind, n in summary["errors"].items()) or "none"
    lines = [
        f"framing: {summary['records']:,} records read, {summary['succeeded']:,} analyzed, errors: {errors}",
        f"framing: {summary['sentences']:,} sentences, {summary['rows']:,} {summary['level']} rows "
        f"written to {summary['output']}",
        f"framing: {summary['elapsed_s']:.1f} s, {summary['articles_per_s'] or 0:.1f} articles/s"
        + (f" (resumed after {summary['resumed_after']:,} records)" if summary["resumed_after"] else ""),
    ]
    has_ids = summary.get("id_column") is not None
    unreadable = summary["unreadable_lines"]
    what = "lines" if summary.get("input_format", "jsonl") == "jsonl" else "rows"
    if unreadable:
        where = f"id null, the {what[:-1]} number in the line column" if has_ids else "their number in the id and line columns"
        lines.append(f"framing: {len(unreadable):,} unreadable {what} (error rows written, {where}): "
                     f"{_lines_shown(unreadable)}")
    missing = summary.get("missing_ids", 0)
    if has_ids and missing:
        lines.append(f"framing: {missing:,} records have no {summary['id_column']!r} value: their id is null, the line "
                     f"column says where they are ({what} {_lines_shown(summary['missing_id_lines'], missing)})")
    killed = summary.get("killed_lines") or []
    if killed:
        lines.append(f"framing: {len(killed):,} records killed the process twice and were not tried again (error rows "
                     f"of kind 'killed'): {what} {_lines_shown(killed)}")
    if summary.get("truncated_at_line") is not None:
        lines.append(f"framing: the input ends early after line {summary['truncated_at_line']:,} "
                     f"({summary['truncated_reason']}); the records after it are missing")
    return "\n".join(lines)
