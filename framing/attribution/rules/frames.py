"""Find attribution frames in sentences by rule: who (source), how (cue), what (content).

Frames tried, in this order, for each sentence (tokens inside quotation marks are never cues):

1. *Postposed*: "<content>, <source> <cue> [short adjunct]." — "..., sources said.",
   "“...,” Mr. Steele said in a speech." — and *inverted*: "<content>, <cue> <source>."
   ("..., said Mr. Steele."), *parenthetical* ("Many of the closures, he said, have ...") and
   *passive* ("..., as first reported by the Times"). Tried from the sentence end, so the outer
   frame wins.
2. *According to*: "According to <source>, <content>" / "<content>, according to <source>".
3. *Preposed*: "<source> <cue> [addressee] [that] <content>" ("Rubio told reporters that ...",
   "He added: “...”"), a *participle* after the main clause ("Rubio echoed ..., saying, “...”")
   and a *coordinated* second cue ("..., but said, “...”").
4. *Colon*: "<source> <no cue>: “<quote>”" ("Zelensky’s office issued a statement: “...”"),
   "From <source>: ..." and *headline* style "Graham: Trump’s rhetoric ...".
5. *Dash*: "“<quote>” — <source>" (also on a line of its own after the quotation).

A direct quotation that spans several sentences is one content span. Verbs that also take plain
objects ("added 200 jobs") count only with evidence of reported content. The noun-phrase and
verb-group helpers are in :mod:`framing.attribution.rules.phrases`; the word lists in
:mod:`framing.lexicon`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from typing import Sequence

from framing.article import SentenceSpan
from framing.attribution.rules.phrases import (
    Sentence,
    cut_author_clause,
    is_boundary_tok,
    is_cue_verb,
    is_noun_use,
    left_np,
    phrasal_particle,
    right_np,
    statement_end,
    subject_np,
    token_span,
    verb_group_start,
)
from framing.attribution.spans import Frame
from framing.lexicon import (
    ADDRESSEE_VERBS,
    ADDRESSEES,
    ADJUNCT_WORDS,
    BAD_CONTENT_STARTS,
    BE_FORMS,
    CLAUSE_STARTS,
    CUE_VERBS,
    DASHES,
    DETERMINERS,
    DOCUMENT_NOUNS,
    FINDING_VERBS,
    FRAME_WORDS,
    HEADLINE_KICKERS,
    NEEDS_EVIDENCE,
    OPINION_VERBS,
    PASSIVE_BY_VERBS,
    PREPOSITIONS,
    SAY_FORMS,
    SENTENCE_ADVERBS,
    SPEECH_VERBS,
    TAIL_PREPOSITIONS,
    TIME_NOUNS,
    TIME_WORDS,
    VERB_GROUP,
    VERBISH,
    WH_WORDS,
)
from framing.text.quotes import QuoteRegion, find_quotes, overlapping
from framing.text.tokens import Tok, is_close_mark, is_open_mark

__all__ = ["detect_frames"]

# A sentence can hold a frame only if it has one of these (a cheap filter before tokenizing).
_WORDS = re.compile(r"[a-z]+")


def _has_candidate(text: str, start: int, end: int) -> bool:
    piece = text[start:end]
    return ":" in piece or "—" in piece or "–" in piece or not FRAME_WORDS.isdisjoint(_WORDS.findall(piece.lower()))


#: Tokens after a postposed cue that may still belong to its frame ("said Monday in a statement
#: to reporters"): 30 when an adjunct opens the tail, 8 otherwise (see _postposed).
MAX_TAIL = 31


def _postposed(s: Sentence, i: int) -> Frame | None:
    """Verb at token i ends the sentence's frame: "<content>, <source> said [adjunct]."""
    toks = s.toks
    if toks[i].low not in CUE_VERBS:
        return None  # a phrasal-only verb ("spoke about") has no postposed frame
    g = verb_group_start(s, i)
    if is_noun_use(s, i, g):
        return None
    if g > 0 and toks[g - 1].low == "to":
        return None  # "too soon to say"
    if i + 1 <= s.last and toks[i + 1].low == "by" and toks[i].low in PASSIVE_BY_VERBS:
        return _passive_by(s, g, i)
    # Only the first MAX_TAIL tokens after the cue can matter: a longer tail is no adjunct (and
    # copying the rest of the sentence for every cue verb was quadratic: "He said: " x 10,000).
    tail = toks[i + 1 : min(s.last + 1, i + 2 + MAX_TAIL)]
    # "..., said Mr. Steele." (inverted)
    finite = not toks[i].low.endswith("ing")
    if finite and g > 0 and (toks[g - 1].text == "," or is_close_mark(toks[g - 1], s.regions)) and tail and not tail[0].quoted:
        np = right_np(s, i + 1)
        if np is not None and any(is_boundary_tok(s, k) and s.toks[k].is_word for k in range(*np)):
            np = None
        if toks[g - 1].text == "," and left_np(s, g) is not None:
            np = None  # "Sean Driscoll, a civilian official, said ...": preposed with appositive
        if np is not None and np[1] < s.last and toks[np[1]].text == "," and np[1] + 1 <= s.last:
            # "said Jon Alterman, a Middle East analyst with the CSIS." — the appositive is his.
            nxt = toks[np[1] + 1]
            if not nxt.quoted and (nxt.low in DETERMINERS or nxt.low in ("who", "whose") or not nxt.is_cap or nxt.text[0].isdigit()) and not nxt.low.endswith("ing"):
                rest = right_np(s, np[1] + 1, stop_at_comma=False)
                if rest is not None and rest[1] >= s.last:
                    np = (np[0], rest[1])
        ends_ok = np is not None and (np[1] >= s.last or toks[np[1]].text == ",")
        starts_np = tail[0].is_cap or tail[0].low in DETERMINERS or (np is not None and any(toks[x].is_cap for x in range(*np)))
        if np is not None and ends_ok and starts_np:
            if toks[i].low not in ADDRESSEE_VERBS or tail[0].is_cap:
                content_end_tok = g - 1 if toks[g - 1].text == "," else g
                if content_end_tok >= 1:
                    f = _frame_before(s, np, (g, i + 1), content_end_tok, "inverted")
                    # '"It's a difficult issue," said the senator, "because ...": one quotation.
                    if f is not None and np[1] + 1 < len(toks) and toks[np[1]].text == "," and is_open_mark(toks[np[1] + 1], s.regions):
                        f = replace(f, content=(f.content[0], s.regions[toks[np[1] + 1].region].end))
                    return f
    # "..., sources said [on Monday | in a statement | by telephone on ''Meet the Press'']."
    # The tail runs to the next comma: ", speaking on condition of anonymity" may follow.
    cut = next((k for k, t in enumerate(tail) if t.text == "," and not t.quoted), len(tail))
    parenthetical = cut == 0 and bool(tail)
    tail = tail[:cut]
    addressee = toks[i].low in ADDRESSEE_VERBS
    # "told reporters after a forum", "told the newspaper": an addressee, then adjuncts.
    adjunct = bool(tail) and (tail[0].low in TAIL_PREPOSITIONS or addressee)
    if addressee and any(
        t.low == "to" and k + 1 < len(tail) and not tail[k + 1].is_cap and tail[k + 1].low not in DETERMINERS
        for k, t in enumerate(tail)
    ):
        return None  # "she would ask Mr. Biden to continue ...": the infinitive is content
    if tail and tail[0].low == "that":
        return None
    if adjunct and tail[0].low == "to" and len(tail) > 1 and not (tail[1].is_cap or tail[1].low in DETERMINERS or tail[1].low in ADDRESSEES):
        return None  # "vows to impose a tax": an infinitive, not an adjunct
    if len(tail) > (30 if adjunct else 8) or not all(_tail_word(t, adjunct, addressee) for t in tail):
        return None
    np = left_np(s, g)
    if np is None:
        return None
    before = np[0] - 1
    if before < 0 and len(toks) > 0:
        # '“... OK?” Trump said.': the splitter ended the quotation's sentence before its frame.
        # Only the last quotation ending before the sentence can be followed by nothing but space.
        k = bisect_right(s.regions, s.span.start, key=lambda r: r.end) - 1
        reg = s.regions[k] if k >= 0 and not s.text[s.regions[k].end : s.span.start].strip() else None
        if reg is not None:
            return Frame(token_span(s, *np), token_span(s, g, i + 1), (reg.start, reg.end), s.span, "postposed")
    if before < 1:
        return None
    bt = toks[before]
    after = i + 2  # the token after the comma that follows the cue
    if parenthetical and bt.text == "," and not _starts_quote_run(s, before) and after <= s.last:
        nxt = toks[after]
        if is_open_mark(nxt, s.regions):
            return None  # "..., Mr. Trump said, “I'm a guy ...”": preposed, the quotation follows
        if nxt.low in TAIL_PREPOSITIONS or nxt.low in ("speaking", "declining", "requesting", "asking"):
            # "He was unable to find a taker, he said, on condition of anonymity ..."
            return _frame_before(s, np, (g, i + 1), before, "postposed")
        # "Many of the closures, he said, have involved ...": content on both sides.
        return Frame(token_span(s, *np), token_span(s, g, i + 1), (s.content_start_before(before), s.content_end(s.last)), s.span, "parenthetical")
    if bt.text == "," or bt.text in DASHES:
        return _frame_before(s, np, (g, statement_end(s, i + 1)), before, "postposed")
    if is_close_mark(bt, s.regions):
        return _frame_before(s, np, (g, statement_end(s, i + 1)), before + 1, "postposed")
    return None


