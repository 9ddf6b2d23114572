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
from framing.attribution.spans import Attribution, Frame
from framing.attribution.units import unit_groups
from framing.classify.base import SentenceClassifier
from framing.context import apply_context, sentence_evidence
from framing.cues import find_cues
from framing.errors import FramingInputError
from framing.labels import LABELS
from framing.model import FramingModel, get_classifier, load
from framing.results import Analysis, Classification, Section, Sentence, density_of
from framing.text.validate import has_surrogates

__all__ = ["Scored", "analyze", "analyze_html", "classify", "finish", "score_articles"]


# -- stage 2: score (poolable over articles) ---------------------------------------------------

#: An article longer than this (characters) is encoded and tagged in blocks (see
#: :func:`_score_streamed`), so its memory does not grow with its length; the longest article of
#: the evaluation sets has 34,309.
STREAM_CHARS = 100_000
#: Tokens per block of a streamed article (whole span-tagger units: a unit longer goes alone).
BLOCK_TOKENS = 8192
#: Sentences per block of a streamed article when no span tagger runs.
BLOCK_SENTENCES = 512


@dataclass(frozen=True)
class Scored:
    """Stage 2's output for one article: P(label) of each body sentence (LABELS order) and,
    when the span tagger ran, its frames in the body and title, from the same encoder pass."""

    scores: np.ndarray
    frames: tuple[Frame, ...] | None


def _tags(model: FramingModel, attribution: str | None) -> bool:
    return attribution == "tagger" and model.span_tagger is not None


def score_articles(model: FramingModel, articles: Sequence[Article], attribution: str | None = "tagger") -> list[Scored]:
    """One scoring call for the sentences of many articles; one :class:`Scored` per article.

    Identical sentences (datelines, boilerplate) are scored once; the longest go first, so the
    encoder's batches hold sentences of similar length and little padding. The span tagger reads
    each article's token states right after the encoder pass, and they are dropped: what leaves
    this stage is labels and frames, never the states (about 0.8 KB per token)."""
    tags = _tags(model, attribution)
    out: list[Scored | None] = [None] * len(articles)
    pooled = [k for k, a in enumerate(articles) if len(a.text) <= STREAM_CHARS]
    for k, a in enumerate(articles):
        if len(a.text) > STREAM_CHARS:
            out[k] = _score_streamed(model, a, tags)
    per_article = [articles[k].encoder_texts(with_title=tags) for k in pooled]
    texts = [t for mine in per_article for t in mine]
    unique = sorted(set(texts), key=len, reverse=True)
    scores, states = model.score(unique, token_states=tags)
    row_of = {t: i for i, t in enumerate(unique)}
    rows = [row_of[t] for t in texts]
    start = 0
    for k, mine_texts in zip(pooled, per_article):
        article = articles[k]
        mine = rows[start : start + len(mine_texts)]
        frames = None
        if tags:
            spans = article.tagger_spans(with_title=True)
            frames = tuple(model.span_tagger.frames(article.text, spans, [states[r] for r in mine]))  # type: ignore[union-attr]
        out[k] = Scored(scores[mine[: len(article.sentences)]] if mine else np.zeros((0, len(LABELS))), frames)
        start += len(mine_texts)
    return out  # type: ignore[return-value]


def _score_streamed(model: FramingModel, article: Article, tags: bool) -> Scored:
    """Stage 2 for a long article, block by block: each block is encoded once, its token states
    tagged and dropped. Blocks are runs of whole span-tagger units (a unit depends only on its
    sentences' token counts, :func:`framing.attribution.units.unit_groups`), so every unit and
    sentence is read as it would be in one piece; only the batching differs."""
    spans = article.tagger_spans(with_title=tags)
    texts = article.encoder_texts(with_title=tags)
    n_body = len(article.sentences)
    scores = np.zeros((n_body, len(LABELS)))
    frames: list[Frame] = []
    if tags:
        tagger = model.span_tagger
        counts = model.tagger_encoder.token_counts(texts)  # type: ignore[union-attr]
        blocks: list[list[int]] = [[]]
        size = 0
        for group in unit_groups(spans, counts, tagger.max_unit_tokens):  # type: ignore[union-attr]
            n = sum(counts[i] for i in group)
            if blocks[-1] and size + n > BLOCK_TOKENS:
                blocks.append([])
                size = 0
            blocks[-1].extend(group)
            size += n
    else:
        blocks = [list(range(lo, min(lo + BLOCK_SENTENCES, len(spans)))) for lo in range(0, len(spans), BLOCK_SENTENCES)]
    for block in blocks:
        if not block:
            continue
        block_scores, states = model.score([texts[i] for i in block], token_states=tags)
        body = [j for j, i in enumerate(block) if i < n_body]  # the title, last, is tagged, not labeled
        scores[[block[j] for j in body]] = block_scores[body]
        if tags:
            frames.extend(model.span_tagger.frames(article.text, [spans[i] for i in block], states))  # type: ignore[union-attr]
    return Scored(scores, tuple(frames) if tags else None)


# -- stages 3 to 5: per article ------------------------------------------------------------------


def attribute(article: Article, attribution: str | None, frames: Sequence[Frame] | None) -> tuple[Attribution, ...]:
    """Stage 3, who speaks where: the span tagger's ``frames`` in the body and title (the rule
    frames still read dash lines and a title it found nothing in), the rule frames
    (``"rules"``), or nothing (None)."""
    if attribution is None:
        return ()
    if attribution == "tagger" and frames is None:
        raise ValueError("attribution='tagger' but no span tagger frames were given")
    return find_attributions(article, body_frames=frames if attribution == "tagger" else None)


def finish(article: Article, scored: Scored, model: FramingModel, attribution: str | None = "tagger") -> Analysis:
    """Stages 3–5 for one article scored by :func:`score_articles`."""
    if len(scored.scores) != len(article.sentences):
        raise ValueError(f"{len(scored.scores)} score rows for {len(article.sentences)} sentences")
    attributions = attribute(article, attribution, scored.frames)
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
        if has_surrogates(item):
            raise FramingInputError(f"sentence {i} contains a lone surrogate (half a character); repair it with "
                                    "framing.replace_surrogates")
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
