"""The Article: one text read once — layout, sentences, paragraphs, quotation regions.

``Article.read(text)`` is the first stage of every analysis. It checks the input, finds the
layout (title, byline, headings, paragraphs; :mod:`framing.text.layout`) and splits the body
into sentences with exact offsets (:mod:`framing.text.sentences`). Every later stage (the
encoder, the classifier, attribution, context, results) reads this one object and never
re-parses the text; the quotation regions of each body paragraph are found once, on first use,
and shared by attribution and context.

A :class:`SentenceSpan` is the one shape of "a sentence of this article" that every stage
passes around: offsets into ``Article.text``, the paragraph it lies in and its position.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from framing.text.layout import ArticleLayout, Block, parse_layout
from framing.text.quotes import QuoteRegion, find_quotes
from framing.text.sentences import TERMINALS, split_sentences
from framing.text.validate import check_text, content_warnings

__all__ = ["Article", "SentenceSpan", "TITLE_PARAGRAPH"]

#: ``SentenceSpan.paragraph`` of the title when the span tagger reads it: a unit of its own,
#: before the body.
TITLE_PARAGRAPH = -1
#: Any sentence-ending punctuation the splitter knows ("…" and CJK 。！？ included).
_TERMINAL_CHARS = TERMINALS


@dataclass(frozen=True)
class SentenceSpan:
    """One sentence of an article (or one line outside its body, such as the title)."""

    start: int
    end: int
    #: Index of its paragraph: into ``Article.paragraphs`` for body sentences; lines outside
    #: the body get a number of their own (TITLE_PARAGRAPH for the title, see the users).
    paragraph: int
    #: Position among the article's body sentences (``Analysis.sentences``); None outside the body.
    index: int | None
    #: Index of its section in ``Article.layout.sections`` (-1 outside the body).
    section: int = -1


@dataclass(frozen=True, eq=False)
class Article:
    """An article's text with its layout and body sentences (see the module docstring)."""

    text: str
    layout: ArticleLayout
    #: The body sentences, in reading order; ``sentences[i].index == i``.
    sentences: tuple[SentenceSpan, ...]
    #: (start, end) of each body paragraph, in order (``SentenceSpan.paragraph``).
    paragraphs: tuple[tuple[int, int], ...]
    #: (start, end) of the lede paragraph, or None when the body is empty.
    lede: tuple[int, int] | None
    #: What the reader should know before trusting the numbers (empty text, no punctuation...).
    warnings: tuple[str, ...]

    @classmethod
    def read(cls, text: object, *, markdown: bool | None = None) -> "Article":
        """Check ``text`` (FramingInputError for what is not analyzable text), find its layout
        and split its body into sentences. ``markdown`` forces (True) or disables (False)
        reading ``#`` headings; None detects them."""
        text = check_text(text)
        layout = parse_layout(text, markdown=markdown)
        spans: list[SentenceSpan] = []
        paragraphs: list[tuple[int, int]] = []
        for section_index, section in enumerate(layout.sections):
            for paragraph in section.paragraphs:
                for start, end in split_sentences(text, paragraph.start, paragraph.end):
                    spans.append(SentenceSpan(start, end, len(paragraphs), len(spans), section_index))
                paragraphs.append((paragraph.start, paragraph.end))
        warnings: list[str] = list(layout.notes)
        if not text.strip():
            warnings.append("empty text: nothing to analyze")
        elif not spans:
            warnings.append("no body text found: only title, byline or headings")
        elif not _TERMINAL_CHARS.search(text):
            warnings.append("no sentence punctuation: each paragraph was taken as one sentence")
        if spans:
            warnings.extend(content_warnings(text))
        lede = (layout.lede.start, layout.lede.end) if layout.lede is not None else None
        return cls(text, layout, tuple(spans), tuple(paragraphs), lede, tuple(warnings))

    # -- what the stages read ---------------------------------------------------------------
    @property
    def title(self) -> Block | None:
        return self.layout.title

    @property
    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.sentences]

    @cached_property
    def quotes(self) -> tuple[tuple[QuoteRegion, ...], ...]:
        """The quotation regions of each body paragraph (``quotes[p]`` for paragraph p), found
        once and shared by attribution and context."""
        return tuple(tuple(find_quotes(self.text, a, b)) for a, b in self.paragraphs)

    @property
    def outside_lines(self) -> list[Block]:
        """Lines outside the body that attribution reads too: "— Commissioner X" under a
        quotation (the layout takes such a line for a heading or skips it)."""
        headings = [section.heading for section in self.layout.sections if section.heading is not None]
        return [b for b in (*headings, *self.layout.skipped) if b.text[:1] in "—–"]

    def encoder_texts(self, with_title: bool) -> list[str]:
        """What the encoder reads: the body sentences, then (``with_title``, for a model with a
        span tagger) the title, whose token states only the tagger reads: headlines attribute
        too ("Clinton says she won't rule out a female running mate.")."""
        title = self.layout.title
        extra = [self.text[title.start : title.end]] if with_title and title is not None else []
        return self.sentence_texts + extra

    def tagger_spans(self, with_title: bool = False) -> list[SentenceSpan]:
        """The sentences the span tagger reads, at run time and in training: the body
        sentences, then, ``with_title``, the title (paragraph TITLE_PARAGRAPH, index None), in
        the order of :meth:`encoder_texts`."""
        spans = list(self.sentences)
        title = self.layout.title
        if with_title and title is not None:
            spans.append(SentenceSpan(title.start, title.end, TITLE_PARAGRAPH, None))
        return spans
