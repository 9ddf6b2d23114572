import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framing.aggregate import density, density_difference, opinion_probability, wilson_interval
from framing.labels import LABELS


def test_wilson_matches_published_value():
    # Newcombe (1998), example: 81/263 → 0.2553 to 0.3662
    lo, hi = wilson_interval(81, 263)
    assert lo == pytest.approx(0.2553, abs=5e-4)
    assert hi == pytest.approx(0.3662, abs=5e-4)


def test_wilson_edges_are_sane():
    assert wilson_interval(0, 0) == (0.0, 1.0)
    lo, hi = wilson_interval(0, 3)
    assert lo == 0.0 and 0.5 < hi < 0.6  # three sentences cannot rule out a majority
    lo, hi = wilson_interval(3, 3)
    assert hi == 1.0 and 0.4 < lo < 0.5
    with pytest.raises(ValueError):
        wilson_interval(4, 3)


@given(st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_point_estimate(kn):
    k, n = kn
    lo, hi = wilson_interval(k, n)
    assert 0.0 <= lo <= hi <= 1.0
    if n:
        assert lo - 1e-12 <= k / n <= hi + 1e-12


def test_density_counts_opinion_labels_only():
    labels = ["factual_report", "editorial_judgment", "rhetorical_question", "attributed_quote"]
    d = density(labels, [0.1, 0.9, 0.8, 0.2])
    assert (d.n_sentences, d.n_opinion) == (4, 2)
    assert d.opinion_density == 0.5
    assert d.expected_opinion_density == pytest.approx(0.5)
    assert d.interval == wilson_interval(2, 4)


def test_empty_density_is_honest():
    d = density([], [])
    assert d.n_sentences == 0 and d.opinion_density == 0.0 and d.interval == (0.0, 1.0)


def test_newcombe_difference_matches_published_value():
    # Newcombe (1998) method 10, example (56/70 vs 48/80): difference 0.2, CI 0.0524 to 0.3339
    a = density(["editorial_judgment"] * 56 + ["factual_report"] * 14, [0.0] * 70)
    b = density(["editorial_judgment"] * 48 + ["factual_report"] * 32, [0.0] * 80)
    diff = density_difference(a, b)
    assert diff.difference == pytest.approx(0.2)
    assert diff.interval[0] == pytest.approx(0.0524, abs=5e-4)
    assert diff.interval[1] == pytest.approx(0.3339, abs=5e-4)
    assert diff.conclusive


def test_small_samples_are_not_conclusive():
    lede = density(["editorial_judgment", "factual_report", "factual_report"], [0.5] * 3)
    section = density(["editorial_judgment"] * 4 + ["factual_report"], [0.5] * 5)
    diff = density_difference(section, lede)
    assert diff.difference == pytest.approx(0.8 - 1 / 3)
    assert not diff.conclusive
    assert "not established" in str(diff)


def test_opinion_probability_sums_the_two_opinion_labels():
    scores = [0.1, 0.2, 0.3, 0.4]
    assert LABELS.index("editorial_judgment") == 2 and LABELS.index("rhetorical_question") == 3
    assert math.isclose(opinion_probability(scores), 0.7)
