"""Opinion density over a span of labeled sentences, with honest uncertainty.

A section of four sentences says little on its own, so every density carries its sentence count
and a Wilson score interval, and comparisons between two spans carry Newcombe's interval for a
difference of proportions (method 10 in Newcombe 1998) — both behave well at 0, 1 and small n,
where the textbook normal approximation gives nonsense such as negative shares.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from framing.labels import LABEL_INDEX, OPINION_LABELS

# 95% two-sided normal quantile; fixed so that results are reproducible to the last digit.
Z_95 = 1.959963984540054
_OPINION_COLUMNS = tuple(sorted(LABEL_INDEX[name] for name in OPINION_LABELS))


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a binomial share; (0.0, 1.0) when n == 0 (nothing is known)."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # At k == 0 and k == n the bound is exactly 0 or 1; floating point would leave 1e-17 dust.
    lower = 0.0 if successes == 0 else max(0.0, centre - half)
    upper = 1.0 if successes == n else min(1.0, centre + half)
    return (lower, upper)


@dataclass(frozen=True)
class Density:
    """Opinion density of one span of body sentences."""

    n_sentences: int
    n_opinion: int
    #: Share of sentences labeled editorial_judgment or rhetorical_question (0.0 when empty).
    opinion_density: float
    #: Mean of P(editorial_judgment) + P(rhetorical_question) over the sentences.
    expected_opinion_density: float
    #: 95% Wilson interval of opinion_density.
    interval: tuple[float, float]

    def __str__(self) -> str:
        lo, hi = self.interval
        return f"{self.opinion_density:.2f} ({self.n_opinion}/{self.n_sentences}, 95% CI {lo:.2f}–{hi:.2f})"


def density(labels: Sequence[str], opinion_probabilities: Sequence[float]) -> Density:
    """Density of a span from its sentence labels and per-sentence P(opinion)."""
    if len(labels) != len(opinion_probabilities):
        raise ValueError("labels and opinion_probabilities differ in length")
    n = len(labels)
    k = sum(1 for label in labels if label in OPINION_LABELS)
    return Density(
        n_sentences=n,
        n_opinion=k,
        opinion_density=k / n if n else 0.0,
        expected_opinion_density=math.fsum(opinion_probabilities) / n if n else 0.0,
        interval=wilson_interval(k, n),
    )


def opinion_probability(scores: Sequence[float]) -> float:
    """P(editorial_judgment) + P(rhetorical_question) from a score vector in LABELS order."""
    return float(sum(scores[i] for i in _OPINION_COLUMNS))


@dataclass(frozen=True)
class DensityDifference:
    """``a.opinion_density - b.opinion_density`` with Newcombe's 95% interval."""

    a: Density
    b: Density
    difference: float
    interval: tuple[float, float]

    @property
    def conclusive(self) -> bool:
        """True when the interval excludes zero: the data show a difference at the 95% level."""
        lo, hi = self.interval
        return lo > 0 or hi < 0

    def __str__(self) -> str:
        lo, hi = self.interval
        verdict = "excludes 0" if self.conclusive else "includes 0: not established"
        return f"{self.difference:+.2f} (95% CI {lo:+.2f} to {hi:+.2f}; {verdict})"


def density_difference(a: Density, b: Density) -> DensityDifference:
    """Newcombe hybrid-score interval for the difference of two independent shares."""
    p1, p2 = a.opinion_density, b.opinion_density
    l1, u1 = a.interval
    l2, u2 = b.interval
    d = p1 - p2
    lower = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return DensityDifference(a=a, b=b, difference=d, interval=(max(-1.0, lower), min(1.0, upper)))
