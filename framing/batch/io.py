"""Streaming readers and writers for corpus files: JSONL, CSV and Parquet (by file suffix).

Readers never load a corpus into memory: JSONL is read line by line, CSV with the csv module,
Parquet with ``pyarrow.parquet.ParquetFile.iter_batches``. Every record comes out as a
:class:`Record`, including the ones that cannot be read: a line that is not JSON, or text that
is not UTF-8, becomes a Record whose ``text`` is a :class:`~framing.results.RecordError`, so the
record still gets its row in the output.

Ids: a record's id is the value of the id column as read (a JSON number stays a number), or None
when the record has none (null, empty, absent, or the line could not be read) — never a made-up
value that a real id could have; its ``line`` says where it is. Without an id column, the id is
the line as text. A compressed file that ends early (a truncated download) raises
:class:`InputTruncated` after its last complete record.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence

from framing.results import RecordError
from framing.errors import FramingError
from framing.batch.tables import Kept, arrow_table, output_names

INPUT_FORMATS = ("jsonl", "csv", "parquet")
OUTPUT_FORMATS = ("parquet", "jsonl", "csv")
#: JSONL fields are per record: the text, id and kept columns are looked for in this many first
#: records (a name none of them has is refused before any work).
FIRST_RECORDS = 20


class _DefaultIdColumn(str):
    """The default ``id_column`` ("id"): used when the input has it, else ids are line numbers.
    A name the caller gives must exist. (A str subclass, so that it can be told from "id".)"""


DEFAULT_ID_COLUMN = _DefaultIdColumn("id")


class InputTruncated(FramingError):
    """The input ends in the middle of its compressed stream; every complete record before
    ``line`` (the last complete line) was read."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path} is truncated after line {line:,} ({reason})")


@dataclass(frozen=True)
class Record:
    """One input record: its id, where it is, and its text, or the reason it has none."""

    #: 0-based position among the records of the file.
    number: int
    #: The id column's value as read (str, a JSON number, a Parquet value), or None when the record
    #: has none; without an id column, ``str(line)``.
    id: Any
    #: The text field as read (str, None, a number...), or a RecordError for an unreadable or
    #: undecodable record.
    text: object
    #: Where the record is: its 1-based line number in a JSONL file, its 1-based row number in a
    #: CSV or Parquet file (the header is not a row).
    line: int = 0
    #: Values of the kept input columns (``--keep-columns``), in their order; None where missing.
    kept: tuple[Any, ...] = ()


def file_format(path: str | Path, choices: tuple[str, ...] = INPUT_FORMATS) -> str:
    """The format named by a file suffix (``.jsonl``, ``.ndjson``, ``.csv``, ``.parquet``, ``.gz``)."""
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    fmt = {"jsonl": "jsonl", "ndjson": "jsonl", "csv": "csv", "parquet": "parquet", "pq": "parquet"}.get(suffix)
    if fmt is None or fmt not in choices:
        raise FramingError(f"cannot tell the format of {path} from its suffix; use one of: {', '.join(choices)}")
    return fmt


def _clean(value: str) -> str | None:
    """``value`` if it encodes as UTF-8; None if it holds lone surrogates (undecodable bytes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


def _printable_id(value: object) -> str:
    text = str(value)
    if _clean(text) is None:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def _checked_text(text: object, where: str) -> object:
    if isinstance(text, (bytes, bytearray)):
        try:
            return bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            return RecordError(0, "undecodable", f"{where}: text is not UTF-8 ({exc.reason} at byte {exc.start})")
    if isinstance(text, str) and _clean(text) is None:
        return RecordError(0, "undecodable", f"{where}: text is not valid UTF-8 (undecodable bytes or lone surrogates)")
    return text


def _record_id(row: dict[str, Any], id_column: str | None, line: int) -> Any:
    """The record's id as read (None when it has none); the line as text without an id column."""
    if id_column is None:
        return str(line)
    value = row.get(id_column)
    if value is None or value == "":
        return None
    return _printable_id(value) if isinstance(value, str) else value


