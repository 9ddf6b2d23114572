"""Who the source is: names from source phrases, and short references resolved to full names.

* A name in the source phrase is the speaker, titles stripped ("U.S. Secretary of State Marco
  Antonio Rubio" → "Marco Antonio Rubio"; "A spokesman for the DNC, Brad Woodhouse" → "Brad
  Woodhouse").
* A place before an office is stripped too ("Illinois Rep. Rodney Davis" → Rodney Davis), and so
  is a party label ("Republican Christine Todd Whitman"); an office that can be a surname
  ("Justice", "Speaker", "Sheriff") only before a first and last name ("Supreme Court Justice Ruth
  Bader Ginsburg"). A capitalized run is cut at a full stop ("… the Frog Jump. Ms. Lauten" is not
  one name).
* A surname or title + surname ("Rubio", "Mr. Steele") → the full name ending with it that the
  article mentioned most often before, the longest on ties; in the headline, anywhere in the
  article ("Clinton says ..." over a body that names Hillary Clinton).
* A pronoun ("he", "she") → the latest person speaker of the last few sentences, else the latest
  person named at the start of a sentence; "they"/"it" → the latest group or organization.
* A definite description ("the senator", "the former secretary of state") → the latest person
  speaker whose source phrase held that word, else the latest person speaker of the noun's sex
  ("the congressman" skips the woman quoted last); with no person quoted in the last few
  sentences, the latest name given with that title ("Gov. Scott Walker" for "the governor",
  not for "the former governor").
* Capitalized runs in a headline-like line (Title Case, no final stop, or the article's Title
  Case title with one) are not names: "Clinton Aides Ask Sestak" would otherwise be the full name
  behind "Mr. Sestak". A surname the body never names in full takes the two words that end a
  headline run ("… Cecile Richards" → Richards). A headline's source run is cut before its speech
  verb ("Francois Hollande Says Donald Trump"); one of five words or more left uncut has no name.
* Organizations keep their phrase ("Zelensky’s office"); "The Post" → "The New York Post" when
  that was named before. Anonymous, collective and unnamed sources have no speaker (None).
* A name in the modifier of an agent noun is whom the agent speaks for, not the speaker: "a
  lawyer for Paul Manafort" and "an aide to Senator John Smith" are unnamed (anonymous), and a
  later "he" or "the aide" stays unnamed too. A spokesperson for an institution speaks for it:
  "a spokesperson for Google", "A White House spokesman" → Google, White House (organization);
  a person's spokesman ("a spokesman for Mr. Clinton") stays unnamed.
* "Her campaign", "His office" → the pronoun's person's campaign or office ("Hillary Clinton’s
  campaign").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from framing.attribution.kinds import ends_with_surname, head_phrase
from framing.lexicon import (
    ABBREVIATIONS,
    ORG_NOUNS,
    PRONOUNS,
    REFLEXIVES,
    SPEECH_VERBS,
    TIME_WORDS,
    TITLES,
)

__all__ = ["Mention", "SpeakerResolver"]

_CAP_RUN = re.compile(r"(?:[A-Z][\w’'.\-]*|[A-Z]\.)(?:[ \t\u00a0]+(?:[A-Z][\w’'.\-]*|[A-Z]\.|de|van|von|bin|al-\w+))*")
_FUNCTION = frozenset(
    """the a an but and or so yet in on at for as if when while after before since then still
    however meanwhile this that these those it its he she they we i his her their our what who why
    how where no not one some many most all both each either neither there here us""".split()
)
_PRONOUN_WINDOW = 6  # sentences
_OPENING_QUOTES = frozenset("“‘\"'«")
#: Nouns that tell a person's sex ("m"/"f", as ``SpeakerResolver._gender`` gives it).
_NOUN_SEX = {
    **dict.fromkeys("congressman spokesman chairman businessman man father son husband brother".split(), "m"),
    **dict.fromkeys("congresswoman spokeswoman chairwoman businesswoman woman mother daughter wife sister".split(), "f"),
}
#: A capitalized run in a headline this long is a headline, not a name (``_headline_name``).
_MAX_HEADLINE_NAME_WORDS = 5


@dataclass(frozen=True)
class Mention:
    start: int
    name: str


def _surname_key(word: str) -> str:
    """"Steele’s" → "steele", "Jones" → "jones" (a possessive ending only, not every final s)."""
    low = word.lower().rstrip(".")
    return low[:-2] if low.endswith(("’s", "'s")) else low


#: Offices that may stand inside a capitalized run before the name ("Illinois Rep. Rodney Davis",
#: "Representative-elect Mikie Sherrill"); words that are also surnames (King, Justice) are not here.
_OFFICES = frozenset(
    """sen. rep. gov. lt. col. sgt. capt. adm. rev. prof. dr. mr. mrs. ms. senator representative
    congressman congresswoman governor mayor secretary ambassador spokesman spokeswoman
    spokesperson commissioner chairman chairwoman director minister chancellor president agent
    senators representatives congressmen congresswomen governors reps. sens. govs.""".split()
)
#: Offices that are also surnames or common words ("Justice", "Speaker", "General"): stripped
#: inside a run only with a first and last name after them ("Supreme Court Justice Ruth Bader
#: Ginsburg", "Nebraska Attorney General Jon Bruning", "Arizona Sheriff Joe Arpaio").
_OFFICES_BEFORE_FULL_NAME = frozenset(
    """justice judge sheriff speaker leader whip general attorney adviser advisor counsel chief
    aide nominee candidate challenger envoy officer executive ceo founder chair""".split()
)
#: One spelling for titles that name the same office, so that a description's noun matches a
#: title before a name ("the senator" ~ "Sen. X", "the congressman" ~ "Rep. X").
_SAME_TITLE = {"sen": "senator", "rep": "representative", "congressman": "representative",
               "congresswoman": "representative", "gov": "governor", "pres": "president",
               "gen": "general", "adm": "admiral", "prof": "professor", "dr": "doctor"}
#: Party labels before a name ("Republican Christine Todd Whitman"): not part of it.
_PARTY_WORDS = frozenset("republican republicans democratic democrat democrats gop independent".split())
_TITLE_WORDS = TITLES | _OFFICES
#: Words that end with a period without ending a sentence ("Sen.", "Jr.").
_NO_STOP = _TITLE_WORDS | {w + "." for w in ABBREVIATIONS}


def _strip_titles(words: list[str]) -> list[str]:
    """Titles before the name: leading ones ("U.S. Secretary of State Marco Rubio" → Marco
    Rubio), and an office after a place ("Florida Sen. Marco Rubio" → Marco Rubio)."""
    i = 0
    while i < len(words) - 1 and words[i].lower().rstrip(",") in _TITLE_WORDS | _PARTY_WORDS:
        i += 1
    for k in range(i, len(words) - 1):
        low = words[k].lower().rstrip(",")
        if low in _OFFICES or low.endswith("-elect"):
            i = k + 1
        elif low in _OFFICES_BEFORE_FULL_NAME and k + 2 < len(words) and words[k + 1].lower() != "of":
            i = k + 1  # not inside an office that goes on ("Chief of Staff Rahm Emanuel")
    return words[i:]


def _sentence_runs(words: list[str]) -> list[list[str]]:
    """A capitalized run cut where a word ends a sentence: "Democrats. Representatives Brad
    Sherman" is two runs (the period dropped), while "Sen.", "D.", "U.S." and "Jr." end none."""
    runs: list[list[str]] = [[]]
    for w in words:
        low = w.lower()
        core = low[:-1]
        if low.endswith(".") and len(core) > 1 and "." not in core and low not in _NO_STOP:
            runs[-1].append(w[:-1])
            runs.append([])
        else:
            runs[-1].append(w)
    return [r for r in runs if r]


