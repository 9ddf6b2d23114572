"""``score_file``: score a corpus file into a table file, resumably and without losing records.

The run writes numbered part files and a JSON manifest into ``OUTPUT.framing-partial/`` every
``checkpoint_every`` records (each part written to a temporary name, fsynced, then renamed).
Interrupted by Ctrl-C, SIGKILL or a full disk, the same command continues after the last saved
part; part boundaries depend only on record numbers, so the final file is byte for byte the one
an uninterrupted run writes. The final file is assembled next to OUTPUT under a temporary name
and renamed over it only when complete, so an earlier OUTPUT stays intact until then.
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

from framing.batch import analyze_many
from framing.classify.base import SentenceClassifier
from framing.errors import FramingError
from framing.batch.io import (
    OUTPUT_FORMATS,
    check_input,
    Record,
    file_format,
    fsync_dir,
    kept_types,
    read_records,
    replace_atomically,
    write_rows,
    write_text_rows,
)
from framing.batch.parallel import check_workers
from framing.model import load
from framing.results import Analysis, RecordError
from framing.batch.tables import Kept, arrow_schema, arrow_table, check_kept, check_level, rows, with_kept

MANIFEST_VERSION = 1
_SUFFIX = {"parquet": ".parquet", "jsonl": ".jsonl", "csv": ".csv"}


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
        self.unreadable: list[int] = []  # line numbers (JSONL) or record numbers

    def add(self, record: Record, result: Analysis | RecordError, n_rows: int) -> None:
        self.records += 1
        self.rows += n_rows
        if isinstance(result, RecordError):
            self.errors[result.kind] += 1
            if result.kind == "unreadable":
                self.unreadable.append(record.line if record.line is not None else record.number + 1)
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
        return total


class _PartRows:
    """The rows of the part being scored, as ``save_part`` writes them.

    For Parquet, every ``ARROW_BATCH_ROWS`` rows are converted into an Arrow table chunk, so a
    part's rows wait as a few compact column buffers instead of as thousands of row dicts (and
    their values) spread over the heap between the model's activations. The chunks are combined
    before writing: the part file is byte for byte the one a single table of its rows gives.
    """

    ARROW_BATCH_ROWS = 256

    def __init__(self, fmt: str, level: str, keep: Kept = ()) -> None:
        self.fmt, self.level, self.keep = fmt, level, keep
        self.pending: list[dict[str, Any]] = []
        self.chunks: list[Any] = []  # pyarrow Tables, for Parquet

    def extend(self, new: list[dict[str, Any]]) -> None:
        self.pending.extend(new)
        if self.fmt == "parquet" and len(self.pending) >= self.ARROW_BATCH_ROWS:
            self._to_arrow()

    def _to_arrow(self) -> None:
        self.chunks.append(arrow_table(self.level, self.pending, self.keep))
        self.pending = []

    def for_writing(self) -> Any:
        """A list of row dicts (CSV, JSONL) or one Arrow table (Parquet)."""
        if self.fmt != "parquet":
            return self.pending
        if self.pending:
            self._to_arrow()
        import pyarrow as pa

        return pa.concat_tables(self.chunks).combine_chunks()


def _results(records: Iterator[Record], **kwargs: Any) -> Iterator[tuple[Record, Analysis | RecordError]]:
    """Pair each record with its result; analyze_many keeps order, so a queue does it."""
    fed: collections.deque[Record] = collections.deque()

    def texts() -> Iterator[object]:
        for record in records:
            fed.append(record)
            yield record.text

    for result in analyze_many(texts(), **kwargs):
        yield fed.popleft(), result


def _merge(parts: list[Path], fmt: str, level: str, tmp: Path, keep: Kept = ()) -> None:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        schema = arrow_schema(level, keep)
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
    id_column: str | None = "id",
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
) -> dict[str, Any]:
    """Score every record of a JSONL, CSV or Parquet file into a Parquet, JSONL or CSV table.

    One row per record at ``level="article"``; one or more per record at ``"section"`` and
    ``"sentence"`` — never zero, and never a lost record: unreadable lines and bad texts get an
    error row. Returns the run summary, also printed to ``log``: a text stream, True for
    standard error, or None for silence. ``workers`` > 1 scores in that many processes (see
    :func:`framing.analyze_many`); the output is the same, and a run may resume with another
    number of workers. ``keep_columns`` names input columns (outlet, date, event, ...) copied into
    every output row, right after ``id``, at every level; a name the input lacks is refused before
    any work. From Parquet they keep their type; from CSV and JSONL they are text.
    """
    started = time.monotonic()
    log = sys.stderr if log is True else (log or None)
    input_path, output = Path(input), Path(output)
    if isinstance(keep_columns, str):
        keep_columns = keep_columns.split(",")
    keep_names = [c.strip() for c in keep_columns if c.strip()]
    check_input(input_path, text_column, keep_names)
    fmt = format or file_format(output, OUTPUT_FORMATS)
    if fmt not in OUTPUT_FORMATS:
        raise FramingError(f"unknown output format {fmt!r}; use one of: {', '.join(OUTPUT_FORMATS)}")
    check_level(level)
    check_kept(keep_names, level)
    if checkpoint_every < 1:
        raise ValueError("checkpoint_every must be at least 1")
    check_workers(workers, classifier)
    _check_output(output, input_path)
    keep = kept_types(input_path, keep_names)
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
    if keep:  # absent when nothing is kept, so runs saved before the option existed still resume
        options["keep_columns"] = [[name, str(kind)] for name, kind in keep]
    partial = partial_dir(output)
    manifest_path = partial / "manifest.json"
    manifest: dict[str, Any] = {"version": MANIFEST_VERSION, "input": identity, "options": options, "parts": []}
    if restart and partial.exists():
        shutil.rmtree(partial)
    if manifest_path.is_file():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        if old.get("version") != MANIFEST_VERSION or old.get("input") != identity or old.get("options") != options:
            raise FramingError(
                f"{partial} holds an unfinished run over another input or with other options; "
                "rerun that command to finish it, or pass --restart to discard it"
            )
        manifest = old
    try:
        partial.mkdir(exist_ok=True)
        _write_json_atomically(manifest_path, manifest)
    except OSError as exc:
        raise _disk_error(exc, manifest_path, 0, partial) from exc

    parts: list[dict[str, Any]] = manifest["parts"]
    done = sum(p["records"] for p in parts)
    resumed_from = done
    if log is not None and done:
        print(f"framing: resuming after {done:,} records saved in {partial}", file=log)

    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="records", unit="rec", initial=done, file=log or sys.stderr, dynamic_ncols=True)

    def save_part(part_rows: _PartRows, stats: _Stats) -> None:
        nonlocal done
        name = f"part-{len(parts):06d}{_SUFFIX[fmt]}"
        path, tmp = partial / name, partial / (name + ".tmp")
        try:
            write_rows(tmp, fmt, level, part_rows.for_writing(), header=False, keep=keep)
            replace_atomically(tmp, path)
            parts.append({"file": name, **stats.to_dict()})
            _write_json_atomically(manifest_path, manifest)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise _disk_error(exc, path, done, partial) from exc
        done += stats.records

    records = read_records(input_path, text_column=text_column, id_column=id_column, skip=done, keep=keep_names)
    part_rows = _PartRows(fmt, level, keep)
    stats = _Stats()
    try:
        scorer = {"classifier": model} if workers == 1 else {"classifier": classifier, "workers": workers}
        for record, result in _results(records, attribution=attribution, batch_size=batch_size, markdown=markdown, **scorer):
            new = with_kept(rows(level, record.id, result), keep_names, record.kept)
            part_rows.extend(new)
            stats.add(record, result, len(new))
            if bar is not None:
                bar.update(1)
            if stats.records >= checkpoint_every:
                save_part(part_rows, stats)
                part_rows, stats = _PartRows(fmt, level, keep), _Stats()
        if stats.records:
            save_part(part_rows, stats)
    except KeyboardInterrupt:
        if log is not None:
            print(f"\nframing: interrupted; {done:,} records are saved in {partial}; rerun to continue", file=log)
        raise
    finally:
        if bar is not None:
            bar.close()

    tmp = output.with_name(f".{output.name}.framing-tmp")
    try:
        _merge([partial / p["file"] for p in parts], fmt, level, tmp, keep)
        replace_atomically(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _disk_error(exc, output, done, partial) from exc
    shutil.rmtree(partial, ignore_errors=True)
    fsync_dir(output.parent)

    total = _Stats.from_parts(parts)
    elapsed = time.monotonic() - started
    scored_now = total.records - resumed_from
    summary = {
        "input": str(input_path),
        "output": str(output),
        "level": level,
        "format": fmt,
        "classifier": model.name,
        "attribution": attribution,
        **total.to_dict(),
        "resumed_after": resumed_from,
        "elapsed_s": round(elapsed, 3),
        "articles_per_s": round(scored_now / elapsed, 2) if elapsed > 0 else None,
    }
    if log is not None:
        print(format_summary(summary), file=log)
    return summary


def format_summary(summary: dict[str, Any]) -> str:
    errors = ", ".join(f"{kind} {n:,}" for kind, n in summary["errors"].items()) or "none"
    lines = [
        f"framing: {summary['records']:,} records read, {summary['succeeded']:,} analyzed, errors: {errors}",
        f"framing: {summary['sentences']:,} sentences, {summary['rows']:,} {summary['level']} rows "
        f"written to {summary['output']}",
        f"framing: {summary['elapsed_s']:.1f} s, {summary['articles_per_s'] or 0:.1f} articles/s"
        + (f" (resumed after {summary['resumed_after']:,} records)" if summary["resumed_after"] else ""),
    ]
    unreadable = summary["unreadable_lines"]
    if unreadable:
        shown = ", ".join(str(n) for n in unreadable[:20]) + (", ..." if len(unreadable) > 20 else "")
        lines.append(f"framing: {len(unreadable):,} unreadable lines (error rows written, id = line number): {shown}")
    return "\n".join(lines)
