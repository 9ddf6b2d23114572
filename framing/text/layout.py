"""Article layout from plain text or Markdown: title, byline, headings, paragraphs. No labels.

The input is usually scraper output, so the parser expects its habits: the headline printed twice,
a byline line glued under the repeated headline, section headings printed twice, and an FAQ block
whose questions each head their own answer. Everything it finds is a :class:`Block` whose
``start``/``end`` index the caller's original string, whatever its line breaks (``\\n``,
``\\r\\n``, ``\\r``, U+2028; U+2029 counts as a paragraph break), tabs, trailing spaces or BOM.

Plain-text rules (Markdown ``#`` headings are taken as written):

* **Paragraph**: a run of non-blank lines; a hard-wrapped paragraph stays one block. When every
  line of a run ends a sentence or is a Title-Case line, the text has one paragraph per line
  (common in scraper output without blank lines), and each line is its own block.
* **Title**: the first line, if it is short, does not end like a sentence, more text follows, and
  the line after it is a blank line, a repeat of it or a byline (not the rest of a wrapped line).
  Immediate repeats of it are scraper noise and go to ``skipped``. Some corpora print the
  headline with a final period (PolNeAR: "Republican seeks new Clinton inquiry."): a one-line
  first paragraph with a blank line and at least two paragraphs after it is the title when it is
  one sentence in Title Case, a "Who: what" headline, or at most 12 words in headlinese (no
  "is"/"was", not opening with "The", "It", "We" ...: "It was a cold night." stays a paragraph);
  in Title Case it needs only one paragraph of 100 characters or more after it. Archive exports
  print "Headline;" over a one-sentence dek as one paragraph: both lines are the title.
* **Export header**: a body that opens with "ABSTRACT." … "FULL TEXT." (ProQuest) starts after
  "FULL TEXT"; the marker lines and the summary between them go to ``skipped``, with a note.
* **Byline**: a short line right after the title that starts with "By ..." or carries a date
  ("Nov, 29 2025 World Caelum Braxton", "March 3, 2024", "2024-03-03", "Updated ...").
  A wire dateline at the start of the first paragraph ("WASHINGTON (AP) — ...") is left in the
  body: it is part of the lede sentence, and cutting it would break that sentence's offsets.
* **Heading**: a one-line paragraph, short, without sentence-final punctuation, in Title Case
  (question or not), followed by a paragraph; not a list item ("- ..."), a quote ("> ...") or a
  dash-led speaker line ("— Commissioner X"). Setext underlines ("===", "---") mark headings. Inside an FAQ block, a sentence-case question
  followed by its answer is a heading too. A heading repeated right after itself is skipped.
* **Group**: a heading followed directly by another heading ("Frequently Asked Questions") does
  not open an empty section; it becomes the ``group`` of the sections after it. Groups whose
  text names an FAQ give those sections ``kind="faq"``; an FAQ group ends at the first heading
  that is not a question.
* A heading with nothing under it (at the end, or before a heading of the same Markdown level)
  goes to ``skipped`` instead of making an empty section.
* Where no block looks like body text at all ("Breaking: Council Votes" over "Taxes Up 5%"), the
  plain-text heading-like blocks are the body, and ``notes`` says so.

Everything is a single left-to-right pass over lines plus passes over blocks; the few regular
expressions run on short, length-capped lines and have no nested quantifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from framing.errors import FramingInputError

__all__ = ["Block", "SectionLayout", "ArticleLayout", "parse_layout"]

TITLE, BYLINE, HEADING, PARAGRAPH = "title", "byline", "heading", "paragraph"


@dataclass(frozen=True)
class Block:
    kind: str  # "title" | "byline" | "heading" | "paragraph"
    start: int  # text[start:end] == self.text, surrounding whitespace excluded
    end: int
    text: str
    is_question: bool = False  # heading phrased as a question ("What Comes Next?")


@dataclass(frozen=True)
class SectionLayout:
    heading: Block | None  # None for body text before the first heading
    paragraphs: tuple[Block, ...]
    group: str | None = None  # e.g. "Frequently Asked Questions" for each FAQ question section
    kind: str = "body"  # "body" | "faq"
    #: The block that names ``group`` (same text, with offsets), for views that draw it once.
    group_heading: Block | None = None


@dataclass(frozen=True)
class ArticleLayout:
    title: Block | None
    byline: Block | None
    sections: tuple[SectionLayout, ...]  # reading order; never an empty or duplicate section
    skipped: tuple[Block, ...]  # scraper repeats and empty headings, kept for transparency
    #: What the parser had to guess, in words (``framing.analyze`` shows them as warnings).
    notes: tuple[str, ...] = ()

    @property
    def lede(self) -> Block | None:
        """The first body paragraph (first paragraph of the first section that has one)."""
        for section in self.sections:
            if section.paragraphs:
                return section.paragraphs[0]
        return None


# --------------------------------------------------------------------------- lines

# Line breaks str.splitlines() knows, minus U+2029 which we treat as a paragraph break.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028")
_PARA_BREAK = "\u2029"
# Stripped around lines and blocks on top of str.isspace(): BOM and zero-width characters.
_INVISIBLE = frozenset("\ufeff\u200b\u200c\u200d\u2060")

_MAX_HEADING_CHARS = 160
_MAX_HEADING_WORDS = 16
_MAX_QUESTION_WORDS = 30
_MAX_TITLE_CHARS = 250
_MAX_TITLE_WORDS = 30
_MAX_BYLINE_CHARS = 120
_MAX_BYLINE_WORDS = 16


def _is_blank_char(ch: str) -> bool:
    return ch.isspace() or ch in _INVISIBLE


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _is_blank_char(text[start]):
        start += 1
    while end > start and _is_blank_char(text[end - 1]):
        end -= 1
    return start, end


def _lines(text: str) -> list[tuple[int, int] | None]:
    """Stripped (start, end) of each line; ``None`` for a blank line or a U+2029 break."""
    out: list[tuple[int, int] | None] = []
    n = len(text)
    i = 0
    line_start = 0
    while i < n:
        ch = text[i]
        if ch in _LINE_BREAKS or ch == _PARA_BREAK:
            s, e = _strip_span(text, line_start, i)
            out.append((s, e) if e > s else None)
            if ch == _PARA_BREAK:
                out.append(None)
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            line_start = i + 1
        i += 1
    s, e = _strip_span(text, line_start, n)
    out.append((s, e) if e > s else None)
    return out


# --------------------------------------------------------------------------- markdown bits

_MD_HEADING = re.compile(r"(#{1,6})[ \t]+\S")
_MD_RULE_CHARS = frozenset("-*_= \t")


def _md_heading_level(line: str) -> int:
    """Level of an ATX heading line ("## Foo" -> 2), else 0."""
    if not line.startswith("#"):
        return 0
    m = _MD_HEADING.match(line[:10])
    return len(m.group(1)) if m else 0


def _is_md_rule(line: str) -> bool:
    """A thematic break ("---", "***", "___") or setext underline."""
    return len(line) >= 3 and line[0] in "-*_=" and all(c in _MD_RULE_CHARS for c in line)


def _unwrap_emphasis(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop matching emphasis markers around a span ("**Foo?**" -> "Foo?"), keeping offsets."""
    for _ in range(3):
        span = text[start:end]
        for marker in ("**", "__", "*", "_"):
            m = len(marker)
            if len(span) > 2 * m and span.startswith(marker) and span.endswith(marker):
                start, end = _strip_span(text, start + m, end - m)
                break
        else:
            break
    return start, end


