"""Train ``framing-v2-large``: an opinion head over the first k layers of all-mpnet-base-v2.

    python -m framing.train.opinion_head --out models/framing-v2-large            # ~5 CPU-minutes
    python -m framing.train.opinion_head --out DIR --layers 5 --C 0.003            # no selection

What it trains, and why this and not a fine-tune (issue framing-v2): the encoder stays frozen,
as pip installed it. A sentence's vector is the mean of its token states after layer k (special
tokens included, sentence-transformers' pooling); a logistic regression on the standardized
vector gives the opinion axis. A frozen probe of mpnet's middle layers already beats the
fine-tuned framing-v1 on CheckThat! and BABE, while a full fine-tune of mpnet overfitted
(dev_test 0.692) at ~11 CPU-minutes per epoch. The head is 769 numbers, so what ships is tiny.

Data: CheckThat! 2025 English train + dev and BABE's training part (``label_opinion``, never its
held-out fifth), the same opinion data as framing-v1. CheckThat! dev_test is never read here.
Selection: the layer k and the inverse regularization C with the best macro-F1 under stratified
5-fold cross-validation over those rows, averaged over the two sources (so BABE's 2,000 rows do
not drown CheckThat!'s 1,300) and over three fold seeds. The fit itself is convex: a seed moves
only the folds, never the model.

The result is a model folder (config.json, opinion_head.safetensors, checksums.json) that
:func:`framing.model.load` reads as ``classifier="framing-v2-large"``: framing-v1's question rule
and attribution head, and this opinion axis, combined by LABELS.md's rule.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from framing.train import data as D

#: Candidate layers (1 = the first transformer layer). The probe by layer (evals/encoders) found
#: the signal in the middle layers; above 6 it falls, and each layer costs as much as the last.
DEFAULT_LAYERS = (3, 4, 5, 6)
DEFAULT_CS = (0.001, 0.003, 0.01)
SEEDS = (13, 14, 15)
FOLDS = 5
ENCODER = "all-mpnet-base-v2"


def read_training_rows(data_dir: Path, checkthat_dev: bool = True) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, opinion labels (1 = opinion) and source (0 CheckThat!, 1 BABE) of the training rows;
    ``checkthat_dev=False`` leaves CheckThat! dev_en out (a distillation teacher: the student
    selects its epoch and calibrates on dev_en, which its teacher must then not have seen)."""
    rows = D.read_checkthat(data_dir, "train") + (D.read_checkthat(data_dir, "dev") if checkthat_dev else [])
    babe = D.read_babe(data_dir, "train")
    texts = [r["text"] for r in rows] + [r["text"] for r in babe]
    labels = np.array([r["opinion"] for r in rows] + [r["opinion"] for r in babe], dtype=np.int64)
    source = np.array([0] * len(rows) + [1] * len(babe), dtype=np.int64)
    return texts, labels, source


def pooled_by_layer(texts: Sequence[str], layers: Sequence[int], max_tokens: int = 2048,
                    int8: bool = False) -> dict[int, np.ndarray]:
    """Mean-pooled vectors after each of ``layers`` for every text, in one pass of the first
    max(layers) layers (packed, batch-independent: the same numbers as at inference; with
    ``int8``, the batch-independent int8 encoder that inference then runs)."""
    import torch

    from framing.nn.encoder import packs
    from framing.nn.int8 import quantize_encoder
    from framing.nn.mpnet import load_encoder

    top = max(layers)
    encoder, tokenizer = load_encoder(top)
    if int8:
        quantize_encoder(encoder)
    ids = [e.ids for e in tokenizer.encode_batch(list(texts))]
    out = {k: np.zeros((len(texts), encoder.hidden_size), dtype=np.float32) for k in layers}
    order = np.argsort([-len(x) for x in ids], kind="stable")
    for pack in packs(order, ids, len(ids), max_tokens):
        with torch.inference_mode():
            per_layer = encoder.forward_packed([ids[i] for i in pack], every_layer=True)
        for k in layers:
            out[k][pack] = per_layer[k - 1].numpy()
    return out


def cross_validated_f1(x: np.ndarray, y: np.ndarray, source: np.ndarray, c: float, seeds: Sequence[int] = SEEDS) -> float:
    """Mean over seeds and folds of the per-source macro-F1, averaged over the sources."""
    from sklearn.model_selection import StratifiedKFold

    from framing.metrics import macro_f1

    scores = []
    for seed in seeds:
        for train, val in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(x, y * 2 + source):
            w, b = fit(x[train], y[train], c)
            pred = (x[val] @ w + b > 0).astype(np.int64)
            scores.append(np.mean([macro_f1(y[val][source[val] == s], pred[source[val] == s], 2) for s in (0, 1)]))
    return float(np.mean(scores))


def fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Class-balanced logistic regression on standardized vectors, returned as one linear map of
    the raw vector (the standardization folded in): logit = x @ w + b."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(0), x.std(0) + 1e-6
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit((x - mean) / scale, y)
    w = clf.coef_[0] / scale
    return w.astype(np.float64), float(clf.intercept_[0] - (mean * w).sum())