def _tail_word(t: Tok, adjunct: bool, addressee: bool) -> bool:
    """Words that may follow a postposed cue: "said Monday in a statement", "told reporters"."""
    if t.quoted:
        return adjunct
    if not t.is_word:
        return t.text in "-.()'’"
    low = t.low
    if adjunct:  # "said during a debate in Miami", "said when asked about ...", "told state delegates"
        return low not in SAY_FORMS and low not in ("told", "tells", "added", "adds", "wrote", "writes")
    return (
        t.is_cap
        or low[0].isdigit()
        or low in ADJUNCT_WORDS
        or low in TIME_WORDS
        or low in TAIL_PREPOSITIONS
        or low in DETERMINERS
        or (low.endswith("ly") and len(low) > 4)
        or low in ("ago", "night", "morning", "news", "conference", "briefing", "phone", "telephone", "recently", "later", "earlier", "also", "then", "again", "late")
        or (addressee and low in ADDRESSEES)
    )


def _starts_quote_run(s: Sentence, k: int) -> bool:
    """Whether the comma at token k closes a quotation ('“Yes,” he said, ...' is not parenthetical)."""
    return k > 0 and is_close_mark(s.toks[k - 1], s.regions) or (k + 1 < len(s.toks) and s.toks[k + 1].quoted and is_close_mark(s.toks[k + 1], s.regions))


