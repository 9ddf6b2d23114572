"""Find attribution frames in sentences by rule: who (source), how (cue), what (content).

Frames tried, in this order, for each sentence (tokens inside quotation marks are never cues):

1. *Postposed*: "<content>, <source> <cue> [short adjunct]." — "..., sources said.",
   "“...,” Mr. Steele said in a speech." — and *inverted*: "<content>, <cue> <source>."
   ("..., said Mr. Steele."). Tried from the sentence end, so the outer frame wins.
2. *According to*: "According to <source>, <content>" / "<content>, according to <source>".
3. *Preposed*: "<source> <cue> [addressee] [that] <content>" ("Rubio told reporters that ...",
   "He added: “...”"), and a participle after the main clause ("Rubio echoed ..., saying, “...”").
4. *Colon*: "<source> <no cue>: “<quote>”" ("Zelensky’s office issued a statement: “...”"),
   "From <source>: ..." and headline style "Graham: Trump’s rhetoric ...".
5. *Dash*: "“<quote>” — <source>" (also on a line of its own after the quotation).

A direct quotation that spans several sentences is one content span. Verbs that also take plain
objects ("added 200 jobs") count only with evidence of reported content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from framing.lexicon import (
    ADDRESSEE_VERBS,
    BELIEF_VERBS,
    DOCUMENT_NOUNS,
    NEEDS_EVIDENCE,
    NP_STOP,
    SENTENCE_ADVERBS,
    SPEECH_VERBS,
    TIME_WORDS,
    VERB_GROUP,
)
from framing.article import SentenceSpan
from framing.text.quotes import QuoteRegion, find_quotes
from framing.text.tokens import Tok, is_close_mark, is_open_mark, tokenize

__all__ = ["Frame", "detect_frames"]

CUE_VERBS = SPEECH_VERBS | BELIEF_VERBS
_PUNCT_BOUNDARY = frozenset(",;:()[]—–-\"“”‘’«»„'")
_DASHES = frozenset("—–")
_DETERMINERS = frozenset("a an the his her their its our my your this that these those one another some".split())
_ADJ_ED = frozenset(
    """unnamed retired elected so-called indicted embattled concerned united detailed respected
    noted related interested based affiliated appointed red-faced talented renowned beloved
    disgraced alleged leaked classified unpublished revised updated signed internal""".split()
)
_BE = frozenset("be been being is was were are am isn't wasn't weren't aren't".split())
_ADJ_ING = frozenset(
    """leading ruling governing sitting outgoing incoming founding managing presiding
    visiting remaining acting polling""".split()
)
_TIME_NOUNS = TIME_WORDS | {"day", "hour"}
_PREPOSITIONS = frozenset("in on at during after before since for by with from of to about over under among like unlike despite".split())
_VERBISH = frozenset(
    """is was are were has had have will would could should can may might must did does do
    made gave took put sent issued released offered posted shared sat met spoke went came
    became got kept left led ran""".split()
)
_NOT_SOURCES = frozenset("it there this that what which who where when how here".split())
_HEADLINE_SKIP = frozenset(
    """contributing reporting editing source sources credit credits via photograph updated update note editor correction watch read photos photo video breaking exclusive q a here
    answer question bottom line why what how who when where listen live opinion analysis
    related also see warning""".split()
)
_MAX_SOURCE = 14
_TRAILING_ADVERBS = frozenset("also now further however too still again even then instead already".split())
_WH = frozenset("what who whom whether if why how when where which".split())
_OPINION_VERBS = frozenset("think thinks thought believe believes believed feel feels felt hope hopes hoped guess suspect suspects suspected".split())
_FINDING_VERBS = frozenset("show shows showed shown find finds found suggest suggests suggested indicate indicates indicated".split())
_CLAUSE_STARTS = frozenset("he she they it i we you there this the a an his her their its our my these those some many most no".split())
# A sentence can hold a frame only if it has one of these (a cheap filter before tokenizing).
_WORDS = re.compile(r"[a-z]+")
_CANDIDATE_WORDS = CUE_VERBS | {"according"} | frozenset(
    """spoke speak speaks speaking talked talk talks talking reacted react reacts reacting
    referred refer refers referring pointed point points pointing pushed push pushes pushing
    lashed lash lashes lashing""".split()
)


def _has_candidate(text: str, start: int, end: int) -> bool:
    piece = text[start:end]
    return ":" in piece or "—" in piece or "–" in piece or not _CANDIDATE_WORDS.isdisjoint(_WORDS.findall(piece.lower()))
_BAD_CONTENT_START = frozenset("on about for against with of by from into at".split())
_ADJUNCT = frozenset(
    """on in at a an the statement interview interviews speech remarks press release conference
    call email e-mail letter post tweet video radio television tv show program appearance
    during with to later earlier last this that's hearing rally event""".split()
) - {"that"}


@dataclass
class Frame:
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    content: tuple[int, int] | None
    sentence: SentenceSpan
    kind: str  # "postposed" | "inverted" | "according" | "preposed" | "participle" | "colon" | "headline" | "dash"
    #: True for a second frame of the same source ("..., she said, adding that ..."): no source
    #: span of its own, the speaker is the previous frame's.
    inherit: bool = False