# --------------------------------------------------------------------------- line tests

_SMALL_WORDS = frozenset(
    "a an and as at but by de del for from in into nor of off on onto or over per the to up "
    "upon via vs with within without".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’]*")
_CLOSERS = "\"'”’»)]*_"
_OPENERS = "\"'“‘«([*_"
_FAQ_NAME = re.compile(r"\b(frequently asked questions|faqs?|questions and answers|q\s?&\s?a)\b", re.I)
_MONTH = (
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"(uary|ruary|ch|il|e|y|ust|tember|ober|ember)?"
)
_DATE = re.compile(
    rf"\b{_MONTH}\.?,?[ \t]+\d{{1,4}}\b"  # Nov 29 / Nov, 29 2025 / March 3, 2024
    rf"|\b\d{{1,2}}[ \t]+{_MONTH}\b"  # 29 November
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b(published|updated|posted)\b",
    re.I,
)
_LIST_OR_QUOTE = re.compile(r"[-*+•>|](?:[ \t]|$)|[—–―]|\d{1,3}[)][ \t]")
_STAMP = re.compile(r"(published|updated|posted|last updated)\b", re.I)
_BY = re.compile(r"(by|von|par|por)[ \t:]+[^\W\d_]", re.I)


def _last_significant_char(s: str) -> str:
    s = s.rstrip(_CLOSERS + " \t")
    return s[-1] if s else ""


