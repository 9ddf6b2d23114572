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
from typing import IO, Any, Iterable, Iterator, Sequence

from framing.results import RecordError
from framing.errors import FramingError
from framing.batch.tables import Kept, arrow_table, output_names

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
    #: Values of the kept input columns (``--keep-columns``), in their order; None where missing.
    kept: tuple[Any, ...] = ()

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


def _read_jsonl(path: Path, text_column: str, id_column: str | None, skip: int, keep: tuple[str, ...] = ()) -> Iterator[Record]:
    number = 0
    nothing = (None,) * len(keep)
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
                yield Record(number - 1, str(line_no), RecordError(0, "unreadable", f"{where}: {why}"), line_no, nothing)
                continue
            if not isinstance(row, dict):
                error = RecordError(0, "unreadable", f"{where}: a JSON {type(row).__name__}, not an object")
                yield Record(number - 1, str(line_no), error, line_no, nothing)
                continue
            if text_column not in row:
                text: object = RecordError(0, "missing", f"{where}: no {text_column!r} field")
            else:
                text = _checked_text(row[text_column], where)
                if undecodable and not isinstance(text, RecordError):
                    text = RecordError(0, "undecodable", f"{where}: the line is not valid UTF-8")
            kept = tuple(_kept_json(row.get(c)) for c in keep)
            yield Record(number - 1, _record_id(row, id_column, line_no), text, line_no, kept)


def _read_csv(path: Path, text_column: str, id_column: str | None, skip: int, keep: tuple[str, ...] = ()) -> Iterator[Record]:
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
            kept = tuple(_kept_text(row.get(c)) for c in keep)
            yield Record(number, _record_id(row, id_column, number + 1), _checked_text(text, where), kept=kept)


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
            yield Record(number - 1, _record_id(row, id_column, number), text, kept=tuple(row[c] for c in keep))


def _first_json_object(path: Path) -> dict[str, Any] | None:
    with _open_binary(path) as fh:
        for raw in fh:
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8-sig"))
            except ValueError:
                continue
            if isinstance(row, dict):
                return row
    return None


def check_input(path: str | Path, text_column: str = "text", keep: Sequence[str] = ()) -> str:
    """Fail fast on a missing file, an unknown suffix, a missing text column or a kept column
    the input does not have (for JSONL: that its first object does not have); return the format."""
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
    if keep:
        if names is None:  # JSONL: fields are per record; the first object stands for the file
            first = _first_json_object(path)
            names = list(first) if first is not None else []
            where = "its first record's fields are"
        else:
            where = "its columns are"
        missing = [c for c in keep if c not in names]
        if missing:
            raise FramingError(f"cannot keep {missing}: {path} has no such column; {where} {names}")
    return fmt


def kept_types(path: str | Path, keep: Sequence[str]) -> list[tuple[str, "Any"]]:
    """(name, Arrow type) of each kept column: Parquet columns keep their type; CSV and JSONL
    values are text (JSONL numbers and lists as their JSON)."""
    import pyarrow as pa

    path = Path(path)
    if keep and file_format(path) == "parquet":
        import pyarrow.parquet as pq

        schema = pq.ParquetFile(path).schema_arrow
        text = (pa.large_string(), getattr(pa, "string_view", pa.string)())
        # Text is text: pandas writes large_string, the output's own text columns are string.
        return [(c, pa.string() if schema.field(c).type in text else schema.field(c).type) for c in keep]
    return [(c, pa.string()) for c in keep]


def read_records(
    path: str | Path, *, text_column: str = "text", id_column: str | None = "id", skip: int = 0,
    keep: Sequence[str] = (),
) -> Iterator[Record]:
    """Stream the records of a JSONL, CSV or Parquet file, skipping the first ``skip``; each
    record carries the values of the ``keep`` columns."""
    path = Path(path)
    reader = {"jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}[check_input(path, text_column, keep)]
    return reader(path, text_column, id_column, skip, tuple(keep))


# -- writers --------------------------------------------------------------------------------------


def write_rows(
    path: Path, fmt: str, level: str, rows: Iterable[dict[str, Any]], *, header: bool = True, keep: Kept = ()
) -> None:
    """Write rows to ``path`` (JSONL, CSV without or with a header, or one Parquet file).

    For Parquet, ``rows`` may also be an Arrow table of ``arrow_schema(level, keep)``.
    """
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = rows if isinstance(rows, pa.Table) else arrow_table(level, list(rows), keep)
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
