"""One table: baselines vs the shipped model, all measured by the same code.

    python -m evals.checkthat [--data-dir ../shared/data] [--model models/framing-v1] [--json out.json]

Columns:
- CheckThat! 2025 English dev_test macro-F1 (SUBJ = editorial_judgment or rhetorical_question;
  dev_test is never used for training, selection or calibration);
- PolNeAR dev sentence-level attribution F1 (gold: the sentence holds a speech-attribution cue;
  predicted: label attributed_quote);
- BABE held-out slice macro-F1 ("Expresses writer’s opinion" vs "Entirely factual").

Rows: always-OBJ, TextBlob subjectivity >= 0.5, the rule classifier rules-v1, a frozen
MiniLM-L6 (all 6 layers, mean-pooled) + logistic-regression probe (opinion probe trained on
CheckThat! train_en, attribution probe on a fixed 6,000-sentence PolNeAR train sample), and the
shipped framing-v1 (as shipped, and with its int8 path switched off).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from evals import data as ed
from evals.metrics import ece_binary, f1_binary, macro_f1

OPINION = (2, 3)  # editorial_judgment, rhetorical_question in LABELS order
QUOTE = 1


def _frozen_minilm_embed(texts: list[str], batch_size: int = 64) -> np.ndarray:
    import torch

    from framing.nn import files
    from framing.nn.encoder import MiniLMEncoder, read_base_config

    base = files.base_model_dir()
    enc = MiniLMEncoder(read_base_config(base), 6)
    enc.load_base(base)
    enc.eval()
    tok = files.load_tokenizer(base, 128)
    ids = [e.ids for e in tok.encode_batch(texts)]
    out = np.zeros((len(texts), enc.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for s in range(0, len(ids), batch_size):
            chunk = ids[s : s + batch_size]
            width = max(len(x) for x in chunk)
            b = torch.zeros((len(chunk), width), dtype=torch.long)
            a = torch.zeros_like(b)
            for r, x in enumerate(chunk):
                b[r, : len(x)] = torch.tensor(x)
                a[r, : len(x)] = 1
            out[s : s + len(chunk)] = enc(b, a).numpy()
    return out


def _probe(train_x, train_y, test_x):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced")
    return clf.fit(train_x, train_y).predict(test_x).astype(bool)


def evaluate(data_dir: Path | None, model_path: Path | None) -> dict:
    import torch

    torch.set_num_threads(2)
    sets = {n: ed.load(n, data_dir) for n in ("checkthat_dev_test", "polnear_dev", "babe_heldout")}
    ct, pol, babe = sets["checkthat_dev_test"], sets["polnear_dev"], sets["babe_heldout"]
    rows: list[dict] = []

    def row(name: str, ct_pred, pol_pred, babe_pred, **extra) -> None:
        rows.append({
            "system": name,
            "checkthat_dev_test_macro_f1": macro_f1(ct.gold, ct_pred),
            "polnear_dev_attribution_f1": None if pol_pred is None else f1_binary(pol.gold, pol_pred),
            "babe_heldout_macro_f1": macro_f1(babe.gold, babe_pred),
            **extra,
        })

    row("always-OBJ", np.zeros(len(ct), bool), np.zeros(len(pol), bool), np.zeros(len(babe), bool))

    from textblob import TextBlob

    def tb(texts):
        return np.array([TextBlob(t).sentiment.subjectivity >= 0.5 for t in texts])

    row("TextBlob subjectivity >= 0.5", tb(ct.texts), None, tb(babe.texts))

    from framing.classify.rules import RuleClassifier

    rules = RuleClassifier()

    def label_preds(clf, texts):
        p = clf.predict_proba(texts).argmax(axis=1)
        return np.isin(p, OPINION), p == QUOTE

    r_ct, r_pol, r_babe = (label_preds(rules, s.texts) for s in (ct, pol, babe))
    row("rules-v1 (framing.classify.rules)", r_ct[0], r_pol[1], r_babe[0])

    ct_train = ed.load("checkthat_train", data_dir)
    pol_train = ed.load("polnear_train_sample", data_dir)
    emb = {s.name: _frozen_minilm_embed(s.texts) for s in (ct_train, pol_train, ct, pol, babe)}
    row(
        "frozen MiniLM-L6 mean-pool + LR probe",
        _probe(emb[ct_train.name], ct_train.gold, emb[ct.name]),
        _probe(emb[pol_train.name], pol_train.gold, emb[pol.name]),
        _probe(emb[ct_train.name], ct_train.gold, emb[babe.name]),
    )

    from framing.model import FramingModel

    model = FramingModel.load(model_path)
    variants = [("framing-v1 (shipped)", model)]
    if model.encoder.quantized:
        variants.append(("framing-v1 fp32 (int8 off)", FramingModel.load(model_path, quantize=False)))
    calibration = {}
    for name, clf in variants:
        t = time.perf_counter()
        p_ct, p_pol, p_babe = (clf.predict_proba(s.texts) for s in (ct, pol, babe))
        secs = time.perf_counter() - t
        row(
            name,
            np.isin(p_ct.argmax(1), OPINION),
            p_pol.argmax(1) == QUOTE,
            np.isin(p_babe.argmax(1), OPINION),
        )
        calibration[name] = {
            "checkthat_dev_test_ece_p_opinion": ece_binary(p_ct[:, list(OPINION)].sum(1), ct.gold),
            "polnear_dev_ece_p_quote": ece_binary(p_pol[:, QUOTE], pol.gold),
            "babe_heldout_ece_p_opinion": ece_binary(p_babe[:, list(OPINION)].sum(1), babe.gold),
            "seconds_for_all_three_sets": round(secs, 1),
        }
    sizes = {s.name: {"n": len(s), "positives": int(s.gold.sum())} for s in (ct, pol, babe)}
    return {"rows": rows, "calibration": calibration, "sizes": sizes}


def format_table(result: dict) -> str:
    head = ("system", "CheckThat dev_test macro-F1", "PolNeAR dev attribution F1", "BABE held-out macro-F1")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in result["rows"]:
        cells = [r["system"]] + [
            "n/a" if r[k] is None else f"{r[k]:.3f}"
            for k in ("checkthat_dev_test_macro_f1", "polnear_dev_attribution_f1", "babe_heldout_macro_f1")
        ]
        lines.append("| " + " | ".join(cells) + " |")
    sizes = ", ".join(f"{k}: n={v['n']} ({v['positives']} positive)" for k, v in result["sizes"].items())
    lines.append("")
    lines.append(f"Sets: {sizes}.")
    for name, c in result["calibration"].items():
        lines.append(
            f"{name}: ECE P(opinion) CheckThat dev_test {c['checkthat_dev_test_ece_p_opinion']:.3f}, "
            f"BABE held-out {c['babe_heldout_ece_p_opinion']:.3f}; ECE P(quote) PolNeAR dev "
            f"{c['polnear_dev_ece_p_quote']:.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.checkthat", description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", type=Path, default=None)
    p.add_argument("--model", type=Path, default=None, help="model folder (default: shipped)")
    p.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = p.parse_args(argv)
    result = evaluate(args.data_dir, args.model)
    print(format_table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