def _ends_like_sentence(s: str) -> bool:
    return _last_significant_char(s) in ".!;:,…"


def _is_question(s: str) -> bool:
    return _last_significant_char(s) in "?？"


def _words(s: str) -> list[str]:
    return _WORD.findall(s)


def _is_title_case(s: str) -> bool:
    words = _words(s)
    if not words or not words[0][0].isupper():
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(significant) and all(w[0].isupper() for w in significant)


def _heading_shape(s: str, max_chars: int, max_words: int) -> bool:
    """Short, not ending like a sentence, not a list item or quote, with at least one word."""
    if len(s) > max_chars or _ends_like_sentence(s) or _LIST_OR_QUOTE.match(s):
        return False
    return 0 < len(s.split()) <= max_words and bool(_words(s))


def _looks_like_heading(s: str, in_faq: bool) -> bool:
    if _heading_shape(s, _MAX_HEADING_CHARS, _MAX_HEADING_WORDS) and _is_title_case(s):
        return True
    return (
        in_faq
        and _is_question(s)
        and _heading_shape(s, _MAX_HEADING_CHARS * 2, _MAX_QUESTION_WORDS)
    )


def _looks_like_title(s: str) -> bool:
    if len(s) > _MAX_TITLE_CHARS or _ends_like_sentence(s):
        return False
    return 0 < len(s.split()) <= _MAX_TITLE_WORDS and bool(_words(s))


_HEADLINE_COLON = re.compile(r"[^:.!?]{1,40}: \S")  # "Pence: Gennifer Flowers Won’t Be at Debate"
#: A short line starting with these is a one-line opening paragraph ("It was a cold night."),
#: not a headline printed with a final period.
_NARRATIVE_OPENERS = frozenset("it i we he she they this that there these those you when as the a an".split())
#: Headlines drop the verb "to be" ("Republican seeks new Clinton inquiry"); a short sentence
#: that keeps it ("Intro line that is a paragraph.") is prose.
_BE = frozenset("is are was were am be been being isn't aren't wasn't weren't".split())
_MAX_PLAIN_STOPPED_TITLE_WORDS = 12


