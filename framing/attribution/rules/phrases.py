"""Phrases inside one sentence, for the attribution rules: its tokens, where a verb group starts,
where a source noun phrase begins and ends, and where content runs.

Everything works on :class:`Sentence`, the tokens of one sentence (quotation marks known, see
:mod:`framing.text.tokens`), and returns token indices; :func:`token_span` turns them into
character offsets. The frame patterns that use these helpers live in
:mod:`framing.attribution.rules.frames`.
"""

from __future__ import annotations

from typing import Sequence

from framing.article import SentenceSpan
from framing.lexicon import (
    CUE_VERBS,
    DETERMINERS,
    ED_ADJECTIVES,
    ING_ADJECTIVES,
    ISSUE_VERBS,
    NOT_SOURCES,
    NOUN_LIKE_VERBS,
    NP_STOP,
    PARTICLES,
    PHRASAL_CUES,
    POSSESSIVES,
    PREPOSITIONS,
    SENTENCE_ADVERBS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    SUBJECT_WORDS,
    TIME_WORDS,
    TRAILING_ADVERBS,
    VERB_GROUP,
    VERBISH,
)
from framing.text.quotes import QuoteRegion, overlapping
from framing.text.tokens import Tok, tokenize

__all__ = [
    "MAX_SOURCE",
    "Sentence",
    "chain_ok",
    "cut_author_clause",
    "is_boundary_tok",
    "is_cue_verb",
    "is_noun_use",
    "issued_statement",
    "left_np",
    "phrasal_particle",
    "right_np",
    "statement_end",
    "subject_np",
    "token_span",
    "trim_np_start",
    "verb_group_start",
]

#: Longest source noun phrase, in tokens.
MAX_SOURCE = 14


class Sentence:
    """Tokens of one sentence and helpers over them."""

    def __init__(self, text: str, span: SentenceSpan, regions: Sequence[QuoteRegion]):
        self.text = text
        self.span = span
        self.regions = regions
        self.toks = tokenize(text, span.start, span.end, regions)
        n = len(self.toks)
        # Drop final punctuation (and closing marks) from "the end" of content.
        self.last = n - 1
        while self.last >= 0 and not self.toks[self.last].is_word and not self.toks[self.last].quoted:
            self.last -= 1

    def content_end(self, j: int) -> int:
        """Character end of content running to the sentence end from token j (inclusive)."""
        toks = self.toks
        k = len(toks) - 1
        while k > j and toks[k].text in ".!?…" and not toks[k].quoted:
            k -= 1
        end = toks[k].end
        # A quotation that opens here and runs past the sentence end is one content span (the
        # regions are disjoint, so only the last one overlapping can run past it).
        return max([end] + [self.regions[r].end for r in overlapping(self.regions, toks[j].start, end)])

    def content_start_before(self, i: int) -> int:
        """Character start of content that runs from the sentence start up to token i."""
        toks = self.toks
        j = 0
        # A lead-in "Here's the kicker: ..." is not content (a leading "But" is, as in PolNeAR).
        for k in range(i):
            if toks[k].text == ":" and not toks[k].quoted and k + 1 < i:
                j = k + 1
        start = toks[j].start
        if toks[j].quoted:
            start = min(start, self.regions[toks[j].region].start)
        return start


def is_cue_verb(tok: Tok, headline: bool = False) -> bool:
    # "United States", "Fears Grow": capitalized words are names and headline words, not cues.
    return not tok.quoted and tok.low in CUE_VERBS and (headline or not tok.is_cap)


def issued_statement(s: Sentence, i: int) -> int | None:
    """"The campaign issued a statement Thursday saying ...": the token where the cue starts."""
    toks = s.toks
    if not toks[i].low in ("saying", "stating", "noting", "declaring", "arguing", "calling", "claiming", "announcing"):
        return None
    for k in range(i - 1, max(-1, i - 9), -1):
        if toks[k].quoted:
            return None
        if toks[k].low in ISSUE_VERBS:
            if any(t.low in STATEMENT_NOUNS for t in toks[k + 1 : i]):
                g = k
                while g - 1 >= 0 and not toks[g - 1].quoted and (toks[g - 1].low in VERB_GROUP or toks[g - 1].low.endswith("ly")):
                    g -= 1
                return g
            return None
    return None


