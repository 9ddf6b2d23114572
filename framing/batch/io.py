"""Streaming readers and writers for corpus files: JSONL, CSV and Parquet (by file suffix).

Readers never load a corpus into memory: JSONL is read line by line, CSV with the csv module,
Parquet with ``pyarrow.parquet.ParquetFile.iter_batches``. Every record comes out as a
:class:`Record`, including the ones that cannot be read: a line that is not JSON, or text that
is not UTF-8, becomes a Record whose ``text`` is a :class:`~framing.results.RecordError`, so the
record still gets its row in the output.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from framing.results import RecordError
from framing.errors import FramingError
from framing.batch.tables import arrow_table, column_names

INPUT_FORMATS = ("jsonl", "csv", "parquet")
OUTPUT_FORMATS = ("parquet", "jsonl", "csv")


@dataclass(frozen=True)
class Record:
    """One input record: its id (always a str) and its text, or the reason it has none."""

    #: 0-based position among the records of the file.
    number: int
    id: str
    #: The text field as read (str, None, a number...), or a RecordError for an unreadable or
    #: undecodable record.
    text: object
    #: 1-based line number in a JSONL file; None for CSV and Parquet.
    line: int | None = None

    @property
    def unreadable(self) -> bool:
        return isinstance(self.text, RecordError) and self.text.kind == "unreadable"


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


def _record_id(row: dict[str, Any], id_column: str | None, fallback: int) -> str:
    if id_column is not None:
        value = row.get(id_column)
        if value is not None and value != "":
            return _printable_id(value)
    return str(fallback)


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _read_jsonl(path: Path, text_column: str, id_column: str | None, skip: int) -> Iterator[Record]:
    number = 0
    with _open_binary(path) as fh:
        for line_no, raw in enumerate(fh, start=1):
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
                yield Record(number - 1, str(line_no), RecordError(0, "unreadable", f"{where}: {why}"), line_no)
                continue
            if not isinstance(row, dict):
                error = RecordError(0, "unreadable", f"{where}: a JSON {type(row).__name__}, not an object")
                yield Record(number - 1, str(line_no), error, line_no)
                continue
            if text_column not in row:
                text: object = RecordError(0, "missing", f"{where}: no {text_column!r} field")
            else:
                text = _checked_text(row[text_column], where)
                if undecodable and not isinstance(text, RecordError):
                    text = RecordError(0, "undecodable", f"{where}: the line is not valid UTF-8")
            yield Record(number - 1, _record_id(row, id_column, line_no), text, line_no)


def _read_csv(path: Path, text_column: str, id_column: str | None, skip: int) -> Iterator[Record]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # article texts are longer than the 128 kB default
    with _open_binary(path) as raw:
        fh = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.DictReader(fh)
        if reader.fieldnames is None:
            return
        if text_column not in reader.fieldnames:
            raise FramingError(
                f"{path} has no column {text_column!r}; its columns are {reader.fieldnames}; use --text-column"
            )
        for number, row in enumerate(reader):
            if number < skip:
                continue
            where = f"row {number + 1} (line {reader.line_num})"
            text = row.get(text_column)
            text = RecordError(0, "missing", f"{where}: the row is too short") if text is None else text
            yield Record(number, _record_id(row, id_column, number + 1), _checked_text(text, where))


def _read_parquet(path: Path, text_column: str, id_column: str | None, skip: int) -> Iterator[Record]:
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    names = pf.schema_arrow.names
    if text_column not in names:
        raise FramingError(f"{path} has no column {text_column!r}; its columns are {names}; use --text-column")
    columns = [text_column] + ([id_column] if id_column in names and id_column != text_column else [])
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
            yield Record(number - 1, _record_id(row, id_column, number), text)


def check_input(path: str | Path, text_column: str = "text") -> str:
    """Fail fast on a missing file, an unknown suffix or a missing text column; return the format."""
    path = Path(path)
    if not path.is_file():
        raise FramingError(f"no such file: {path}")
    fmt = file_format(path)
    names: list[str] | None = None
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            names = pq.ParquetFile(path).schema_arrow.names
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise FramingError(f"{path} is not a readable Parquet file ({exc})") from exc
    elif fmt == "csv":
        with _open_binary(path) as raw:
            fh = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")
            names = next(csv.reader(fh), [])
    if names is not None and text_column not in names:
        raise FramingError(f"{path} has no column {text_column!r}; its columns are {names}; use --text-column")
    return fmt


def read_records(
    path: str | Path, *, text_column: str = "text", id_column: str | None = "id", skip: int = 0
) -> Iterator[Record]:
    """Stream the records of a JSONL, CSV or Parquet file, skipping the first ``skip``."""
    path = Path(path)
    reader = {"jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}[check_input(path, text_column)]
    return reader(path, text_column, id_column, skip)


# -- writers --------------------------------------------------------------------------------------


def write_rows(path: Path, fmt: str, level: str, rows: Iterable[dict[str, Any]], *, header: bool = True) -> None:
    """Write rows to ``path`` (JSONL, CSV without or with a header, or one Parquet file).

    For Parquet, ``rows`` may also be an Arrow table of ``arrow_schema(level)``.
    """
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = rows if isinstance(rows, pa.Table) else arrow_table(level, list(rows))
        pq.write_table(table, path)
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        write_text_rows(fh, fmt, level, rows, header=header)


def write_text_rows(fh: IO[str], fmt: str, level: str, rows: Iterable[dict[str, Any]], *, header: bool) -> None:
    if fmt == "jsonl":
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(fh, fieldnames=column_names(level), lineterminator="\n")
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