def _looks_like_stopped_title(s: str) -> bool:
    """A headline printed with a final period, as some corpora do (PolNeAR: "Republican seeks
    new Clinton inquiry."): one sentence ending in a single ".", in Title Case, or a "Who: what"
    headline, or short (at most 12 words) in headlinese: no "is"/"was", not opening like
    narration ("The", "It", "We" ...). Used only for a one-line first paragraph with room
    for a body after it (``_stopped_title_room``)."""
    core = s.rstrip()
    # The period may sit inside closing quotes: "Trump As A ‘Disgusting Fraud.’"
    bare = core.rstrip(_CLOSERS)
    if not bare.endswith(".") or bare.endswith("..") or len(core) > _MAX_TITLE_CHARS:
        return False
    words = core.split()
    if not words or len(words) > _MAX_TITLE_WORDS:
        return False
    from framing.text.sentences import split_sentences

    if len(split_sentences(core)) != 1:
        return False
    if _is_title_case(core) or (_HEADLINE_COLON.match(core) and len(words) <= 20):
        return True
    plain = [w.lower().strip("\"'“‘”’,.;:") for w in words]
    return (len(words) <= _MAX_PLAIN_STOPPED_TITLE_WORDS and plain[0] not in _NARRATIVE_OPENERS
            and not _BE.intersection(plain))


def _stopped_title_room(text: str, raws: list["_Raw"]) -> bool:
    """Enough body under a one-line first paragraph for it to be a headline printed with a
    final period: a blank line, then two paragraphs, or under a Title Case or "Who: what" line
    one paragraph of several lines or at least 100 characters (excerpts: a headline over one
    paragraph)."""
    if len(raws) < 2 or not _blank_line_between(text, raws[0].end, raws[1].start):
        return False
    if len(raws) >= 3:
        return True
    line = text[raws[0].start : raws[0].end].strip()
    body = raws[1]
    enough = len(body.lines) >= 2 or body.end - body.start >= _MIN_LONE_BODY_CHARS
    return enough and (_is_title_case(line) or bool(_HEADLINE_COLON.match(line)))


#: A lone paragraph under a Title Case line this long makes that line a headline.
_MIN_LONE_BODY_CHARS = 100

#: Longest dek (the standfirst line under a headline) taken into a headline-and-dek title.
_MAX_DEK_WORDS = 40


def _is_headline_and_dek(text: str, raws: list["_Raw"]) -> bool:
    """Archive exports print the title field as "Headline;" over a one-sentence dek, as one
    paragraph (PolNeAR's NYT and USA Today texts: "Candidates vie for vets' support;" /
    "Veterans weigh …."). Both lines form the title when a blank line and two paragraphs follow."""
    first = raws[0]
    if len(first.lines) != 2 or len(raws) < 3 or not _blank_line_between(text, first.end, raws[1].start):
        return False
    headline = text[first.lines[0][0] : first.lines[0][1]].rstrip()
    dek = text[first.lines[1][0] : first.lines[1][1]].strip()
    if not headline.endswith(";") or not _looks_like_title(headline[:-1]):
        return False
    from framing.text.sentences import split_sentences

    # A dek opens a sentence of its own; a lowercase start is a wrapped line running on.
    opening = dek.lstrip(_OPENERS)
    return (
        0 < len(dek.split()) <= _MAX_DEK_WORDS
        and opening[:1].isupper()
        and _last_significant_char(dek) in ".!?"
        and len(split_sentences(dek)) == 1
    )


