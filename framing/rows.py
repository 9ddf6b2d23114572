"""Flat rows of an analysis at four levels — article, section, sentence, attribution.

The one mapping from results to tables: ``Analysis.to_pandas`` builds its frames from these rows
and so do the corpus tables (``framing score``, ``score_dataset``, Ray; :mod:`framing.batch.tables`
adds what a corpus needs: the record id, error rows, Arrow). Each level has a fixed column list
(:data:`COLUMNS`), so every table of that level has the same columns in the same order, and
numbers are never rounded here (rounding is for JSON and display only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from framing.aggregate import Density
from framing.labels import LABELS

if TYPE_CHECKING:
    from framing.results import Analysis

__all__ = ["COLUMNS", "LEVELS", "analysis_rows", "check_level", "column_names"]

LEVELS = ("article", "section", "sentence", "attribution")

_DENSITY = [
    ("n_sentences", "int64"),
    ("n_opinion", "int64"),
    ("opinion_density", "float64"),
    ("expected_opinion_density", "float64"),
    ("interval_low", "float64"),
    ("interval_high", "float64"),
]
#: The record id and the error columns of a corpus table (see framing.batch.tables).
ID = [("id", "string")]
ERROR = [("error", "string"), ("error_message", "string")]

#: Column name → Arrow type name, in output order, for each level (id and error columns included:
#: ``Analysis.to_pandas`` leaves them out).
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "article": [
        *ID,
        ("title", "string"),
        ("byline", "string"),
        *_DENSITY,
        ("lede_n_sentences", "int64"),
        ("lede_opinion_density", "float64"),
        ("lede_expected_opinion_density", "float64"),
        ("n_sections", "int64"),
        ("n_attributions", "int64"),
        ("n_anonymous_attributions", "int64"),
        ("n_quote_sentences", "int64"),
        ("classifier", "string"),
        ("taxonomy", "string"),
        ("warnings", "string"),
        *ERROR,
    ],
    "section": [
        *ID,
        ("section_index", "int64"),
        ("section", "string"),
        ("heading", "string"),
        ("kind", "string"),
        ("group", "string"),
        *_DENSITY,
        *ERROR,
    ],
    "sentence": [
        *ID,
        ("sentence_index", "int64"),
        ("section_index", "int64"),
        ("section", "string"),
        ("section_kind", "string"),
        ("paragraph_index", "int64"),
        ("in_lede", "bool"),
        ("start", "int64"),
        ("end", "int64"),
        ("text", "string"),
        ("label", "string"),
        *[(f"p_{name}", "float64") for name in LABELS],
        ("cues", "string"),
        ("context", "string"),
        ("speaker", "string"),
        *ERROR,
    ],
    "attribution": [
        *ID,
        ("attribution_index", "int64"),
        ("sentence_index", "int64"),
        ("who", "string"),
        ("speaker", "string"),
        ("source_kind", "string"),
        ("quote_type", "string"),
        ("continued", "bool"),
        *[(f"{role}{part}", kind) for role in ("source", "cue", "content")
          for part, kind in (("", "string"), ("_start", "int64"), ("_end", "int64"))],
        *ERROR,
    ],
}


def check_level(level: str) -> str:
    if level not in COLUMNS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    return level


def column_names(level: str) -> list[str]:
    return [name for name, _ in COLUMNS[check_level(level)]]


def _density(d: Density) -> dict[str, Any]:
    return {
        "n_sentences": d.n_sentences,
        "n_opinion": d.n_opinion,
        "opinion_density": d.opinion_density,
        "expected_opinion_density": d.expected_opinion_density,
        "interval_low": d.interval[0],
        "interval_high": d.interval[1],
    }


def _article(record_id: Any, a: "Analysis") -> list[dict[str, Any]]:
    lede = a.lede.density
    return [{
        "id": record_id,
        "title": a.title,
        "byline": a.byline,
        **_density(a.overall),
        "lede_n_sentences": lede.n_sentences,
        "lede_opinion_density": lede.opinion_density,
        "lede_expected_opinion_density": lede.expected_opinion_density,
        "n_sections": len(a.sections),
        "n_attributions": len(a.attributions),
        "n_anonymous_attributions": sum(x.source_kind == "anonymous" for x in a.attributions),
        "n_quote_sentences": sum(s.label == "attributed_quote" for s in a.sentences),
        "classifier": a.classifier,
        "taxonomy": a.taxonomy,
        "warnings": "; ".join(a.warnings) or None,
        "error": None,
        "error_message": None,
    }]


def _sections(record_id: Any, a: "Analysis") -> list[dict[str, Any]]:
    """The lede first (``kind="lede"``), then the sections in reading order."""
    return [
        {
            "id": record_id,
            "section_index": s.index,
            "section": s.name,
            "heading": s.heading,
            "kind": s.kind,
            "group": s.group,
            **_density(s.density),
            "error": None,
            "error_message": None,
        }
        for s in (a.lede, *a.sections)
    ]


def _sentences(record_id: Any, a: "Analysis") -> list[dict[str, Any]]:
    lede = {(s.start, s.end) for s in a.lede.sentences}
    rows: list[dict[str, Any]] = []
    for section in a.sections:
        for s in section.sentences:
            rows.append({
                "id": record_id,
                "sentence_index": len(rows),
                "section_index": section.index,
                "section": section.name,
                "section_kind": section.kind,
                "paragraph_index": s.paragraph_index,
                "in_lede": (s.start, s.end) in lede,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "label": s.label,
                **{f"p_{name}": float(s.scores[name]) for name in LABELS},
                "cues": "; ".join(s.cues),
                "context": s.context,
                "speaker": "; ".join(dict.fromkeys(x.who for x in s.attributions)) or None,
                "error": None,
                "error_message": None,
            })
    return rows


def _attributions(record_id: Any, a: "Analysis") -> list[dict[str, Any]]:
    rows = []
    for k, x in enumerate(a.attributions):
        row: dict[str, Any] = {
            "id": record_id,
            "attribution_index": k,
            "sentence_index": x.sentence_index,
            "who": x.who,
            "speaker": x.speaker,
            "source_kind": x.source_kind,
            "quote_type": x.quote_type,
            "continued": x.continued,
        }
        for role in ("source", "cue", "content"):
            span = getattr(x, role)
            row[role] = span.text if span is not None else None
            row[f"{role}_start"] = span.start if span is not None else None
            row[f"{role}_end"] = span.end if span is not None else None
        row.update(error=None, error_message=None)
        rows.append(row)
    return rows


_BUILDERS = {"article": _article, "section": _sections, "sentence": _sentences, "attribution": _attributions}


def analysis_rows(level: str, record_id: Any, analysis: "Analysis") -> list[dict[str, Any]]:
    """The rows of one analysis at ``level``, keys in :data:`COLUMNS` order (the sentence and
    attribution levels may be empty)."""
    return _BUILDERS[check_level(level)](record_id, analysis)
