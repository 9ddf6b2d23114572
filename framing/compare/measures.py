"""What ``compare_groups`` measures per group: the metrics and the position profiles."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FIFTHS", "METRICS", "POSITION_KINDS", "SECTION_POSITIONS", "SECTION_POSITION_HELP", "Metric"]

#: Position profile by fifth of the article body (as evals/run.py has always binned BASIL).
FIFTHS = 5


@dataclass(frozen=True)
class Metric:
    """One article-level quantity compared across groups."""

    name: str
    #: Short column title for tables and plots.
    title: str
    #: What the group value is, in words.
    description: str
    #: "articles" (every article with body sentences) or "lede" (articles with a lede and a rest).
    population: str = "articles"


#: The compared quantities, in table order. A group's value is a ratio of sums over its
#: articles: the mean of an article value (each article weighs the same), or for
#: ``anonymous_share`` the pooled share of the group's attributions.
METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("opinion_density", "opinion density",
           "mean over articles of the article's opinion density (share of its body sentences labeled "
           "editorial_judgment or rhetorical_question)"),
    Metric("expected_opinion_density", "expected opinion density",
           "mean over articles of the mean P(editorial_judgment) + P(rhetorical_question) of its sentences"),
    Metric("quote_share", "quote share",
           "mean over articles of the share of body sentences labeled attributed_quote"),
    Metric("anonymous_share", "anonymous sourcing",
           "share of the group's attributions whose source is anonymous (pooled over its articles)"),
    Metric("lede_minus_rest", "lede − rest",
           "mean over articles of lede opinion density − opinion density of the rest of the body "
           "(articles with a lede and at least one sentence after it)", population="lede"),
)}

#: Position profiles: by fifth of the body, and by the kind of section a sentence sits in.
POSITION_KINDS = ("fifth", "section")
SECTION_POSITIONS = ("lede", "body", "question heading", "faq")
#: What each section position holds, in words.
SECTION_POSITION_HELP = {
    "lede": "the first body paragraph",
    "body": "after the lede, under no heading or a statement heading",
    "question heading": "under a heading that asks a question (not in an FAQ block)",
    "faq": "answers in an FAQ block",
}