class _Sentence:
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
        # A quotation that opens here and runs past the sentence end is one content span.
        for reg in self.regions:
            if reg.start <= toks[j].start < reg.end or (toks[j].start <= reg.start < end):
                if reg.end > end:
                    end = reg.end
        return end

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


def _is_cue_verb(tok: Tok, headline: bool = False) -> bool:
    # "United States", "Fears Grow": capitalized words are names and headline words, not cues.
    return not tok.quoted and tok.low in CUE_VERBS and (headline or not tok.is_cap)


_POSSESSIVES = frozenset("a an the his her their its my our your this that these those every each no".split())
_SAY = frozenset("say says said saying".split())


_NOUN_LIKE = frozenset(
    """state states show shows call calls question questions report reports claim claims post
    posts note notes pledge pledges promise promises answer answers tweet tweets statement""".split()
)
_SUBJECT_WORDS = frozenset("he she they it i we you who which that officials critics experts polls data records documents".split())
_ISSUE_VERBS = frozenset("issued released sent put posted published tweeted distributed circulated".split())
_STATEMENT_NOUNS = frozenset("statement release letter memo note tweet post video message email e-mail report".split())


def _issued_statement(s: _Sentence, i: int) -> int | None:
    """"The campaign issued a statement Thursday saying ...": the token where the cue starts."""
    toks = s.toks
    if not toks[i].low in ("saying", "stating", "noting", "declaring", "arguing", "calling", "claiming", "announcing"):
        return None
    for k in range(i - 1, max(-1, i - 9), -1):
        if toks[k].quoted:
            return None
        if toks[k].low in _ISSUE_VERBS:
            if any(t.low in _STATEMENT_NOUNS for t in toks[k + 1 : i]):
                g = k
                while g - 1 >= 0 and not toks[g - 1].quoted and (toks[g - 1].low in VERB_GROUP or toks[g - 1].low.endswith("ly")):
                    g -= 1
                return g
            return None
    return None


def _is_noun_use(s: _Sentence, i: int, g: int) -> bool:
    """"his call", "Editor’s note", "three state primaries", "without saying": not verbs."""
    toks = s.toks
    if _issued_statement(s, i) is not None:
        return False
    if g == i and i > 0:
        prev = toks[i - 1]
        if prev.low in _POSSESSIVES or prev.low.endswith("'s") or prev.text[0].isdigit():
            return True
        if prev.low in _PREPOSITIONS and not prev.quoted:
            return True  # "secretary of state"
        if toks[i].low in _NOUN_LIKE and prev.is_word and not prev.quoted and (prev.is_cap or prev.low not in _SUBJECT_WORDS) and i > 1:
            return True  # "reality TV show", "call centers", "pledged delegates"
        if prev.low in _PREPOSITIONS and toks[i].low.endswith("ing"):
            return True
    if toks[i].low.endswith("ing") and g == i and not (i > 0 and toks[i - 1].text == ","):
        return True  # a bare gerund or participle without a comma: "leave it thinking"
    return False


def _verb_group_start(s: _Sentence, i: int) -> int:
    toks = s.toks
    issued = _issued_statement(s, i)
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


def _is_boundary_tok(s: _Sentence, k: int) -> bool:
    t = s.toks[k]
    if t.quoted or not t.is_word:
        return True
    if t.low in NP_STOP or (t.low in CUE_VERBS and not t.is_cap) or t.low in _VERBISH or t.low.endswith("n't"):
        return not (t.low in ("that",) and False)
    if t.low.endswith("ing") and not t.is_cap and t.low not in _ADJ_ING and len(t.low) > 5:
        prev = s.toks[k - 1].low if k > 0 else ""
        return not (prev in _DETERMINERS or prev.endswith("'s"))
    if (not t.is_cap and t.low.endswith("s") and not t.low.endswith("ss") and k + 1 < len(s.toks)
            and s.toks[k + 1].low in ("the", "a", "an") and k > 0 and s.toks[k - 1].is_word):
        return True  # "This draft marks the first time": a verb, not part of a noun phrase
    if t.low.endswith("ed") and not t.is_cap and t.low not in _ADJ_ED:
        prev = s.toks[k - 1].low if k > 0 else ""
        return not (prev in _DETERMINERS or prev.endswith("ly") or prev.endswith("'s"))
    return False


def _trim_np_start(s: _Sentence, a: int, b: int) -> int:
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
        elif low in _PREPOSITIONS and a + 2 < b:
            a += 2
            if toks[a - 1].low in _DETERMINERS and a < b - 1:
                a += 1
        else:
            break
    return a