def _passive_by(s: Sentence, g: int, i: int) -> Frame | None:
    """"..., as first reported by the New York Times" / "News of X was first reported by Y"."""
    toks = s.toks
    np = right_np(s, i + 2)
    if np is None or not any(toks[x].is_cap for x in range(*np)):
        return None
    cue = (g, i + 1)
    lead = g
    while lead > 0 and (toks[lead - 1].text == "," or toks[lead - 1].low == "as") and not toks[lead - 1].quoted:
        lead -= 1
    if lead >= 2:
        return Frame(token_span(s, *np), token_span(s, *cue), (s.content_start_before(lead), toks[lead - 1].end), s.span, "passive")
    if np[1] <= s.last and toks[np[1]].text == "," and np[1] + 1 <= s.last:
        return Frame(token_span(s, *np), token_span(s, *cue), (toks[np[1] + 1].start, s.content_end(np[1] + 1)), s.span, "passive")
    return None


def _frame_before(s: Sentence, np: tuple[int, int], cue: tuple[int, int], content_end_tok: int, kind: str) -> Frame | None:
    """Content runs from the sentence start (or its quotation's start) to token content_end_tok."""
    toks = s.toks
    if content_end_tok < 1:
        return None
    start = s.content_start_before(content_end_tok)
    end = toks[content_end_tok - 1].end
    if end <= start:
        return None
    return Frame(token_span(s, *np), token_span(s, *cue), (start, end), s.span, kind)


