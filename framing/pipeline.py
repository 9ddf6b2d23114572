"""``analyze``: text → layout → sentences → labels → densities → Analysis.

The work is split in two halves around the classifier so that batch scoring can pool the
sentences of many articles into one classifier call: ``prepare`` finds structure and sentence
spans (no model), ``score`` runs the classifier (and hands back the encoder's token states when
the model has a span tagger), ``assemble`` turns scores into result objects; its only model is
the small attribution span tagger over those token states, run one article at a time.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from framing.attribution import find_attributions
from framing.attribution.detect import SentenceSpan as FrameSpan
from framing.classify import get_classifier
from framing.classify.base import SentenceClassifier
from framing.context import apply_context, sentence_evidence
from framing.cues import find_cues
from framing.text.layout import ArticleLayout, parse_layout
from framing.labels import LABELS
from framing.results import Analysis, Section, Sentence, density_of
from framing.text.sentences import split_sentences
from framing.text.validate import check_text, content_warnings


@dataclass(frozen=True)
class SentenceSpan:
    start: int
    end: int
    section_index: int
    paragraph_index: int


@dataclass(frozen=True)
class PreparedArticle:
    """An article's structure and sentence spans, ready for scoring."""

    text: str
    layout: ArticleLayout
    spans: tuple[SentenceSpan, ...]
    #: (start, end) of the lede paragraph, or None when the body is empty.
    lede: tuple[int, int] | None
    warnings: tuple[str, ...]

    @property
    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) of each body paragraph, in order (``SentenceSpan.paragraph_index``)."""
        return [(p.start, p.end) for section in self.layout.sections for p in section.paragraphs]

    @property
    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.spans]

    def encoder_texts(self, with_title: bool) -> list[str]:
        """What the encoder reads: the body sentences, then (``with_title``, for a model with a
        span tagger) the title, whose token states only the tagger reads: headlines attribute
        too ("Clinton says she won't rule out a female running mate.")."""
        title = self.layout.title
        return self.sentence_texts + ([self.text[title.start : title.end]] if with_title and title is not None else [])


def prepare(text: object, *, markdown: bool | None = None) -> PreparedArticle:
    text = check_text(text)
    layout = parse_layout(text, markdown=markdown)
    spans: list[SentenceSpan] = []
    paragraph_index = 0
    for section_index, section in enumerate(layout.sections):
        for paragraph in section.paragraphs:
            for start, end in split_sentences(text, paragraph.start, paragraph.end):
                spans.append(SentenceSpan(start, end, section_index, paragraph_index))
            paragraph_index += 1
    warnings: list[str] = list(layout.notes)
    if not text.strip():
        warnings.append("empty text: nothing to analyze")
    elif not spans:
        warnings.append("no body text found: only title, byline or headings")
    elif not any(ch in text for ch in ".?!"):
        warnings.append("no sentence punctuation: each paragraph was taken as one sentence")
    if spans:
        warnings.extend(content_warnings(text))
    lede = (layout.lede.start, layout.lede.end) if layout.lede is not None else None
    return PreparedArticle(text, layout, tuple(spans), lede, tuple(warnings))


def score(model: SentenceClassifier, texts: Sequence[str]) -> tuple[np.ndarray, list[Any] | None]:
    """The classifier's scores for ``texts`` and, when it has a span tagger (the trained
    default), each sentence's token states from the same encoder pass; None otherwise."""
    if not texts:
        return np.zeros((0, len(LABELS))), None
    if getattr(model, "span_tagger", None) is not None:
        return model.predict_proba_with_states(texts)  # type: ignore[attr-defined]
    return model.predict_proba(texts), None


def assemble(
    prepared: PreparedArticle,
    scores: np.ndarray,
    classifier_name: str,
    *,
    span_tagger: Any = None,
    token_states: Sequence[Any] | None = None,
) -> Analysis:
    """Build the Analysis from the classifier's scores (one row per span, LABELS order), with
    who speaks where (``framing.attribution``): spans from ``span_tagger`` over the sentences'
    ``token_states`` (one per span, then one for the title when ``encoder_texts`` included it)
    when both are given, else from the rule frames. The attributions then set
    right sentences the classifier misread alone (``framing.context``; ``Sentence.context``)."""
    if len(scores) != len(prepared.spans):
        raise ValueError(f"{len(scores)} score rows for {len(prepared.spans)} sentences")
    text = prepared.text
    attributions = _attributions_of(prepared, span_tagger, token_states)
    by_sentence = _attributions_by_sentence(attributions, prepared.spans)
    # Whose voice a sentence is, read in the article (framing.context): inside a quotation, or
    # reporting a speaker in what read alone looked like the author's own report.
    evidence = sentence_evidence(
        text, [(s.start, s.end, s.paragraph_index) for s in prepared.spans], scores, attributions, by_sentence,
        prepared.paragraphs,
    )
    scores, changed_by = apply_context(scores, evidence)
    sentences = [
        Sentence(
            text=text[span.start : span.end],
            start=span.start,
            end=span.end,
            label=LABELS[int(np.argmax(row))],
            scores={name: float(p) for name, p in zip(LABELS, row)},
            section_index=span.section_index,
            paragraph_index=span.paragraph_index,
            cues=find_cues(text[span.start : span.end]).describe(),
            attributions=touching,
            context=changed.describe() if changed is not None else None,
        )
        for span, row, touching, changed in zip(prepared.spans, scores, by_sentence, changed_by)
    ]
    members_of: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        members_of.setdefault(sentence.section_index, []).append(sentence)
    sections = []
    for index, layout_section in enumerate(prepared.layout.sections):
        members = tuple(members_of.get(index, ()))
        heading = layout_section.heading
        sections.append(
            Section(
                index=index,
                heading=heading.text if heading is not None else None,
                kind=layout_section.kind,
                sentences=members,
                density=density_of(members),
                heading_span=(heading.start, heading.end) if heading is not None else None,
                group=layout_section.group,
                only_section=len(prepared.layout.sections) == 1 and heading is None,
            )
        )
    lede_sentences: tuple[Sentence, ...] = ()
    lede_section = 0
    if prepared.lede is not None:
        lo, hi = prepared.lede
        lede_sentences = tuple(s for s in sentences if lo <= s.start and s.end <= hi)
        lede_section = lede_sentences[0].section_index if lede_sentences else 0
    lede = Section(
        index=lede_section, heading=None, kind="lede", sentences=lede_sentences, density=density_of(lede_sentences)
    )
    layout = prepared.layout
    return Analysis(
        text=text,
        # One line of text: a headline-and-dek title spans two lines of the original.
        title=" ".join(layout.title.text.split()) if layout.title is not None else None,
        byline=layout.byline.text if layout.byline is not None else None,
        sections=tuple(sections),
        lede=lede,
        overall=density_of(sentences),
        classifier=classifier_name,
        warnings=prepared.warnings,
        attributions=attributions,
    )


