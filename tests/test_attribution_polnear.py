"""Regression check of attribution on a small slice of PolNeAR dev and BASIL (needs ../shared).

The floors sit a little under the figures measured when they were set (first 12 dev articles,
rule frames: cue overlap F1 0.64, source exact P 0.89, content overlap P 0.90; see
evals/attribution.py for the full run). They catch breakage, they are not targets; nothing was
tuned on dev.
"""

from __future__ import annotations

import pytest

from evals.attribution import evaluate_basil, evaluate_polnear, load_basil, load_polnear, parse_brat, predict_rules


@pytest.fixture(scope="module")
def dev_slice(shared_dir):
    return load_polnear("dev", root=shared_dir / "data" / "polnear", limit=12)


def test_polnear_dev_slice_rules(dev_slice):
    assert len(dev_slice) == 12
    total = evaluate_polnear(dev_slice, predict_rules)
    assert total["cue overlap"].f1 >= 0.55
    assert total["source exact"].p >= 0.80
    assert total["content overlap"].p >= 0.80
    assert total["attribution"].f1 >= 0.45
    speech = evaluate_polnear(dev_slice, predict_rules, speech_only=True)
    assert speech["cue overlap"].r >= 0.60


def test_polnear_loader_is_deterministic(shared_dir):
    a = load_polnear("dev", root=shared_dir / "data" / "polnear", limit=3)
    b = load_polnear("dev", root=shared_dir / "data" / "polnear", limit=3)
    assert [x.name for x in a] == [x.name for x in b]
    assert a[0].attributions == b[0].attributions
    for art in a:
        for g in art.attributions:
            assert g.cue is not None
            assert 0 <= g.cue.start < g.cue.end <= len(art.text)


def test_parse_brat_discontinuous_and_no_source():
    ann = (
        "T1\tCue 10 14\tsaid\n"
        "T2\tContent 0 5;6 9\tabcde fgh\n"
        "T3\tAttribution 10 14\tsaid\n"
        "E1\tAttribution:T3 Cue:T1 Content:T2\n"
        "T4\tDiscard 20 25\txxxxx\n"
    )
    (g,) = parse_brat(ann)
    assert g.source is None
    assert g.content.fragments == ((0, 5), (6, 9))
    assert (g.cue.start, g.cue.end) == (10, 14)


def test_basil_slice(shared_dir):
    data = load_basil(root=shared_dir / "data" / "basil", limit=15)
    assert data
    for _, text, quotes in data:
        for q in quotes:
            assert 0 <= q.start < q.end <= len(text)
    result = evaluate_basil(data)
    assert result["covered"] >= 0.5
    assert result["speaker accuracy"] >= 0.25


def test_basil_accuracy_is_also_split_by_the_kind_of_annotated_speaker():
    from types import SimpleNamespace as NS

    from evals.attribution import BasilQuote

    text = '"It is a hostage taking," Chuck Schumer said. "It must end," Schumer added.'
    quotes = [BasilQuote("a", text, 1, 24, "Democratic lawmakers"), BasilQuote("a", text, 48, 61, "Chuck Schumer")]
    found = [NS(content=NS(start=0, end=len(text)), speaker="Chuck Schumer", source=None)]
    res = evaluate_basil([("a", text, quotes)], lambda _: found)
    assert res["speaker accuracy"] == 0.5
    assert (res["spans, group speaker"], res["speaker accuracy, group speaker"]) == (1, 0.0)
    assert (res["spans, individual speaker"], res["speaker accuracy, individual speaker"]) == (1, 1.0)


def test_context_report_says_what_backs_each_quote_label(shared_dir):
    """evals.context's over-calling table: every attributed_quote in context falls in exactly one
    backing group, and the groups' gold counts add up to the sentence-level true positives."""
    from evals.context import _BACKINGS, evaluate, report

    res = evaluate("dev", limit=3, root=shared_dir / "data" / "polnear")
    c = res["counts"]
    labeled = sum(c.get(f"quote backed by {b}", 0) for b in _BACKINGS)
    assert labeled == c.get("sentence in context tp", 0) + c.get("sentence in context fp", 0) > 0
    assert sum(c.get(f"quote backed by {b}, gold", 0) for b in _BACKINGS) == c.get("sentence in context tp", 0)
    assert c.get("quote backed by attribution", 0) > 0
    table = report(res)
    assert "4. What backs each `attributed_quote`" in table and "| a quotation mark only |" in table


def test_span_boundaries_are_told_apart():
    from evals.span_errors import boundary

    text = "Sen. Ted Cruz, the Texan, said Sunday that he would run."
    cruz, said = (5, 13), (26, 30)
    assert boundary(text, said, said) == ("exact", "")
    assert boundary(text, said, (26, 37)) == ("longer after", "sunday")
    assert boundary(text, cruz, (0, 13)) == ("longer before", "sen")
    assert boundary(text, cruz, (5, 24)) == ("longer after", "the")
    assert boundary(text, (0, 24), cruz) == ("shorter", "")
    assert boundary(text, cruz, (9, 30)) == ("other", "")


def test_span_error_counts_on_a_dev_slice(dev_slice):
    from evals.attribution import cached_predictor
    from evals.span_errors import count, report

    counts = count(dev_slice[:4], cached_predictor())
    paired, missed = sum(counts["cue"].values()), sum(counts["missed"].values())
    assert paired + missed == sum(len(a.attributions) for a in dev_slice[:4])
    assert counts["cue"]["exact"] > paired / 2  # most cues the tagger finds have PolNeAR's bounds
    assert sum(counts["cue tails"].values()) == counts["cue"]["longer after"]
    assert "span errors on PolNeAR dev (4 articles" in report("framing-v1", dev_slice[:4], counts)


def test_span_errors_pair_a_colon_cue_with_the_colon_predicted():
    """A punctuation-only cue has no word: it pairs by its characters, as the scorer matches it."""
    from evals.attribution import GoldArticle, GoldAttribution, GoldSpan
    from evals.span_errors import count

    text = "The senator: the plan is dead."
    gold = GoldArticle("t", text, (GoldAttribution(GoldSpan(((0, 11),)), GoldSpan(((11, 12),)), GoldSpan(((13, 30),))),))
    predicted = GoldAttribution(GoldSpan(((0, 11),)), GoldSpan(((11, 12),)), GoldSpan(((13, 30),)))
    counts = count([gold], lambda _: [predicted])
    assert counts["cue"]["exact"] == 1 and counts["source"]["exact"] == 1 and not counts["missed"]
