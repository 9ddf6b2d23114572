"""evals.bench_ceiling times exactly the Linear modules that inference runs, no more, no fewer
(int8 encoders keep their unfused query/key/value beside the fused qkv that runs)."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")


def _called_linears(encoder, texts):
    """The Linear-like modules of ``encoder``'s layers that one encode of ``texts`` calls."""
    from torch import nn

    from framing.nn.int8 import RowInt8Linear

    called, handles = set(), []
    for m in encoder.network.layers.modules():
        if isinstance(m, (nn.Linear, RowInt8Linear)):
            handles.append(m.register_forward_hook(lambda mod, args, out: called.add(id(mod))))
    try:
        encoder.encode(texts, token_states=True)
    finally:
        for h in handles:
            h.remove()
    return called


def test_the_ceiling_times_the_modules_inference_runs():
    from evals.bench_ceiling import linear_modules, linear_seconds, pack_tokens
    from framing.model import load

    encoder = load("framing-v1").encoder
    texts = ["The minister said the plan was fine.", "Why would anyone agree?", "Talks resume on Monday."]
    chosen = linear_modules(encoder.network)
    assert {id(m) for m in chosen} == _called_linears(encoder, texts)
    assert len(chosen) == len(set(map(id, chosen)))
    assert sum(pack_tokens(encoder, texts)) == sum(encoder.token_counts(texts))
    assert linear_seconds(encoder, texts, rounds=1) > 0