def _blank_line_between(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return "\u2029" in gap or sum(gap.count(c) for c in "\n\u2028") + gap.replace("\r\n", "").count("\r") >= 2


def _looks_like_byline(s: str) -> bool:
    if len(s) > _MAX_BYLINE_CHARS or len(s.split()) > _MAX_BYLINE_WORDS:
        return False
    if _BY.match(s) or _STAMP.match(s):
        return True
    # A dated line that ends like a sentence is a short first paragraph ("On May 5 it rained.").
    return not _ends_like_sentence(s) and bool(_DATE.search(s))


_QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def _key(s: str) -> str:
    """Comparison key for spotting repeats: case, spacing, quote style and markers ignored."""
    s = s.translate(_QUOTE_FOLD).strip("#*_ \t").casefold()
    return " ".join(s.split())


# --------------------------------------------------------------------------- parsing


@dataclass
class _Raw:
    """A block in progress: a paragraph-like run of lines, or a Markdown heading."""

    start: int
    end: int
    lines: list[tuple[int, int]]
    md_level: int = 0  # ATX level for Markdown headings, 0 otherwise


def _groups(text: str, lines: list[tuple[int, int] | None], markdown: bool) -> list[_Raw]:
    raws: list[_Raw] = []
    current: list[tuple[int, int]] = []

    def flush() -> None:
        if len(current) > 1 and _one_block_per_line(text, current):
            raws.extend(_Raw(s, e, [(s, e)]) for s, e in current)
        elif current:
            raws.append(_Raw(current[0][0], current[-1][1], list(current)))
        current.clear()

    for span in lines:
        if span is None:
            flush()
            continue
        line = text[span[0] : span[1]]
        level = _md_heading_level(line) if markdown else 0
        if level:
            flush()
            s = span[0] + level
            e = span[1]
            # Closing hashes ("## Foo ##") are decoration.
            stripped = text[s:e].rstrip("#")
            if stripped and stripped[-1] in " \t":
                e = s + len(stripped)
            s, e = _unwrap_emphasis(text, *_strip_span(text, s, e))
            if e > s:
                raws.append(_Raw(s, e, [(s, e)], md_level=level))
            continue
        if _is_md_rule(line):
            # A rule line ("---", "===", "***") is decoration in plain text and Markdown alike;
            # under a single line it underlines a setext heading (level 1 for "=", 2 for "-").
            if len(current) == 1 and line[0] in "=-" and len(set(line.replace(" ", ""))) == 1:
                s, e = _unwrap_emphasis(text, *current[0])
                current.clear()
                raws.append(_Raw(s, e, [(s, e)], md_level=1 if line[0] == "=" else 2))
                continue
            flush()
            continue
        current.append(span)
    flush()
    return raws


def _one_block_per_line(text: str, lines: list[tuple[int, int]]) -> bool:
    """Lines without blank lines between them are one wrapped paragraph, unless every line ends
    a sentence or is heading-shaped: then each line is its own block (one paragraph per line)."""
    ends = 0
    for s, e in lines:
        line = text[s:e]
        if _last_significant_char(line) in ".!?…":
            ends += 1
        elif not (_heading_shape(line, _MAX_TITLE_CHARS, _MAX_TITLE_WORDS) and _is_title_case(line)):
            return False
    return ends > 0


def _block(text: str, kind: str, start: int, end: int) -> Block:
    body = text[start:end]
    return Block(kind, start, end, body, is_question=kind == HEADING and _is_question(body))


def _split_head(text: str, raws: list[_Raw]):
    """Take the title, byline and their repeats off the front of the block list."""
    skipped: list[Block] = []
    if not raws:
        return None, None, raws, skipped
    first = raws[0]
    first_line = first.lines[0]
    title_lines = 1
    if first.md_level == 1:
        title_span = (first.start, first.end)
    elif first.md_level == 0 and _looks_like_title(text[first_line[0] : first_line[1]]):
        title_span = _unwrap_emphasis(text, *first_line)
    elif (
        first.md_level == 0
        and len(first.lines) == 1
        and _stopped_title_room(text, raws)
        and _looks_like_stopped_title(text[first_line[0] : first_line[1]])
    ):
        title_span = _unwrap_emphasis(text, *first_line)
    elif first.md_level == 0 and _is_headline_and_dek(text, raws):
        title_span, title_lines = (first.start, first.end), 2
    else:
        return None, None, raws, skipped

    title_key = _key(text[title_span[0] : title_span[1]])
    byline: Block | None = None
    # Walk the lines after the title: repeats and one byline belong to the head.
    rest = list(raws)
    rest[0] = rest_first = _Raw(first.start, first.end, first.lines[title_lines:], first.md_level)
    while rest:
        raw = rest[0]
        consumed = 0
        for s, e in raw.lines:
            line = text[s:e]
            if _key(line) == title_key:
                skipped.append(_block(text, TITLE, s, e))
            elif byline is None and not raw.md_level and _looks_like_byline(_unwrap(text, s, e)):
                byline = _block(text, BYLINE, *_unwrap_emphasis(text, s, e))
            else:
                break
            consumed += 1
        if consumed < len(raw.lines):
            if raw is rest_first and consumed == 0 and not first.md_level:
                # The title line runs on into the next line: a wrapped paragraph, no title.
                return None, None, raws, []
            left = raw.lines[consumed:]
            rest[0] = _Raw(left[0][0], left[-1][1], left, raw.md_level)
            break
        rest.pop(0)
    if not rest and byline is None and not first.md_level:
        # A lone short line is a one-line text, not a title over nothing; and a text that is one
        # line over and over ("Hi." 50,000 times) is that text, not a title and its repeats.
        return None, None, raws, []
    return _block(text, TITLE, *title_span), byline, rest, skipped


_EXPORT_ABSTRACT = re.compile(r"ABSTRACT[.:]?")
_EXPORT_FULL_TEXT = re.compile(r"FULL TEXT[.:]?")
#: How far into the body an archive export's "FULL TEXT" marker is looked for.
_MAX_EXPORT_HEADER_BLOCKS = 6


def _drop_export_header(text: str, raws: list[_Raw], skipped: list[Block], notes: list[str]) -> list[_Raw]:
    """Archive exports (ProQuest: PolNeAR's NYT texts) put an "ABSTRACT." line, an editor's
    summary and a "FULL TEXT." line before the article. Read as body, the marker would be a
    sentence and the summary the lede. When the body opens with such a header, it goes to
    ``skipped`` and the body starts after "FULL TEXT"; a "FULL TEXT" line alone is dropped too.
    Nothing is dropped unless the header opens the body and body text follows it."""

    def marker(raw: _Raw, pattern: re.Pattern) -> bool:
        return not raw.md_level and len(raw.lines) == 1 and bool(pattern.fullmatch(text[raw.start : raw.end].strip()))

    if not raws or not (marker(raws[0], _EXPORT_ABSTRACT) or marker(raws[0], _EXPORT_FULL_TEXT)):
        return raws
    for k, raw in enumerate(raws[:_MAX_EXPORT_HEADER_BLOCKS]):
        if marker(raw, _EXPORT_FULL_TEXT):
            if k + 1 == len(raws):
                return raws
            skipped.extend(
                _block(text, HEADING if marker(r, _EXPORT_ABSTRACT) or r is raw else PARAGRAPH, r.start, r.end)
                for r in raws[: k + 1]
            )
            notes.append("an archive export's header (ABSTRACT … FULL TEXT) was set aside: "
                         "the body starts after FULL TEXT")
            return raws[k + 1 :]
    return raws


def _unwrap(text: str, s: int, e: int) -> str:
    s, e = _unwrap_emphasis(text, s, e)
    return text[s:e]


def parse_layout(text: str, *, markdown: bool | None = None) -> ArticleLayout:
    """Find the title, byline, sections and paragraphs of an article.

    ``markdown=None`` switches Markdown mode on when any line is an ATX heading (``# Foo``).
    Never raises on odd text; non-``str`` input raises :class:`~framing.errors.FramingInputError`.
    """
    if not isinstance(text, str):
        raise FramingInputError(f"parse_layout expects str, got {type(text).__name__}")
    lines = _lines(text)
    if markdown is None:
        markdown = any(span and _md_heading_level(text[span[0] : span[0] + 10]) for span in lines)
    raws = _groups(text, lines, markdown)
    title, byline, raws, skipped = _split_head(text, raws)
    notes: list[str] = []
    raws = _drop_export_header(text, raws, skipped, notes)

    # Classify the body blocks. A one-line plain paragraph may be a heading; FAQ-ness depends on
    # the group seen so far, so this runs in reading order.
    kinds: list[str] = []  # "h" heading candidate, "p" paragraph
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    levels: list[int] = []
    in_faq = False
    for raw in raws:
        if raw.md_level:
            s, e = raw.start, raw.end
            kind = "h"
        elif len(raw.lines) == 1:
            s, e = _unwrap_emphasis(text, raw.start, raw.end)
            answer = in_faq and kinds and kinds[-1] == "h" and _is_question(texts[-1])
            dup = kinds and kinds[-1] == "h" and _key(text[s:e]) == _key(texts[-1])
            # In an FAQ, the block under a question is its answer, even a short "Yes".
            heading = dup or (not answer and _looks_like_heading(text[s:e], in_faq))
            kind = "h" if heading else "p"
            if kind == "p":
                s, e = raw.start, raw.end
        else:
            s, e, kind = raw.start, raw.end, "p"
        if kind == "h":
            body = text[s:e]
            if _FAQ_NAME.search(body) and not _is_question(body):
                in_faq = True
            elif in_faq and not _is_question(body):
                in_faq = False
        kinds.append(kind)
        texts.append(text[s:e])
        spans.append((s, e))
        levels.append(raw.md_level)

    # A heading heads something. Where no block looked like body text (a short note, every line
    # without final punctuation), the heading-shaped lines are the body: reading them as headings
    # of nothing would leave the article with no sentences at all.
    if kinds and "p" not in kinds and not all(levels):
        notes.append("no paragraph looked like body text: its heading-like lines were read as paragraphs")
        for i, raw in enumerate(raws):
            if not levels[i]:
                kinds[i], spans[i], texts[i] = "p", (raw.start, raw.end), text[raw.start : raw.end]

    # Immediate repeats of a heading are scraper noise.
    keep: list[int] = []
    for i, kind in enumerate(kinds):
        if kind == "h" and keep and kinds[keep[-1]] == "h" and _key(texts[i]) == _key(texts[keep[-1]]):
            skipped.append(_block(text, HEADING, *spans[i]))
            continue
        keep.append(i)

    sections: list[SectionLayout] = []
    heading: Block | None = None
    paragraphs: list[Block] = []
    group: Block | None = None
    group_level = 0

    def close() -> None:
        if paragraphs:
            is_faq = bool(group and heading and _FAQ_NAME.search(group.text))
            sections.append(
                SectionLayout(
                    heading,
                    tuple(paragraphs),
                    group=group.text if group else None,
                    kind="faq" if is_faq else "body",
                    group_heading=group,
                )
            )
        elif heading is not None:
            skipped.append(heading)

    groups_made: list[Block] = []
    for pos, i in enumerate(keep):
        if kinds[i] == "p":
            paragraphs.append(_block(text, PARAGRAPH, *spans[i]))
            continue
        close()
        heading, paragraphs = None, []
        block = _block(text, HEADING, *spans[i])
        level = levels[i]
        if group is not None:
            # A group ends at a Markdown heading of its level or above, or at the first
            # non-question heading after an FAQ.
            if (level and group_level and level <= group_level) or (
                _FAQ_NAME.search(group.text) and not block.is_question
            ):
                group, group_level = None, 0
        nxt = keep[pos + 1] if pos + 1 < len(keep) else None
        # A heading directly over another heading groups it, unless Markdown levels say they
        # are siblings (a plain-text heading under a Markdown one counts as deeper).
        opens_group = (
            nxt is not None
            and kinds[nxt] == "h"
            and (not level or not levels[nxt] or levels[nxt] > level)
        )
        if opens_group and not (group is not None and block.is_question):
            group, group_level = block, level
            groups_made.append(block)
            continue
        heading = block  # with nothing under it, close() moves it to skipped
    close()
    used = {id(section.group_heading) for section in sections}
    skipped.extend(b for b in groups_made if id(b) not in used)
    skipped.sort(key=lambda b: b.start)
    return ArticleLayout(title, byline, tuple(sections), tuple(skipped), tuple(notes))