def _name_words(words: list[str]) -> list[str]:
    """The name in a run of capitalized words, or []: possessors, function words and titles
    stripped ("Poland’s Donald Tusk" → Donald Tusk, "U.S. Secretary of State X" → X)."""
    for k in range(len(words) - 1, -1, -1):
        if words[k].endswith(("’s", "'s")) and k < len(words) - 1:
            words = words[k + 1 :]
            break
    while words and words[0].lower() in _FUNCTION:
        words = words[1:]
    surname = ends_with_surname(words)  # before "Mr." is stripped from "Mr. Fox"
    words = _strip_titles(words)
    if not words or words[-1].lower() in TITLES:
        return []
    if words[-1].lower().strip(".") in ORG_NOUNS and not surname:
        return []  # "Fox News", "the White House"; but "Vicente Fox", "Dave Camp"
    for w in words:
        if w.endswith(("’s", "'s")) or w.lower() in TIME_WORDS:
            return []  # a possessive, "Saturday", "November"
    return words


_LINE = re.compile(r"[^\n\r\u2028\u2029]+")


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line written like a headline: three to 25 words, three quarters of
    them capitalized, no sentence punctuation at the end. A capitalized run there is no name; a
    body line full of names ("Sen. John McCain, R-Ariz., and ... said.") ends like a sentence."""
    out = []
    for m in _LINE.finditer(text):
        line = m.group().rstrip()
        words = [w for w in line.split() if w[:1].isalpha()]
        if not 3 <= len(words) <= 25 or line.rstrip("\"'”’»)").endswith((".", "!", ",", ";", ":")):
            continue
        if _mostly_capitalized(words):
            out.append((m.start(), m.end()))
    return out


def _title_case_headline(text: str, headline_end: int) -> bool:
    """The article's headline (``text[:headline_end]``) is written in Title Case."""
    return headline_end > 0 and _mostly_capitalized(text[:headline_end].split())


