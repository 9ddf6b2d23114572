"""Corpus tables: the rows of :mod:`framing.rows` for every record of a corpus, and Arrow.

The ``framing score`` command, the Hugging Face ``datasets`` path and the Ray path all use these,
so a corpus gives the same columns whatever its first records look like (:data:`COLUMNS`), and
every record gives at least one row: a :class:`~framing.results.RecordError` gives one row with
``error`` (its kind) and ``error_message`` set; at the sentence level an article without body
sentences gives one placeholder row with ``error="no_sentences"``, and at the attribution level an
article in which nobody speaks one with ``error="no_attributions"``.

A table ``framing score`` writes from a file also has a ``line`` column right after ``id``
(:data:`LINE`): where the record is in the input. A record without an id (or a line that could not
be read) has ``id`` null there, never a value that a real id could have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np

from framing.errors import FramingError
from framing.results import Analysis, RecordError
from framing.rows import COLUMNS, LEVELS, analysis_rows, check_level, column_names

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["COLUMNS", "LEVELS", "LINE", "arrow_schema", "arrow_table", "check_kept", "check_level", "column_names",
           "corpus_tables", "error_row", "output_names", "rows", "with_kept"]


#: Input columns a corpus run carries into its output (``framing score --keep-columns``): each
#: one's name and Arrow type, placed right after ``id`` in every row of every level.
Kept = Sequence[tuple[str, "pa.DataType"]]

#: The column ``framing score`` puts right after ``id``: the record's line in a JSONL file, its row
#: number in a CSV or Parquet file (from 1; the header is not a row).
LINE = "line"


def arrow_schema(level: str, keep: Kept = (), id_type: "pa.DataType | None" = None) -> "pa.Schema":
    """The Arrow schema of a corpus table: ``keep`` right after ``id``, whose type is ``id_type``
    (default: string)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    fields = [(name, types[kind]) for name, kind in COLUMNS[check_level(level)]]
    if id_type is not None:
        fields[0] = (fields[0][0], id_type)
    return pa.schema(fields[:1] + [(name, kind) for name, kind in keep] + fields[1:])


def output_names(level: str, keep_names: Sequence[str] = ()) -> list[str]:
    """The column names of a corpus table at ``level`` with ``keep_names`` after ``id``."""
    names = column_names(level)
    return names[:1] + list(keep_names) + names[1:]


def check_kept(keep_names: Sequence[str], level: str, reserved: Sequence[str] = ()) -> None:
    """Refuse kept columns that would collide with an output column, one of ``reserved`` (or repeat)."""
    taken = sorted(set(keep_names) & {*column_names(level), *reserved})
    if taken:
        raise FramingError(
            f"cannot keep the input columns {taken}: the {level} table has columns of that name "
            "(the record id is always written as 'id'); rename them in the input"
        )
    repeated = sorted({n for n in keep_names if list(keep_names).count(n) > 1})
    if repeated:
        raise FramingError(f"--keep-columns names {repeated} more than once")


def with_kept(rows_: list[dict[str, Any]], keep_names: Sequence[str], values: Sequence[Any]) -> list[dict[str, Any]]:
    """``rows_`` with the kept values put right after ``id`` (the order every output writes)."""
    if not keep_names:
        return rows_
    kept = dict(zip(keep_names, values))
    return [{"id": row["id"], **kept, **{k: v for k, v in row.items() if k != "id"}} for row in rows_]


# -- Arrow tables, built column by column --------------------------------------------------------
#
# pa.array() and pa.Table.from_pylist() import pandas when it is installed (pyarrow checks every
# list for pandas types), which adds ~45 MB to a scoring process that never uses pandas. These
# builders fill Arrow buffers from numpy and pyarrow's StringBuilder instead: the same arrays,
# without pandas.


def _validity(values: list[Any]) -> tuple["pa.Buffer | None", np.ndarray]:
    """Arrow's validity bitmap (None when nothing is null, as pa.array leaves it) and the mask."""
    import pyarrow as pa

    valid = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    if valid.all():
        return None, valid
    return pa.py_buffer(np.packbits(valid, bitorder="little")), valid


