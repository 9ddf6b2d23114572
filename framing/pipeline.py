"""``analyze``: one Article through a row of stages.

    text ─ read ─▶ Article ─ score ─▶ labels (+ token states) ─ attribute ─▶ who speaks
         ─ context ─▶ labels read in the article ─ results ─▶ Analysis

1. **read** (:meth:`framing.article.Article.read`): layout, body sentences with exact offsets,
   paragraphs. No model.
2. **score** (:meth:`framing.model.FramingModel.score`): one encoder pass gives each sentence's
   label probabilities and, for the span tagger, its token states. A sentence's scores never
   depend on the other sentences in the call, so batch scoring pools this stage over many
   articles (:func:`score_articles`).
3. **attribute** (:func:`framing.attribution.find_attributions`): who speaks where — frames
   from the trained span tagger (``attribution="tagger"``, the default), from the rules
   (``"rules"``), or none (``None``).
4. **context** (:mod:`framing.context`): sentences that the article shows to be a speaker's
   (inside a quotation, or relaying speech) have their speech axis raised.
5. **results**: :class:`~framing.results.Analysis` with sections, the lede and densities.

Where a sentence gets its label: stage 2 reads it alone, stage 4 may set it right in context.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Sequence, overload

import numpy as np

from framing.article import Article, SentenceSpan
from framing.attribution import find_attributions
from framing.attribution.spans import Attribution
from framing.classify.base import SentenceClassifier
from framing.context import apply_context, sentence_evidence
from framing.cues import find_cues
from framing.errors import FramingInputError
from framing.labels import LABELS
from framing.model import FramingModel, get_classifier, load
from framing.results import Analysis, Classification, Section, Sentence, density_of

__all__ = ["Scored", "analyze", "analyze_html", "classify", "finish", "score_articles"]


# -- stage 2: score (poolable over articles) ---------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """Stage 2's output for one article: P(label) of each body sentence (LABELS order) and,
    when the span tagger runs, the token states of what it reads (``Article.tagger_spans``:
    the body sentences, then the title)."""

    scores: np.ndarray
    token_states: tuple[Any, ...] | None


def _tags(model: FramingModel, attribution: str | None) -> bool:
    return attribution == "tagger" and model.span_tagger is not None


def score_articles(model: FramingModel, articles: Sequence[Article], attribution: str | None = "tagger") -> list[Scored]:
    """One scoring call for the sentences of many articles; one :class:`Scored` per article.

    Identical sentences (datelines, boilerplate) are scored once; the longest go first, so the
    encoder's batches hold sentences of similar length and little padding."""
    tags = _tags(model, attribution)
    per_article = [a.encoder_texts(with_title=tags) for a in articles]
    texts = [t for mine in per_article for t in mine]
    unique = sorted(set(texts), key=len, reverse=True)
    scores, states = model.score(unique, token_states=tags)
    row_of = {t: i for i, t in enumerate(unique)}
    rows = [row_of[t] for t in texts]
    pooled = scores[rows] if rows else np.zeros((0, len(LABELS)))
    out, start = [], 0
    for article, mine_texts in zip(articles, per_article):
        mine = rows[start : start + len(mine_texts)]
        body = pooled[start : start + len(article.sentences)]
        out.append(Scored(body, None if states is None else tuple(states[r] for r in mine)))
        start += len(mine_texts)
    return out


# -- stages 3 to 5: per article ------------------------------------------------------------------


def attribute(article: Article, model: FramingModel, attribution: str | None, token_states: Sequence[Any] | None) -> tuple[Attribution, ...]:
    """Stage 3, who speaks where: the span tagger's frames in the body and title (``"tagger"``;
    the rule frames still read dash lines and a title it found nothing in), the rule frames
    (``"rules"``), or nothing (None)."""
    if attribution is None:
        return ()
    body_frames = None
    if _tags(model, attribution):
        spans = article.tagger_spans(with_title=article.title is not None)
        if token_states is None or len(token_states) != len(spans):
            n = 0 if token_states is None else len(token_states)
            raise ValueError(f"{n} token states for {len(spans)} sentences")
        body_frames = model.span_tagger.frames(article.text, spans, token_states)  # type: ignore[union-attr]
    return find_attributions(article, body_frames=body_frames)


def finish(article: Article, scored: Scored, model: FramingModel, attribution: str | None = "tagger") -> Analysis:
    """Stages 3–5 for one article scored by :func:`score_articles`."""
    if len(scored.scores) != len(article.sentences):
        raise ValueError(f"{len(scored.scores)} score rows for {len(article.sentences)} sentences")
    attributions = attribute(article, model, attribution, scored.token_states)
    by_sentence = attributions_by_sentence(attributions, article.sentences)
    # Whose voice a sentence is, read in the article (framing.context): inside a quotation, or
    # reporting a speaker in what read alone looked like the author's own report.
    evidence = sentence_evidence(article, scored.scores, attributions, by_sentence)
    scores, changed_by = apply_context(scored.scores, evidence)
    return _results(article, scores, changed_by, by_sentence, attributions, model.name)