def _according(s: Sentence, i: int) -> Frame | None:
    toks = s.toks
    cue = (i, i + 2)
    np = right_np(s, i + 2)
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
    return Frame(token_span(s, *np), token_span(s, *cue), content, s.span, "according")


def _preposed(s: Sentence, i: int) -> Frame | None:
    toks = s.toks
    g = verb_group_start(s, i)
    verb = toks[i]
    if is_noun_use(s, i, g) or (g > 0 and toks[g - 1].low == "to"):
        return None
    participle = verb.low.endswith("ing") and g > 0 and toks[g - 1].text == ","
    coordinated = g > 0 and toks[g - 1].low in ("and", "but") and not toks[g - 1].quoted
    if not participle and any(toks[k].low in BE_FORMS for k in range(g, i)) and (verb.low.endswith("ed") or verb.low in ("told", "said", "thought", "known", "written", "shown", "found", "felt")):
        return None  # passive: "would be formally acknowledged as ..."
    if participle or coordinated:
        np = subject_np(s, 0, g - 1 if participle else g - (2 if g >= 2 and toks[g - 2].text == "," else 1))
        kind = "participle" if participle else "coordinated"
    else:
        np = left_np(s, g)
        kind = "preposed"
    if np is None:
        return None
    if not participle and np[0] > 0 and toks[np[0] - 1].low in ("to", "of", "for", "by") :
        return None
    # "called for a ban", "spoke about the border": the particle is part of the cue, the
    # topic is the content.
    particle = phrasal_particle(s, i)
    if particle:
        j = i + 2
        while j <= s.last and toks[j].text in ",:" and not toks[j].quoted:
            j += 1
        if j > s.last or len(s.text[toks[j].start : s.content_end(j)].split()) < 2:
            return None
        return Frame(token_span(s, *np), token_span(s, g, i + 2), (toks[j].start, cut_author_clause(s, j, s.content_end(j))), s.span, kind)
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
        if t.low == "that" or t.text in ",:" or (k > j and verb.low in ADDRESSEE_VERBS and (t.low in WH_WORDS or t.low == "to")):
            break
        adjunct = t.low in ADJUNCT_WORDS or t.low in TIME_WORDS or t.is_cap or t.text[0].isdigit()
        if not (adjunct or verb.low in ADDRESSEE_VERBS):
            break
        k += 1
    stop = toks[k] if k < len(toks) else None
    if stop is not None and k > j and (stop.low in ("that", "to") or stop.low in WH_WORDS or stop.text in ",:" or is_open_mark(stop, s.regions)):
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
        return Frame(token_span(s, *np), token_span(s, g, i + 1), None, s.span, kind + "-next")
    if j >= len(toks) or (j > s.last and not toks[j].quoted):
        return None
    evidence = toks[j].low == "that" or is_open_mark(toks[j], s.regions) or after_colon
    if j > i + 1 and verb.low in ADDRESSEE_VERBS and (toks[j].low == "to" or toks[j].low in WH_WORDS):
        evidence = True  # "asked the department to investigate", "asked followers what they thought"
    if verb.low in OPINION_VERBS and j == i + 1 and (toks[j].low in CLAUSE_STARTS or toks[j].is_cap):
        evidence = True  # "I think the plan is dead" (no "that")
    if verb.low in FINDING_VERBS and not participle and not coordinated:
        head = toks[np[1] - 1].low
        evidence = evidence or head in DOCUMENT_NOUNS or head in ("poll", "polls", "survey", "surveys", "study", "studies")
    if np[0] > 0 and toks[np[0] - 1].low == "as" and not toks[np[0] - 1].quoted:
        evidence = True  # "as POLITICO has reported, ..."
    if (verb.low in NEEDS_EVIDENCE or verb.low in ADDRESSEE_VERBS) and verb.low not in SAY_FORMS and not evidence:
        return None
    if not toks[j].quoted and (toks[j].low in BAD_CONTENT_STARTS or toks[j].low in VERBISH):
        return None  # "insisted on paying ...", "whom officials have said was responsible"
    if not toks[j].quoted and toks[j].low in TAIL_PREPOSITIONS and np[0] > 0 and is_close_mark(toks[np[0] - 1], s.regions):
        return None  # '“...,” he said in response to a question ...': the content is the quotation
    end = cut_author_clause(s, j, s.content_end(j))
    start = toks[j].start
    if toks[j].quoted:
        start = s.regions[toks[j].region].start
    if len(s.text[start:end].split()) < 2:
        return None
    cue = token_span(s, g, statement_end(s, i + 1))
    return Frame(token_span(s, *np), cue, (start, end), s.span, kind)


