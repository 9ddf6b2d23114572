"""What kind of source speaks: person, organization, anonymous, collective or document.

Decided from the source's words alone (the resolved antecedent decides for pronouns, see
``speakers``). Order matters: anonymity markers first ("a source who spoke on condition of
anonymity" is anonymous, not a person), then documents ("the statement", "leaked documents"),
then organizations, collectives and persons; an unknown lowercase head ("his involvement
signals ...", "the evidence shows ...") counts as a document. A frame without a source phrase
is "anonymous", and a pronoun takes its antecedent's kind (speakers.py).

A possessive office ("Zelensky’s office", "the senator’s campaign") is an *organization*: the
words come from an institution, even when it speaks for one person.
So is a capitalized name after "the" that is not a person's ("The Hill", "the Kremlin"): that
keeps "she said" after "according to The Hill" from resolving to a person called Hill. A
country, US state or capital ("Russia said", "Washington insists") is an organization too: it
speaks for a government. "Zelensky himself" is read as "Zelensky".

An indefinite role ("an aide", "a spokesman") is anonymous unless its head phrase or an
appositive names it: "an aide to Senator John Smith" is anonymous, "a spokesman for the DNC, Brad
Woodhouse" a person.
"""

from __future__ import annotations

import re

from framing.lexicon import (
    COLLECTIVE_NOUNS,
    DOCUMENT_NOUNS,
    ORG_NOUNS,
    PERSON_NOUNS,
    PLACES,
    PRONOUNS,
    REFLEXIVES,
    SURNAME_ORG_NOUNS,
)

__all__ = ["ends_with_surname", "head_phrase", "source_kind"]

_WORD = re.compile(r"[\w’'.&-]+")
_INDEFINITE = frozenset("a an one another some several two three four".split())
_ROLE_ANON = frozenset(
    """official aide adviser advisor insider person source diplomat staffer operative
    strategist member officer employee spokesman spokeswoman spokesperson lawmaker
    executive lawyer""".split()
)


def ends_with_surname(words: list[str]) -> bool:
    """The words end with an organization word that is a surname here, after a first name or a
    title: "Vicente Fox", "Mr. Fox"; not "Twentieth Century Fox" or "Fox News"."""
    return (
        len(words) >= 2
        and words[-1][:1].isupper()  # "the Clinton camp" is an organization
        and words[-1].lower().strip(".,") in SURNAME_ORG_NOUNS
        and words[-2][:1].isupper()
        and words[-2].lower().strip(".") not in ORG_NOUNS | {"century"}
    )


def _head_and_words(source: str) -> tuple[str, list[str], list[str], list[str]]:
    """(head word, all words, words before the first comma/relative clause, words of the head
    phrase: those before the first prepositional modifier).

    The head is the last word before a preposition ("an adviser to Trump", "a source close to
    the talks" → adviser, source), or a
    document noun that a participle follows ("the report issued by the Department ...",
    "the letter addressed to Chairman Darrell Issa" → report, letter): the name inside such a
    modifier is not the source."""
    main = re.split(r",|\bwho\b|\bwhich\b|\bthat\b|\(", source, maxsplit=1)[0]
    core = head_phrase(main)
    words = _WORD.findall(source)
    main_words = _WORD.findall(main)
    head_words = _WORD.findall(core)
    for w, nxt in zip(main_words, main_words[1:]):
        if w.lower() in DOCUMENT_NOUNS and nxt.islower() and nxt.endswith(("ed", "ing")):
            return w, words, main_words, head_words
    core_words = head_words or main_words or words
    head = core_words[-1] if core_words else ""
    return head, words, main_words, head_words


_MODIFIER = re.compile(r"\b(?:(?<=\S\s)close(?:r|st)?\s+to|of|for|at|in|from|with|on|by|(?<![Cc]lose\s)to)\b")