def id_text(value: Any) -> str | None:
    """An id for a text column: strings as they are, other values as their JSON (``3``, ``1.5``,
    ``true``), dates and the like as their ISO text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_default)


def _kept_json(value: object) -> str | None:
    """A kept JSONL value as text: strings as they are, other JSON values as JSON (``2019``,
    ``true``, ``["a", "b"]``), null as None — one type per column whatever the records hold."""
    if value is None:
        return None
    if isinstance(value, str):
        return _printable_id(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _kept_text(value: str | None) -> str | None:
    """A kept CSV cell: an empty cell is missing (CSV cannot tell the two apart)."""
    if value is None or value == "":
        return None
    return _printable_id(value)


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


#: What reading a damaged or unfinished gzip stream raises (EOFError: it ends early).
_TRUNCATED = (EOFError, gzip.BadGzipFile, zlib.error)


_LINE_END = re.compile(rb"\r\n|\r(?!\Z)|\n")


def _lines(path: Path, fh: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(1-based line number, line) of a JSONL file. A line ends at \\n, \\r\\n or a lone \\r (a
    file saved with old Mac line ends); raises InputTruncated after the last complete line of a
    compressed stream that ends early."""
    line_no = 0
    pieces: list[bytes] = []  # the unfinished line, in blocks (a long line is joined once)
    try:
        while True:
            # read1: one read of the underlying stream, so that a compressed file ending early
            # loses nothing before the break (read(n) drops what it gathered when it fails).
            block = fh.read1(1 << 20)  # type: ignore[attr-defined]
            if not block:
                break
            if b"\n" not in block and b"\r" not in block:
                pieces.append(block)
                continue
            pieces.append(block)
            text = b"".join(pieces)
            *complete, rest = _LINE_END.split(text)
            # A block ending in \r may be cut inside \r\n: the \r stays with the unfinished line.
            pieces = [rest]
            for line in complete:
                line_no += 1
                yield line_no, line
    except _TRUNCATED as exc:
        raise InputTruncated(path, line_no, _truncation_reason(exc)) from exc
    last = b"".join(pieces)
    if last.endswith(b"\r"):
        last = last[:-1]
    if last:
        yield line_no + 1, last


def _truncation_reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "the compressed stream ends early: an unfinished download or copy?"
    return f"the compressed data is damaged: {exc}"


def _read_jsonl(path: Path, text_column: str, id_column: str | None, skip: int, keep: tuple[str, ...] = ()) -> Iterator[Record]:
    number = 0
    nothing = (None,) * len(keep)
    with _open_binary(path) as fh:
        for line_no, raw in _lines(path, fh):
            if not raw.strip():
                continue
            number += 1
            if number <= skip:
                continue
            where = f"line {line_no}"
            undecodable = False
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line, undecodable = raw.decode("utf-8", "surrogateescape"), True
            if line_no == 1 and line.startswith("\ufeff"):  # a byte-order mark some editors write
                line = line[1:]
            try:
                row = json.loads(line)
            except ValueError as exc:
                why = "not valid UTF-8 nor JSON" if undecodable else f"invalid JSON ({exc})"
                yield Record(number - 1, _record_id({}, id_column, line_no), RecordError(0, "unreadable", f"{where}: {why}"),
                             line_no, nothing)
                continue
            if not isinstance(row, dict):
                error = RecordError(0, "unreadable", f"{where}: a JSON {type(row).__name__}, not an object")
                yield Record(number - 1, _record_id({}, id_column, line_no), error, line_no, nothing)
                continue
            if text_column not in row:
                text: object = RecordError(0, "missing", f"{where}: no {text_column!r} field")
            else:
                text = _checked_text(row[text_column], where)
                if undecodable and not isinstance(text, RecordError):
                    text = RecordError(0, "undecodable", f"{where}: the line is not valid UTF-8")
            kept = tuple(_kept_json(row.get(c)) for c in keep)
            yield Record(number - 1, _record_id(row, id_column, line_no), text, line_no, kept)


def _csv_rows(path: Path, fh: IO[str]) -> Iterator[str]:
    """The lines of a CSV file for csv.reader; raises InputTruncated when a compressed file ends early."""
    line_no = 0
    try:
        for line in fh:
            yield line
            line_no += 1
    except _TRUNCATED as exc:
        raise InputTruncated(path, line_no, _truncation_reason(exc)) from exc


