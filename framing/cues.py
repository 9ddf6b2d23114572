"""Surface cues in one sentence: quotation marks, reporting verbs, question form, evaluative words.

These are the features shared by the rule classifier and the explanations shown next to every
label (``Sentence.cues``). The word lists (:mod:`framing.lexicon`) are written for this project
(not copied from a licensed lexicon) so that they can ship in the wheel; the evaluative ones
favour precision over recall.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from framing.lexicon import EVALUATIVE_PHRASES, EVALUATIVE_WORDS, REPORTING_VERBS
from framing.text.quotes import find_quotes


# The word lists live in framing.lexicon, shared with attribution.
EVALUATIVE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in EVALUATIVE_PHRASES
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_ACCORDING_TO = re.compile(r"\baccording to\b", re.IGNORECASE)
_COLON_QUOTE = re.compile(r":\s*[\"“«„‘]")


@dataclass(frozen=True)
class Cues:
    """What was found in one sentence; ``describe()`` turns it into readable evidence."""

    quoted_share: float          # share of the sentence's characters inside quotation marks
    has_quote: bool
    reporting_verbs: tuple[str, ...]
    according_to: bool
    colon_quote: bool
    author_question: bool        # ends with '?' outside quotation marks
    question_in_quote: bool
    evaluative_words: tuple[str, ...]   # found outside quotation marks
    evaluative_patterns: tuple[str, ...]
    exclamation: bool
    second_person: bool          # "you"/"your" outside quotes: addresses the reader

    @property
    def attribution_signal(self) -> bool:
        return bool(self.reporting_verbs or self.according_to or self.colon_quote)

    def describe(self) -> tuple[str, ...]:
        out: list[str] = []
        if self.author_question:
            out.append("question in the author's voice")
        if self.question_in_quote:
            out.append("question inside a quotation")
        if self.has_quote:
            out.append(f"quotation marks ({self.quoted_share:.0%} of the sentence)")
        out += [f"reporting verb “{v}”" for v in self.reporting_verbs]
        if self.according_to:
            out.append("“according to”")
        if self.colon_quote:
            out.append("colon introducing a quotation")
        out += [f"evaluative word “{w}”" for w in self.evaluative_words]
        out += [f"evaluative phrase: {p}" for p in self.evaluative_patterns]
        if self.exclamation:
            out.append("exclamation")
        if self.second_person:
            out.append("addresses the reader (“you”)")
        return tuple(out)


def _quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks, found by the same pairing the attribution stage
    uses (so a cue and an attribution never disagree on what is quoted). An unclosed quote runs
    to the sentence end: multi-paragraph quotes open a mark on each paragraph, close only the last."""
    return [(r.start, r.end) for r in find_quotes(sentence, 0, len(sentence))]


def _outside(sentence: str, spans: list[tuple[int, int]]) -> str:
    chars = list(sentence)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = " "
    return "".join(chars)


def is_author_question(sentence: str) -> bool:
    """A '?'-ending sentence whose final '?' is not inside quotation marks.

    '"Where is the money?" she asked.' does not end with '?'; '"Where is the money?"' ends with
    a closing quote, so it is a quoted question; 'Who benefits?' is the author's.
    """
    s = sentence.strip()
    if not s.endswith("?"):
        return False
    mark = len(s) - 1
    # Quotation pairing shared with the cues and the attribution stage; an unclosed opening
    # mark runs to the end, so its question is the speaker's.
    return not any(r.start <= mark < r.end for r in find_quotes(s, 0, len(s)))


def _question_outside_quotes(sentence: str, spans: list[tuple[int, int]]) -> bool:
    """is_author_question over quotation spans already found (find_cues has them)."""
    s = sentence.rstrip()
    mark = len(s) - 1
    return s.endswith("?") and not any(a <= mark < b for a, b in spans)


# Bounded memo: the classifier's cue fusion and the assembled Sentence both read the cues of the
# same sentence, one after the other; Cues is frozen, so sharing one is safe.
@functools.lru_cache(maxsize=2048)
def find_cues(sentence: str) -> Cues:
    spans = _quoted_spans(sentence)
    quoted_chars = sum(b - a for a, b in spans)
    outside = _outside(sentence, spans)
    outside_stripped = outside.rstrip()
    words_outside = [w.lower().strip("'’-") for w in _WORD.findall(outside)]
    reporting = tuple(dict.fromkeys(w for w in words_outside if w in REPORTING_VERBS))
    evaluative = tuple(dict.fromkeys(w for w in words_outside if w in EVALUATIVE_WORDS))
    patterns = tuple(name for name, rx in EVALUATIVE_PATTERNS if rx.search(outside))
    return Cues(
        quoted_share=quoted_chars / max(1, len(sentence)),
        has_quote=bool(spans),
        reporting_verbs=reporting,
        according_to=bool(_ACCORDING_TO.search(outside)),
        colon_quote=bool(_COLON_QUOTE.search(sentence)),
        author_question=_question_outside_quotes(sentence, spans),
        question_in_quote=any("?" in sentence[a:b] for a, b in spans),
        evaluative_words=evaluative,
        evaluative_patterns=patterns,
        exclamation=outside_stripped.endswith("!"),
        second_person=any(w in {"you", "your", "yours"} for w in words_outside),
    )
