"""Corpus tables: the rows of :mod:`framing.rows` for every record of a corpus, and Arrow.

The ``framing score`` command, the Hugging Face ``datasets`` path and the Ray path all use these,
so a corpus gives the same columns whatever its first records look like (:data:`COLUMNS`), and
every record gives at least one row: a :class:`~framing.results.RecordError` gives one row with
``error`` (its kind) and ``error_message`` set; at the sentence level an article without body
sentences gives one placeholder row with ``error="no_sentences"``, and at the attribution level an
article in which nobody speaks one with ``error="no_attributions"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from framing.results import Analysis, RecordError
from framing.rows import COLUMNS, LEVELS, analysis_rows, check_level, column_names

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["COLUMNS", "LEVELS", "arrow_schema", "arrow_table", "check_level", "column_names", "error_row", "rows"]


def arrow_schema(level: str) -> "pa.Schema":
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    return pa.schema([(name, types[kind]) for name, kind in COLUMNS[check_level(level)]])


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


def arrow_table(level: str, rows: list[dict[str, Any]]) -> "pa.Table":
    """The rows of ``level`` as an Arrow table of ``arrow_schema(level)``, one chunk per column.

    Equal to ``pa.Table.from_pylist(rows, schema=arrow_schema(level))``, without importing pandas.
    """
    import pyarrow as pa

    columns = []
    for name, kind in COLUMNS[check_level(level)]:
        values = [row.get(name) for row in rows]  # a missing key is a null, as in from_pylist
        columns.append(_string_array(values) if kind == "string" else _numeric_array(values, kind))
    return pa.Table.from_arrays(columns, schema=arrow_schema(level))


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
