"""What batch-independent int8 costs an MPNet cut, and whether SmoothQuant-style column scaling
buys it back.

    OMP_NUM_THREADS=1 nice -n 10 python -m evals.encoders.int8_quality --layers 6

fbgemm's AVX2 kernels quantize activations to 7 bits (``reduce_range``), and MPNet's LayerNorm
outputs (the q/k/v and ff_in inputs) have a few outlier columns (max |x| ~10 where the median
column peaks near 1), so per-row scales waste most levels on them. "smooth" divides each input
column j by s_j = a_j^alpha / w_j^(1-alpha) (a_j: max |x_j| on 200 PolNeAR train sentences, w_j:
max |W[:, j]|) and multiplies W's column j by s_j: the same product in exact arithmetic, an
elementwise (batch-independent) extra multiply at run time.

Reports, for CheckThat! train/dev/dev_test sentences: cosine of the pooled vectors to fp32, and
the frozen probe (:mod:`evals.encoders.probe`'s three selection methods) on the int8 features.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

from evals.data import default_data_dir
from evals.encoders import CACHE
from evals.encoders import probe as P
from framing.nn.int8 import RowInt8Linear, quantize_encoder
from framing.nn.mpnet import load_encoder
from framing.train import data as D

DATA = default_data_dir()
NAMES = ("query", "key", "value", "attn_out", "ff_in", "ff_out")


class SmoothedRowInt8Linear(nn.Module):
    def __init__(self, linear: nn.Linear, s: torch.Tensor) -> None:
        super().__init__()
        scaled = nn.Linear(linear.in_features, linear.out_features)
        with torch.no_grad():
            scaled.weight.copy_(linear.weight * s[None, :])
            scaled.bias.copy_(linear.bias)
        self.inv = (1.0 / s).contiguous()
        self.inner = RowInt8Linear(scaled)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x * self.inv)


def column_maxima(enc, seqs) -> dict:
    out: dict = {}

    def hook(key):
        def f(mod, inp, _):
            m = inp[0].abs().amax(0)
            out[key] = torch.maximum(out[key], m) if key in out else m
        return f

    handles = [getattr(layer, n).register_forward_hook(hook((i, n)))
               for i, layer in enumerate(enc.layers) for n in ("query", "attn_out", "ff_in", "ff_out")]
    with torch.inference_mode():
        enc.forward_packed(seqs)
    for h in handles:
        h.remove()
    return out


def smooth_quantize(enc, maxima: dict, alpha: float):
    enc = copy.deepcopy(enc)
    for i, layer in enumerate(enc.layers):
        w_qkv = torch.stack([getattr(layer, n).weight.abs().amax(0) for n in ("query", "key", "value")]).amax(0)
        for n in NAMES:
            lin = getattr(layer, n)
            a = maxima[(i, "query" if n in ("query", "key", "value") else n)].clamp(min=1e-5)
            w = (w_qkv if n in ("query", "key", "value") else lin.weight.abs().amax(0)).clamp(min=1e-5)
            setattr(layer, n, SmoothedRowInt8Linear(lin, a**alpha / w ** (1 - alpha)))
    return enc


def pooled(enc, seqs) -> np.ndarray:
    order = np.argsort([-len(s) for s in seqs], kind="stable")
    out = np.zeros((len(seqs), enc.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(seqs), 64):
            idx = order[start : start + 64]
            out[idx] = enc.forward_packed([seqs[i] for i in idx]).numpy()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--alpha", type=float, default=0.7)
    ap.add_argument("--out", type=Path, default=CACHE / "int8_quality.json")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    enc, tok = load_encoder(args.layers)
    calib_rows = D.read_polnear(DATA, "train", "train")
    rng = np.random.default_rng(13)
    calib = [calib_rows[i]["text"] for i in rng.choice(len(calib_rows), 200, replace=False)]
    maxima = column_maxima(enc, [e.ids for e in tok.encode_batch(calib)])
    plain = quantize_encoder(copy.deepcopy(enc))
    smooth = smooth_quantize(enc, maxima, args.alpha)
    splits = ("train", "dev", "dev_test")
    texts = {s: [r["text"] for r in D.read_checkthat(DATA, s)] for s in splits}
    y = {s: np.array([r["opinion"] for r in D.read_checkthat(DATA, s)]) for s in splits}
    seqs = {s: [e.ids for e in tok.encode_batch(texts[s])] for s in splits}
    feats = {name: {s: pooled(m, seqs[s]).astype(np.float16).astype(np.float64) for s in splits}
             for name, m in (("fp32", enc), ("int8", plain), (f"int8 smooth a={args.alpha}", smooth))}
    results = {}
    for name, X in feats.items():
        ref = np.concatenate([feats["fp32"][s] for s in splits])
        got = np.concatenate([X[s] for s in splits])
        cos = (ref * got).sum(1) / np.linalg.norm(ref, axis=1) / np.linalg.norm(got, axis=1)
        res = P.evaluate(X, y)
        results[name] = {"cosine_to_fp32_mean": round(float(cos.mean()), 4), "cosine_min": round(float(cos.min()), 4), **res}
        print(f"mpnet L{args.layers} {name:<18} cos {cos.mean():.4f} (min {cos.min():.4f})  " + "  ".join(
            f"{m}: {r['dev_test_macro_f1']:.3f} {r['ci95']}" for m, r in res.items()), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
