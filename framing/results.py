"""Result objects: small frozen dataclasses, analysis → sections → sentences.

They hold data and offer views (tables, dicts, HTML); they compute nothing about labels. All
offsets index the exact string the caller passed in: ``analysis.text[s.start:s.end] == s.text``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from framing.aggregate import Density, DensityDifference, density, density_difference, opinion_probability
from framing.attribution.spans import Attribution
from framing.labels import LABELS, OPINION_LABELS, TAXONOMY
from framing.rows import ERROR, ID, analysis_rows, check_level, column_names

if TYPE_CHECKING:  # pandas is imported only when a table is asked for
    import pandas as pd

    from framing.attribution.profile import SourceProfile


@dataclass(frozen=True)
class Classification:
    """The label of one sentence classified on its own, without article context
    (``framing.classify``)."""

    text: str
    label: str
    scores: Mapping[str, float]
    cues: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "label": self.label, "scores": dict(self.scores), "cues": list(self.cues)}


@dataclass(frozen=True)
class RecordError:
    """Stands in for an Analysis when a record of a corpus could not be analyzed
    (``framing.analyze_many``, ``framing score``)."""

    #: Position of the record in the input stream (0-based).
    index: int
    #: One of ERROR_KINDS.
    kind: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "kind": self.kind, "message": self.message}


#: Kinds of RecordError the library produces.
ERROR_KINDS = (
    "missing",  # None, or the text field is absent
    "not_text",  # a number, a list, bytes...
    "empty",  # an empty or whitespace-only string
    "too_long",  # over framing.text.validate.MAX_CHARS characters
    "binary",  # NUL or many control characters: binary data or a wrongly decoded file
    "undecodable",  # bytes that are not UTF-8, or text with lone surrogates (half characters)
    "unreadable",  # a line of the input file that could not be parsed (reported by the readers)
    "internal",  # scoring it raised (a bug in framing: please report it; or out of memory)
    "timeout",  # its own stages took longer than the time limit
    "killed",  # framing score: its process died twice with it in flight, the second time alone
)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    #: One of framing.LABELS.
    label: str
    #: Probability of each label, in LABELS order; sums to 1.
    scores: Mapping[str, float]
    #: Index of the section (in Analysis.sections) and of the paragraph within the article body.
    section_index: int
    paragraph_index: int
    #: Human-readable evidence found in the sentence (quote marks, reporting verbs, evaluative
    #: words, question form): *why* a label is plausible, whichever classifier chose it.
    cues: tuple[str, ...] = ()
    #: Attributions whose cue or content lies in this sentence (filled by attribution analysis).
    attributions: tuple[Attribution, ...] = ()
    #: Why the article around the sentence changed its scores, in words; None when the sentence
    #: was read alone (see framing.context: a sentence inside a speaker's quotation).
    context: str | None = None

    @property
    def is_opinion(self) -> bool:
        return self.label in OPINION_LABELS

    @property
    def opinion_probability(self) -> float:
        return float(sum(self.scores[name] for name in OPINION_LABELS))

    def to_dict(self, attribution_index: Mapping[int, int] | None = None) -> dict[str, Any]:
        """The sentence as plain data. Inside ``Analysis.to_dict`` (``attribution_index``: the
        position of each attribution, by id, in the analysis' list), "attributions" holds those
        positions, so a long quotation is written once, not once per sentence it spans;
        alone, it holds the attributions themselves."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "scores": {name: round(float(self.scores[name]), 6) for name in LABELS},
            "section_index": self.section_index,
            "paragraph_index": self.paragraph_index,
            "cues": list(self.cues),
            "attributions": [a.to_dict() for a in self.attributions] if attribution_index is None
            else [attribution_index[id(a)] for a in self.attributions],
            "context": self.context,
        }

    def __repr__(self) -> str:
        short = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"Sentence({self.label}, {self.scores[self.label]:.2f}, [{self.start}:{self.end}] {short!r})"