def _numeric_array(values: list[Any], kind: str) -> "pa.Array":
    import pyarrow as pa

    bitmap, valid = _validity(values)
    dtype = {"int64": np.int64, "float64": np.float64, "bool": np.bool_}[kind]
    data = np.zeros(len(values), dtype=dtype)  # null slots hold 0, as pa.array writes them
    if valid.any():
        data[valid] = [v for v in values if v is not None]
    arrow_type = {"int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}[kind]
    buffer = np.packbits(data, bitorder="little") if kind == "bool" else data  # Arrow bools are bits
    return pa.Array.from_buffers(arrow_type, len(values), [bitmap, pa.py_buffer(buffer)])


def _string_array(values: list[Any]) -> "pa.Array":
    from pyarrow.lib import StringBuilder

    builder = StringBuilder()
    for value in values:
        if value is not None and not isinstance(value, str):
            raise TypeError(f"expected a str or None in a string column, not {type(value).__name__}")
        builder.append(value)
    return builder.finish()


def arrow_table(level: str, rows: list[dict[str, Any]], keep: Kept = (), id_type: "pa.DataType | None" = None) -> "pa.Table":
    """The rows of ``level`` as an Arrow table of ``arrow_schema(level, keep, id_type)``, one chunk
    per column.

    Equal to ``pa.Table.from_pylist(rows, schema=arrow_schema(level, keep, id_type))``, without
    importing pandas (a column of another Arrow type than string, int64, float64 or bool goes
    through ``pa.array``).
    """
    import pyarrow as pa

    schema = arrow_schema(level, keep, id_type)
    basic = {pa.string(): "string", pa.int64(): "int64", pa.float64(): "float64", pa.bool_(): "bool"}
    columns = []
    for field in schema:
        values = [row.get(field.name) for row in rows]  # a missing key is a null, as in from_pylist
        kind = basic.get(field.type)
        if kind is None:
            columns.append(pa.array(values, type=field.type))
        else:
            columns.append(_string_array(values) if kind == "string" else _numeric_array(values, kind))
    return pa.Table.from_arrays(columns, schema=schema)


def _empty_row(level: str, record_id: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(column_names(level))
    row["id"] = record_id
    return row


def error_row(level: str, record_id: Any, error: RecordError) -> dict[str, Any]:
    row = _empty_row(level, record_id)
    row["error"] = error.kind
    row["error_message"] = error.message
    return row


_PLACEHOLDER = {
    "sentence": ("no_sentences", "no body sentences found"),
    "attribution": ("no_attributions", "no attributions found"),
}


def rows(level: str, record_id: Any, result: Analysis | RecordError) -> list[dict[str, Any]]:
    """The rows of one record at ``level``: never empty."""
    check_level(level)
    if isinstance(result, RecordError):
        return [error_row(level, record_id, result)]
    out = analysis_rows(level, record_id, result)
    if not out:
        row = _empty_row(level, record_id)
        row["error"], default = _PLACEHOLDER[level]
        row["error_message"] = "; ".join(result.warnings) or default
        out.append(row)
    return out


def corpus_tables(
    results: "Iterable[Analysis | RecordError]",
    *,
    ids: "Sequence[Any] | None" = None,
    metadata: "Any" = None,
    levels: "Sequence[str]" = ("article", "sentence"),
) -> "dict[str, pd.DataFrame]":
    """pandas tables of a scored corpus, one per level, as ``framing score`` writes them.

    ``results``: what :func:`framing.analyze_many` yields (an Analysis or a RecordError per
    record). ``ids``: one per record (default "0", "1", ...). ``metadata``: a DataFrame (or a list
    of dicts) with one row per record, in the same order; its columns (outlet, date, event, ...)
    are put after ``id`` in every row of every level, as ``framing score --keep-columns`` does.

        results = list(framing.analyze_many(df["text"]))
        tables = framing.corpus_tables(results, metadata=df[["outlet", "event"]])
        framing.compare_groups(tables["article"], by="outlet", pair_by="event", sentences=tables["sentence"])
    """
    import pandas as pd

    results = list(results)
    ids = [str(i) for i in range(len(results))] if ids is None else [None if i is None else str(i) for i in ids]
    if len(ids) != len(results):
        raise ValueError(f"{len(ids)} ids for {len(results)} results")
    meta = None
    if metadata is not None:
        meta = metadata.reset_index(drop=True) if isinstance(metadata, pd.DataFrame) else pd.DataFrame(list(metadata))
        if len(meta) != len(results):
            raise ValueError(f"metadata has {len(meta)} rows for {len(results)} results")
    out = {}
    for level in levels:
        names = column_names(level)
        if meta is not None:
            clash = sorted(set(meta.columns) & set(names))
            if clash:
                raise ValueError(f"metadata columns {clash} have the names of {level} columns; rename them")
        record_rows: list[dict[str, Any]] = []
        positions: list[int] = []
        for k, (record_id, result) in enumerate(zip(ids, results)):
            new = rows(level, record_id, result)
            record_rows.extend(new)
            positions.extend([k] * len(new))
        frame = pd.DataFrame(record_rows, columns=names)
        if meta is not None:
            kept = meta.iloc[positions].reset_index(drop=True)
            frame = pd.concat([frame[["id"]], kept, frame.drop(columns=["id"])], axis=1)
        out[level] = frame
    return out
