"""framing.evaluate on small synthetic data: input forms, label mapping, errors, and the metric
arithmetic checked against scikit-learn. A stub classifier keeps it model-free and exact."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from framing.errors import FramingInputError
from framing.evaluation import EvaluationReport, collapse, evaluate
from framing.labels import LABELS
from framing.metrics import classification_metrics, ece, reliability


class KeywordClassifier:
    """Deterministic stand-in: the label is chosen by a keyword, with a set confidence."""

    name = "keyword-stub"
    rules = (("?", 3, 0.9), ("said", 1, 0.8), ("awful", 2, 0.7), ("great", 2, 0.55))

    def predict_proba(self, sentences):
        out = np.zeros((len(sentences), 4))
        for i, s in enumerate(sentences):
            label, conf = 0, 0.6
            for key, idx, c in self.rules:
                if key in s:
                    label, conf = idx, c
                    break
            out[i] = (1 - conf) / 3
            out[i, label] = conf
        return out


STUB = KeywordClassifier()

ROWS = [
    {"text": "The vote was 52 to 48.", "label": "OBJ"},
    {"text": "It was an awful decision.", "label": "SUBJ"},
    {"text": "Who benefits from that?", "label": "SUBJ"},
    {"text": "She said the plan was awful.", "label": "OBJ"},
    {"text": "The bridge opened in 1932.", "label": "SUBJ"},  # a miss: predicted factual
    {"text": "A great day for nobody.", "label": "OBJ"},  # a false alarm: predicted opinion
    {"text": "Officials said talks would resume.", "label": "OBJ"},
    {"text": "The awful truth is plain.", "label": "SUBJ"},
]
BINARY = {"SUBJ": "opinion", "OBJ": "not_opinion"}


def test_binary_label_map_matches_sklearn():
    r = evaluate(ROWS, label_map=BINARY, classifier=STUB, resamples=0)
    gold = [1 if row["label"] == "SUBJ" else 0 for row in ROWS]
    pred = [1 if p == "opinion" else 0 for p in r.predicted]
    assert pred == [0, 1, 1, 0, 0, 1, 0, 1]
    assert r.scheme == "opinion" and r.classes == ("not_opinion", "opinion") and r.n == 8
    assert r.macro_f1 == pytest.approx(f1_score(gold, pred, average="macro"))
    assert r.accuracy == pytest.approx(accuracy_score(gold, pred))
    p, rec, f, sup = precision_recall_fscore_support(gold, pred, labels=[0, 1], zero_division=0)
    for j, c in enumerate(r.classes):
        assert r.per_class[c]["precision"] == pytest.approx(p[j])
        assert r.per_class[c]["recall"] == pytest.approx(rec[j])
        assert r.per_class[c]["f1"] == pytest.approx(f[j])
        assert r.per_class[c]["support"] == sup[j]
    assert r.metrics.confusion == confusion_matrix(gold, pred, labels=[0, 1]).tolist()


def test_four_label_scheme_without_map_and_never_predicted_class_counts_as_zero():
    rows = [
        {"sentence": "The vote was 52 to 48.", "y": "factual_report"},
        {"sentence": "She said no.", "y": "attributed_quote"},
        {"sentence": "An awful idea.", "y": "editorial_judgment"},
        {"sentence": "Why now?", "y": "rhetorical_question"},
        {"sentence": "A quiet street.", "y": "editorial_judgment"},
    ]
    r = evaluate(rows, text_column="sentence", label_column="y", classifier=STUB, resamples=0)
    assert r.scheme == "labels.v1" and r.classes == LABELS
    gold = [LABELS.index(x["y"]) for x in rows]
    pred = [LABELS.index(x) for x in r.predicted]
    assert r.macro_f1 == pytest.approx(f1_score(gold, pred, average="macro", labels=[0, 1, 2, 3], zero_division=0))


def test_user_labels_onto_four_labels_and_none_drops_rows():
    rows = ROWS + [{"text": "Unclear one.", "label": "NA"}]
    m = {"OBJ": "factual_report", "SUBJ": "editorial_judgment", "NA": None}
    r = evaluate(rows, label_map=m, classifier=STUB, resamples=0)
    assert r.scheme == "labels.v1" and r.n == 8 and r.dropped == 1


def test_unknown_label_is_a_clear_error():
    with pytest.raises(FramingInputError, match=r"'MAYBE'.*label_map"):
        evaluate(ROWS + [{"text": "x y z.", "label": "MAYBE"}], label_map=BINARY, classifier=STUB)
    with pytest.raises(FramingInputError, match="no mapping"):
        evaluate(ROWS, classifier=STUB)  # SUBJ/OBJ are not framing labels


def test_mixed_schemes_and_bad_targets_are_errors():
    with pytest.raises(FramingInputError, match="mix schemes"):
        evaluate(ROWS, label_map={"SUBJ": "opinion", "OBJ": "factual_report"}, classifier=STUB)
    with pytest.raises(FramingInputError, match="mix schemes|name no scheme"):
        evaluate(ROWS, label_map={"SUBJ": "subjective", "OBJ": "objective"}, classifier=STUB)


def test_missing_column_and_empty_text_are_errors():
    with pytest.raises(FramingInputError, match="sentence"):
        evaluate(ROWS, text_column="sentence", label_map=BINARY, classifier=STUB)
    with pytest.raises(FramingInputError, match="row 1"):
        evaluate([ROWS[0], {"text": "  ", "label": "OBJ"}], label_map=BINARY, classifier=STUB)
    with pytest.raises(FramingInputError):
        evaluate("no/such/file.csv", label_map=BINARY, classifier=STUB)
    with pytest.raises(FramingInputError):
        evaluate(42, classifier=STUB)


def test_every_input_form_gives_the_same_report(tmp_path):
    import pandas as pd

    frame = pd.DataFrame(ROWS)
    csv = tmp_path / "gold.csv"
    frame.to_csv(csv, index=False)
    jsonl = tmp_path / "gold.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    forms = [ROWS, frame, csv, str(jsonl)]
    try:
        import datasets

        forms.append(datasets.Dataset.from_list(ROWS))
    except ImportError:  # pragma: no cover
        pass
    dicts = [evaluate(f, label_map=BINARY, classifier=STUB, resamples=50).to_dict() for f in forms]
    assert all(d == dicts[0] for d in dicts[1:])


def test_dataset_classlabel_is_compared_by_name():
    datasets = pytest.importorskip("datasets")
    features = datasets.Features({"text": datasets.Value("string"), "label": datasets.ClassLabel(names=["OBJ", "SUBJ"])})
    ds = datasets.Dataset.from_list([{"text": r["text"], "label": 1 if r["label"] == "SUBJ" else 0} for r in ROWS],
                                    features=features)
    a = evaluate(ds, label_map=BINARY, classifier=STUB, resamples=0)
    b = evaluate(ROWS, label_map=BINARY, classifier=STUB, resamples=0)
    assert a.to_dict() == b.to_dict()


def test_intervals_are_seeded_and_bracket_the_estimate():
    rows = ROWS * 10
    a = evaluate(rows, label_map=BINARY, classifier=STUB, resamples=300, seed=7)
    b = evaluate(rows, label_map=BINARY, classifier=STUB, resamples=300, seed=7)
    assert a.to_dict() == b.to_dict()
    lo, hi = a.interval("macro_f1")
    assert lo <= a.macro_f1 <= hi and hi - lo > 0
    assert a.interval("ece") is not None and a.interval("f1[opinion]") is not None


def test_ece_matches_hand_computation_and_the_evals_binary_ece():
    from evals.metrics import ece_binary

    rng = np.random.default_rng(3)
    p = rng.random(500)
    gold = (rng.random(500) < p).astype(int)
    proba = np.column_stack([1 - p, p])
    assert ece(proba, gold) == pytest.approx(ece_binary(p, gold))
    # by hand: one bin each
    proba = np.array([[0.1, 0.9], [0.2, 0.8], [0.45, 0.55]])
    gold = np.array([1, 0, 1])
    rows = reliability(proba, gold, bins=10)
    expect = (abs(0.9 - 1) + abs(0.8 - 0) + abs(0.55 - 1)) / 3
    assert ece(proba, gold) == pytest.approx(expect)
    assert sum(r["n"] for r in rows) == 3


def test_classification_metrics_multiclass_against_sklearn():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 4, 400)
    pred = np.where(rng.random(400) < 0.6, gold, rng.integers(0, 4, 400))
    m = classification_metrics(gold, pred, LABELS, resamples=0)
    assert m.macro_f1 == pytest.approx(f1_score(gold, pred, average="macro"))
    assert [m.f1[c] for c in LABELS] == pytest.approx(list(f1_score(gold, pred, average=None)))
    with pytest.raises(ValueError):
        classification_metrics(gold, pred[:-1], LABELS)


def test_collapse_opinion_and_quote():
    p4 = np.array([[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4], [0.1, 0.6, 0.2, 0.1]])
    pred, proba = collapse("opinion", p4)
    assert pred.tolist() == [0, 1, 0]
    assert proba[:, 1] == pytest.approx([0.3, 0.7, 0.3])
    pred, proba = collapse("quote", p4)
    assert pred.tolist() == [0, 0, 1] and proba[2, 1] == pytest.approx(0.6)


def test_report_views():
    r = evaluate(ROWS, label_map=BINARY, classifier=STUB, resamples=100)
    assert isinstance(r, EvaluationReport)
    errs = r.confident_errors(5)
    assert [e["text"] for e in errs] == ["The bridge opened in 1932.", "A great day for nobody."]
    assert errs[0]["confidence"] >= errs[1]["confidence"]
    assert r.confident_errors(5, gold="not_opinion")[0]["text"] == "A great day for nobody."
    md = r.to_markdown()
    assert "macro-F1" in md and "keyword-stub" in md and "| opinion |" in md
    json.dumps(r.to_dict(include_rows=True))
    assert "macro_f1=" in repr(r)


def test_named_rules_classifier_runs():
    r = evaluate(ROWS, label_map=BINARY, classifier="rules", resamples=0)
    assert r.classifier == "rules-v1" and r.n == len(ROWS)


def test_paired_difference_is_zero_for_the_same_system_and_signed():
    from framing.metrics import macro_f1, paired_difference

    rng = np.random.default_rng(1)
    gold = rng.integers(0, 2, 200)
    good = np.where(rng.random(200) < 0.9, gold, 1 - gold)
    bad = np.where(rng.random(200) < 0.6, gold, 1 - gold)
    same = paired_difference(gold, good, good, 2, resamples=200)
    assert same["difference"] == 0 and same["interval"] == [0.0, 0.0]
    d = paired_difference(gold, good, bad, 2, resamples=200, seed=5)
    assert d["difference"] == pytest.approx(macro_f1(gold, good, 2) - macro_f1(gold, bad, 2))
    assert d["interval"][0] > 0 and d["share_le_0"] == 0.0


def test_grouped_bootstrap_draws_whole_groups():
    from framing.metrics import grouped_bootstrap_indices

    groups = ["a"] * 3 + ["b"] * 5 + ["c"] * 2
    for row in grouped_bootstrap_indices(groups, resamples=50, seed=2):
        drawn = [groups[i] for i in row]
        for g in set(drawn):  # a drawn group comes with all its members, as many times as drawn
            assert drawn.count(g) % groups.count(g) == 0
    gold = np.array([0, 1] * 5)
    with pytest.raises(ValueError, match="groups"):
        classification_metrics(gold, gold, ("x", "y"), groups=groups[:-1])
    m = classification_metrics(gold, gold, ("x", "y"), groups=groups, resamples=20)
    assert m.to_dict()["bootstrap"]["unit"] == "group" and m.interval("macro_f1").low == 1.0


def test_library_metrics_do_not_import_evals():
    import subprocess
    import sys

    code = ("import sys, framing.evaluation, framing.metrics; "
            "bad = [m for m in sys.modules if m == 'evals' or m.startswith('evals.')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_ece_tie_at_one_half_counts_as_positive_like_p_ge_half():
    proba = np.array([[0.5, 0.5], [0.48, 0.52]])
    assert ece(proba, np.array([1, 0])) == pytest.approx(0.01)
