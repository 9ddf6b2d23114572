"""Fit the cue fusion of a trained model on CheckThat! dev_en and write it into its config.

    python -m framing.train --out models/framing-v1 --fuse-only   # refit on an existing model

``train`` calls :func:`fit_cue_fusion` after saving, so the one training command still produces
the shipped model. The fit uses the model's own run-time logits (int8 when the model ships in
int8), and only dev_en, the split already used for selection and calibration; dev_test is never
read here. Whether fusion helps is judged by 5-fold cross-validation on dev_en, and the fusion is
kept only if it does.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from framing import metrics
from framing.train import data as D

#: Inverse regularisation of the logistic fit (sklearn's C); 1.0 beat 0.1 in cross-validation.
C = 1.0
FOLDS = 5
SEED = 0


def _design(logits: np.ndarray, sentences: list[str]) -> np.ndarray:
    from framing.classify.fusion import cue_features

    return np.column_stack([logits, cue_features(sentences)])


def subj_macro_f1(y: np.ndarray, opinion: np.ndarray, question: np.ndarray) -> float:
    # CheckThat! SUBJ = editorial_judgment or rhetorical_question (LABELS.md).
    return metrics.macro_f1(np.asarray(y, dtype=np.int64), np.asarray(opinion | question, dtype=np.int64), 2)


def _ece(probs: np.ndarray, y: np.ndarray) -> float:
    """ECE of P(SUBJ) against binary gold (framing.metrics.ece, top-label, 10 bins)."""
    return metrics.ece(np.column_stack([1 - probs, probs]), np.asarray(y, dtype=np.int64))


def fit_cue_fusion(model_dir: Path, data_dir: Path, max_examples: int | None = None) -> dict:
    """Fit, cross-validate and store the fusion; return the report written into the config."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from framing.cues import is_author_question
    from framing.model import FramingModel

    rows = D.read_checkthat(data_dir, "dev")[:max_examples]
    sentences = [r["text"] for r in rows]
    y = np.array([r["opinion"] for r in rows])
    model = FramingModel.load(model_dir)
    logits = model.head_logits(sentences)[:, 0]
    question = np.array([is_author_question(s) for s in sentences])
    X = _design(logits, sentences)

    config_path = Path(model_dir) / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    minority = int(np.bincount(y, minlength=2).min())
    if minority < 2:  # a smoke-test slice: too few examples of a class to cross-validate
        report = {"set": "checkthat dev_en", "examples": len(y), "kept": False,
                  "reason": f"only {minority} example(s) of the rarer class"}
        return _write(config_path, config, None, report)
    cv_pred = np.zeros(len(y), dtype=bool)
    folds = StratifiedKFold(n_splits=min(FOLDS, minority), shuffle=True, random_state=SEED)
    for train_idx, test_idx in folds.split(X, y):
        fit = LogisticRegression(C=C).fit(X[train_idx], y[train_idx])
        cv_pred[test_idx] = fit.predict_proba(X[test_idx])[:, 1] > 0.5
    fit = LogisticRegression(C=C).fit(X, y)
    temperature = model.classifier.temperature[0]
    fused = fit.predict_proba(X)[:, 1]
    report = {
        "set": "checkthat dev_en",
        "examples": len(y),
        "cv_folds": folds.get_n_splits(),
        "cv_macro_f1_logit_only": round(subj_macro_f1(y, logits > 0, question), 4),
        "cv_macro_f1_fused": round(subj_macro_f1(y, cv_pred, question), 4),
        "ece_temperature": round(_ece(1 / (1 + np.exp(-logits / temperature)), y), 4),
        "ece_fused": round(_ece(fused, y), 4),
    }
    report["kept"] = report["cv_macro_f1_fused"] > report["cv_macro_f1_logit_only"]
    # No gain on held-out folds: ship temperature scaling alone.
    return _write(config_path, config, fit if report["kept"] else None, report)


def _write(config_path: Path, config: dict, fit, report: dict) -> dict:
    from framing.classify.fusion import FEATURES
    from framing.nn.files import write_checksums

    if fit is None:
        config.pop("cue_fusion", None)
    else:
        config["cue_fusion"] = {
            "features": list(FEATURES),
            "logit_weight": round(float(fit.coef_[0][0]), 6),
            "weights": [round(float(w), 6) for w in fit.coef_[0][1:]],
            "bias": round(float(fit.intercept_[0]), 6),
        }
    config.setdefault("training", {})["cue_fusion"] = report
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    write_checksums(config_path.parent)
    return report