def _left_np(s: _Sentence, end: int) -> tuple[int, int] | None:
    """The source noun phrase ending just before token ``end`` (token indices [a, b))."""
    toks = s.toks
    j = end - 1
    if j < 0:
        return None
    # Trailing adverbs and time phrases belong to neither source nor cue: "Walker now said",
    # "Reince Priebus, the GOP chairman, this past week said".
    while j > 0 and not toks[j].quoted and toks[j].is_word and not toks[j].is_cap and (
        toks[j].low in _TRAILING_ADVERBS or (toks[j].low.endswith("ly") and len(toks[j].low) > 4)
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
            return _left_np(s, j - 2)
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
            first in _DETERMINERS
            or first in ("who", "which", "whose", "himself", "herself")
            or first[0].isdigit()
            or (first.endswith("'s") and len(seg) <= 6)
            or (not seg[0].is_cap and len(seg) <= 12 and not any(_is_boundary_tok(s, x) and toks[x].is_word for x in range(k + 1, j)))
            or (len(seg) <= 5 and all(t.is_cap or t.low in ("of", "the", "-", "and") or not t.is_word for t in seg))
        )
        if not appositive or any(t.low in SPEECH_VERBS and not t.is_cap for t in seg):
            return None  # "Capt. Pardo, who said he would not vote, ..." is a frame of its own
        # "Jacob Shiansky, 24, who was visiting ..., said": appositives can chain.
        name = _left_np(s, k + 1) if k > 0 and toks[k - 1].is_word and (toks[k - 1].text[0].isdigit() or not toks[k - 1].is_cap) and _chain_ok(s, k) else None
        if name is None:
            name = _left_np(s, k)
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
        if _is_boundary_tok(s, a):
            break
        a -= 1
    a += 1
    a = _trim_np_start(s, a, end)
    if a >= end or end - a > _MAX_SOURCE:
        return None
    if a >= 2 and toks[a - 1].text == "," and not toks[a].is_cap and toks[a].low not in _DETERMINERS and toks[a].low not in _NOT_SOURCES:
        # "Anthony Anton, president and CEO of the association said": name, role, no 2nd comma.
        n = a - 2
        while n >= 0 and toks[n].is_cap and not toks[n].quoted and a - 1 - n <= 4:
            n -= 1
        run = toks[n + 1 : a - 1]
        if run and (n < 0 or toks[n].text in ",;" or toks[n].quoted) and not any(
            t.low in SENTENCE_ADVERBS or t.low in TIME_WORDS or t.low in _PREPOSITIONS or t.low in _NOT_SOURCES for t in run
        ):
            a = n + 1
    if end - a == 1 and toks[a].low in _NOT_SOURCES:
        return None
    if not any(t.is_word for t in toks[a:end]):
        return None
    return (a, end)


def _chain_ok(s: _Sentence, k: int) -> bool:
    """The segment before the comma at k is itself short and appositive-like ("24")."""
    toks = s.toks
    m = k - 1
    while m >= 0 and toks[m].text != ",":
        m -= 1
    return m > 0 and k - m - 1 <= 3 and toks[m + 1].text[0].isdigit()


def _right_np(s: _Sentence, start: int, stop_at_comma: bool = True) -> tuple[int, int] | None:
    """A noun phrase from token ``start`` to the next comma (or the sentence end)."""
    toks = s.toks
    b = start
    while b <= s.last and not toks[b].quoted and not (toks[b].text in ",;:" and stop_at_comma) and toks[b].text not in "()":
        b += 1
    if b == start or b - start > _MAX_SOURCE + 6:
        return None
    return (start, b)


def _span(s: _Sentence, a: int, b: int) -> tuple[int, int]:
    """Characters of tokens [a, b)."""
    return (s.toks[a].start, s.toks[b - 1].end)