def is_noun_use(s: Sentence, i: int, g: int) -> bool:
    """"his call", "Editor’s note", "three state primaries", "without saying": not verbs."""
    toks = s.toks
    if issued_statement(s, i) is not None:
        return False
    if g == i and i > 0:
        prev = toks[i - 1]
        if prev.low in POSSESSIVES or prev.low.endswith("'s") or prev.text[0].isdigit():
            return True
        if prev.low in PREPOSITIONS and not prev.quoted:
            return True  # "secretary of state"
        if toks[i].low in NOUN_LIKE_VERBS and prev.is_word and not prev.quoted and (prev.is_cap or prev.low not in SUBJECT_WORDS) and i > 1:
            return True  # "reality TV show", "call centers", "pledged delegates"
        if prev.low in PREPOSITIONS and toks[i].low.endswith("ing"):
            return True
    if toks[i].low.endswith("ing") and g == i and not (i > 0 and toks[i - 1].text == ","):
        return True  # a bare gerund or participle without a comma: "leave it thinking"
    return False


def verb_group_start(s: Sentence, i: int) -> int:
    toks = s.toks
    issued = issued_statement(s, i)
    if issued is not None:
        return issued
    j = i
    while j - 1 >= 0 and not toks[j - 1].quoted:
        low = toks[j - 1].low
        if low in VERB_GROUP or low.endswith("n't") or (low.endswith("ly") and len(low) > 4 and not toks[j - 1].is_cap):
            j -= 1
        else:
            break
    # Keep an auxiliary only when something else follows it in the group.
    return j


def is_boundary_tok(s: Sentence, k: int) -> bool:
    t = s.toks[k]
    if t.quoted or not t.is_word:
        return True
    if t.low in NP_STOP or (t.low in CUE_VERBS and not t.is_cap) or t.low in VERBISH or t.low.endswith("n't"):
        return True
    if t.low.endswith("ing") and not t.is_cap and t.low not in ING_ADJECTIVES and len(t.low) > 5:
        prev = s.toks[k - 1].low if k > 0 else ""
        return not (prev in DETERMINERS or prev.endswith("'s"))
    if (not t.is_cap and t.low.endswith("s") and not t.low.endswith("ss") and k + 1 < len(s.toks)
            and s.toks[k + 1].low in ("the", "a", "an") and k > 0 and s.toks[k - 1].is_word):
        return True  # "This draft marks the first time": a verb, not part of a noun phrase
    if t.low.endswith("ed") and not t.is_cap and t.low not in ED_ADJECTIVES:
        prev = s.toks[k - 1].low if k > 0 else ""
        return not (prev in DETERMINERS or prev.endswith("ly") or prev.endswith("'s"))
    return False