def _colon(s: Sentence) -> Frame | None:
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
            np = subject_np(s, 0, k)
            content_start = after
        elif k <= 4 and s.span.index is None or (k <= 3 and all(x.is_cap or x.low in ("of", "’s", "'s") for x in toks[:k])):
            if not all(x.is_cap or x.low in ("of", "'s") for x in toks[:k]) or toks[0].low in HEADLINE_KICKERS:
                return None
            if all(x.text.isupper() for x in toks[:k] if x.is_word):
                return None  # "PREVIOUSLY:", "IOWA POLLS NOT NECESSARILY WRONG:" are kickers
            np = (0, k)
            content_start = after
            if after > s.last:
                return None
            return Frame(token_span(s, *np), (t.start, t.end), (toks[after].start, s.content_end(after)), s.span, "headline")
        else:
            return None
        reg = s.regions[toks[content_start].region] if toks[content_start].quoted else None
        start = reg.start if reg is not None else toks[content_start].start
        end = reg.end if reg is not None else s.content_end(content_start)
        return Frame(token_span(s, *np) if np else None, (t.start, t.end), (start, end), s.span, "colon")
    return None


def _dash(s: Sentence, prev_regions: Sequence[QuoteRegion]) -> Frame | None:
    """“...” — Commissioner X"""
    toks = s.toks
    for k, t in enumerate(toks):
        if t.text in DASHES and not t.quoted and k + 1 <= s.last and toks[k + 1].is_cap:
            np = right_np(s, k + 1)
            if np is None or np[1] < s.last or np[1] - np[0] > 8:
                continue
            if k > 0 and is_close_mark(toks[k - 1], s.regions):
                reg = s.regions[toks[k - 1].region]
                return Frame(token_span(s, *np), (t.start, t.end), (reg.start, reg.end), s.span, "dash")
            if k == 0 and prev_regions:
                return Frame(token_span(s, *np), (t.start, t.end), (prev_regions[0].start, prev_regions[-1].end), s.span, "dash")
    return None