def _read_csv(path: Path, text_column: str, id_column: str | None, skip: int, keep: tuple[str, ...] = ()) -> Iterator[Record]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # article texts are longer than the 128 kB default
    with _open_binary(path) as raw:
        fh = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        # strict: a stray quote (a field that opens with " and never closes as a field) is an
        # error the reader reports and recovers from, where the lenient default silently reads
        # the next records into that field (4 records in, 3 out).
        reader = csv.DictReader(_csv_rows(path, fh), strict=True)
        if reader.fieldnames is None:
            return
        if text_column not in reader.fieldnames:
            raise FramingError(
                f"{path} has no column {text_column!r}; its columns are {reader.fieldnames}; use --text-column"
            )
        nothing = (None,) * len(keep)
        number = -1
        while True:
            first_line = reader.reader.line_num + 1  # DictReader.line_num lags after an error
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                if number < skip:
                    continue
                last_line = reader.reader.line_num
                lines = f"line {first_line}" if last_line <= first_line else f"lines {first_line}-{last_line}"
                error = RecordError(0, "unreadable", f"row {number + 1} ({lines}): a stray quote ({exc}); these lines "
                                    "were read as one broken record, so records among them may be missing")
                yield Record(number, _record_id({}, id_column, number + 1), error, number + 1, nothing)
                continue
            number += 1
            if number < skip:
                continue
            where = f"row {number + 1} (line {reader.line_num})"
            text = row.get(text_column)
            text = RecordError(0, "missing", f"{where}: the row is too short") if text is None else text
            kept = tuple(_kept_text(row.get(c)) for c in keep)
            yield Record(number, _record_id(row, id_column, number + 1), _checked_text(text, where), number + 1, kept)


def _read_parquet(path: Path, text_column: str, id_column: str | None, skip: int, keep: tuple[str, ...] = ()) -> Iterator[Record]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    if text_column not in names:
        raise FramingError(f"{path} has no column {text_column!r}; its columns are {names}; use --text-column")
    columns = [text_column] + ([id_column] if id_column in names and id_column != text_column else [])
    columns += [c for c in keep if c not in columns]
    number = 0
    first = 0  # skip whole row groups without reading them
    while first < pf.num_row_groups and number + pf.metadata.row_group(first).num_rows <= skip:
        number += pf.metadata.row_group(first).num_rows
        first += 1
    groups = list(range(first, pf.num_row_groups))
    if not groups:
        return
    for batch in pf.iter_batches(batch_size=1024, row_groups=groups, columns=columns):
        for row in batch.to_pylist():
            number += 1
            if number <= skip:
                continue
            where = f"row {number}"
            text = _checked_text(row[text_column], where)
            yield Record(number - 1, _record_id(row, id_column, number), text, number, tuple(row[c] for c in keep))


def _first_json_objects(path: Path, n: int = FIRST_RECORDS) -> list[dict[str, Any]]:
    """The first ``n`` JSON objects of a JSONL file (lines that are not objects are passed over)."""
    found: list[dict[str, Any]] = []
    try:
        with _open_binary(path) as fh:
            for line_no, raw in _lines(path, fh):
                if not raw.strip():
                    continue
                try:
                    row = json.loads(raw.decode("utf-8-sig" if line_no == 1 else "utf-8", "surrogateescape"))
                except ValueError:
                    continue
                if isinstance(row, dict):
                    found.append(row)
                    if len(found) >= n:
                        break
    except InputTruncated:  # reported, with the rows read, by the run itself
        pass
    return found


def _columns(path: Path, fmt: str) -> tuple[list[str], str, Any]:
    """The input's column names, how to say where they come from, and (Parquet) its Arrow schema."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            schema = pq.ParquetFile(path).schema_arrow
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise FramingError(f"{path} is not a readable Parquet file ({exc})") from exc
        return schema.names, "its columns are", schema
    if fmt == "csv":
        with _open_binary(path) as raw:
            fh = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
            try:
                return next(csv.reader(fh), []), "its columns are", None
            except _TRUNCATED as exc:
                raise InputTruncated(path, 0, _truncation_reason(exc)) from exc
    # JSONL: fields are per record; the first records stand for the file.
    objects = _first_json_objects(path)
    names = list(dict.fromkeys(name for row in objects for name in row))
    return names, f"its first {len(objects)} records' fields are" if len(objects) > 1 else "its first record's fields are", None


def _shown(names: list[str]) -> str:
    return str(names) if len(names) <= 30 else str(names[:30])[:-1] + ", ...]"


@dataclass(frozen=True)
class InputColumns:
    """What a run needs to know of an input file's columns (:func:`inspect_input`)."""

    format: str
    #: The id column the run uses: the one asked for, except that the default ("id") is dropped
    #: (ids are then line numbers) when the input does not have it.
    id_column: str | None
    #: The Arrow type of the output's ``id``: a Parquet id column's own type (text as string),
    #: else string (CSV cells are text; JSON ids may mix types).
    id_type: Any
    #: (name, Arrow type) of each kept column: Parquet columns keep their type; CSV and JSONL
    #: values are text (JSONL numbers and lists as their JSON).
    kept: tuple[tuple[str, Any], ...]


