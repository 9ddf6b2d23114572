"""Quotation regions in a paragraph: pair opening and closing marks, tell apostrophes apart.

Straight ("), curly (“ ”), low-9 („), guillemets (« », and ‹ › / ‘ ’ for single quotes) are
paired by direction, not by toggling, so an odd count does not flip every later quote: a mark
that can only close (after a word, before space or punctuation) while nothing is open is stray
and ignored. ``’`` between letters or after a plural ``s`` (Ukraine’s, don’t, voters’) is an
apostrophe. A quotation still open at the end of its paragraph runs to the paragraph end and is
marked ``open_end``: news style opens a quote mark on every paragraph of a multi-paragraph quote
and closes only the last one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

__all__ = ["QuoteRegion", "find_quotes"]

_DOUBLE_OPEN = "“„«‟"
_DOUBLE_CLOSE = "”»"
_DOUBLE_BOTH = '"'
_SINGLE_OPEN = "‘‚‹"
_SINGLE_CLOSE = "’›"
_SINGLE_BOTH = "'"
_MARK = re.compile("[\"'`“”„«»‟‘’‚‹›]")
_OPEN_BEFORE = " \t\n\r([{—–-/\u00a0\u2028\u2029:;"


@dataclass(frozen=True)
class QuoteRegion:
    start: int  # the opening mark
    end: int  # just past the closing mark (or the paragraph end when open_end)
    open_end: bool = False

    @property
    def inner(self) -> tuple[int, int]:
        return (self.start + 1, self.end - (0 if self.open_end else 1))


def overlapping(regions: Sequence[QuoteRegion], a: int, b: int) -> range:
    """Indices of the regions that overlap [a, b). ``regions`` are sorted and disjoint, so they
    are found by bisection: a filter over all of a paragraph's quotations for each of its
    sentences was quadratic in a paragraph of thousands of quotations."""
    first = bisect_right(regions, a, key=lambda r: r.end)
    last = first
    while last < len(regions) and regions[last].start < b:
        last += 1
    return range(first, last)


def _can_open(text: str, i: int, lo: int, hi: int) -> bool:
    before_ok = i == lo or text[i - 1] in _OPEN_BEFORE or text[i - 1] in _DOUBLE_OPEN + _SINGLE_OPEN + '"\''
    after_ok = i + 1 < hi and not text[i + 1].isspace()
    return before_ok and after_ok


def _can_close(text: str, i: int, lo: int, hi: int) -> bool:
    before_ok = i > lo and not text[i - 1].isspace()
    after_ok = i + 1 >= hi or not text[i + 1].isalnum()
    return before_ok and after_ok


def find_quotes(text: str, lo: int, hi: int) -> list[QuoteRegion]:
    """Top-level quotation regions in ``text[lo:hi]`` (one paragraph), in order."""
    regions: list[QuoteRegion] = []
    open_at: int | None = None
    kind = ""
    skip_to = lo
    for m in _MARK.finditer(text, lo, hi):  # only quote-like characters need a decision
        i = m.start()
        if i < skip_to:
            continue
        ch = text[i]
        if ch in "'`" and i + 1 < hi and text[i + 1] == ch:
            # ''...'' and ``...'' (typewriter double quotes, common in wire and NYT text)
            if open_at is None and _can_open(text, i, lo, hi - 1) and (i + 2 < hi and not text[i + 2].isspace()):
                open_at, kind = i, "double"
            elif open_at is not None and kind == "double" and ch == "'" and i > lo and not text[i - 1].isspace():
                regions.append(QuoteRegion(open_at, i + 2))
                open_at = None
            skip_to = i + 2
            continue
        if open_at is None:
            if ch in _DOUBLE_OPEN or (ch == _DOUBLE_BOTH and _can_open(text, i, lo, hi)):
                open_at, kind = i, "double"
            elif ch in _SINGLE_OPEN or (ch == _SINGLE_BOTH and _can_open(text, i, lo, hi)):
                # ‘ after a letter is a mis-typed apostrophe; ‘90s is an elision.
                if (i == lo or not text[i - 1].isalnum()) and not (i + 1 < hi and text[i + 1].isdigit()):
                    open_at, kind = i, "single"
        else:
            if kind == "double":
                closes = ch in _DOUBLE_CLOSE or (ch == _DOUBLE_BOTH and _can_close(text, i, lo, hi)) or (
                    ch in "“" and _can_close(text, i, lo, hi) and not _can_open(text, i, lo, hi)
                )
                if ch == _DOUBLE_BOTH and not closes and _can_open(text, i, lo, hi):
                    # A new opening mark while one is open: the earlier one was stray.
                    open_at = i
            else:
                closes = (ch in _SINGLE_CLOSE or ch == _SINGLE_BOTH) and _can_close(text, i, lo, hi)
                if closes and ch in "’'" and text[i - 1] in "sS" and i + 1 < hi and text[i + 1] == " " and i + 2 < hi and text[i + 2].isalpha() and text[i + 2].islower():
                    closes = False  # voters’ concerns: a plural possessive
            if closes:
                regions.append(QuoteRegion(open_at, i + 1))
                open_at = None
    if open_at is not None:
        end = hi
        while end > open_at + 1 and text[end - 1].isspace():
            end -= 1
        if kind == "double" or end - open_at > 1:
            regions.append(QuoteRegion(open_at, end, open_end=True))
    return regions
