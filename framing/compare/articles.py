"""Several articles on one event, side by side: ``framing.compare_articles([a, b, c], names=[...])``.

In a notebook the result renders as N columns, each article highlighted by label with a density
bar per section (the view of :func:`framing.render.render_html`), under a comparison table; the
same page can be saved with ``save_html``. The numbers of one article carry the Wilson interval
of its sentences — within-article sentences are the article's own sample — while a comparison of
*groups* of articles needs :func:`framing.compare_groups`.
"""

from __future__ import annotations

import collections
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from framing.render import render_columns, save_page
from framing.results import Analysis
from framing.rows import analysis_rows

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ArticleComparison", "compare_articles"]


def _row(name: str, a: Analysis) -> dict[str, Any]:
    article = analysis_rows("article", None, a)[0]
    n = article["n_sentences"]
    n_attr = article["n_attributions"]
    speakers = collections.Counter(x.who for x in a.attributions)
    return {
        "name": name,
        "title": a.title,
        "n_sentences": n,
        "n_opinion": article["n_opinion"],
        "opinion_density": article["opinion_density"] if n else None,
        "interval_low": article["interval_low"] if n else None,
        "interval_high": article["interval_high"] if n else None,
        "expected_opinion_density": article["expected_opinion_density"] if n else None,
        "lede_opinion_density": article["lede_opinion_density"] if article["lede_n_sentences"] else None,
        "quote_share": article["n_quote_sentences"] / n if n else None,
        "n_attributions": n_attr,
        "anonymous_share": article["n_anonymous_attributions"] / n_attr if n_attr else None,
        "top_speakers": "; ".join(f"{who} ({k})" for who, k in speakers.most_common(3)) or None,
    }


def _cell(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


@dataclass(frozen=True, eq=False)
class ArticleComparison:
    """N analyses with their names; ``table`` compares them, ``_repr_html_`` shows them in columns."""

    analyses: tuple[Analysis, ...]
    names: tuple[str, ...]

    @property
    def table(self) -> "pd.DataFrame":
        """One row per article: density with its 95% Wilson interval, expected density, lede
        density, quote share, attributions, anonymous share and the three most quoted speakers."""
        import pandas as pd

        return pd.DataFrame([_row(n, a) for n, a in zip(self.names, self.analyses)])

    def _display_rows(self) -> list[dict[str, str]]:
        out = []
        for n, a in zip(self.names, self.analyses):
            r = _row(n, a)
            density = "–" if r["opinion_density"] is None else (
                f"{r['opinion_density']:.2f} ({r['n_opinion']}/{r['n_sentences']}, "
                f"{r['interval_low']:.2f}–{r['interval_high']:.2f})"
            )
            out.append({
                "article": r["name"],
                "title": r["title"] or "(untitled)",
                "sentences": _cell(r["n_sentences"]),
                "opinion density (95% CI)": density,
                "expected": _cell(r["expected_opinion_density"]),
                "lede density": _cell(r["lede_opinion_density"]),
                "quote share": _cell(r["quote_share"]),
                "attributions": _cell(r["n_attributions"]),
                "anonymous": _cell(r["anonymous_share"]),
                "most quoted": r["top_speakers"] or "–",
            })
        return out

    def to_html(self) -> str:
        return render_columns(self.analyses, self.names, self._display_rows())

    def _repr_html_(self) -> str:
        return self.to_html()

    def save_html(self, path: "str | os.PathLike[str]") -> Path:
        """Write the columns and the table as one standalone HTML page; returns the path."""
        return save_page(self.to_html(), path, "framing: " + " · ".join(self.names))

    def to_markdown(self) -> str:
        rows = self._display_rows()
        headers = list(rows[0]) if rows else []
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(r[h].replace("|", "\\|") for h in headers) + " |" for r in rows]
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return f"ArticleComparison({', '.join(self.names)})"


def compare_articles(analyses: Sequence[Analysis], names: Sequence[str] | None = None) -> ArticleComparison:
    """Put analyses side by side (e.g. three outlets' articles on one event). ``names`` default
    to the titles (or "article 1", ...)."""
    analyses = tuple(analyses)
    if not analyses:
        raise ValueError("compare_articles needs at least one analysis")
    bad = [type(a).__name__ for a in analyses if not isinstance(a, Analysis)]
    if bad:
        raise TypeError(f"compare_articles takes Analysis objects (framing.analyze results), not {bad[0]}")
    if names is None:
        names = [a.title or f"article {i + 1}" for i, a in enumerate(analyses)]
    names = tuple(str(n) for n in names)
    if len(names) != len(analyses):
        raise ValueError(f"{len(names)} names for {len(analyses)} analyses")
    return ArticleComparison(analyses, names)
