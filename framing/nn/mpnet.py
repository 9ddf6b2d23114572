"""A plain-torch MPNet encoder (sentence-transformers/all-mpnet-base-v2), no ``transformers``.

Same interface as :class:`framing.nn.encoder.MiniLMEncoder`: build it with a cut
``num_layers`` (the first k layers), :meth:`MPNetEncoder.load_base` the tensors from the
verified cache folder (:func:`framing.nn.packaged.encoder_dir`), then :meth:`forward` (padded
batch) or :meth:`forward_packed` (token-id lists, batch-independent) for mean-pooled vectors.

MPNet's layers are BERT layers (the same ``_Layer`` module, so
:func:`framing.nn.int8.quantize_encoder` applies unchanged); it differs from BERT in its inputs:

- no token-type embedding; position ids start after the padding index (1), so the first token
  has position 2 (``create_position_ids_from_input_ids`` upstream);
- a relative position bias: the key-minus-query offset is bucketed (32 buckets, 16 per
  direction, exact below 8, logarithmic up to 128), looked up in a (buckets, heads) table,
  computed once per forward pass and added to every layer's attention scores. It is passed to
  ``scaled_dot_product_attention`` as a float mask, together with the padding mask (-inf).

One deliberate difference: upstream derives positions from ``input_ids != pad_id``, so a
literal "<pad>" typed in the text (tokenized as the pad id) would shift the positions of the
tokens after it; here a token's position is its index in the sentence (or, in :meth:`forward`,
the count of attended tokens up to it), whatever its id.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from framing.errors import FramingModelError
from framing.nn.encoder import BUCKET_SIZES, _Bucket, _Layer, checkpoint_name

PADDING_IDX = 1
MAX_DISTANCE = 128

# checkpoint name suffix -> our module name, per layer (our names are MiniLMEncoder's)
_LAYER_KEYS = {
    "attention.attn.q": "query",
    "attention.attn.k": "key",
    "attention.attn.v": "value",
    "attention.attn.o": "attn_out",
    "attention.LayerNorm": "attn_norm",
    "intermediate.dense": "ff_in",
    "output.dense": "ff_out",
    "output.LayerNorm": "ff_norm",
}
_FIXED_KEYS = {
    "embeddings.word_embeddings.weight": "word.weight",
    "embeddings.position_embeddings.weight": "position.weight",
    "embeddings.LayerNorm.weight": "emb_norm.weight",
    "embeddings.LayerNorm.bias": "emb_norm.bias",
    "encoder.relative_attention_bias.weight": "relative_bias.weight",
}


def relative_position_bucket(relative_position: torch.Tensor, num_buckets: int = 32, max_distance: int = MAX_DISTANCE) -> torch.Tensor:
    """MPNet's (T5-style, bidirectional) bucket of each key-minus-query offset; the same
    arithmetic as upstream, so the same buckets."""
    ret = torch.zeros_like(relative_position)
    n = -relative_position
    num_buckets //= 2
    ret += (n < 0).to(torch.long) * num_buckets
    n = torch.abs(n)
    max_exact = num_buckets // 2
    is_small = n < max_exact
    val_if_large = max_exact + (
        torch.log(n.float() / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact)
    ).to(torch.long)
    val_if_large = torch.min(val_if_large, torch.full_like(val_if_large, num_buckets - 1))
    return ret + torch.where(is_small, n, val_if_large)


class MPNetEncoder(nn.Module):
    """MPNet encoder (first ``num_layers`` layers) + mean pooling."""

    def __init__(self, base_config: dict[str, Any], num_layers: int) -> None:
        super().__init__()
        if base_config.get("model_type", "mpnet") != "mpnet":
            raise FramingModelError(f"not an MPNet config: model_type={base_config.get('model_type')!r}")
        if not 1 <= num_layers <= int(base_config["num_hidden_layers"]):
            raise ValueError(f"num_layers must be in 1..{base_config['num_hidden_layers']}, not {num_layers}")
        hidden = int(base_config["hidden_size"])
        eps = float(base_config["layer_norm_eps"])
        heads = int(base_config["num_attention_heads"])
        self.word = nn.Embedding(base_config["vocab_size"], hidden)
        self.position = nn.Embedding(base_config["max_position_embeddings"], hidden)
        self.emb_norm = nn.LayerNorm(hidden, eps=eps)
        self.emb_dropout = nn.Dropout(0.1)
        self.relative_bias = nn.Embedding(int(base_config.get("relative_attention_num_buckets", 32)), heads)
        self.layers = nn.ModuleList(
            _Layer(hidden, heads, base_config["intermediate_size"], eps) for _ in range(num_layers)
        )
        self.hidden_size = hidden
        #: Longest sentence, in tokens: positions run from PADDING_IDX + 1.
        self.max_tokens = int(base_config["max_position_embeddings"]) - PADDING_IDX - 1
        size = self.max_tokens
        offsets = torch.arange(size)[None, :] - torch.arange(size)[:, None]
        self.register_buffer(
            "rp_bucket", relative_position_bucket(offsets, self.relative_bias.num_embeddings), persistent=False
        )

    def position_bias(self, t: int) -> torch.Tensor:
        """The relative position bias of a t-token sentence, shape (1, heads, t, t)."""
        return self.relative_bias(self.rp_bucket[:t, :t]).permute(2, 0, 1).unsqueeze(0)

    def _check_length(self, t: int) -> None:
        if t > self.max_tokens:
            raise ValueError(f"MPNet takes at most {self.max_tokens} tokens per sentence, got {t}")

    def forward(self, ids: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        """Mean-pooled sentence embeddings of a right-padded batch, shape (batch, hidden)."""
        t = ids.shape[1]
        self._check_length(t)
        keep = attention.bool()
        pos = torch.cumsum(keep.long(), dim=1) * keep + PADDING_IDX
        x = self.emb_dropout(self.emb_norm(self.word(ids) + self.position(pos)))
        pad = torch.zeros(keep.shape, dtype=x.dtype, device=x.device).masked_fill(~keep, float("-inf"))
        mask = self.position_bias(t) + pad[:, None, None, :]
        w = keep.unsqueeze(-1).to(x.dtype)
        for layer in self.layers:
            x = layer(x, mask)
        return (x * w).sum(1) / w.sum(1).clamp(min=1e-9)

    def forward_packed(self, seqs: list[list[int]], keep_tokens: bool = False, every_layer: bool = False) -> Any:
        """Mean-pooled embeddings of token-id lists; a sentence's result is bit-identical
        whatever else is in the call (see ``MiniLMEncoder.forward_packed``). ``keep_tokens``
        also returns the last kept layer's token states, packed (tokens of all sentences,
        hidden); ``every_layer`` pools after each layer: (num_layers, n, hidden)."""
        n_seqs = len(seqs)
        lengths = [len(x) for x in seqs]
        for m in lengths:
            self._check_length(m)
        # fp32 GEMMs (MKL) on a handful of rows take another code path than on many (measured:
        # 1-3 rows on 1 thread, under 12 on 2, under 28 on 16 threads), which changes the last
        # bits. A small pack is topped up with "ghost" sentences, packed after the real rows and
        # dropped from the result, so that every GEMM sees at least min_rows rows.
        ghost = max(0, max(16, 4 * torch.get_num_threads()) - sum(lengths))
        while ghost > 0:
            g = min(ghost, 64)
            seqs = list(seqs) + [[PADDING_IDX] * g]
            lengths.append(g)
            ghost -= g
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int).tolist()
        n = int(sum(lengths))
        flat = torch.tensor([t for x in seqs for t in x], dtype=torch.long)
        pos = torch.tensor([p + PADDING_IDX + 1 for m in lengths for p in range(m)], dtype=torch.long)
        by_size: dict[int, list[int]] = {}
        for i, m in enumerate(lengths):
            size = next((b for b in BUCKET_SIZES if b >= m), m)
            by_size.setdefault(size, []).append(i)
        plans = [_Bucket(members, offsets, lengths, size, n) for size, members in sorted(by_size.items())]
        for plan in plans:
            b, t = plan.gather.shape
            # Bias + key padding as one float mask, built once and shared by every layer.
            plan.mask = self.position_bias(t).expand(b, -1, -1, -1).masked_fill(
                ~plan.valid[:, None, None, :], float("-inf")
            )
        x = self.emb_norm(self.word(flat) + self.position(pos))

        def pool(x: torch.Tensor) -> torch.Tensor:
            padded = torch.cat([x, x.new_zeros(1, x.shape[1])])
            pooled = x.new_empty((len(seqs), x.shape[1]))
            for plan in plans:
                pooled[plan.members] = padded[plan.gather].sum(1) / plan.count
            return pooled[:n_seqs]

        per_layer = []
        for layer in self.layers:
            x = layer.forward_packed(x, plans)
            if every_layer:
                per_layer.append(pool(x))
        pooled = torch.stack(per_layer) if every_layer else pool(x)
        return (pooled, x[: sum(lengths[:n_seqs])]) if keep_tokens else pooled

    @staticmethod
    def state_key(checkpoint_key: str) -> str | None:
        """Map a base checkpoint tensor name to this module's name (None: not used)."""
        return checkpoint_name(checkpoint_key, _FIXED_KEYS, _LAYER_KEYS)

    def load_base(self, base_dir: Path) -> None:
        """Copy the checkpoint's tensors for the embeddings, the bias table and the kept layers
        (safetensors only; never a pickle)."""
        from safetensors import safe_open

        own = self.state_dict()
        loaded = set()
        with safe_open(str(Path(base_dir) / "model.safetensors"), framework="pt") as fh:
            for key in fh.keys():
                name = self.state_key(key)
                if name is not None and name in own:
                    tensor = fh.get_tensor(key)
                    if tensor.shape != own[name].shape:
                        raise FramingModelError(f"{key}: shape {tuple(tensor.shape)}, expected {tuple(own[name].shape)}")
                    own[name].copy_(tensor)
                    loaded.add(name)
        missing = set(own) - loaded - {"rp_bucket"}
        if missing:
            raise FramingModelError(f"base checkpoint lacks tensors: {sorted(missing)[:5]}")


def load_encoder(num_layers: int, folder: Path | None = None) -> tuple[MPNetEncoder, Any]:
    """An eval-mode MPNet cut and its tokenizer (truncating at sentence-transformers' 384), from
    ``folder`` or the verified all-mpnet-base-v2 cache (built on first use)."""
    import json

    from framing.nn.files import load_tokenizer
    from framing.nn.packaged import encoder_dir

    folder = Path(folder) if folder is not None else encoder_dir("all-mpnet-base-v2")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    encoder = MPNetEncoder(config, num_layers)
    encoder.load_base(folder)
    max_length = 384
    st_config = folder / "sentence_bert_config.json"
    if st_config.is_file():
        max_length = int(json.loads(st_config.read_text(encoding="utf-8")).get("max_seq_length", max_length))
    return encoder.eval(), load_tokenizer(folder, max_length)


__all__ = ["MPNetEncoder", "load_encoder", "relative_position_bucket"]