def head_phrase(phrase: str) -> str:
    """``phrase`` up to its first prepositional modifier: "an adviser to Trump" → "an adviser ",
    "a source close to the talks" → "a source ". ("Close to three dozen House Democrats" keeps
    its leading "Close to": nothing comes before it.)"""
    return _MODIFIER.split(phrase, maxsplit=1)[0]


def _has_name(words: list[str]) -> bool:
    """Two capitalized words in a row that are not all role words: a personal name."""
    run = 0
    for w in words:
        if w[:1].isupper() and w.lower().strip(".") not in ORG_NOUNS and w.lower() not in COLLECTIVE_NOUNS:
            run += 1
            if run >= 2:
                return True
        else:
            run = 0
    return False


def source_kind(source: str, first_in_sentence: bool = False) -> str:
    text = " ".join(source.split())
    low = text.lower().replace("’", "'")
    if not low:
        return "anonymous"
    if low in PRONOUNS:
        return PRONOUNS[low]
    parts = text.split()
    if len(parts) > 1 and parts[-1].lower().strip(",") in REFLEXIVES:  # "Zelensky himself"
        return source_kind(" ".join(parts[:-1]), first_in_sentence)
    head, words, main_words, head_words = _head_and_words(text)
    place = re.split(r"—|–|,|\(", low, maxsplit=1)[0].strip()
    if (place[4:] if place.startswith("the ") else place) in PLACES:
        return "organization"  # "Russia said", "the United States—the country ...", "Washington"
    hl = head.lower().replace("’", "'")
    first = main_words[0].lower() if main_words else ""
    named = _has_name(main_words[1:] if first_in_sentence else main_words) or _has_name(main_words)
    # A name in the head phrase, not in its modifier: "a lawyer for Paul Manafort" names nobody
    # who speaks, "Sen. Chuck Grassley of Iowa" does.
    if head_words and head_words[0].lower() in _INDEFINITE | {"the"}:
        head_words = head_words[1:]  # "A Clinton spokesman": a capital A is no part of a name
    head_named = _has_name(head_words)
    # ... or in an appositive: "A spokesman for the DNC, Brad Woodhouse, said".
    parts = text.split(",")
    appositive = _WORD.findall(parts[1]) if len(parts) > 1 else []
    head_named = head_named or (bool(appositive) and all(w[:1].isupper() for w in appositive) and _has_name(appositive))
    if any(m in low for m in ("anonymity", "anonymous", "unnamed", "not authorized", "familiar with", "declined to be named", "requested anonymity", "speaking on background")):
        return "anonymous"
    if hl in ("source", "sources", "insider", "insiders") and not named:
        return "anonymous"
    if first in _INDEFINITE and hl in _ROLE_ANON and not head_named:
        return "anonymous"
    if head[:1].isupper() and hl in ORG_NOUNS and not ends_with_surname(head_words):
        return "organization"  # The New York Post, Reuters
    if hl in DOCUMENT_NOUNS:
        return "document"
    if hl.endswith("'s") or hl.endswith("s'"):
        hl = hl[:-2]
    letters = head.replace(".", "")
    if (hl in ORG_NOUNS and not ends_with_surname(head_words)) or (head.isupper() and len(letters) >= 2 and letters.isalpha()):
        return "organization"
    if "'s" in low and hl in ("office", "campaign", "team", "administration", "government", "ministry", "spokesman"):
        return "organization"
    if first == "the" and head[:1].isupper() and hl not in PERSON_NOUNS and not _has_name(main_words[1:]):
        return "organization"  # "The Hill", "the Kremlin": a name after "the" is an institution
    if hl in COLLECTIVE_NOUNS or (hl.endswith("s") and not hl.endswith("ss") and not head[:1].isupper() and hl[:-1] in PERSON_NOUNS | _ROLE_ANON):
        return "collective"
    if hl in PERSON_NOUNS or hl in _ROLE_ANON or named or head[:1].isupper():
        return "person"
    if hl.endswith("s") and not hl.endswith("ss"):
        return "collective"
    # An unnamed thing that "signals" or "shows" ("his involvement", "the evidence"): the text
    # relays a record or an inference, not a person.
    return "document"