def _postposed(s: _Sentence, i: int) -> Frame | None:
    """Verb at token i ends the sentence's frame: "<content>, <source> said [adjunct]."""
    toks = s.toks
    if toks[i].low not in CUE_VERBS:
        return None  # a phrasal-only verb ("spoke about") has no postposed frame
    g = _verb_group_start(s, i)
    if _is_noun_use(s, i, g):
        return None
    if g > 0 and toks[g - 1].low == "to":
        return None  # "too soon to say"
    if i + 1 <= s.last and toks[i + 1].low == "by" and toks[i].low in _PASSIVE_BY:
        return _passive_by(s, g, i)
    tail = toks[i + 1 : s.last + 1]
    # "..., said Mr. Steele." (inverted)
    finite = not toks[i].low.endswith("ing")
    if finite and g > 0 and (toks[g - 1].text == "," or is_close_mark(toks[g - 1], s.regions)) and tail and not tail[0].quoted:
        np = _right_np(s, i + 1)
        if np is not None and any(_is_boundary_tok(s, k) and s.toks[k].is_word for k in range(*np)):
            np = None
        if toks[g - 1].text == "," and _left_np(s, g) is not None:
            np = None  # "Sean Driscoll, a civilian official, said ...": preposed with appositive
        if np is not None and np[1] < s.last and toks[np[1]].text == "," and np[1] + 1 <= s.last:
            # "said Jon Alterman, a Middle East analyst with the CSIS." — the appositive is his.
            nxt = toks[np[1] + 1]
            if not nxt.quoted and (nxt.low in _DETERMINERS or nxt.low in ("who", "whose") or not nxt.is_cap or nxt.text[0].isdigit()) and not nxt.low.endswith("ing"):
                rest = _right_np(s, np[1] + 1, stop_at_comma=False)
                if rest is not None and rest[1] >= s.last:
                    np = (np[0], rest[1])
        ends_ok = np is not None and (np[1] >= s.last or toks[np[1]].text == ",")
        starts_np = tail[0].is_cap or tail[0].low in _DETERMINERS or (np is not None and any(toks[x].is_cap for x in range(*np)))
        if np is not None and ends_ok and starts_np:
            if toks[i].low not in ADDRESSEE_VERBS or tail[0].is_cap:
                content_end_tok = g - 1 if toks[g - 1].text == "," else g
                if content_end_tok >= 1:
                    f = _frame_before(s, np, (g, i + 1), content_end_tok, "inverted")
                    # '"It's a difficult issue," said the senator, "because ...": one quotation.
                    if f is not None and np[1] + 1 < len(toks) and toks[np[1]].text == "," and is_open_mark(toks[np[1] + 1], s.regions):
                        f.content = (f.content[0], s.regions[toks[np[1] + 1].region].end)
                    return f
    # "..., sources said [on Monday | in a statement | by telephone on ''Meet the Press'']."
    # The tail runs to the next comma: ", speaking on condition of anonymity" may follow.
    cut = next((k for k, t in enumerate(tail) if t.text == "," and not t.quoted), len(tail))
    parenthetical = cut == 0 and bool(tail)
    tail = tail[:cut]
    addressee = toks[i].low in ADDRESSEE_VERBS
    # "told reporters after a forum", "told the newspaper": an addressee, then adjuncts.
    adjunct = bool(tail) and (tail[0].low in _TAIL_PREPOSITIONS or addressee)
    if addressee and any(
        t.low == "to" and k + 1 < len(tail) and not tail[k + 1].is_cap and tail[k + 1].low not in _DETERMINERS
        for k, t in enumerate(tail)
    ):
        return None  # "she would ask Mr. Biden to continue ...": the infinitive is content
    if tail and tail[0].low == "that":
        return None
    if adjunct and tail[0].low == "to" and len(tail) > 1 and not (tail[1].is_cap or tail[1].low in _DETERMINERS or tail[1].low in _ADDRESSEES):
        return None  # "vows to impose a tax": an infinitive, not an adjunct
    if len(tail) > (30 if adjunct else 8) or not all(_tail_word(t, adjunct, addressee) for t in tail):
        return None
    np = _left_np(s, g)
    if np is None:
        return None
    before = np[0] - 1
    if before < 0 and len(toks) > 0:
        # '“... OK?” Trump said.': the splitter ended the quotation's sentence before its frame.
        reg = next((r for r in s.regions if r.end <= s.span.start and not s.text[r.end : s.span.start].strip()), None)
        if reg is not None:
            return Frame(_span(s, *np), _span(s, g, i + 1), (reg.start, reg.end), s.span, "postposed")
    if before < 1:
        return None
    bt = toks[before]
    after = i + 2  # the token after the comma that follows the cue
    if parenthetical and bt.text == "," and not _starts_quote_run(s, before) and after <= s.last:
        nxt = toks[after]
        if is_open_mark(nxt, s.regions):
            return None  # "..., Mr. Trump said, “I'm a guy ...”": preposed, the quotation follows
        if nxt.low in _TAIL_PREPOSITIONS or nxt.low in ("speaking", "declining", "requesting", "asking"):
            # "He was unable to find a taker, he said, on condition of anonymity ..."
            return _frame_before(s, np, (g, i + 1), before, "postposed")
        # "Many of the closures, he said, have involved ...": content on both sides.
        return Frame(_span(s, *np), _span(s, g, i + 1), (s.content_start_before(before), s.content_end(s.last)), s.span, "parenthetical")
    if bt.text == "," or bt.text in _DASHES:
        return _frame_before(s, np, (g, _statement_end(s, i + 1)), before, "postposed")
    if is_close_mark(bt, s.regions):
        return _frame_before(s, np, (g, _statement_end(s, i + 1)), before + 1, "postposed")
    return None


_ADDRESSEES = frozenset(
    """reporters journalists me him her us them you supporters listeners viewers lawmakers
    audience crowd members voters students interviewer""".split()
)


def _tail_word(t: Tok, adjunct: bool, addressee: bool) -> bool:
    """Words that may follow a postposed cue: "said Monday in a statement", "told reporters"."""
    if t.quoted:
        return adjunct
    if not t.is_word:
        return t.text in "-.()'’"
    low = t.low
    if adjunct:  # "said during a debate in Miami", "said when asked about ...", "told state delegates"
        return low not in _SAY and low not in ("told", "tells", "added", "adds", "wrote", "writes")
    return (
        t.is_cap
        or low[0].isdigit()
        or low in _ADJUNCT
        or low in TIME_WORDS
        or low in _TAIL_PREPOSITIONS
        or low in _DETERMINERS
        or (low.endswith("ly") and len(low) > 4)
        or low in ("ago", "night", "morning", "news", "conference", "briefing", "phone", "telephone", "recently", "later", "earlier", "also", "then", "again", "late")
        or (addressee and low in _ADDRESSEES)
    )


_TAIL_PREPOSITIONS = frozenset("on in at to during by after before while when with from via over of about as".split())


def _starts_quote_run(s: _Sentence, k: int) -> bool:
    """Whether the comma at token k closes a quotation ('“Yes,” he said, ...' is not parenthetical)."""
    return k > 0 and is_close_mark(s.toks[k - 1], s.regions) or (k + 1 < len(s.toks) and s.toks[k + 1].quoted and is_close_mark(s.toks[k + 1], s.regions))


# "first reported by the Times"; not "areas claimed by Russia", "posts called by critics".
_PASSIVE_BY = frozenset("reported written quoted cited announced stated published revealed disclosed posted tweeted".split())


