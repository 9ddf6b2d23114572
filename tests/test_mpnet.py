"""framing.nn.mpnet: the plain-torch MPNet encoder against transformers' MPNetModel.

A tiny random MPNet checks the architecture everywhere; the real all-mpnet-base-v2 checks need
its parts (or a built cache) and skip without them, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")

from conftest import REPO  # noqa: E402
from framing.errors import FramingModelError  # noqa: E402
from framing.nn.files import load_tokenizer  # noqa: E402
from framing.nn.int8 import RowInt8Linear, quantize_encoder  # noqa: E402
from framing.nn.mpnet import MPNetEncoder, load_encoder, relative_position_bucket  # noqa: E402

TOL = 1e-4

SENTENCES = [
    "The goal?",
    "a",
    "Yes.",
    "\u201cWhere is the money?\u201d she asked.",
    "\"We're not asking you to surrender,\" the envoy said, according to two officials.",
    "Officials said the plan would be announced on Friday.",
    "It's not a compromise \u2014 it's a recognition of conquest.",
    "This is a chilling blueprint for surrender, and everyone in Washington knows it.",
    "The bill passed the Senate 52-48 on Tuesday; the House vote is expected in March 2026.",
    "Gone are the days when this council cared about its own voters!!!",
    "Zelensky \u2013 speaking in Kyiv \u2013 called the 28-point plan \u2018unacceptable\u2019 and \u00abdangerous\u00bb.",
    " ".join(["The committee reviewed the long list of amendments to the appropriations bill."] * 14),
]


# -- a tiny random MPNet: always runs ------------------------------------------------------


def _tiny_config() -> dict:
    return {
        "model_type": "mpnet", "vocab_size": 50, "hidden_size": 16, "num_hidden_layers": 3,
        "num_attention_heads": 4, "intermediate_size": 32, "max_position_embeddings": 300,
        "layer_norm_eps": 1e-5, "relative_attention_num_buckets": 32, "pad_token_id": 1,
        "hidden_act": "gelu",
    }


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    transformers = pytest.importorskip("transformers")
    torch.manual_seed(0)
    config = transformers.MPNetConfig(**_tiny_config())
    hf = transformers.MPNetModel(config).eval()
    with torch.no_grad():  # non-trivial bias and norms, so a wrong mapping cannot pass
        hf.encoder.relative_attention_bias.weight.normal_(0, 1.0)
        for p in hf.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    folder = tmp_path_factory.mktemp("tiny-mpnet")
    hf.save_pretrained(folder, safe_serialization=True)
    return hf, folder


def _batch(seqs):
    t = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), t), 1, dtype=torch.long)
    att = torch.zeros((len(seqs), t), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        att[i, : len(s)] = 1
    return ids, att


def _matches_reference(enc, seqs, pooled, tokens, k):
    """The padded and the packed paths both give the reference's layer-k pooled vectors and token
    states; returns the every-layer pooling and the packed pooling for further checks."""
    ids, att = _batch(seqs)
    with torch.inference_mode():
        got = enc(ids, att)
        packed, states = enc.forward_packed(seqs, keep_tokens=True)
        every = enc.forward_packed(seqs, every_layer=True)
    torch.testing.assert_close(got, pooled[k], atol=TOL, rtol=0)
    torch.testing.assert_close(packed, pooled[k], atol=TOL, rtol=0)
    torch.testing.assert_close(states, tokens[k], atol=TOL, rtol=0)
    return every, packed


def _reference(hf, seqs):
    ids, att = _batch(seqs)
    with torch.inference_mode():
        hs = hf(input_ids=ids, attention_mask=att, output_hidden_states=True).hidden_states
    w = att[..., None].float()
    pooled = [(h * w).sum(1) / w.sum(1) for h in hs]
    tokens = [torch.cat([h[i, : len(s)] for i, s in enumerate(seqs)]) for h in hs]
    return pooled, tokens


def test_bucket_matches_upstream():
    from transformers.models.mpnet.modeling_mpnet import MPNetEncoder as HFEncoder

    rel = torch.arange(-700, 700)[None, :]
    assert torch.equal(relative_position_bucket(rel), HFEncoder.relative_position_bucket(rel))


def test_tiny_random_mpnet_matches_transformers(tiny):
    hf, folder = tiny
    rng = random.Random(1)
    # Lengths across several bucket sizes, including one past 128 (the bias's max distance).
    seqs = [[0] + [rng.randrange(4, 50) for _ in range(m)] + [2] for m in (0, 1, 5, 17, 40, 150, 200)]
    pooled, tokens = _reference(hf, seqs)
    for k in (1, 2, 3):
        enc = MPNetEncoder(_tiny_config(), k).eval()
        enc.load_base(folder)
        every, packed = _matches_reference(enc, seqs, pooled, tokens, k)
        assert every.shape == (k, len(seqs), 16)
        assert torch.equal(every[-1], packed)


def test_load_base_refuses_a_checkpoint_without_the_bias(tiny, tmp_path):
    from safetensors.torch import load_file, save_file

    _, folder = tiny
    tensors = load_file(str(folder / "model.safetensors"))
    del tensors["encoder.relative_attention_bias.weight"]
    save_file(tensors, str(tmp_path / "model.safetensors"))
    with pytest.raises(FramingModelError, match="relative_bias"):
        MPNetEncoder(_tiny_config(), 2).load_base(tmp_path)


def test_config_checks():
    with pytest.raises(FramingModelError):
        MPNetEncoder(dict(_tiny_config(), model_type="bert"), 1)
    with pytest.raises(ValueError):
        MPNetEncoder(_tiny_config(), 4)
    enc = MPNetEncoder(_tiny_config(), 1)
    with pytest.raises(ValueError, match="at most 298 tokens"):
        enc.forward_packed([[0] * 299])


# -- the real all-mpnet-base-v2 ------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(mpnet_dir):
    return mpnet_dir


@pytest.fixture(scope="module")
def real(folder):
    transformers = pytest.importorskip("transformers")
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    hf = transformers.AutoModel.from_pretrained(str(folder), torch_dtype=torch.float32).eval()
    assert type(hf).__name__ == "MPNetModel"
    tok = load_tokenizer(folder, 384)
    seqs = [e.ids for e in tok.encode_batch(SENTENCES)]
    pooled, tokens = _reference(hf, seqs)
    encoders = {}
    for k in (5, 6, 12):
        enc, _ = load_encoder(k, folder)
        encoders[k] = enc
    return seqs, pooled, tokens, encoders


@pytest.mark.slow
def test_tokenizer_adds_mpnet_specials_and_no_padding(real):
    seqs = real[0]
    assert all(s[0] == 0 and s[-1] == 2 for s in seqs)  # <s> ... </s>
    assert len(seqs[1]) == 3  # "a": no padding to 128 (tokenizer.json pads to a fixed 128)
    assert max(len(s) for s in seqs) > 128  # nor truncation at tokenizer.json's 128


@pytest.mark.slow
@pytest.mark.parametrize("k", [5, 6, 12])
def test_real_mpnet_matches_transformers(real, k):
    seqs, pooled, tokens, encoders = real
    enc = encoders[k]
    every, _ = _matches_reference(enc, seqs, pooled, tokens, k)
    for j in range(1, k + 1):
        torch.testing.assert_close(every[j - 1], pooled[j], atol=TOL, rtol=0)


@pytest.mark.slow
@pytest.mark.parametrize("threads", [1, 2])
def test_packed_is_bit_identical_whatever_the_batch_mates(real, threads):
    seqs, _, _, encoders = real
    enc = encoders[6]
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        _check_batch_independence(enc, seqs)
    finally:
        torch.set_num_threads(before)


def _check_batch_independence(enc, seqs):
    with torch.inference_mode():
        together = enc.forward_packed(seqs)
        rng = random.Random(7)
        for _ in range(3):
            order = list(range(len(seqs)))
            rng.shuffle(order)
            chosen = order[: rng.randrange(1, len(seqs) + 1)]
            part = enc.forward_packed([seqs[i] for i in chosen])
            assert torch.equal(part, together[chosen])
        alone = torch.cat([enc.forward_packed([s]) for s in seqs])
    assert torch.equal(alone, together)


@pytest.mark.slow
def test_int8_is_batch_independent_and_close(real, folder):
    seqs, pooled, _, _ = real
    enc, _ = load_encoder(6, folder)
    quantize_encoder(enc)
    assert all(isinstance(layer.ff_in, RowInt8Linear) and layer.qkv is not None for layer in enc.layers)
    with torch.inference_mode():
        together = enc.forward_packed(seqs)
        alone = torch.cat([enc.forward_packed([s]) for s in seqs])
        fused = [layer.qkv for layer in enc.layers]
        for layer in enc.layers:
            layer.qkv = None
        apart = enc.forward_packed(seqs)
        for layer, f in zip(enc.layers, fused):
            layer.qkv = f
    assert torch.equal(alone, together)
    assert torch.equal(apart, together)  # fused q/k/v: the same bits as three projections
    # fbgemm's AVX2 path quantizes activations to 7 bits (reduce_range); MPNet's q/k/v inputs
    # have outlier columns, so its int8 pooled vectors sit further from fp32 than MiniLM's
    # (measured on 200 CheckThat! dev sentences, 6 layers: cosine mean 0.984, min 0.966).
    cos = torch.nn.functional.cosine_similarity(together, pooled[6])
    assert float(cos.min()) > 0.95, cos


def test_encoder_module_does_not_import_transformers():
    code = (
        "import sys, framing.nn.mpnet, framing.nn.packaged; "
        "sys.exit(1 if any(m == 'transformers' or m.startswith('transformers.') for m in sys.modules) else 0)"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    assert subprocess.run([sys.executable, "-c", code], env=env, timeout=120).returncode == 0


def test_sentence_bert_settings(folder):
    st = json.loads((folder / "sentence_bert_config.json").read_text())
    assert st["max_seq_length"] == 384
