"""The one axis rule of LABELS.md: combine_axes and its inverse split_axes."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from framing.labels import LABELS, combine_axes, split_axes

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_precedence():
    p = combine_axes(np.array([0.0, 1.0, 0.0]), np.array([1.0, 1.0, 0.0]), np.array([1.0, 1.0, 1.0]))
    assert [LABELS[i] for i in p.argmax(1)] == ["attributed_quote", "rhetorical_question", "editorial_judgment"]
    np.testing.assert_allclose(p.sum(1), 1.0)


@given(st.lists(st.tuples(unit, unit, unit), min_size=1, max_size=20))
def test_split_inverts_combine(rows):
    q, a, o = (np.array(col) for col in zip(*rows))
    q2, a2, o2 = split_axes(combine_axes(q, a, o))
    np.testing.assert_allclose(q2, q, atol=1e-12)
    # An axis is only readable where the axes above it leave probability mass.
    live_a = q < 1 - 1e-9
    np.testing.assert_allclose(a2[live_a], a[live_a], atol=1e-6)
    live_o = live_a & (a < 1 - 1e-6) & ((1 - q) * (1 - a) > 1e-9)
    np.testing.assert_allclose(o2[live_o], o[live_o], atol=1e-5)


def test_split_of_a_pure_question_or_quote_reads_zero_below():
    q, a, o = split_axes(np.array([[0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0]]))
    assert q.tolist() == [1.0, 0.0] and a.tolist() == [0.0, 1.0] and o.tolist() == [0.0, 0.0]