def _passive_by(s: _Sentence, g: int, i: int) -> Frame | None:
    """"..., as first reported by the New York Times" / "News of X was first reported by Y"."""
    toks = s.toks
    np = _right_np(s, i + 2)
    if np is None or not any(toks[x].is_cap for x in range(*np)):
        return None
    cue = (g, i + 1)
    lead = g
    while lead > 0 and (toks[lead - 1].text == "," or toks[lead - 1].low == "as") and not toks[lead - 1].quoted:
        lead -= 1
    if lead >= 2:
        return Frame(_span(s, *np), _span(s, *cue), (s.content_start_before(lead), toks[lead - 1].end), s.span, "passive")
    if np[1] <= s.last and toks[np[1]].text == "," and np[1] + 1 <= s.last:
        return Frame(_span(s, *np), _span(s, *cue), (toks[np[1] + 1].start, s.content_end(np[1] + 1)), s.span, "passive")
    return None


def _frame_before(s: _Sentence, np: tuple[int, int], cue: tuple[int, int], content_end_tok: int, kind: str) -> Frame | None:
    """Content runs from the sentence start (or its quotation's start) to token content_end_tok."""
    toks = s.toks
    if content_end_tok < 1:
        return None
    start = s.content_start_before(content_end_tok)
    end = toks[content_end_tok - 1].end
    if end <= start:
        return None
    return Frame(_span(s, *np), _span(s, *cue), (start, end), s.span, kind)


def _according(s: _Sentence, i: int) -> Frame | None:
    toks = s.toks
    cue = (i, i + 2)
    np = _right_np(s, i + 2)
    if np is None:
        return None
    # The part before "according to": content when there is enough of it.
    lead = i
    while lead > 0 and (toks[lead - 1].text == "," or toks[lead - 1].low in SENTENCE_ADVERBS) and not toks[lead - 1].quoted:
        lead -= 1
    content: tuple[int, int] | None = None
    if lead >= 3:
        start = s.content_start_before(lead)
        content = (start, toks[lead - 1].end)
    elif np[1] <= s.last and toks[np[1]].text in ",:":
        content = (toks[np[1] + 1].start, s.content_end(np[1] + 1)) if np[1] + 1 <= s.last else None
    if content is None:
        return None
    return Frame(_span(s, *np), _span(s, *cue), content, s.span, "according")


def _subject_np(s: _Sentence, lo: int, hi: int) -> tuple[int, int] | None:
    """The clause-initial subject: leading words up to the first verb-like word, before ``hi``."""
    toks = s.toks
    a = lo
    while a < hi and (toks[a].low in SENTENCE_ADVERBS or not toks[a].is_word) and not toks[a].quoted:
        a += 1
    # Skip a fronted phrase ending in a comma ("On Monday, ...").
    for k in range(a, min(hi, a + 8)):
        if toks[k].text == "," and not toks[k].quoted:
            if not any(t.is_cap for t in toks[a:k] if t is not toks[a]) or toks[a].low in _PREPOSITIONS:
                a = k + 1
            break
    b = a
    while b < hi and b - a < 10:
        t = toks[b]
        if t.quoted or not t.is_word:
            break
        if not t.is_cap and (t.low in _VERBISH or t.low in CUE_VERBS or t.low.endswith("n't") or (t.low.endswith("ed") and t.low not in _ADJ_ED)):
            break
        if not t.is_cap and t.low.endswith("ly"):
            break
        b += 1
    if b == a or b >= hi and hi - a > 10:
        return None
    return (a, b)


