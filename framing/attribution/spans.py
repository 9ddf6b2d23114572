"""Attribution records: a :class:`Frame` as found (character offsets of source, cue and content,
from the rules or the trained tagger) and the :class:`Attribution` it becomes once its speaker,
source kind and quote type are known.

Every span indexes the caller's original string: ``text[span.start:span.end] == span.text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from framing.article import SentenceSpan

__all__ = ["Attribution", "FRAME_KINDS", "Frame", "QUOTE_TYPES", "SOURCE_KINDS", "Span", "UNNAMED"]

#: ``Attribution.who`` where the text names no source (a quotation with no speaker in sight).
UNNAMED = "(unnamed source)"

SOURCE_KINDS: tuple[str, ...] = ("person", "organization", "anonymous", "collective", "document")
QUOTE_TYPES: tuple[str, ...] = ("direct", "indirect", "mixed")


#: How a frame was found: the rule patterns of framing.attribution.rules.frames, or "tagged" by
#: the trained span tagger. (While the rules wait for a colon's quotation in the next sentence, a
#: frame's kind carries a "-next" suffix; no finished frame has one.)
FRAME_KINDS: tuple[str, ...] = (
    "postposed", "inverted", "parenthetical", "passive", "according", "preposed", "participle",
    "coordinated", "colon", "headline", "dash", "tagged",
)


@dataclass(frozen=True)
class Frame:
    """(start, end) character offsets of one attribution's parts as found, before its speaker is
    resolved; any part may be missing."""

    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    content: tuple[int, int] | None
    #: The sentence holding the cue.
    sentence: "SentenceSpan"
    #: One of FRAME_KINDS.
    kind: str
    #: True for a second frame of the same source ("..., she said, adding that ..."): no source
    #: span of its own, the speaker is the previous frame's.
    inherit: bool = False


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Attribution:
    """One source relaying one piece of content.

    ``source`` is the speaker's mention in this sentence ("he", "a source", "Rubio"), or None
    when the quote only continues an earlier speaker or the speaker is not in the text;
    ``speaker`` is the resolved name ("Marco Antonio Rubio") where the text allows.
    ``cue`` is the reporting verb, "according to", a colon or a dash; None for a quote that
    continues the previous speaker without a cue of its own.
    """

    source: Span | None
    cue: Span | None
    content: Span | None
    speaker: str | None
    #: "person" | "organization" | "anonymous" | "collective" | "document"
    source_kind: str
    #: "direct" (all quoted) | "indirect" (no quotation marks) | "mixed" (partly quoted)
    quote_type: str
    #: Index into Analysis.sentences of the sentence holding the cue (or the content's start).
    sentence_index: int | None = None
    #: True when this quote continues an earlier attribution's speaker (no cue of its own).
    continued: bool = False

    @property
    def start(self) -> int:
        return min(s.start for s in (self.source, self.cue, self.content) if s is not None)

    @property
    def end(self) -> int:
        return max(s.end for s in (self.source, self.cue, self.content) if s is not None)

    @property
    def who(self) -> str:
        """Who speaks, as a reader would name them: the resolved speaker, else the source phrase
        as written ("one insider", "officials"), else UNNAMED when the text names no source.
        The one rule every view (tables, profile, notebook, context notes) uses."""
        if self.speaker:
            return self.speaker
        if self.source is not None:
            return " ".join(self.source.text.split()).strip(" ,") or UNNAMED
        return UNNAMED

    @property
    def quoted_words(self) -> int:
        """Words of content (all of it; for the profile's share of quoted words)."""
        return len(self.content.text.split()) if self.content is not None else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": self.content.to_dict() if self.content else None,
            "speaker": self.speaker,
            "source_kind": self.source_kind,
            "quote_type": self.quote_type,
            "sentence_index": self.sentence_index,
            "continued": self.continued,
        }

    def __repr__(self) -> str:
        who = self.who
        what = self.content.text if self.content else ""
        what = what if len(what) <= 50 else what[:47] + "..."
        return f"Attribution({who!r}, {self.source_kind}, {self.quote_type}, {what!r})"
