"""The ceiling under the speed targets: how fast the encoders' matrix products alone run here.

    python -m evals.bench_ceiling --threads 2

Issues #18 and #19 ask for sentences per second (classify ≥ 1,000 for the default, ≥ 150 for the
accurate tier, analyze_many ≥ 800) on a 2-core machine. Every one of those sentences goes through
an encoder, and most of an encoder's arithmetic is its Linear layers. This script times those
layers *alone*, on the sentences ``evals.bench`` times (PolNeAR dev, file order): it tokenizes them
as each encoder does, forms the same packs of sentences (``SentenceEncoder``: length-sorted, at most
256 sentences and 1,536 tokens a pack) and runs every Linear module of the kept layers exactly as
inference runs it (framing-v1's batch-independent int8 ``RowInt8Linear``; mpnet's fp32 ``Linear``,
or int8 after ``quantize_encoder``) over activations of each pack's token count. Attention, GELU,
LayerNorm, embeddings, tokenization and the heads are left out, so

    sentences / (seconds of Linear layers)

is an upper bound that no implementation of that encoder, at that width and depth, reaches on this
machine. Beside it, the full ``predict_proba`` of the same sentences, in the same run, shows how
close the shipped code comes. The accurate tier runs both encoders (framing-v1 for its question and
attribution axes and the mpnet cut for opinion and spans), so its bound is the two combined.
Best of ``--rounds`` runs of each; wall seconds.
"""

from __future__ import annotations

import argparse
import time
from typing import Any, Sequence

import torch
from torch import nn


def linear_modules(network: nn.Module) -> list[nn.Module]:
    """The Linear-like modules that a packed forward pass of an encoder's layers runs (fp32
    ``nn.Linear`` or int8): where ``quantize_encoder`` fused query, key and value into ``qkv``,
    the fused one and not the three it was made from."""
    from framing.nn.int8 import RowInt8Linear

    out = []
    for layer in network.layers:
        fused = getattr(layer, "qkv", None) is not None
        out += [m for name, m in layer.named_modules() if isinstance(m, (nn.Linear, RowInt8Linear))
                and not (fused and name in ("query", "key", "value"))]
    return out


def in_features(module: nn.Module) -> int:
    if isinstance(module, nn.Linear):
        return module.in_features
    return int(module.pin.shape[1])  # RowInt8Linear keeps its input width in the pinning row


def pack_tokens(encoder: Any, texts: Sequence[str]) -> list[int]:
    """Token count of each pack ``encoder`` (a SentenceEncoder) forms over ``texts``."""
    ids, _ = encoder._tokenize(texts, offsets=False)
    order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
    return [sum(len(ids[i]) for i in pack) for pack in encoder._packs(order, ids)]


def linear_seconds(encoder: Any, texts: Sequence[str], rounds: int) -> float:
    """Best wall seconds of all Linear layers of ``encoder`` over the packs of ``texts``."""
    modules = linear_modules(encoder.network)
    sizes = pack_tokens(encoder, texts)
    inputs = {}
    for m in modules:
        for t in set(sizes):
            inputs.setdefault((t, in_features(m)), torch.randn(t, in_features(m)))
    best = float("inf")
    with torch.inference_mode():
        for m in modules:  # warm: first calls allocate
            m(inputs[(sizes[0], in_features(m))])
        for _ in range(rounds):
            start = time.perf_counter()
            for t in sizes:
                for m in modules:
                    m(inputs[(t, in_features(m))])
            best = min(best, time.perf_counter() - start)
    return best


def full_seconds(model: Any, texts: Sequence[str], rounds: int) -> float:
    model.predict_proba(texts[:64])
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        model.predict_proba(texts)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    from evals import data as ed
    from framing.model import load
    from framing.nn.int8 import quantize_encoder
    from framing.nn.mpnet import load_encoder
    from framing.nn.encoder import SentenceEncoder

    p = argparse.ArgumentParser(prog="python -m evals.bench_ceiling", description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=1024, help="sentences (PolNeAR dev, file order), as evals.bench")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--no-large", action="store_true", help="skip the accurate tier (needs the mpnet parts)")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    texts = ed.load("polnear_dev").texts[: args.n]
    n = len(texts)

    rows: list[tuple[str, float, float | None]] = []
    v1 = load("framing-v1")
    v1_linear = linear_seconds(v1.encoder, texts, args.rounds)
    rows.append((f"framing-v1: MiniLM {v1.encoder.num_layers} layers, int8={v1.encoder.quantized}",
                 n / v1_linear, n / full_seconds(v1, texts, args.rounds)))
    if not args.no_large:
        large = load("framing-v2-large")
        mp = large.classifier.encoder  # the tier's mpnet cut, as shipped (fp32)
        mp_linear = linear_seconds(mp, texts, args.rounds)
        rows.append((f"mpnet {mp.num_layers} layers, fp32 (as shipped)", n / mp_linear, None))
        network, tokenizer = load_encoder(mp.num_layers)
        mp8 = SentenceEncoder(quantize_encoder(network), tokenizer, quantized=True)
        mp8_linear = linear_seconds(mp8, texts, args.rounds)
        rows.append((f"mpnet {mp.num_layers} layers, int8", n / mp8_linear, None))
        full = full_seconds(large, texts, args.rounds)
        rows.append(("framing-v2-large: framing-v1 + mpnet fp32 (as shipped)", n / (v1_linear + mp_linear), n / full))
        rows.append(("framing-v2-large with mpnet in int8", n / (v1_linear + mp8_linear), None))
        for k in (3, 1):
            network, tokenizer = load_encoder(k)
            cut = linear_seconds(SentenceEncoder(quantize_encoder(network), tokenizer, quantized=True), texts, args.rounds)
            rows.append((f"framing-v1 + mpnet {k} layer{'s' if k > 1 else ''}, int8", n / (v1_linear + cut), None))

    print(f"| encoder ({args.threads} torch threads, {n} PolNeAR dev sentences) | ceiling: Linear layers alone, sentences/s "
          f"| full predict_proba, sentences/s |")
    print("|---|---:|---:|")
    for name, ceiling, full_rate in rows:
        print(f"| {name} | {ceiling:.0f} | {'' if full_rate is None else f'{full_rate:.0f}'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
