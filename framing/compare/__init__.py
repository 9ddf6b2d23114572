"""Comparing outlets and groups: corpus statistics over scored tables, and articles side by side.

- :func:`compare_groups` (``groups``): mean opinion density, quote share, anonymous sourcing and
  lede − rest per group, differences between groups, paired differences within events, and
  position profiles, each with a cluster-bootstrap interval (articles, or events, resampled).
- :mod:`framing.compare.report`: the same as Markdown or a one-file HTML page with plots
  (``framing report``).
- :func:`compare_articles` (``articles``): several analyses of one event in columns, with a
  comparison table.
"""

from framing.compare.articles import ArticleComparison, compare_articles
from framing.compare.groups import GroupComparison, compare_groups, read_table
from framing.compare.measures import METRICS, Metric

__all__ = ["METRICS", "ArticleComparison", "GroupComparison", "Metric", "compare_articles", "compare_groups", "read_table"]