def _mostly_capitalized(words: list[str]) -> bool:
    """Three to 25 words, three quarters of those that start with a letter capitalized."""
    words = [w for w in words if w[:1].isalpha()]
    return 3 <= len(words) <= 25 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _inside_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    import bisect

    k = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


#: Heads that speak *for* someone named in their modifier: in "a lawyer for Paul Manafort" or
#: "an aide to Senator John Smith" the name is not the speaker's.
_AGENT_HEADS = frozenset(
    """spokesman spokeswoman spokesperson aide adviser advisor lawyer lawyers attorney attorneys
    representative staffer assistant ally friend confidant colleague relative mother father son
    daughter wife husband brother sister cousin widow dean professor director chairman
    chairwoman chair head founder president ceo leader member""".split()
)
#: One unnamed person a later "he"/"she" can refer to ("a source", "an aide to X").
_ONE_PERSON = _AGENT_HEADS | frozenset("source insider official person diplomat operative strategist".split())
_UNNAMED = "\0unnamed"  # a candidate that is a person with no name (compared by identity)
#: Heads that speak for an institution when one is named: "a spokesperson for Google", "A
#: Microsoft spokesperson", "a White House spokesman".
_SPOKES = frozenset("spokesman spokeswoman spokesperson spokespeople representative".split())
_PERSON_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|President|Senator|Governor|Secretary)\b\.?")
_POSSESSIVE_PRONOUN = re.compile(r"(his|her)\s+([a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,2})$", re.I)
#: Where a source phrase's head part ends: an appositive, a parenthesis or a relative clause.
_PARTS = re.compile(r",|\(|\bwho\b")
_DETERMINER = re.compile(r"\s*(?:a|an|the|one|another|his|her|their|its)\s", re.I)


def _without_agent_modifier(part: str) -> str:
    """"A lawyer for Paul Manafort" → "A lawyer ": a determiner, an agent head (``_AGENT_HEADS``)
    and no name before the modifier. Anything else is returned whole ("Sen. Chuck Grassley of
    Iowa", "the Democratic nominee for Senate Katie McGinty")."""
    if not _DETERMINER.match(part):
        return part
    head = head_phrase(part)
    words = head.split()
    if len(head) == len(part) or not words or words[-1].lower() not in _AGENT_HEADS:
        return part
    return head


