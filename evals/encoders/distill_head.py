"""What distillation buys framing-v1 without retraining its encoder (issue framing-v2, item 2).

    python -m evals.encoders.distill_head        # ~5 min on 2 threads (teacher scores cached)

framing-v1's opinion head is refitted on its own frozen pooled vectors two ways: on the gold
opinion rows alone (CheckThat! train+dev, BABE train; class-balanced), and on those plus
framing-v2-large's soft labels over unlabeled in-domain sentences (8,000 PolNeAR train sentences,
4,000 BASIL sentences; each sentence twice, weighted p and 1-p, times lambda). Each head is scored
in the four-label composition (framing-v1's question rule and attribution axis), CheckThat!
dev_test and BABE held-out macro-F1. Only the head moves, so the span taggers (which read the
encoder's token states) stay valid. Result (2026-12-05): gold-only 0.702-0.708 / 0.870-0.873,
distilled 0.704-0.711 / 0.870-0.875 over C in {0.01, 0.03, 0.1} and lambda in {0.5, 1}: no gain
beyond noise; framing-v1 as shipped (with cue fusion) is 0.704 / 0.880. The student's ceiling is
its encoder: a distilled default needs the encoder fine-tuned, and then the span taggers
retrained.
"""
import json
import random
import time

import numpy as np
import torch

from evals.data import default_data_dir
from evals.encoders import CACHE as _ROOT
from framing.labels import LABEL_INDEX, combine_axes
from framing.metrics import macro_f1
from framing.model import load
from framing.text.sentences import split_sentences
from framing.train import data as D
from framing.train.opinion_head import read_training_rows


def main() -> None:
    torch.set_num_threads(2)
    DATA = default_data_dir(); CACHE = _ROOT / "distill"; CACHE.mkdir(parents=True, exist_ok=True)
    v1 = load("framing-v1"); large = load("framing-v2-large")
    rng = random.Random(13)
    pol = [r["text"] for r in D.read_polnear(DATA, "train", "train")]
    pol = rng.sample(pol, min(8000, len(pol)))
    basil = []
    for p in sorted((DATA / "basil" / "articles").rglob("*.json"))[:400]:
        try:
            art = json.load(open(p))
        except Exception:
            continue
        body = art.get("body-paragraphs") or art.get("body") or []
        if isinstance(body, list):
            body = "\n\n".join(" ".join(x) if isinstance(x, list) else str(x) for x in body)
        basil += [body[s:e].strip() for s, e in split_sentences(body) if e - s > 20]
    basil = rng.sample(basil, min(4000, len(basil)))
    gold_t, gold_y, _ = read_training_rows(DATA)  # the rows framing.train.opinion_head trains on
    gold = set(gold_t)
    unl = list(dict.fromkeys(t for t in pol + basil if t not in gold))
    print("unlabeled", len(unl), "(polnear", len(pol), "basil", len(basil), ") gold", len(gold_t), flush=True)
    def feats(texts, name):
        f = CACHE / f"{name}.npz"
        if f.exists():
            z = np.load(f); return z["pooled"], z["teacher"]
        t = time.perf_counter()
        pooled = v1.encoder.encode(texts).pooled.double().numpy()
        teacher = large.classifier.opinion_logits(texts)
        np.savez(f, pooled=pooled, teacher=teacher); print(name, len(texts), round(time.perf_counter() - t), "s", flush=True)
        return pooled, teacher
    Xg, Tg = feats(gold_t, "gold"); Xu, Tu = feats(unl, "unlabeled")
    te = D.read_checkthat(DATA, "dev_test"); bh = D.read_babe(DATA, "heldout")
    def evalset(rows, name):
        texts = [r["text"] for r in rows]; X, _ = feats(texts, name)
        ax = v1.axes(texts); return texts, X, ax, np.array([r["opinion"] for r in rows])
    E = {"dev_test": evalset(te, "dev_test"), "babe_heldout": evalset(bh, "babe_heldout")}
    from sklearn.linear_model import LogisticRegression
    def fit(X, y, w, C):
        mu, sd = Xg.mean(0), Xg.std(0) + 1e-6
        clf = LogisticRegression(C=C, max_iter=5000).fit((X - mu) / sd, y, sample_weight=w)
        return lambda Z: clf.decision_function((Z - mu) / sd)
    def score(head):
        out = {}
        for k, (texts, X, ax, y) in E.items():
            o = 1 / (1 + np.exp(-head(X)))
            p = combine_axes(ax["question"], ax["attribution"], o).argmax(1)
            pred = np.isin(p, [LABEL_INDEX["editorial_judgment"], LABEL_INDEX["rhetorical_question"]]).astype(int)
            out[k] = round(macro_f1(y, pred, 2), 4)
        return out
    sig = lambda z: 1 / (1 + np.exp(-z))
    # balanced weights for gold (class_weight='balanced' equivalent)
    wg = np.where(gold_y == 1, 0.5 / gold_y.mean(), 0.5 / (1 - gold_y.mean()))
    for C in (0.01, 0.03, 0.1):
        print("gold-only C", C, score(fit(Xg, gold_y, wg, C)), flush=True)
    pu = sig(Tu); pg = sig(Tg)
    for C in (0.01, 0.03, 0.1):
        for lam in (0.5, 1.0):
            X = np.concatenate([Xg, Xu, Xu]); y = np.concatenate([gold_y, np.ones(len(Xu), int), np.zeros(len(Xu), int)])
            w = np.concatenate([wg, lam * pu, lam * (1 - pu)])
            print("distilled C", C, "lambda", lam, score(fit(X, y, w, C)), flush=True)


if __name__ == "__main__":
    main()
