"""Who is quoted how often: counts per speaker, the share of anonymous sourcing, and each
speaker's share of the quoted words, for the whole article and per section.

*Quoted words* are the words inside quotation marks in an attribution's content (what the
source is quoted as saying verbatim); indirect speech adds to ``content_words`` only.
A source with no resolved name is listed under its phrase ("officials", "one insider"):
:attr:`Attribution.who`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from framing.text.quotes import find_quotes
from framing.attribution.spans import Attribution

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SpeakerRow", "SourceProfile", "source_profile", "quoted_words"]

_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")


def quoted_words(a: Attribution) -> int:
    """Words of the content that sit inside quotation marks."""
    if a.content is None:
        return 0
    text = a.content.text
    return sum(len(_WORD.findall(text[r.start : r.end])) for r in find_quotes(text, 0, len(text)))


@dataclass(frozen=True)
class SpeakerRow:
    speaker: str
    source_kind: str
    n_attributions: int
    n_direct: int
    n_indirect: int
    n_mixed: int
    quoted_words: int
    content_words: int
    #: This speaker's share of all quoted words in the span (0 when nothing is quoted).
    quoted_share: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SourceProfile:
    """Attribution counts for one span of the article (the whole body, or one section)."""

    name: str
    n_attributions: int
    #: Share of attributions whose source is anonymous.
    anonymous_share: float
    #: Attributions per source kind.
    kinds: Mapping[str, int]
    speakers: tuple[SpeakerRow, ...]
    #: Per-section profiles (only on the article-level profile).
    sections: tuple["SourceProfile", ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n_attributions": self.n_attributions,
            "anonymous_share": round(self.anonymous_share, 6),
            "kinds": dict(self.kinds),
            "speakers": [r.to_dict() for r in self.speakers],
            "sections": [s.to_dict() for s in self.sections],
        }

    def to_pandas(self, level: str = "speaker") -> "pd.DataFrame":
        """One row per speaker (``level="speaker"``), or per section and speaker (``"section"``)."""
        import pandas as pd

        columns = ["speaker", "source_kind", "n_attributions", "n_direct", "n_indirect", "n_mixed",
                   "quoted_words", "content_words", "quoted_share"]
        if level == "speaker":
            return pd.DataFrame([r.to_dict() for r in self.speakers], columns=columns)
        if level == "section":
            rows = [{"section": s.name, **r.to_dict()} for s in self.sections for r in s.speakers]
            return pd.DataFrame(rows, columns=["section", *columns])
        raise ValueError(f"level must be 'speaker' or 'section', not {level!r}")

    def __repr__(self) -> str:
        top = ", ".join(f"{r.speaker} ×{r.n_attributions}" for r in self.speakers[:4])
        return f"SourceProfile({self.name!r}, {self.n_attributions} attributions, anonymous {self.anonymous_share:.0%}: {top})"


def _profile(name: str, attributions: Sequence[Attribution]) -> SourceProfile:
    groups: dict[str, list[Attribution]] = {}
    for a in attributions:
        groups.setdefault(a.who, []).append(a)
    total_quoted = sum(quoted_words(a) for a in attributions)
    rows = []
    for key, items in groups.items():
        kinds = [a.source_kind for a in items]
        q = sum(quoted_words(a) for a in items)
        rows.append(
            SpeakerRow(
                speaker=key,
                source_kind=max(set(kinds), key=lambda k: (kinds.count(k), -kinds.index(k))),
                n_attributions=len(items),
                n_direct=sum(a.quote_type == "direct" for a in items),
                n_indirect=sum(a.quote_type == "indirect" for a in items),
                n_mixed=sum(a.quote_type == "mixed" for a in items),
                quoted_words=q,
                content_words=sum(a.quoted_words for a in items),
                quoted_share=q / total_quoted if total_quoted else 0.0,
            )
        )
    rows.sort(key=lambda r: (-r.n_attributions, -r.quoted_words, r.speaker))
    kinds: dict[str, int] = {}
    for a in attributions:
        kinds[a.source_kind] = kinds.get(a.source_kind, 0) + 1
    n = len(attributions)
    return SourceProfile(
        name=name,
        n_attributions=n,
        anonymous_share=kinds.get("anonymous", 0) / n if n else 0.0,
        kinds=kinds,
        speakers=tuple(rows),
    )


def source_profile(attributions: Sequence[Attribution], sections: Sequence[tuple[str, Sequence[int]]] = ()) -> SourceProfile:
    """The profile of ``attributions``; ``sections`` gives (name, sentence indices) per section,
    and each attribution counts in the section of its ``sentence_index``."""
    overall = _profile("(article)", attributions)
    per_section = []
    for name, indices in sections:
        members = set(indices)
        per_section.append(_profile(name, [a for a in attributions if a.sentence_index in members]))
    return SourceProfile(overall.name, overall.n_attributions, overall.anonymous_share, overall.kinds, overall.speakers, tuple(per_section))