#: Paragraph number of the title among the tagger's spans: a unit of its own, before the body.
TITLE_PARAGRAPH = -1


def frame_spans(prepared: PreparedArticle, with_title: bool = False) -> list[FrameSpan]:
    """The sentences the span tagger reads, at run time and in training (framing.train.tagger):
    the body sentences (index = position in the article), then, ``with_title``, the title
    (index None), in the order of ``prepared.encoder_texts``."""
    spans = [FrameSpan(s.start, s.end, s.paragraph_index, i) for i, s in enumerate(prepared.spans)]
    title = prepared.layout.title
    if with_title and title is not None:
        spans.append(FrameSpan(title.start, title.end, TITLE_PARAGRAPH, None))
    return spans


def _attributions_of(prepared: PreparedArticle, span_tagger: Any = None, token_states: Sequence[Any] | None = None):
    """Who speaks where (framing.attribution): the trained span tagger's frames in the body and
    title where it is given, the rule frames elsewhere (dash lines, a title it found nothing in)
    and otherwise."""
    body_frames = None
    if span_tagger is not None and token_states is not None:
        n = len(prepared.spans)
        with_title = len(token_states) == n + 1 and prepared.layout.title is not None
        if len(token_states) != n and not with_title:
            raise ValueError(f"{len(token_states)} token states for {n} sentences")
        body_frames = span_tagger.frames(prepared.text, frame_spans(prepared, with_title), token_states)
    layout = prepared.layout
    paragraphs = prepared.paragraphs
    title = (layout.title.start, layout.title.end) if layout.title is not None else None
    spans = [(s.start, s.end, s.paragraph_index) for s in prepared.spans]
    headings = [section.heading for section in layout.sections if section.heading is not None]
    dash_lines = [(b.start, b.end) for b in (*headings, *layout.skipped) if b.text[:1] in "—–"]
    return find_attributions(prepared.text, spans, paragraphs, title, dash_lines, body_frames=body_frames)


def _attributions_by_sentence(attributions: Sequence[Any], spans: Sequence[SentenceSpan]) -> list[tuple[Any, ...]]:
    """For each sentence, the attributions whose cue or content lies (at least partly) in it.

    Sentences are sorted and disjoint, so each span finds its sentences by bisection: linear in
    the article, where testing every attribution against every sentence was quadratic.
    """
    starts = [span.start for span in spans]
    buckets: list[list[Any]] = [[] for _ in spans]
    for attribution in attributions:
        hit: set[int] = set()
        for part in (attribution.cue, attribution.content):
            if part is None:
                continue
            i = max(0, bisect_right(starts, part.start) - 1)
            while i < len(spans) and spans[i].start < part.end:
                if spans[i].end > part.start:
                    hit.add(i)
                i += 1
        for i in sorted(hit):
            buckets[i].append(attribution)
    return [tuple(bucket) for bucket in buckets]


def analyze(
    text: str,
    *,
    classifier: str | SentenceClassifier | None = None,
    markdown: bool | None = None,
) -> Analysis:
    """Analyze one article: structure, sentences with offsets, labels and opinion density.

    ``classifier`` is None for the shipped trained model, ``"rules"`` for the rule-based
    classifier, or any object with ``.name`` and ``.predict_proba(sentences)``. ``markdown``
    forces (True) or disables (False) reading ``#`` headings; None detects them.
    Raises FramingInputError for input that is not analyzable text; an empty article gives an
    empty Analysis with a warning.
    """
    prepared = prepare(text, markdown=markdown)
    model = get_classifier(classifier)
    tagger = getattr(model, "span_tagger", None)
    scores, states = score(model, prepared.encoder_texts(with_title=tagger is not None))
    return assemble(prepared, scores[: len(prepared.spans)], model.name, span_tagger=tagger, token_states=states)


def analyze_html(html: str, *, classifier: str | SentenceClassifier | None = None) -> Analysis:
    """Analyze a web page: the article is extracted with trafilatura (extra ``framing[html]``),
    headings become Markdown headings, and offsets index the extracted text (``analysis.text``)."""
    from framing.text.html import html_to_text

    return analyze(html_to_text(html), classifier=classifier, markdown=True)