def trim_np_start(s: Sentence, a: int, b: int) -> int:
    """Drop sentence adverbs, time phrases and a leading preposition from the NP toks[a:b]."""
    toks = s.toks
    while a < b:
        low = toks[a].low
        if low in SENTENCE_ADVERBS or low in ("even", "only", "just", "first"):
            a += 1
        elif low in ("last", "this", "next", "earlier", "late", "early") and a + 1 < b and toks[a + 1].low in TIME_WORDS:
            a += 2
        elif low in TIME_WORDS and not toks[a].is_cap or (low in TIME_WORDS and a + 1 < b and toks[a + 1].is_cap and toks[a].low in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today")):
            a += 1
        elif low in PREPOSITIONS and a + 2 < b:
            a += 2
            if toks[a - 1].low in DETERMINERS and a < b - 1:
                a += 1
        else:
            break
    return a


def left_np(s: Sentence, end: int) -> tuple[int, int] | None:
    """The source noun phrase ending just before token ``end`` (token indices [a, b))."""
    toks = s.toks
    j = end - 1
    if j < 0:
        return None
    # Trailing adverbs and time phrases belong to neither source nor cue: "Walker now said",
    # "Reince Priebus, the GOP chairman, this past week said".
    while j > 0 and not toks[j].quoted and toks[j].is_word and not toks[j].is_cap and (
        toks[j].low in TRAILING_ADVERBS or (toks[j].low.endswith("ly") and len(toks[j].low) > 4)
    ):
        j -= 1
    k = j
    while k >= 0 and not toks[k].quoted and (toks[k].low in TIME_WORDS or toks[k].low in ("this", "past", "last", "on", "earlier", "late")):
        k -= 1
    if k < j and k >= 0 and toks[j].low in TIME_WORDS and (toks[k].text == "," or toks[k].is_cap):
        j = k
    end = j + 1
    if toks[j].low in ("who", "which") and not toks[j].quoted:
        return (j, j + 1)  # a relative pronoun is the source; speakers.py finds its antecedent
    if toks[j].text == "," and not toks[j].quoted:
        # "Hunter, meanwhile, told ...": a parenthetical adverb is not part of the source.
        if j >= 2 and toks[j - 2].text == "," and (toks[j - 1].low in SENTENCE_ADVERBS or toks[j - 1].low.endswith("ly") or toks[j - 1].low == "too"):
            return left_np(s, j - 2)
        # "Sean Driscoll, a civilian official in the U.S. delegation, said"
        k = j - 1
        while k >= 0 and not (toks[k].text == "," and not toks[k].quoted) and j - k <= 32:
            if toks[k].quoted or toks[k].text in ";:":
                return None
            k -= 1
        if k < 0 or toks[k].text != ",":
            return None
        seg = toks[k + 1 : j]
        if not seg:
            return None
        first = seg[0].low
        appositive = (
            first in DETERMINERS
            or first in ("who", "which", "whose", "himself", "herself")
            or first[0].isdigit()
            or (first.endswith("'s") and len(seg) <= 6)
            or (not seg[0].is_cap and len(seg) <= 12 and not any(is_boundary_tok(s, x) and toks[x].is_word for x in range(k + 1, j)))
            or (len(seg) <= 5 and all(t.is_cap or t.low in ("of", "the", "-", "and") or not t.is_word for t in seg))
        )
        if not appositive or any(t.low in SPEECH_VERBS and not t.is_cap for t in seg):
            return None  # "Capt. Pardo, who said he would not vote, ..." is a frame of its own
        # "Jacob Shiansky, 24, who was visiting ..., said": appositives can chain.
        name = left_np(s, k + 1) if k > 0 and toks[k - 1].is_word and (toks[k - 1].text[0].isdigit() or not toks[k - 1].is_cap) and chain_ok(s, k) else None
        if name is None:
            name = left_np(s, k)
        if name is None or not any(t.is_cap for t in toks[name[0] : name[1]] + seg):
            return None
        return (name[0], j)  # the appositive is part of the source, the last comma is not
    a = j
    while a >= 0:
        if toks[a].text == ")" and not toks[a].quoted:
            # "Sen. Bernie Sanders (I-Vt.) said": skip a short parenthetical.
            k = a - 1
            while k >= 0 and toks[k].text != "(" and a - k <= 6:
                k -= 1
            if k >= 1 and toks[k].text == "(":
                a = k - 1
                continue
            break
        if is_boundary_tok(s, a):
            break
        a -= 1
    a += 1
    a = trim_np_start(s, a, end)
    if a >= end or end - a > MAX_SOURCE:
        return None
    if a >= 2 and toks[a - 1].text == "," and not toks[a].is_cap and toks[a].low not in DETERMINERS and toks[a].low not in NOT_SOURCES:
        # "Anthony Anton, president and CEO of the association said": name, role, no 2nd comma.
        n = a - 2
        while n >= 0 and toks[n].is_cap and not toks[n].quoted and a - 1 - n <= 4:
            n -= 1
        run = toks[n + 1 : a - 1]
        if run and (n < 0 or toks[n].text in ",;" or toks[n].quoted) and not any(
            t.low in SENTENCE_ADVERBS or t.low in TIME_WORDS or t.low in PREPOSITIONS or t.low in NOT_SOURCES for t in run
        ):
            a = n + 1
    if end - a == 1 and toks[a].low in NOT_SOURCES:
        return None
    if not any(t.is_word for t in toks[a:end]):
        return None
    return (a, end)


def chain_ok(s: Sentence, k: int) -> bool:
    """The segment before the comma at k is itself short and appositive-like ("24")."""
    toks = s.toks
    m = k - 1
    while m >= 0 and toks[m].text != ",":
        m -= 1
    return m > 0 and k - m - 1 <= 3 and toks[m + 1].text[0].isdigit()


def right_np(s: Sentence, start: int, stop_at_comma: bool = True) -> tuple[int, int] | None:
    """A noun phrase from token ``start`` to the next comma (or the sentence end)."""
    toks = s.toks
    b = start
    while b <= s.last and not toks[b].quoted and not (toks[b].text in ",;:" and stop_at_comma) and toks[b].text not in "()":
        b += 1
        if b - start > MAX_SOURCE + 6:
            return None  # too long to be a source: stop reading
    if b == start:
        return None
    return (start, b)


def token_span(s: Sentence, a: int, b: int) -> tuple[int, int]:
    """Characters of tokens [a, b)."""
    return (s.toks[a].start, s.toks[b - 1].end)


def subject_np(s: Sentence, lo: int, hi: int) -> tuple[int, int] | None:
    """The clause-initial subject: leading words up to the first verb-like word, before ``hi``."""
    toks = s.toks
    a = lo
    while a < hi and (toks[a].low in SENTENCE_ADVERBS or not toks[a].is_word) and not toks[a].quoted:
        a += 1
    # Skip a fronted phrase ending in a comma ("On Monday, ...").
    for k in range(a, min(hi, a + 8)):
        if toks[k].text == "," and not toks[k].quoted:
            if not any(t.is_cap for t in toks[a:k] if t is not toks[a]) or toks[a].low in PREPOSITIONS:
                a = k + 1
            break
    b = a
    while b < hi and b - a < 10:
        t = toks[b]
        if t.quoted or not t.is_word:
            break
        if not t.is_cap and (t.low in VERBISH or t.low in CUE_VERBS or t.low.endswith("n't") or (t.low.endswith("ed") and t.low not in ED_ADJECTIVES)):
            break
        if not t.is_cap and t.low.endswith("ly"):
            break
        b += 1
    if b == a or b >= hi and hi - a > 10:
        return None
    return (a, b)


def cut_author_clause(s: Sentence, j: int, end: int) -> int:
    """Content stops before ", adding that ..." / ", forcing airliners to ..." / ", while ...":
    a new frame for the same source, or the author's own clause."""
    toks = s.toks
    for k in range(j + 1, len(toks) - 1):
        if toks[k].end > end:
            break
        nxt = toks[k + 1]
        if toks[k].quoted:
            continue
        if toks[k].text == ";" or (toks[k].text == "," and not nxt.quoted and not nxt.is_cap and (
            (nxt.low.endswith("ing") and nxt.low not in ING_ADJECTIVES) or nxt.low in ("while", "whereas", "however", "though")
        )) or (toks[k].low == "and" and nxt.low in ("saying", "adding", "noting", "arguing", "calling")):
            return toks[k - 1].end
    return end


def phrasal_particle(s: Sentence, i: int) -> bool:
    """Whether toks[i] is a verb of a phrasal speech cue and toks[i + 1] its particle."""
    toks = s.toks
    if i + 1 > s.last or toks[i + 1].low not in PARTICLES or toks[i].quoted or toks[i].is_cap or toks[i + 1].quoted:
        return False
    low = toks[i].low
    for stem, particles in PHRASAL_CUES.items():
        if low.startswith(stem) and len(low) - len(stem) <= 4 and toks[i + 1].low in particles:
            return True
    return False


def statement_end(s: Sentence, k: int) -> int:
    """"said in a statement": PolNeAR's cue takes the medium along (exclusive token end)."""
    toks = s.toks
    if k + 2 <= s.last and toks[k].low == "in" and toks[k + 1].low in ("a", "an"):
        m = k + 2
        if toks[m].low in ("written", "prepared", "brief", "joint") and m + 1 <= s.last:
            m += 1
        if toks[m].low == "statement" and not toks[m].quoted:
            return m + 1
    return k