def person_name(phrase: str, speaker_phrase: bool = False) -> str | None:
    """The personal name in a source phrase, titles stripped, or None. ``speaker_phrase``: the
    phrase is the source itself, so a name in an agent head's modifier ("a spokesman for Sen.
    X") is not the speaker's; a later appositive still is ("a spokesman for X, Brad Woodhouse")."""
    best: list[str] = []
    for k, part in enumerate(_PARTS.split(phrase)):
        if speaker_phrase and k == 0:
            part = _without_agent_modifier(part)
        for m in _CAP_RUN.finditer(part):
            words = _name_words(_sentence_runs(m.group().split())[-1])
            if not words:
                continue
            # "the presumptive Republican nominee": a capitalized modifier is not a name.
            rest = part[m.end() :].split()
            if rest and rest[0][:1].islower() and rest[0].lower() not in ("of", "and", "who", "said", "says") and len(words) == 1:
                continue
            if len(words) > len(best):
                best = words
        if best:
            break  # the head's name wins over names inside an appositive ("who joins Sen. Tim Scott")
    return " ".join(best) if best else None


@dataclass
class SpeakerResolver:
    text: str
    _mentions: list[Mention] | None = None
    #: (position, speaker, kind, source words, sentence index) of every resolved source so far.
    history: list[tuple[int, str | None, str, frozenset[str], int]] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)
    _genders: dict[str, str | None] = field(default_factory=dict)
    _surname_index: dict[str, list[tuple[int, str, int]]] | None = None
    _headline_tails: list[str] | None = None
    # Indexes that keep every look-up linear in the article (a scan of all earlier sources for
    # each "the minister" was quadratic: 53.6 s for 2,000 paragraphs):
    #: word of a source phrase → index in ``history`` of the latest source a description may
    #: recall by it (a named person, an unnamed one, or an organization's spokesperson).
    _recall_by_word: dict[str, int] = field(default_factory=dict)
    #: last word of an organization → its names, the latest last ("the Council" → "the City Council").
    _organizations: dict[str, dict[str, None]] = field(default_factory=dict)
    _mention_starts: list[int] | None = None
    #: surname → the table of :meth:`_full_names`.
    _full_name_tables: dict[str, tuple[list[int], dict[int, list[str | None]]]] = field(default_factory=dict)
    #: title noun → indices into ``mentions`` of the names printed after it ("President Donald Trump").
    _titled_index: dict[str, list[int]] | None = None

    #: End of the headline: a surname there ("Clinton says ...") takes the full name the body
    #: gives later, since nothing comes before a headline.
    headline_end: int = 0

    @classmethod
    def for_text(cls, text: str, sentence_starts: list[int], headline_end: int = 0) -> "SpeakerResolver":
        return cls(text, None, [], sorted(sentence_starts), headline_end=headline_end)

    @property
    def mentions(self) -> list[Mention]:
        """Personal names (two words or more) mentioned in the text, in order; found on first use."""
        if self._mentions is None:
            self._mentions = self._find_mentions(self.text, self.headline_end)
        return self._mentions

    @staticmethod
    def _find_mentions(text: str, headline_end: int = 0) -> list[Mention]:
        mentions = []
        headline_lines = _title_case_lines(text)
        if _title_case_headline(text, headline_end):
            # A Title Case headline printed with a final period ("Unhappy Campaign Of Paul
            # Manafort.") is no line _title_case_lines can tell from a list of names.
            headline_lines = [(0, headline_end)] + [span for span in headline_lines if span[0] >= headline_end]
        for m in _CAP_RUN.finditer(text):
            if headline_lines and _inside_any(m.start(), headline_lines):
                continue  # "Clinton Warns On ISIS": capitalized, but not a name
            starts = [m.start() + w.start() for w in re.finditer(r"\S+", m.group())]
            first = 0
            for words in _sentence_runs(m.group().split()):
                k = 0
                while k < len(words) and words[k].lower() in _FUNCTION:
                    k += 1
                name = _name_words(words[k:])
                if name:
                    mentions.append(Mention(starts[first + k], " ".join(name)))
                first += len(words)
        return mentions

    def _full_name(self, short: str, before: int, headline_fallback: bool = False) -> str:
        """The earlier full name that ends with ``short``'s surname: the most often mentioned,
        then the longest ("Trump" → "Donald Trump", not a one-off "Meet Melania Trump").
        ``headline_fallback``: a surname the body never names in full may take a name from a
        Title Case headline (for a source's own name, not for pronoun candidates)."""
        words = short.split()
        if not words:
            return short
        last = _surname_key(words[-1])
        starts, best = self._full_names(last)
        seen = bisect.bisect_left(starts, before)  # the mentions before ``before``
        chosen = best[len(words)][seen - 1] if seen and len(words) in best else None
        if chosen is None:
            # A surname named in full only in a Title Case headline ("… Cecile Richards …").
            for name in self._headline_names if headline_fallback and len(words) == 1 else ():
                if _surname_key(name.split()[-1]) == last and len(name.split()) > len(words):
                    return name
            return short
        return chosen

    def _full_names(self, surname: str) -> tuple[list[int], dict[int, list[str | None]]]:
        """For one surname: the start of each of its mentions, and for each word count w, after
        each mention, the name :meth:`_full_name` gives a w-word short form at that point: of the
        names so far with more than w words, the most often mentioned, then the longest, then the
        first. Built once per surname (counting afresh at every call was quadratic)."""
        if surname not in self._full_name_tables:
            entries = self._by_surname.get(surname, [])
            longest = max((n for _, _, n in entries), default=0)
            best: dict[int, list[str | None]] = {}
            for w in range(1, longest):
                counts: dict[str, int] = {}
                order: dict[str, int] = {}
                top: str | None = None
                top_key: tuple[int, int, int] = (0, 0, 0)
                after: list[str | None] = []
                for _, name, n in entries:
                    if n > w:
                        counts[name] = counts.get(name, 0) + 1
                        order.setdefault(name, len(order))
                        key = (counts[name], n, -order[name])
                        if top is None or key > top_key:
                            top, top_key = name, key
                    after.append(top)
                best[w] = after
            self._full_name_tables[surname] = ([start for start, _, _ in entries], best)
        return self._full_name_tables[surname]

    @property
    def _headline_names(self) -> list[str]:
        """The last two words of each capitalized run in a Title Case headline: the name, where
        the run ends with one ("Unhappy Campaign Of Paul Manafort"). Used only for a surname
        the body never names in full."""
        if self._headline_tails is None:
            tails = []
            if _title_case_headline(self.text, self.headline_end):
                for m in _CAP_RUN.finditer(self.text[: self.headline_end]):
                    words = _name_words(_sentence_runs(m.group().split())[-1])
                    if len(words) >= 2:
                        tails.append(" ".join(words[-2:]))
            self._headline_tails = tails
        return self._headline_tails

    @property
    def _by_surname(self) -> dict[str, list[tuple[int, str, int]]]:
        if self._surname_index is None:
            index: dict[str, list[tuple[int, str, int]]] = {}
            for m in self.mentions:
                words = m.name.split()
                index.setdefault(_surname_key(words[-1]), []).append((m.start, m.name, len(words)))
            self._surname_index = index
        return self._surname_index

    def _sentence_no(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts, pos)

    def resolve(self, source: str, kind: str, position: int) -> tuple[str | None, str]:
        """(speaker, kind) for a source phrase at ``position``; records it for later references."""
        phrase = " ".join(source.split()).strip(" ,")
        if " " in phrase and phrase.rsplit(" ", 1)[1].lower() in REFLEXIVES:
            phrase = phrase.rsplit(" ", 1)[0]  # "Zelensky himself", "the president himself"
        low = phrase.lower().replace("’", "'")
        words = frozenset(w.lower() for w in re.findall(r"\w+", phrase))
        # The head without its modifier: "a top adviser for President Obama" → a, top, adviser.
        head_words = frozenset(w.lower() for w in re.findall(r"\w+", head_phrase(phrase)))
        sno = self._sentence_no(position)
        speaker: str | None = None
        if low in ("who", "which"):
            # "..., Trump, who has said ...": the antecedent just before the pronoun.
            before = self.text[max(0, position - 120) : position]
            chunk = re.split(r"[;:.!?\n]", before)[-1].rstrip(" ,")
            chunk = chunk.rsplit(",", 1)[-1] if "," in chunk and person_name(chunk.rsplit(",", 1)[-1]) else chunk
            name = person_name(chunk) if low == "who" else None
            speaker = self._full_name(name, position) if name else None
            kind = "person" if low == "who" else "organization"
        elif low in PRONOUNS:
            speaker, kind = self._pronoun(low, kind, sno)
        elif kind in ("person", "anonymous"):
            name = person_name(phrase, speaker_phrase=True)
            institution = self._spoken_for(phrase, position) if name is None else None
            if institution is not None:
                speaker, kind = institution, "organization"
            elif name is not None and kind == "person":
                if position < self.headline_end:
                    name = self._headline_name(name)
                if name is not None:
                    headline_surname = position < self.headline_end and " " not in name
                    speaker = self._full_name(name, len(self.text) if headline_surname else position, headline_fallback=True)
            elif name is None and (low.startswith("the ") or low.startswith("this ")):
                speaker, kind = self._description(head_words, sno, kind)
        elif kind == "organization" and (owned := _POSSESSIVE_PRONOUN.match(phrase)):
            # "Her campaign", "His office": the owner is whom the pronoun names.
            owner, _ = self._pronoun("he" if owned.group(1).lower() == "his" else "she", "person", sno)
            speaker = f"{owner}’s {owned.group(2)}" if owner else phrase
        elif kind == "organization":
            speaker = re.split(r",|—|–|\bwho\b", phrase)[0].strip()
            head = speaker.split()[-1] if speaker.split() else ""
            if low.startswith("the ") and len(speaker.split()) <= 3:
                for earlier in reversed(self._organizations.get(head, {})):
                    # Not a coordination: "the SVP" is not "Both Blocher and the SVP".
                    if len(earlier) > len(speaker) and " and " not in earlier:
                        speaker = earlier
                        break
        # An unnamed source is recalled by its head ("the spokesman"), not by a name in its
        # modifier: "the former president" is not "a top adviser for President Obama".
        self._remember(position, speaker, kind, words if speaker is not None else head_words, sno)
        return speaker, kind

    def _remember(self, position: int, speaker: str | None, kind: str, words: frozenset[str], sno: int) -> None:
        """Record a resolved source in ``history`` and in the indexes its later readers use."""
        self.history.append((position, speaker, kind, words, sno))
        recallable = (kind in ("person", "anonymous") or (kind == "organization" and bool(words & _SPOKES))) and not (
            kind == "person" and speaker is None  # an unresolved description itself
        )
        if recallable:
            for word in words:
                self._recall_by_word[word] = len(self.history) - 1
        if kind == "organization" and speaker:
            names = self._organizations.setdefault(speaker.split()[-1], {})
            names.pop(speaker, None)
            names[speaker] = None  # insertion order: the latest last

    def _mentions_up_to(self, sno: int) -> int:
        """How many mentions lie in sentences up to ``sno`` (mentions are in text order)."""
        if self._mention_starts is None:
            self._mention_starts = [m.start for m in self.mentions]
        if sno >= len(self.sentence_starts):
            return len(self.mentions)
        return bisect.bisect_left(self._mention_starts, self.sentence_starts[sno])

    def _headline_name(self, name: str) -> str | None:
        """A Title Case headline runs the name into its verb and object ("Obama Defends NSA
        Programs"): when the run is long and its first word or two name someone the article
        names in full, keep just those; else cut it before a speech verb ("Francois Hollande
        Says Donald Trump" → Francois Hollande). A run of five words or more that neither
        rule cuts is a headline, not a name ("Rebuilding Isn’t The Only Reason Hedge Funds
        Support Hillary Clinton"): None."""
        words = name.split()
        if len(words) < 3:
            return name
        for k in (2, 1):
            if _surname_key(words[k - 1]) in self._by_surname:
                return " ".join(words[:k])
        for k in range(1, len(words)):
            if words[k].lower() in SPEECH_VERBS:
                return " ".join(words[:k])
        return name if len(words) < _MAX_HEADLINE_NAME_WORDS else None

    def _spoken_for(self, phrase: str, position: int) -> str | None:
        """The institution a spokesperson speaks for ("a spokesperson for Google" → Google, "A
        White House spokesman" → White House), or None: no institution named, or a person's
        spokesman ("a spokesman for Mr. Clinton", "a Clinton spokesman" once Hillary Clinton is
        named)."""
        first = _PARTS.split(phrase, maxsplit=1)[0]
        head = head_phrase(first)
        words = head.split()
        if len(words) < 2 or words[-1].lower() not in _SPOKES or not _DETERMINER.match(head + " "):
            return None
        after = re.match(r"\s*(?:for|of|at)\s+(.+)", first[len(head):])
        institution = after.group(1).strip() if after else " ".join(words[1:-1])
        institution = re.split(r"\s+(?:at\s+(?:the|that)\s+time|(?:on|last|this)\s+\w+day)\b", institution)[0]
        if not institution or not (institution[:1].isupper() or institution.lower().startswith("the ")):
            return None
        if _PERSON_TITLE.search(institution):
            return None
        name = person_name(institution)
        if name is not None and (len(name.split()) >= 2 or len(self._full_name(name, position).split()) >= 2):
            return None
        return institution

    def _pronoun(self, low: str, kind: str, sno: int) -> tuple[str | None, str]:
        if kind != "person" or low not in ("he", "she", "him", "her"):
            wanted = {"organization", "document"} if low == "it" else {"collective", "organization", "anonymous"}
            for _, speaker, k, _, s in reversed(self.history):
                if sno - s > _PRONOUN_WINDOW:
                    break
                if k in wanted:
                    return speaker, k
            return None, kind
        # The latest person, as a speaker or as the subject of a recent sentence, whose gender
        # (from "Mr."/"Ms." or the pronouns near the name) does not contradict the pronoun.
        sex = "m" if low in ("he", "him") else "f"
        candidates: list[tuple[int, str | None]] = []
        spokes: dict[int, str | None] = {}
        for pos, speaker, k, words, s in reversed(self.history):
            if sno - s > _PRONOUN_WINDOW:
                break
            if k == "person":
                candidates.append((pos, speaker))
            elif k == "anonymous" and words & _ONE_PERSON:
                candidates.append((pos, _UNNAMED))  # "A lawyer for X said ... He added": still unnamed
            elif k == "organization" and words & _SPOKES:
                candidates.append((pos, _UNNAMED))  # "a spokesman for Google said ... He added"
                spokes[pos] = speaker
        for i in range(self._mentions_up_to(sno) - 1, -1, -1):  # no copy of the prefix per pronoun
            m = self.mentions[i]
            k = self._sentence_no(m.start)
            if k == 0:
                continue
            if sno - k > _PRONOUN_WINDOW:
                break
            # A subject: named within the first few characters of its sentence, and not the
            # first words of a quotation ("“So-called Birthright Citizenship …,” he tweeted").
            if m.start - self.sentence_starts[k - 1] <= 12 and self.text[m.start - 1 : m.start] not in _OPENING_QUOTES:
                full = self._full_name(m.name, m.start + 1)
                if len(full.split()) >= 2:  # a bare surname counts once its full name is known
                    candidates.append((m.start, full))
        candidates.sort(key=lambda c: -c[0])
        for pos, name in candidates:
            if name is _UNNAMED:
                return (spokes[pos], "organization") if pos in spokes else (None, "anonymous")
            if name is not None and self._gender(name) in (sex, None):
                return name, "person"
        return None, kind

    def _gender(self, name: str) -> str | None:
        """"m", "f" or None, from titles before the surname or pronouns right after the name."""
        if name in self._genders:
            return self._genders[name]
        surname = name.split()[-1]
        text = self.text
        titled = re.findall(r"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w.'’-]*\s+){0,2}" + re.escape(surname) + r"\b", text)
        score = sum(1 if t == "Mr" else -1 for t in titled) * 3
        for m in list(re.finditer(r"\b" + re.escape(surname) + r"\b", text))[:12]:
            # Pronouns later in the same sentence ("Lane said her plan ..."), not beyond it.
            window = re.split(r"[.!?]\s|\n", text[m.end() : m.end() + 120], maxsplit=1)[0].lower()
            score += len(re.findall(r"\b(?:he|his|him|himself)\b", window))
            score -= len(re.findall(r"\b(?:she|her|hers|herself)\b", window))
        gender = "m" if score > 0 else "f" if score < 0 else None
        self._genders[name] = gender
        return gender

    def _description(self, words: frozenset[str], sno: int, kind: str) -> tuple[str | None, str]:
        """(speaker, kind) of "the senator", "the spokesman": the latest person or unnamed source
        whose phrase held the noun ("a spokesman for the DNC" stays unnamed: None, anonymous),
        else the latest named person of the last few sentences (of the noun's sex, if it has
        one), else a name the text gave with that title (``_titled_mention``)."""
        heads = words - {"the", "this", "former", "current", "of", "for", "to", "a", "an"}
        # "the congressman" is not the woman quoted last.
        sexes = {_NOUN_SEX[w] for w in heads if w in _NOUN_SEX}
        recalled = max((self._recall_by_word[w] for w in heads if w in self._recall_by_word), default=None)
        if recalled is not None:
            _, speaker, k, _, _ = self.history[recalled]
            return speaker, k
        fallback = None
        for _, speaker, k, w, s in reversed(self.history):
            if sno - s > _PRONOUN_WINDOW:
                break  # sources are recorded in text order
            if (speaker is not None and k == "person"
                    and (len(sexes) != 1 or self._gender(speaker) in (*sexes, None))):
                fallback = speaker
                break
        if fallback is None and "former" not in words:  # "the former president" is not President X
            titled = self._titled_mention(heads & TITLES, sno)
            if titled is not None:
                return titled, "person"
        return fallback, kind

    def _titled_mention(self, heads: frozenset[str] | set[str], sno: int) -> str | None:
        """The latest name the text gave with one of ``heads`` (title nouns) as its title, up to
        sentence ``sno``: "the president" → Donald Trump after "President Donald Trump", when no
        person has been quoted in the last few sentences."""
        heads = {_SAME_TITLE.get(w, w) for w in heads}
        if not heads:
            return None
        if self._titled_index is None:
            index: dict[str, list[int]] = {}
            for i, m in enumerate(self.mentions):
                name_at = self.text.find(m.name.split()[0], m.start)
                before = self.text[max(0, name_at - 40) : name_at].split()[-3:]
                for title in {_SAME_TITLE.get(w.lower().rstrip("."), w.lower().rstrip(".")) for w in before}:
                    index.setdefault(title, []).append(i)
            self._titled_index = index
        limit = self._mentions_up_to(sno)
        # The latest titled mention first, as a walk back over all mentions would find them.
        lists = [found for found in (self._titled_index.get(t, []) for t in heads) if found]
        ends = [bisect.bisect_left(found, limit) for found in lists]
        tried: set[int] = set()
        while True:
            live = [(found[end - 1], k) for k, (found, end) in enumerate(zip(lists, ends)) if end > 0]
            if not live:
                return None
            i, k = max(live)
            ends[k] -= 1
            if i in tried:
                continue
            tried.add(i)
            m = self.mentions[i]
            full = self._full_name(m.name, m.start + 1)
            if len(full.split()) >= 2:  # a name, not "President of America"
                return full