def _preposed(s: _Sentence, i: int) -> Frame | None:
    toks = s.toks
    g = _verb_group_start(s, i)
    verb = toks[i]
    if _is_noun_use(s, i, g) or (g > 0 and toks[g - 1].low == "to"):
        return None
    participle = verb.low.endswith("ing") and g > 0 and toks[g - 1].text == ","
    coordinated = g > 0 and toks[g - 1].low in ("and", "but") and not toks[g - 1].quoted
    if not participle and any(toks[k].low in _BE for k in range(g, i)) and (verb.low.endswith("ed") or verb.low in ("told", "said", "thought", "known", "written", "shown", "found", "felt")):
        return None  # passive: "would be formally acknowledged as ..."
    if participle or coordinated:
        np = _subject_np(s, 0, g - 1 if participle else g - (2 if g >= 2 and toks[g - 2].text == "," else 1))
        kind = "participle" if participle else "coordinated"
    else:
        np = _left_np(s, g)
        kind = "preposed"
    if np is None:
        return None
    if not participle and np[0] > 0 and toks[np[0] - 1].low in ("to", "of", "for", "by") :
        return None
    # "called for a ban", "spoke about the border": the particle is part of the cue, the
    # topic is the content.
    particle = _particle(s, i)
    if particle:
        j = i + 2
        while j <= s.last and toks[j].text in ",:" and not toks[j].quoted:
            j += 1
        if j > s.last or len(s.text[toks[j].start : s.content_end(j)].split()) < 2:
            return None
        return Frame(_span(s, *np), _span(s, g, i + 2), (toks[j].start, _cut_author_clause(s, j, s.content_end(j))), s.span, kind)
    if verb.low not in CUE_VERBS:
        return None
    # Content after the verb, past an addressee ("told reporters on Tuesday that ...") or a
    # short adjunct ("said in a statement Monday that ...", "said on Friday: “...”").
    j = i + 1
    if j >= len(toks):
        return None
    k = j
    while k <= s.last and k - j < 8 and not toks[k].quoted:
        t = toks[k]
        if t.low == "that" or t.text in ",:" or (k > j and verb.low in ADDRESSEE_VERBS and (t.low in _WH or t.low == "to")):
            break
        adjunct = t.low in _ADJUNCT or t.low in TIME_WORDS or t.is_cap or t.text[0].isdigit()
        if not (adjunct or verb.low in ADDRESSEE_VERBS):
            break
        k += 1
    stop = toks[k] if k < len(toks) else None
    if stop is not None and k > j and (stop.low in ("that", "to") or stop.low in _WH or stop.text in ",:" or is_open_mark(stop, s.regions)):
        j = k
    after_colon = False
    while j < len(toks) and toks[j].text in ",:" and not toks[j].quoted:
        after_colon = after_colon or toks[j].text == ":"
        j += 1
        # "Sources told POLITICO, however, that ..."
        if j + 1 < len(toks) and toks[j + 1].text == "," and (toks[j].low in SENTENCE_ADVERBS or toks[j].low.endswith("ly")):
            j += 1
    if after_colon and (j >= len(toks) or j > s.last and not toks[j].quoted):
        # "Reporter Jomana Karadsheh says:" and the quotation in the next paragraph.
        return Frame(_span(s, *np), _span(s, g, i + 1), None, s.span, kind + "-next")
    if j >= len(toks) or (j > s.last and not toks[j].quoted):
        return None
    evidence = toks[j].low == "that" or is_open_mark(toks[j], s.regions) or after_colon
    if j > i + 1 and verb.low in ADDRESSEE_VERBS and (toks[j].low == "to" or toks[j].low in _WH):
        evidence = True  # "asked the department to investigate", "asked followers what they thought"
    if verb.low in _OPINION_VERBS and j == i + 1 and (toks[j].low in _CLAUSE_STARTS or toks[j].is_cap):
        evidence = True  # "I think the plan is dead" (no "that")
    if verb.low in _FINDING_VERBS and not participle and not coordinated:
        head = toks[np[1] - 1].low
        evidence = evidence or head in DOCUMENT_NOUNS or head in ("poll", "polls", "survey", "surveys", "study", "studies")
    if np[0] > 0 and toks[np[0] - 1].low == "as" and not toks[np[0] - 1].quoted:
        evidence = True  # "as POLITICO has reported, ..."
    if (verb.low in NEEDS_EVIDENCE or verb.low in ADDRESSEE_VERBS) and verb.low not in _SAY and not evidence:
        return None
    if not toks[j].quoted and (toks[j].low in _BAD_CONTENT_START or toks[j].low in _VERBISH):
        return None  # "insisted on paying ...", "whom officials have said was responsible"
    if not toks[j].quoted and toks[j].low in _TAIL_PREPOSITIONS and np[0] > 0 and is_close_mark(toks[np[0] - 1], s.regions):
        return None  # '“...,” he said in response to a question ...': the content is the quotation
    end = _cut_author_clause(s, j, s.content_end(j))
    start = toks[j].start
    if toks[j].quoted:
        start = s.regions[toks[j].region].start
    if len(s.text[start:end].split()) < 2:
        return None
    cue = _span(s, g, _statement_end(s, i + 1))
    return Frame(_span(s, *np), cue, (start, end), s.span, kind)


def _cut_author_clause(s: _Sentence, j: int, end: int) -> int:
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
            (nxt.low.endswith("ing") and nxt.low not in _ADJ_ING) or nxt.low in ("while", "whereas", "however", "though")
        )) or (toks[k].low == "and" and nxt.low in ("saying", "adding", "noting", "arguing", "calling")):
            return toks[k - 1].end
    return end


_PHRASAL: dict[str, tuple[str, ...]] = {
    "call": ("for",), "ask": ("about", "for"), "writ": ("about",), "wrot": ("about",), "talk": ("about",),
    "speak": ("about", "of", "out"), "spok": ("about", "of", "out"), "complain": ("about",),
    "warn": ("about", "of", "against"), "point": ("to", "out"), "refer": ("to",), "respond": ("to",),
    "react": ("to",), "argu": ("for", "against"), "push": ("for",), "lash": ("out",),
}


_PARTICLES = frozenset(p for ps in _PHRASAL.values() for p in ps)


def _particle(s: _Sentence, i: int) -> bool:
    """Whether toks[i] is a verb of a phrasal speech cue and toks[i + 1] its particle."""
    toks = s.toks
    if i + 1 > s.last or toks[i + 1].low not in _PARTICLES or toks[i].quoted or toks[i].is_cap or toks[i + 1].quoted:
        return False
    low = toks[i].low
    for stem, particles in _PHRASAL.items():
        if low.startswith(stem) and len(low) - len(stem) <= 4 and toks[i + 1].low in particles:
            return True
    return False


