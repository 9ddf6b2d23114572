"""Throughput of MPNet cuts (fp32, int8) against framing-v1's shipped encoder, in one run.

    nice -n 10 python -m evals.encoders.throughput --threads 2   # into ../cache/v2/throughput.json

Sentences: CheckThat! dev_test (484) + 516 PolNeAR dev sentences (seed 13) = 1,000.
Every variant runs through the same code, ``FramingModel.head_logits`` (``SentenceEncoder``:
tokenize, sort by length, packs of <= 256 sentences / 1,536 tokens, ``forward_packed``; then a
two-logit head): framing-v1 as shipped (``FramingModel.load()``: MiniLM, 3 layers, int8), and an
MPNet cut of k layers (``framing.nn.mpnet``, max 384 tokens) with a random two-logit head, in fp32 and
in batch-independent int8 (``quantize_encoder``). Variants alternate within each round (one
warm-up call each first); the table gives the median over rounds, the range (the best round is
the least disturbed by other load on a shared machine) and sentences per CPU-second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

from evals.data import default_data_dir
from evals.encoders import CACHE
from framing.classify.heads import TrainedHeads
from framing.model import FramingModel
from framing.nn.encoder import SentenceEncoder
from framing.nn.int8 import quantize_encoder
from framing.train import data as D

DATA = default_data_dir()


def sentences() -> list[str]:
    ct = [r["text"] for r in D.read_checkthat(DATA, "dev_test")]
    pn = [r["text"] for r in D.read_polnear(DATA, "dev")]
    rng = np.random.default_rng(13)
    pick = sorted(rng.choice(len(pn), size=1000 - len(ct), replace=False))
    return ct + [pn[i] for i in pick]


def mpnet_classifier(k: int, int8: bool) -> FramingModel:
    from framing.nn.mpnet import load_encoder

    enc, tok = load_encoder(k)
    if int8:
        quantize_encoder(enc)
    g = torch.Generator().manual_seed(0)
    head_w = torch.randn(2, enc.hidden_size, generator=g) * 0.02
    heads = TrainedHeads(head_w, torch.zeros(2), {}, name=f"mpnet-{k}")
    return FramingModel(heads, encoder=SentenceEncoder(enc, tok, quantized=int8))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--layers", type=int, nargs="+", default=[6, 8, 12])
    ap.add_argument("--out", type=Path, default=CACHE / "throughput.json")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    texts = sentences()
    variants: dict[str, FramingModel] = {"framing-v1 (MiniLM 3 layers, int8)": FramingModel.load()}
    assert variants["framing-v1 (MiniLM 3 layers, int8)"].encoder.quantized
    for k in args.layers:
        for int8 in (False, True):
            variants[f"mpnet {k} layers, {'int8' if int8 else 'fp32'}"] = mpnet_classifier(k, int8)
    tokens = {name: sum(m.encoder.token_counts(texts)) for name, m in variants.items()}
    with torch.inference_mode():
        for m in variants.values():
            m.head_logits(texts[:200])  # warm-up
        times: dict[str, list[float]] = {name: [] for name in variants}
        cpu: dict[str, list[float]] = {name: [] for name in variants}
        for r in range(args.rounds):
            for name, m in variants.items():
                started, cpu_started = time.perf_counter(), time.process_time()
                m.head_logits(texts)
                times[name].append(time.perf_counter() - started)
                cpu[name].append(time.process_time() - cpu_started)
            print(f"round {r + 1}: " + ", ".join(f"{n}: {len(texts) / t[-1]:.0f}/s" for n, t in times.items()), flush=True)
    rows = []
    for name, ts in times.items():
        rates = [len(texts) / t for t in ts]
        rows.append({"variant": name, "sentences_per_s": round(statistics.median(rates), 1),
                     "min": round(min(rates), 1), "max": round(max(rates), 1), "tokens": tokens[name],
                     # all threads' CPU seconds: less sensitive to other load than wall time
                     "sentences_per_cpu_s": round(len(texts) / statistics.median(cpu[name]), 1)})
    result = {
        "load_average_after": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "threads": args.threads, "sentences": len(texts), "rounds": args.rounds,
        "torch": torch.__version__, "cpu": platform.processor() or platform.machine(), "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"\n| variant | sentences/s (median of {args.rounds}) | range | per CPU-second | tokens |\n|---|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['variant']} | {row['sentences_per_s']:.0f} | {row['min']:.0f}-{row['max']:.0f} "
              f"| {row['sentences_per_cpu_s']:.0f} | {row['tokens']} |")
    print(f"load average after the run: {result['load_average_after']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