def write_model(out: Path, w: np.ndarray, b: float, layer: int, config_extra: dict[str, Any], int8: bool = False) -> None:
    import torch
    from safetensors.torch import save_file

    from framing.labels import LABELS, TAXONOMY
    from framing.model import OPINION_HEAD_FORMAT
    from framing.nn.files import write_checksums
    from framing.nn.packaged import MPNET

    out.mkdir(parents=True, exist_ok=True)
    save_file({"weight": torch.tensor(w, dtype=torch.float64), "bias": torch.tensor([b], dtype=torch.float64)},
              str(out / "opinion_head.safetensors"))
    config = {
        "format": OPINION_HEAD_FORMAT,
        "name": out.name,
        "taxonomy": TAXONOMY,
        "labels": list(LABELS),
        "builds_on": "framing-v1",
        "builds_on_note": "question rule and attribution head are framing-v1's; this folder replaces the opinion axis "
                          "and, once framing.train.tagger has run on it, the span taggers (over the same encoder)",
        "opinion_encoder": {"name": ENCODER, "version": MPNET.version, "sha256": MPNET.weights.sha256,
                            "num_layers": layer, "max_length": 384, "pooling": "mean over tokens incl. <s> and </s>",
                            "int8": int8},
        "opinion_head": {"weights": "opinion_head.safetensors", "decision": "logit = vector @ weight + bias; P = sigmoid"},
        "combination": "P(rq)=q, P(aq)=(1-q)a, P(ej)=(1-q)(1-a)o, P(fr)=(1-q)(1-a)(1-o)",
        **config_extra,
    }
    previous = out / "config.json"
    # The folder's span taggers read the frozen encoder, not the head: keep them while the cut
    # (layers, int8) is the one they were trained on; under another they would read strange states.
    if previous.is_file():
        before = json.loads(previous.read_text(encoding="utf-8"))
        tagger = before.get("span_tagger")
        if tagger is not None and before.get("opinion_encoder", {}).get("num_layers") == layer \
                and before.get("opinion_encoder", {}).get("int8", False) == int8:
            config["span_tagger"] = tagger
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    write_checksums(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=None, help="default: ../shared/data beside the checkout")
    parser.add_argument("--layers", type=int, nargs="+", default=list(DEFAULT_LAYERS), help="candidate layers")
    parser.add_argument("--C", type=float, nargs="+", default=list(DEFAULT_CS), help="candidate inverse regularizations")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--int8", action="store_true",
                        help="encode with the batch-independent int8 encoder, and ship it so (config opinion_encoder.int8)")
    parser.add_argument("--without-checkthat-dev", action="store_true",
                        help="train on CheckThat! train only (a teacher for python -m framing.train --distill-from)")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    data_dir = args.data_dir or Path(__file__).resolve().parents[2].parent / "shared" / "data"
    started = time.perf_counter()
    texts, y, source = read_training_rows(data_dir, checkthat_dev=not args.without_checkthat_dev)
    print(f"{len(texts)} training sentences ({int((source == 0).sum())} CheckThat!, {int((source == 1).sum())} BABE)", flush=True)
    feats = pooled_by_layer(texts, args.layers, int8=args.int8)
    encoded = time.perf_counter() - started
    print(f"encoded in {encoded:.0f} s", flush=True)
    cv = {}
    for layer in args.layers:
        for c in args.C:
            cv[(layer, c)] = cross_validated_f1(feats[layer], y, source, c)
            print(f"layer {layer} C {c}: cross-validated macro-F1 {cv[(layer, c)]:.4f}", flush=True)
    layer, c = max(cv, key=lambda k: (round(cv[k], 4), -k[0]))  # ties: the cheaper cut
    w, b = fit(feats[layer], y, c)
    training = {
        "command": "python -m framing.train.opinion_head " + " ".join(sys.argv[1:] if argv is None else argv),
        "data": {"checkthat2025_en": "train" if args.without_checkthat_dev else "train + dev", "babe": "label_opinion, training part (not the held-out fifth)"},
        "rows": {"checkthat": int((source == 0).sum()), "babe": int((source == 1).sum()),
                 "opinion_share": round(float(y.mean()), 4)},
        "selection": {"layer": layer, "C": c, "cv_macro_f1": round(cv[(layer, c)], 4), "folds": FOLDS,
                      "seeds": list(SEEDS), "grid": [{"layer": k[0], "C": k[1], "cv_macro_f1": round(v, 4)} for k, v in cv.items()]},
        "cpu_seconds_encode": round(encoded, 1),
        "wall_seconds_total": round(time.perf_counter() - started, 1),
        "threads": args.threads,
        "platform": platform.platform(),
        "torch": torch.__version__,
    }
    write_model(args.out, w, b, layer, {"training": training}, int8=args.int8)
    print(f"chose layer {layer}, C {c} (cross-validated {cv[(layer, c)]:.4f}); wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