def _fully_quoted(text: str, span: SentenceSpan, regions: Sequence[QuoteRegion]) -> list[QuoteRegion]:
    """The regions covering every letter of the sentence, or [] when some letter is outside."""
    inside = [regions[k] for k in overlapping(regions, span.start, span.end)]
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
        s = Sentence(text, span, regions)
        if not s.toks:
            continue
        if frames and frames[-1].content is None and frames[-1].kind.endswith("-next"):
            # The quotation after "X said:" opens the next sentence or paragraph.
            reg = next((r for r in regions if span.start <= r.start <= span.start + 2), None)
            content = (reg.start, reg.end) if reg is not None else (s.toks[0].start, s.content_end(0))
            frames[-1] = replace(frames[-1], content=content, kind=frames[-1].kind[: -len("-next")])
            covered_until = max(covered_until, content[1])
            if span.end <= covered_until:
                continue
        frame = _frame_in(s, prev_quote_only)
        if frame is not None:
            frame, extra = _adding(s, frame)
            frames.append(frame)
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
    return first in PREPOSITIONS or first.rstrip("s") in TIME_NOUNS  # "months after ..."


def _adding(s: Sentence, frame: Frame) -> tuple[Frame, Frame | None]:
    """"..., she said, adding that ...": a second frame for the same source. Returns the first
    frame (its content cut where the second begins, see :func:`_and_said`) and the second, or
    None."""
    toks = s.toks
    after = max(frame.cue[1] if frame.cue else 0, frame.content[1] if frame.content else 0)
    for k in range(len(toks) - 2):
        t, v = toks[k], toks[k + 1]
        if t.end > after and t.text == "," and not t.quoted and not v.quoted and v.low.endswith("ing") and v.low in SPEECH_VERBS:
            j = k + 2
            while j < len(toks) and toks[j].text in ",:" and not toks[j].quoted:
                j += 1
            if j > s.last and not (j < len(toks) and toks[j].quoted):
                return frame, None
            evidence = toks[j].low == "that" or is_open_mark(toks[j], s.regions)
            if v.low in NEEDS_EVIDENCE and not evidence:
                return frame, None
            start = s.regions[toks[j].region].start if toks[j].quoted else toks[j].start
            end = s.content_end(j)
            if len(s.text[start:end].split()) < 2:
                return frame, None
            return frame, Frame(None, (v.start, v.end), (start, end), s.span, "participle", inherit=True)
    return _and_said(s, frame)


def _and_said(s: Sentence, frame: Frame) -> tuple[Frame, Frame | None]:
    """"Boreing said the members will meet, but said, “It’s time ...”": the first frame's
    content ends at the conjunction and a second frame, same source, takes the rest. Returns the
    first frame (cut there) and the second, or the first unchanged and None."""
    toks = s.toks
    if frame.cue is None or frame.content is None or frame.content[0] < frame.cue[1]:
        return frame, None  # only after a preposed frame, whose content runs to the sentence end
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
            return frame, None
        evidence = toks[j].low == "that" or is_open_mark(toks[j], s.regions)
        if (verb.low in NEEDS_EVIDENCE or verb.low in ADDRESSEE_VERBS) and verb.low not in SAY_FORMS and not evidence:
            continue
        cut = k - 1 if k > 0 and toks[k - 1].text == "," else k
        if cut <= 0 or toks[cut - 1].end <= frame.content[0]:
            return frame, None
        start = s.regions[toks[j].region].start if toks[j].quoted else toks[j].start
        end = s.content_end(j)
        if len(s.text[start:end].split()) < 2:
            return frame, None
        cut_frame = replace(frame, content=(frame.content[0], toks[cut - 1].end))
        return cut_frame, Frame(None, (toks[k + 1].start, verb.end), (start, end), s.span, "coordinated", inherit=True)
    return frame, None


def _frame_in(s: Sentence, prev_quote_only: Sequence[QuoteRegion]) -> Frame | None:
    toks = s.toks
    dash = _dash(s, prev_quote_only)
    if dash is not None:
        return dash
    anchors = [k for k, t in enumerate(toks) if is_cue_verb(t, s.span.index is None) or phrasal_particle(s, k)]
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
