"""evals.agreement: annotators scored against each other with the attribution scorer."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals import agreement as G

TEXT = 'Smith said the plan was dead. Jones said "we will fight on."\n'


def _ann(*events: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]) -> str:
    """A brat file with one Source/Cue/Content event per (source, cue, content) offset triple."""
    lines, n = [], 0
    for e, spans in enumerate(events, 1):
        refs = []
        for role, (a, b) in zip(("Source", "Cue", "Content"), spans):
            n += 1
            lines.append(f"T{n}\t{role} {a} {b}\t{TEXT[a:b]}")
            refs.append(f"{role}:T{n}")
        lines.append(f"E{e}\tAttribution:T{n} " + " ".join(refs))
    return "\n".join(lines) + "\n"


SMITH = ((0, 5), (6, 10), (11, 28))
JONES = ((30, 35), (36, 40), (41, 59))
JONES_WIDE_CUE = ((30, 35), (36, 59), (41, 59))


def _corpus(tmp_path: Path, split: str, stem: str, anns: list[str]) -> Path:
    (tmp_path / split / "text").mkdir(parents=True, exist_ok=True)
    (tmp_path / split / "attributions").mkdir(parents=True, exist_ok=True)
    (tmp_path / split / "text" / f"{stem}.txt").write_text(TEXT, encoding="utf-8")
    for i, ann in enumerate(anns):
        (tmp_path / split / "attributions" / f"{stem}_a{i}.ann").write_text(ann, encoding="utf-8")
    return tmp_path


def test_identical_annotators_agree_fully(tmp_path):
    root = _corpus(tmp_path, "dev", "story", [_ann(SMITH, JONES)] * 3)
    (arts,) = [G.load_multi_annotated(root)]
    assert len(arts) == 1 and len(arts[0].annotations) == 3
    pairs = G.annotator_pairs(arts)
    assert pairs["cue exact"].n_gold == 6  # 3 pairs x 2 attributions
    assert all(pairs[k].f1 == 1.0 for k in G.ROLES)


def test_a_missing_and_a_wider_span_lower_the_right_figures(tmp_path):
    root = _corpus(tmp_path, "dev", "story", [_ann(SMITH, JONES), _ann(SMITH, JONES_WIDE_CUE), _ann(SMITH)])
    pairs = G.annotator_pairs(G.load_multi_annotated(root))
    # Pairs (gold, other): (0, 1) 1 of 2 cues exact; (0, 2) and (1, 2) find Smith only, 1 of 2.
    assert (pairs["cue exact"].tp, pairs["cue exact"].n_gold, pairs["cue exact"].n_pred) == (3, 6, 4)
    assert pairs["source exact"].tp == 4  # the wider cue leaves Jones's source exact
    assert pairs["cue exact"].f1 == pytest.approx(2 * 3 / (6 + 4))


def test_single_annotator_articles_are_left_out_and_held_out_follows_the_split(tmp_path):
    root = _corpus(tmp_path, "dev", "story", [_ann(SMITH, JONES)] * 2)
    _corpus(root, "dev", "alone", [_ann(SMITH)])
    _corpus(root, "train", "story2", [_ann(SMITH)] * 2)
    arts = {a.name: a for a in G.load_multi_annotated(root)}
    assert set(arts) == {"story", "story2"}
    assert arts["story"].held_out
    from framing.train.data import polnear_is_selection

    assert arts["story2"].held_out == polnear_is_selection("story2")


def test_system_is_scored_against_every_annotator(tmp_path):
    root = _corpus(tmp_path, "dev", "story", [_ann(SMITH, JONES), _ann(SMITH)])

    class Span:
        def __init__(self, a, b):
            self.start, self.end = a, b

    class Attr:
        continued = False

        def __init__(self, s, c, t):
            self.source, self.cue, self.content = Span(*s), Span(*c), Span(*t)

    got = G.system_vs_annotators(G.load_multi_annotated(root), predictor=lambda text: [Attr(*SMITH)])
    assert (got["cue exact"].tp, got["cue exact"].n_pred, got["cue exact"].n_gold) == (2, 2, 3)


def test_real_polnear_annotators_disagree_more_than_a_copy(shared_dir):
    res = G.evaluate(shared_dir / "data" / "polnear")
    assert res["articles"]["all"] >= 10 and res["articles"]["held out"] >= 2
    humans = res["annotator vs annotator, all multi-annotated articles"]
    assert 0.5 < humans["cue exact"]["f1"] < 0.95
    assert humans["cue exact"]["n_gold"] > 500
    system = res["framing-v1 vs each annotator, held-out articles"]
    assert 0.5 < system["cue exact"]["f1"] < 0.95
    assert "| annotator vs annotator, held-out articles |" in G.report(res)


def test_the_majority_keeps_what_half_the_others_marked(tmp_path):
    root = _corpus(tmp_path, "dev", "story", [_ann(SMITH, JONES), _ann(SMITH, JONES_WIDE_CUE), _ann(SMITH), _ann(SMITH, JONES)])
    (art,) = G.load_multi_annotated(root)
    # Against annotator 0, the others are 1, 2, 3: Jones's short cue has 1 vote of 3, not kept.
    kept = G.majority(art.text, art.annotations[1:])
    assert [(g.cue.start, g.cue.end) for g in kept] == [SMITH[1]]
    # Against annotator 2, the others are 0, 1, 3: Jones's short cue has 2 votes of 3, kept.
    kept = G.majority(art.text, art.annotations[:2] + art.annotations[3:])
    assert [(g.cue.start, g.cue.end) for g in kept] == [SMITH[1], JONES[1]]
    got = G.majority_vs_annotators([art])
    # Smith's cue is always found; Jones's only against annotator 1, whose own cue is the wide one.
    assert (got["cue exact"].tp, got["cue exact"].n_pred, got["cue exact"].n_gold) == (4, 6, 7)
