"""A small tokenizer with exact offsets, aware of abbreviations and of quotation regions."""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

from framing.lexicon import ABBREVIATIONS
from framing.text.quotes import QuoteRegion, overlapping

_TOKEN = re.compile(r"\w+(?:[’'.&\-]\w+)*\.?|[^\w\s]")
_CLOSE_MARKS = frozenset("”»’›“\"'`")
_OPEN_MARKS = frozenset("“„«‟‘‚‹\"'`")


class Tok(NamedTuple):
    start: int
    end: int
    text: str
    low: str
    #: Index of the quote region this token lies in (-1: outside any quotation).
    region: int

    @property
    def quoted(self) -> bool:
        return self.region >= 0

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str, start: int, end: int, regions: Sequence[QuoteRegion]) -> list[Tok]:
    toks: list[Tok] = []
    # Only the regions that touch this sentence, with their index in ``regions``.
    near = [(k, regions[k].start, regions[k].end) for k in overlapping(regions, start, end)]
    for m in _TOKEN.finditer(text, start, end):
        a, b = m.start(), m.end()
        word = m.group()
        if word.endswith(".") and len(word) > 1:
            core = word[:-1]
            if not (len(core) == 1 or "." in core or core.lower() in ABBREVIATIONS):
                toks.append(_make(text, a, b - 1, near))
                a = b - 1
        toks.append(_make(text, a, b, near))
    return toks


def _make(text: str, a: int, b: int, near: Sequence[tuple[int, int, int]]) -> Tok:
    region = -1
    for k, lo, hi in near:
        if lo <= a < hi:
            region = k
            break
    word = text[a:b]
    return Tok(a, b, word, word.lower().replace("’", "'"), region)


def is_close_mark(tok: Tok, regions: Sequence[QuoteRegion]) -> bool:
    return tok.quoted and tok.text in _CLOSE_MARKS and regions[tok.region].end == tok.end and not regions[tok.region].open_end


def is_open_mark(tok: Tok, regions: Sequence[QuoteRegion]) -> bool:
    return tok.quoted and tok.text in _OPEN_MARKS and regions[tok.region].start == tok.start
