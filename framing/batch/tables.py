"""Flat rows at three levels — article, section, sentence — for tables, files and datasets.

One mapping from results to rows, shared by the ``framing score`` command, the Hugging Face
``datasets`` path and the Ray path. Every level has a fixed column list (and an Arrow schema),
so a corpus gives the same columns whatever its first records look like, and every record gives
at least one row: a :class:`~framing.results.RecordError` gives one row with ``error`` (its kind)
and ``error_message`` set; at the sentence level an article without body sentences gives one
placeholder row with ``error="no_sentences"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from framing.aggregate import Density
from framing.labels import LABELS
from framing.results import RecordError

if TYPE_CHECKING:
    import pyarrow as pa

    from framing.results import Analysis

LEVELS = ("article", "section", "sentence")

_DENSITY = [
    ("n_sentences", "int64"),
    ("n_opinion", "int64"),
    ("opinion_density", "float64"),
    ("expected_opinion_density", "float64"),
    ("interval_low", "float64"),
    ("interval_high", "float64"),
]
_ERROR = [("error", "string"), ("error_message", "string")]

#: Column name → Arrow type name, in output order, for each level.
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "article": [
        ("id", "string"),
        ("title", "string"),
        ("byline", "string"),
        *_DENSITY,
        ("lede_n_sentences", "int64"),
        ("lede_opinion_density", "float64"),
        ("lede_expected_opinion_density", "float64"),
        ("n_sections", "int64"),
        ("classifier", "string"),
        ("taxonomy", "string"),
        ("warnings", "string"),
        *_ERROR,
    ],
    "section": [
        ("id", "string"),
        ("section_index", "int64"),
        ("heading", "string"),
        ("kind", "string"),
        ("group", "string"),
        *_DENSITY,
        *_ERROR,
    ],
    "sentence": [
        ("id", "string"),
        ("sentence_index", "int64"),
        ("section_index", "int64"),
        ("section", "string"),
        ("paragraph_index", "int64"),
        ("in_lede", "bool"),
        ("start", "int64"),
        ("end", "int64"),
        ("text", "string"),
        ("label", "string"),
        *[(f"p_{name}", "float64") for name in LABELS],
        ("cues", "string"),
        ("context", "string"),
        *_ERROR,
    ],
}


def column_names(level: str) -> list[str]:
    return [name for name, _ in COLUMNS[check_level(level)]]


def check_level(level: str) -> str:
    if level not in COLUMNS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    return level


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


def _density(d: Density) -> dict[str, Any]:
    return {
        "n_sentences": d.n_sentences,
        "n_opinion": d.n_opinion,
        "opinion_density": d.opinion_density,
        "expected_opinion_density": d.expected_opinion_density,
        "interval_low": d.interval[0],
        "interval_high": d.interval[1],
    }


def error_row(level: str, record_id: Any, error: "RecordError") -> dict[str, Any]:
    row = _empty_row(level, record_id)
    row["error"] = error.kind
    row["error_message"] = error.message
    return row


def article_row(record_id: Any, result: "Analysis | RecordError") -> dict[str, Any]:
    if isinstance(result, RecordError):
        return error_row("article", record_id, result)
    lede = result.lede.density
    return {
        "id": record_id,
        "title": result.title,
        "byline": result.byline,
        **_density(result.overall),
        "lede_n_sentences": lede.n_sentences,
        "lede_opinion_density": lede.opinion_density,
        "lede_expected_opinion_density": lede.expected_opinion_density,
        "n_sections": len(result.sections),
        "classifier": result.classifier,
        "taxonomy": result.taxonomy,
        "warnings": "; ".join(result.warnings) or None,
        "error": None,
        "error_message": None,
    }


def section_rows(record_id: Any, result: "Analysis | RecordError") -> list[dict[str, Any]]:
    """The lede first (``kind="lede"``), then the sections in reading order."""
    if isinstance(result, RecordError):
        return [error_row("section", record_id, result)]
    return [
        {
            "id": record_id,
            "section_index": s.index,
            "heading": s.heading,
            "kind": s.kind,
            "group": s.group,
            **_density(s.density),
            "error": None,
            "error_message": None,
        }
        for s in (result.lede, *result.sections)
    ]


def sentence_rows(record_id: Any, result: "Analysis | RecordError") -> list[dict[str, Any]]:
    if isinstance(result, RecordError):
        return [error_row("sentence", record_id, result)]
    lede = {(s.start, s.end) for s in result.lede.sentences}
    rows = []
    for section in result.sections:
        for s in section.sentences:
            rows.append(
                {
                    "id": record_id,
                    "sentence_index": len(rows),
                    "section_index": section.index,
                    "section": section.name,
                    "paragraph_index": s.paragraph_index,
                    "in_lede": (s.start, s.end) in lede,
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "label": s.label,
                    **{f"p_{name}": float(s.scores[name]) for name in LABELS},
                    "cues": "; ".join(s.cues),
                    "context": s.context,
                    "error": None,
                    "error_message": None,
                }
            )
    if not rows:
        row = _empty_row("sentence", record_id)
        row["error"] = "no_sentences"
        row["error_message"] = "; ".join(result.warnings) or "no body sentences found"
        rows.append(row)
    return rows


def rows(level: str, record_id: Any, result: "Analysis | RecordError") -> list[dict[str, Any]]:
    """The rows of one record at ``level``: never empty."""
    check_level(level)
    if level == "article":
        return [article_row(record_id, result)]
    if level == "section":
        return section_rows(record_id, result)
    return sentence_rows(record_id, result)