def attributions_by_sentence(attributions: Sequence[Attribution], spans: Sequence[SentenceSpan]) -> list[tuple[Attribution, ...]]:
    """For each sentence, the attributions whose cue or content lies (at least partly) in it.

    Sentences are sorted and disjoint, so each span finds its sentences by bisection: linear in
    the article, where testing every attribution against every sentence was quadratic.
    """
    starts = [span.start for span in spans]
    buckets: list[list[Attribution]] = [[] for _ in spans]
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


def _results(
    article: Article,
    scores: np.ndarray,
    changed_by: Sequence[Any],
    by_sentence: Sequence[tuple[Attribution, ...]],
    attributions: tuple[Attribution, ...],
    classifier_name: str,
) -> Analysis:
    """Stage 5: the result objects, sections and densities."""
    text = article.text
    sentences = [
        Sentence(
            text=text[span.start : span.end],
            start=span.start,
            end=span.end,
            label=LABELS[int(np.argmax(row))],
            scores={name: float(p) for name, p in zip(LABELS, row)},
            section_index=span.section,
            paragraph_index=span.paragraph,
            cues=find_cues(text[span.start : span.end]).describe(),
            attributions=touching,
            context=changed.describe() if changed is not None else None,
        )
        for span, row, touching, changed in zip(article.sentences, scores, by_sentence, changed_by)
    ]
    members_of: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        members_of.setdefault(sentence.section_index, []).append(sentence)
    layout = article.layout
    sections = []
    for index, layout_section in enumerate(layout.sections):
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
                only_section=len(layout.sections) == 1 and heading is None,
            )
        )
    lede_sentences: tuple[Sentence, ...] = ()
    lede_section = 0
    if article.lede is not None:
        lo, hi = article.lede
        lede_sentences = tuple(s for s in sentences if lo <= s.start and s.end <= hi)
        lede_section = lede_sentences[0].section_index if lede_sentences else 0
    lede = Section(
        index=lede_section, heading=None, kind="lede", sentences=lede_sentences, density=density_of(lede_sentences)
    )
    return Analysis(
        text=text,
        # One line of text: a headline-and-dek title spans two lines of the original.
        title=" ".join(layout.title.text.split()) if layout.title is not None else None,
        byline=layout.byline.text if layout.byline is not None else None,
        sections=tuple(sections),
        lede=lede,
        overall=density_of(sentences),
        classifier=classifier_name,
        warnings=article.warnings,
        attributions=attributions,
    )


# -- the entry points ----------------------------------------------------------------------------


def analyze(
    text: str,
    *,
    classifier: str | SentenceClassifier | None = None,
    attribution: str | None = "tagger",
    markdown: bool | None = None,
) -> Analysis:
    """Analyze one article: structure, sentences with offsets, labels, who speaks, densities.

    ``classifier`` is None for the shipped trained model, ``"rules"`` for the rule-based
    classifier, or any object with ``.name`` and ``.predict_proba(sentences)``.
    ``attribution`` says who finds attributions, whatever the classifier: ``"tagger"`` (the
    trained span tagger; the default), ``"rules"`` (the rule frames: no model at all with
    ``classifier="rules"``) or None (no attribution, so no labels from context either).
    ``markdown`` forces (True) or disables (False) reading ``#`` headings; None detects them.
    Raises FramingInputError for input that is not analyzable text; an empty article gives an
    empty Analysis with a warning.
    """
    article = Article.read(text, markdown=markdown)
    model = load(classifier, attribution=attribution)
    return finish(article, score_articles(model, [article], attribution)[0], model, attribution)


def analyze_html(
    html: str, *, classifier: str | SentenceClassifier | None = None, attribution: str | None = "tagger"
) -> Analysis:
    """Analyze a web page: the article is extracted with trafilatura (extra ``framing[html]``),
    headings become Markdown headings, and offsets index the extracted text (``analysis.text``)."""
    from framing.text.html import html_to_text

    return analyze(html_to_text(html), classifier=classifier, attribution=attribution, markdown=True)


@overload
def classify(sentences: str, classifier: str | SentenceClassifier | None = None) -> Classification: ...
@overload
def classify(sentences: Sequence[str], classifier: str | SentenceClassifier | None = None) -> list[Classification]: ...


def classify(sentences, classifier=None):  # type: ignore[no-untyped-def]
    """Label sentences one by one, without article context (stage 2 alone). A string gives one
    Classification, a list gives a list."""
    single = isinstance(sentences, str)
    items = [sentences] if single else sentences
    if items is None or isinstance(items, (bytes, bytearray)) or not hasattr(items, "__iter__"):
        raise FramingInputError(f"classify() takes a string or a list of strings, not {type(sentences).__name__}")
    items = list(items)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise FramingInputError(f"sentence {i} is {type(item).__name__}, not str")
    model = get_classifier(classifier)
    probabilities = model.predict_proba(items) if items else []
    out = [
        Classification(
            text=text,
            label=LABELS[int(row.argmax())],
            scores={name: float(p) for name, p in zip(LABELS, row)},
            cues=find_cues(text).describe(),
        )
        for text, row in zip(items, probabilities)
    ]
    return out[0] if single else out