def inspect_input(
    path: str | Path, text_column: str = "text", keep: Sequence[str] = (), id_column: str | None = None
) -> InputColumns:
    """Read the input's columns once; fail fast on a missing file, an unknown suffix, and a text,
    id or kept column the input does not have (for JSONL: that none of its first FIRST_RECORDS
    records has).

    The default id column (:data:`DEFAULT_ID_COLUMN`) may be absent. A JSONL file whose first
    lines hold no JSON object at all is not refused: each line gets its error row.
    """
    import pyarrow as pa

    path = Path(path)
    if not path.is_file():
        raise FramingError(f"no such file: {path}")
    fmt = file_format(path)
    names, where, schema = _columns(path, fmt)
    if names or fmt != "jsonl":
        if text_column not in names:
            raise FramingError(f"{path} has no column {text_column!r}; {where} {_shown(names)}; use --text-column")
        if id_column is not None and not isinstance(id_column, _DefaultIdColumn) and id_column not in names:
            raise FramingError(
                f"{path} has no id column {id_column!r}; {where} {_shown(names)}; use --id-column NAME, or "
                "--id-column '' to number the records by line"
            )
        missing = [c for c in keep if c not in names]
        if missing:
            raise FramingError(f"cannot keep {missing}: {path} has no such column; {where} {_shown(names)}")
    if isinstance(id_column, _DefaultIdColumn):
        id_column = str(id_column) if id_column in names else None

    def arrow_type(name: str) -> Any:
        return pa.string() if schema is None else _arrow_text(schema.field(name).type)

    return InputColumns(fmt, id_column, arrow_type(id_column) if id_column is not None else pa.string(),
                        tuple((c, arrow_type(c)) for c in keep))


def _arrow_text(kind: "Any") -> "Any":
    """Text is text: pandas writes large_string, the output's own text columns are string."""
    import pyarrow as pa

    return pa.string() if kind in (pa.large_string(), getattr(pa, "string_view", pa.string)()) else kind


def read_records(
    path: str | Path, *, text_column: str = "text", id_column: str | None = DEFAULT_ID_COLUMN, skip: int = 0,
    keep: Sequence[str] = (),
) -> Iterator[Record]:
    """Stream the records of a JSONL, CSV or Parquet file, skipping the first ``skip``; each
    record carries the values of the ``keep`` columns. A compressed file that ends early raises
    :class:`InputTruncated` after its last complete record."""
    path = Path(path)
    columns = inspect_input(path, text_column, keep, id_column)
    reader = {"jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}[columns.format]
    return reader(path, text_column, columns.id_column, skip, tuple(keep))


# -- writers --------------------------------------------------------------------------------------


def write_rows(
    path: Path, fmt: str, level: str, rows: Iterable[dict[str, Any]], *, header: bool = True, keep: Kept = (),
    id_type: Any = None,
) -> None:
    """Write rows to ``path`` (JSONL, CSV without or with a header, or one Parquet file).

    For Parquet, ``rows`` may also be an Arrow table of ``arrow_schema(level, keep, id_type)``.
    """
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = rows if isinstance(rows, pa.Table) else arrow_table(level, list(rows), keep, id_type)
        pq.write_table(table, path)
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        write_text_rows(fh, fmt, level, rows, header=header, keep_names=[name for name, _ in keep])


def _json_default(value: Any) -> Any:
    """Kept Parquet values JSON has no type for (dates, decimals, bytes): their text."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def write_text_rows(
    fh: IO[str], fmt: str, level: str, rows: Iterable[dict[str, Any]], *, header: bool, keep_names: Sequence[str] = ()
) -> None:
    if fmt == "jsonl":
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=_json_default) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(fh, fieldnames=output_names(level, keep_names), lineterminator="\n")
        if header:
            writer.writeheader()
        writer.writerows(rows)
    else:
        raise ValueError(f"unknown output format {fmt!r}")


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # some platforms cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace_atomically(tmp: Path, final: Path) -> None:
    """fsync ``tmp``, then rename it over ``final`` (same folder) and fsync the folder."""
    fsync_file(tmp)
    os.replace(tmp, final)
    fsync_dir(final.parent)