def density_of(sentences: "Sequence[Sentence]") -> Density:
    """Opinion density of some sentences, from their labels and scores."""
    return density([s.label for s in sentences], [opinion_probability([s.scores[n] for n in LABELS]) for s in sentences])


@dataclass(frozen=True)
class Section:
    """A run of body sentences: a headed section, the text before the first heading, or the lede."""

    index: int
    heading: str | None
    #: "body", "faq" (one FAQ question and its answer) or "lede".
    kind: str
    sentences: tuple[Sentence, ...]
    density: Density
    #: Offsets of the heading line in the original text, when there is one.
    heading_span: tuple[int, int] | None = None
    #: Enclosing block heading, e.g. "Frequently Asked Questions" for FAQ sections.
    group: str | None = None
    #: The article has no headings: this section is its whole body.
    only_section: bool = False

    @property
    def opinion_density(self) -> float:
        return self.density.opinion_density

    @property
    def expected_opinion_density(self) -> float:
        return self.density.expected_opinion_density

    @property
    def interval(self) -> tuple[float, float]:
        return self.density.interval

    @property
    def n_sentences(self) -> int:
        return self.density.n_sentences

    @property
    def name(self) -> str:
        """A printable name: the heading, or a stand-in for the unheaded parts."""
        if self.kind == "lede":
            return "(lede)"
        if self.heading is not None:
            return self.heading
        return "(body)" if self.only_section else "(before first heading)"

    def without(self, other: "Section") -> "Section":
        """This section less the sentences it shares with ``other`` (the first section less the
        lede paragraph it holds), with the density of what is left."""
        theirs = {(s.start, s.end) for s in other.sentences}
        kept = tuple(s for s in self.sentences if (s.start, s.end) not in theirs)
        return replace(self, sentences=kept, density=density_of(kept))

    def to_dict(self, attribution_index: Mapping[int, int] | None = None) -> dict[str, Any]:
        return {
            "index": self.index,
            "heading": self.heading,
            "kind": self.kind,
            "group": self.group,
            "heading_span": list(self.heading_span) if self.heading_span else None,
            **_density_dict(self.density),
            "sentences": [s.to_dict(attribution_index) for s in self.sentences],
        }

    def __repr__(self) -> str:
        return f"Section({self.name!r}, {self.density})"


def _density_dict(d: Density) -> dict[str, Any]:
    return {
        "n_sentences": d.n_sentences,
        "n_opinion": d.n_opinion,
        "opinion_density": round(d.opinion_density, 6),
        "expected_opinion_density": round(d.expected_opinion_density, 6),
        "interval_low": round(d.interval[0], 6),
        "interval_high": round(d.interval[1], 6),
    }