def _statement_end(s: _Sentence, k: int) -> int:
    """"said in a statement": PolNeAR's cue takes the medium along (exclusive token end)."""
    toks = s.toks
    if k + 2 <= s.last and toks[k].low == "in" and toks[k + 1].low in ("a", "an"):
        m = k + 2
        if toks[m].low in ("written", "prepared", "brief", "joint") and m + 1 <= s.last:
            m += 1
        if toks[m].low == "statement" and not toks[m].quoted:
            return m + 1
    return k


def _colon(s: _Sentence) -> Frame | None:
    toks = s.toks
    for k, t in enumerate(toks):
        if t.text != ":" or t.quoted:
            continue
        after = k + 1
        if after >= len(toks):
            return None
        if toks[0].low == "from" and k <= 8:
            np = (1, k)
            content_start = after
        elif is_open_mark(toks[after], s.regions):
            np = _subject_np(s, 0, k)
            content_start = after
        elif k <= 4 and s.span.index is None or (k <= 3 and all(x.is_cap or x.low in ("of", "’s", "'s") for x in toks[:k])):
            if not all(x.is_cap or x.low in ("of", "'s") for x in toks[:k]) or toks[0].low in _HEADLINE_SKIP:
                return None
            if all(x.text.isupper() for x in toks[:k] if x.is_word):
                return None  # "PREVIOUSLY:", "IOWA POLLS NOT NECESSARILY WRONG:" are kickers
            np = (0, k)
            content_start = after
            if after > s.last:
                return None
            return Frame(_span(s, *np), (t.start, t.end), (toks[after].start, s.content_end(after)), s.span, "headline")
        else:
            return None
        reg = s.regions[toks[content_start].region] if toks[content_start].quoted else None
        start = reg.start if reg is not None else toks[content_start].start
        end = reg.end if reg is not None else s.content_end(content_start)
        return Frame(_span(s, *np) if np else None, (t.start, t.end), (start, end), s.span, "colon")
    return None


def _dash(s: _Sentence, prev_regions: Sequence[QuoteRegion]) -> Frame | None:
    """“...” — Commissioner X"""
    toks = s.toks
    for k, t in enumerate(toks):
        if t.text in _DASHES and not t.quoted and k + 1 <= s.last and toks[k + 1].is_cap:
            np = _right_np(s, k + 1)
            if np is None or np[1] < s.last or np[1] - np[0] > 8:
                continue
            if k > 0 and is_close_mark(toks[k - 1], s.regions):
                reg = s.regions[toks[k - 1].region]
                return Frame(_span(s, *np), (t.start, t.end), (reg.start, reg.end), s.span, "dash")
            if k == 0 and prev_regions:
                return Frame(_span(s, *np), (t.start, t.end), (prev_regions[0].start, prev_regions[-1].end), s.span, "dash")
    return None


def _fully_quoted(text: str, span: SentenceSpan, regions: Sequence[QuoteRegion]) -> list[QuoteRegion]:
    """The regions covering every letter of the sentence, or [] when some letter is outside."""
    inside = [r for r in regions if r.start < span.end and span.start < r.end]
    pos = span.start
    for r in inside:
        if any(ch.isalnum() for ch in text[pos : max(pos, r.start)]):
            return []
        pos = max(pos, r.end)
    if not inside or any(ch.isalnum() for ch in text[pos : span.end]):
        return []
    return inside


def detect_frames(
    text: str,
    sentences: Sequence[SentenceSpan],
    paragraphs: Sequence[tuple[int, int]],
    regions_of: Sequence[Sequence[QuoteRegion]] | None = None,
) -> list[Frame]:
    """Frames in text order; at most one frame per sentence unless a dash frame closes a quote.
    ``regions_of``: the quotation regions of each paragraph, when the caller has them."""
    if regions_of is None:
        regions_of = [find_quotes(text, a, b) for a, b in paragraphs]
    frames: list[Frame] = []
    covered_until = -1
    prev_quote_only: list[QuoteRegion] = []
    for span in sentences:
        if span.end <= covered_until:
            continue
        regions = regions_of[span.paragraph]
        pending = frames and frames[-1].content is None
        if span.index is not None and not pending and not _has_candidate(text, span.start, span.end):
            # No cue word, colon or dash: no frame here (the common case; skips tokenizing).
            quoted = _fully_quoted(text, span, regions)
            prev_quote_only = [*prev_quote_only, *(r for r in quoted if r not in prev_quote_only)] if quoted else []
            continue
        s = _Sentence(text, span, regions)
        if not s.toks:
            continue
        if frames and frames[-1].content is None and frames[-1].kind.endswith("-next"):
            # The quotation after "X said:" opens the next sentence or paragraph.
            pending = frames[-1]
            reg = next((r for r in regions if span.start <= r.start <= span.start + 2), None)
            pending.content = (reg.start, reg.end) if reg is not None else (s.toks[0].start, s.content_end(0))
            pending.kind = pending.kind[: -len("-next")]
            covered_until = max(covered_until, pending.content[1])
            if span.end <= covered_until:
                continue
        frame = _frame_in(s, prev_quote_only)
        if frame is not None:
            frames.append(frame)
            extra = _adding(s, frame)
            if extra is not None:
                first = s.text[frame.content[0] : frame.content[0] + 5].lower() if frame.content else ""
                if extra.kind == "participle" and frame.kind == "preposed" and frame.source is not None and not first.startswith("that") and not any(
                    r.start <= frame.content[0] < r.end for r in regions
                ):
                    # "Rubio echoed this tone on X, saying, “...”": one frame, cued by the participle.
                    frames[-1] = Frame(frame.source, extra.cue, extra.content, s.span, "participle")
                else:
                    frames.append(extra)
                frame = frames[-1]
            if frame.content is not None:
                covered_until = max(covered_until, frame.content[1])
            prev_quote_only = []
        else:
            # A sentence that is all quotation may be claimed by a following "— Name" line.
            words = [t for t in s.toks if t.is_word]
            if words and all(t.quoted for t in words):
                regs = [regions[t.region] for t in words]
                for r in regs:
                    if r not in prev_quote_only:
                        prev_quote_only.append(r)
            else:
                prev_quote_only = []
    return [f for f in frames if f.content is not None and not _headline_misread(text, f)]


def _headline_misread(text: str, frame: Frame) -> bool:
    """A title-case headline hides the verbs: "…, Calls For Jailing Top Aide" or "…, Accused
    Of Misusing Funds" read as "CONTENT, SOURCE CUE" give a source that opens with a preposition
    or a time noun. Outside the body no source does, so such a headline frame is dropped."""
    if frame.sentence.index is not None or frame.source is None:
        return False
    first = text[frame.source[0] : frame.source[1]].split()[0].lower().strip(",")
    return first in _PREPOSITIONS or first.rstrip("s") in _TIME_NOUNS  # "months after ..."


def _adding(s: _Sentence, frame: Frame) -> Frame | None:
    """"..., she said, adding that ...": a second frame for the same source."""
    toks = s.toks
    after = max(frame.cue[1] if frame.cue else 0, frame.content[1] if frame.content else 0)
    for k in range(len(toks) - 2):
        t, v = toks[k], toks[k + 1]
        if t.end > after and t.text == "," and not t.quoted and not v.quoted and v.low.endswith("ing") and v.low in SPEECH_VERBS:
            j = k + 2
            while j < len(toks) and toks[j].text in ",:" and not toks[j].quoted:
                j += 1
            if j > s.last and not (j < len(toks) and toks[j].quoted):
                return None
            evidence = toks[j].low == "that" or is_open_mark(toks[j], s.regions)
            if v.low in NEEDS_EVIDENCE and not evidence:
                return None
            start = s.regions[toks[j].region].start if toks[j].quoted else toks[j].start
            end = s.content_end(j)
            if len(s.text[start:end].split()) < 2:
                return None
            return Frame(None, (v.start, v.end), (start, end), s.span, "participle", inherit=True)
    return _and_said(s, frame)


def _and_said(s: _Sentence, frame: Frame) -> Frame | None:
    """"Boreing said the members will meet, but said, “It’s time ...”": the first frame's
    content ends at the conjunction and a second frame, same source, takes the rest."""
    toks = s.toks
    if frame.cue is None or frame.content is None or frame.content[0] < frame.cue[1]:
        return None  # only after a preposed frame, whose content runs to the sentence end
    for k in range(len(toks) - 2):
        t = toks[k]
        if t.start <= frame.content[0] or t.quoted or t.low not in ("and", "but"):
            continue
        v = k + 1
        while v < len(toks) - 1 and not toks[v].quoted and (toks[v].low in VERB_GROUP or (toks[v].low.endswith("ly") and len(toks[v].low) > 4)):
            v += 1
        verb = toks[v]
        if verb.quoted or verb.low not in SPEECH_VERBS or verb.low.endswith("ing") or verb.is_cap:
            continue
        j = v + 1
        while j < len(toks) and toks[j].text in ",:" and not toks[j].quoted:
            j += 1
        if j >= len(toks) or (j > s.last and not toks[j].quoted):
            return None
        evidence = toks[j].low == "that" or is_open_mark(toks[j], s.regions)
        if (verb.low in NEEDS_EVIDENCE or verb.low in ADDRESSEE_VERBS) and verb.low not in _SAY and not evidence:
            continue
        cut = k - 1 if k > 0 and toks[k - 1].text == "," else k
        if cut <= 0 or toks[cut - 1].end <= frame.content[0]:
            return None
        start = s.regions[toks[j].region].start if toks[j].quoted else toks[j].start
        end = s.content_end(j)
        if len(s.text[start:end].split()) < 2:
            return None
        frame.content = (frame.content[0], toks[cut - 1].end)
        return Frame(None, (toks[k + 1].start, verb.end), (start, end), s.span, "coordinated", inherit=True)
    return None


def _frame_in(s: _Sentence, prev_quote_only: Sequence[QuoteRegion]) -> Frame | None:
    toks = s.toks
    dash = _dash(s, prev_quote_only)
    if dash is not None:
        return dash
    anchors = [k for k, t in enumerate(toks) if _is_cue_verb(t, s.span.index is None) or _particle(s, k)]
    for k in reversed(anchors):
        f = _postposed(s, k)
        if f is not None:
            return f
    for k, t in enumerate(toks[:-1]):
        if t.low == "according" and toks[k + 1].low == "to" and not t.quoted:
            f = _according(s, k)
            if f is not None:
                return f
    for k in anchors:
        f = _preposed(s, k)
        if f is not None:
            return f
    return _colon(s)