@dataclass(frozen=True)
class Analysis:
    """Everything ``framing.analyze`` found in one article."""

    text: str
    title: str | None
    byline: str | None
    sections: tuple[Section, ...]
    #: The first body paragraph, as its own span (also part of sections[0]).
    lede: Section
    #: The whole body.
    overall: Density
    classifier: str
    taxonomy: str = TAXONOMY
    #: Things the caller should know before trusting the numbers (empty text, no punctuation...).
    warnings: tuple[str, ...] = ()
    #: Who speaks where: every attribution in the article, in text order.
    attributions: tuple[Attribution, ...] = field(default=())

    # -- navigation ---------------------------------------------------------------------------
    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for section in self.sections for s in section.sentences)

    @property
    def opinion_density(self) -> float:
        return self.overall.opinion_density

    def section(self, heading: str) -> Section:
        """The first section whose heading matches (case- and whitespace-insensitive); "lede",
        and the printed names of unheaded sections ("(body)", "(before first heading)"), too."""
        wanted = " ".join(heading.split()).casefold()
        if wanted in {"lede", "(lede)"}:
            return self.lede
        for section in self.sections:
            if section.heading is not None and " ".join(section.heading.split()).casefold() == wanted:
                return section
            if section.heading is None and section.name.casefold() == wanted:
                return section  # "(body)", "(before first heading)"
        names = [s.name for s in self.sections]
        raise KeyError(f"no section headed {heading!r}; sections are {names}")

    def compare(self, section: Section | str, against: Section | str = "lede") -> DensityDifference:
        """Opinion density of ``section`` minus that of ``against`` (the lede by default).

        The interval treats the two spans as independent samples of sentences; it is wide for
        short spans, and :attr:`DensityDifference.conclusive` says whether it excludes zero.
        Sentences the two share (the first section holds the lede) are left out of ``section``,
        so that the samples are independent: the first section is compared "after the lede".
        When that would leave nothing (the section is the lede), the two are compared as they are.
        """
        a = self.section(section) if isinstance(section, str) else section
        b = self.section(against) if isinstance(against, str) else against
        rest = a.without(b)
        # Every sentence of ``section`` is in ``against`` (the first section is the lede
        # paragraph): nothing is left to set apart, so the two are compared as they are.
        return density_difference((rest if rest.n_sentences else a).density, b.density)

    # -- views ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The analysis as plain data; a sentence's "attributions" are positions in the
        top-level "attributions" list (each attribution is written once)."""
        index = {id(a): i for i, a in enumerate(self.attributions)}
        return {
            "taxonomy": self.taxonomy,
            "classifier": self.classifier,
            "title": self.title,
            "byline": self.byline,
            "warnings": list(self.warnings),
            "overall": _density_dict(self.overall),
            "lede": {k: v for k, v in self.lede.to_dict(index).items() if k != "sentences"}
            | {"sentence_indices": self._lede_indices()},
            "sections": [s.to_dict(index) for s in self.sections],
            "attributions": [a.to_dict() for a in self.attributions],
        }

    def _lede_indices(self) -> list[int]:
        """Positions of the lede's sentences in ``self.sentences`` (found by offset: sentences
        are disjoint, so a start offset names one sentence; comparing dataclasses was quadratic)."""
        lede_starts = {s.start for s in self.lede.sentences}
        return [i for i, s in enumerate(self.sentences) if s.start in lede_starts]

    def to_json(self, **kwargs: Any) -> str:
        """Deterministic JSON: the same input always gives the same bytes."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), sort_keys=True, **kwargs)

    def to_pandas(self, level: str = "sentence") -> "pd.DataFrame":
        """One row per sentence (``level="sentence"``), per section with the lede first
        (``"section"``), per attribution (``"attribution"``: source, cue, content with offsets,
        speaker) or one row for the article (``"article"``). The columns are those of
        ``framing score --level LEVEL`` without its ``id`` and error columns: both come from
        :mod:`framing.rows`."""
        import pandas as pd

        check_level(level)
        corpus_only = {name for name, _ in (*ID, *ERROR)}
        columns = [c for c in column_names(level) if c not in corpus_only]
        rows = analysis_rows(level, None, self)
        return pd.DataFrame([{c: row[c] for c in columns} for row in rows], columns=columns)

    def source_profile(self) -> "SourceProfile":
        """Who is quoted how often, the share of anonymous sourcing and each speaker's share of
        the quoted words, for the article and per section (see framing.attribution.profile)."""
        from framing.attribution.profile import source_profile

        index = {id(s): i for i, s in enumerate(self.sentences)}
        sections = [(s.name, [index[id(x)] for x in s.sentences]) for s in self.sections]
        return source_profile(self.attributions, sections)

    def format_table(self) -> str:
        """The per-section density table as plain text (what the CLI prints)."""
        from framing.render import format_table

        return format_table(self)

    def to_html(self, path: "str | os.PathLike[str]") -> Path:
        """Write the highlighted article as a standalone HTML page; returns the path."""
        from framing.render import save_html

        return save_html(self, path)

    def _repr_html_(self) -> str:
        from framing.render import render_html

        return render_html(self)

    def __repr__(self) -> str:
        title = self.title if self.title is None or len(self.title) <= 50 else self.title[:47] + "..."
        return (
            f"Analysis(title={title!r}, sections={len(self.sections)}, sentences={self.overall.n_sentences}, "
            f"opinion_density={self.overall}, classifier={self.classifier!r})"
        )
