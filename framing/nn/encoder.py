"""The sentence encoder: a minimal plain-torch BERT (all-MiniLM-L6-v2's architecture, the first
layers kept) with packed inference, and :class:`SentenceEncoder`, which tokenizes sentences,
packs them by length and returns, from one pass, each sentence's mean-pooled vector and, when
asked, its token states (what the attribution span tagger reads).

No ``transformers`` import at run time: importing it costs seconds. Every sentence is computed
independently of its batch neighbours: padding is masked out and no batch-level statistics (such
as dynamic int8 activation scales) are used, so a sentence's numbers never depend on what else
is in the call.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from framing.errors import FramingInputError, FramingModelError

__all__ = ["BUCKET_SIZES", "Encoded", "MiniLMEncoder", "SentenceEncoder", "TokenStates", "read_base_config"]


class _Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, intermediate: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.attn_norm = nn.LayerNorm(hidden, eps=eps)
        self.ff_in = nn.Linear(hidden, intermediate)
        self.ff_out = nn.Linear(intermediate, hidden)
        self.ff_norm = nn.LayerNorm(hidden, eps=eps)
        self.dropout = nn.Dropout(0.1)
        #: query, key and value fused into one int8 Linear by quantize_encoder (inference only).
        self.qkv: nn.Module | None = None

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        b, t, h = x.shape
        d = h // self.heads

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, self.heads, d).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(
            split(self.query(x)), split(self.key(x)), split(self.value(x)), attn_mask=mask,
            dropout_p=0.1 if self.training else 0.0,
        )
        ctx = ctx.transpose(1, 2).reshape(b, t, h)
        x = self.attn_norm(x + self.dropout(self.attn_out(ctx)))
        y = self.ff_out(F.gelu(self.ff_in(x)))
        return self.ff_norm(x + self.dropout(y))


    def forward_packed(self, x: torch.Tensor, plans: list["_Bucket"]) -> torch.Tensor:
        """Same layer over the tokens of many sentences packed as rows of ``x`` (N, hidden).

        Row-wise operations (Linear, LayerNorm, GELU) run once over all N tokens; attention runs
        per length bucket, each sentence padded to a size that depends only on its own length.
        """
        n, h = x.shape
        d = h // self.heads
        if self.qkv is not None:
            # One GEMM for the three projections: the row scale and the packing of x are paid
            # once, and one zero row (the padding target of every gather) is appended once.
            qkv = torch.cat([self.qkv(x), x.new_zeros(1, 3 * h)])
            q, k, v = qkv[:, :h], qkv[:, h : 2 * h], qkv[:, 2 * h :]
        else:
            zero = x.new_zeros(1, h)
            q, k, v = (torch.cat([f(x), zero]) for f in (self.query, self.key, self.value))
        ctx = torch.empty_like(x)
        for plan in plans:
            b, t = plan.gather.shape

            def heads(y: torch.Tensor) -> torch.Tensor:
                return y[plan.gather].view(b, t, self.heads, d).transpose(1, 2)

            out = F.scaled_dot_product_attention(heads(q), heads(k), heads(v), attn_mask=plan.mask)
            ctx[plan.rows] = out.transpose(1, 2).reshape(b, t, h)[plan.valid]
        x = self.attn_norm(x + self.attn_out(ctx))
        return self.ff_norm(x + self.ff_out(F.gelu(self.ff_in(x))))


class _Bucket:
    """Sentences padded to one bucket size: where their tokens sit in the packed rows."""

    def __init__(self, members: list[int], offsets: list[int], lengths: list[int], size: int, pad_row: int) -> None:
        self.members = torch.tensor(members, dtype=torch.long)
        gather = torch.full((len(members), size), pad_row, dtype=torch.long)
        for r, i in enumerate(members):
            gather[r, : lengths[i]] = torch.arange(offsets[i], offsets[i] + lengths[i])
        self.gather = gather
        self.valid = gather != pad_row
        self.rows = gather[self.valid]
        self.mask = self.valid[:, None, None, :]
        self.count = self.valid.sum(1, keepdim=True).float()


#: Attention sizes a sentence is padded to; the size depends only on the sentence's own length.
BUCKET_SIZES = (8, 16, 24, 32, 40, 48, 64, 80, 96, 128, 192, 256, 384, 512)


# checkpoint name suffix -> our module path, per layer
_LAYER_KEYS = {
    "attention.self.query": "query",
    "attention.self.key": "key",
    "attention.self.value": "value",
    "attention.output.dense": "attn_out",
    "attention.output.LayerNorm": "attn_norm",
    "intermediate.dense": "ff_in",
    "output.dense": "ff_out",
    "output.LayerNorm": "ff_norm",
}


_MINILM_FIXED_KEYS = {
    "embeddings.word_embeddings.weight": "word.weight",
    "embeddings.position_embeddings.weight": "position.weight",
    "embeddings.LayerNorm.weight": "emb_norm.weight",
    "embeddings.LayerNorm.bias": "emb_norm.bias",
}


def checkpoint_name(key: str, fixed: dict[str, str], layer_keys: dict[str, str]) -> str | None:
    """This package's module name for a BERT-style checkpoint tensor name: ``fixed`` maps the
    embeddings, ``layer_keys`` the parts of ``encoder.layer.N``; None for a tensor not used."""
    if key in fixed:
        return fixed[key]
    m = re.fullmatch(r"encoder\.layer\.(\d+)\.(.+)\.(weight|bias)", key)
    if m is None:
        return None
    sub = layer_keys.get(m.group(2))
    return None if sub is None else f"layers.{m.group(1)}.{sub}.{m.group(3)}"


class MiniLMEncoder(nn.Module):
    """BERT encoder + mean pooling, loadable from the base checkpoint's tensors."""

    def __init__(self, base_config: dict[str, Any], num_layers: int) -> None:
        super().__init__()
        hidden = base_config["hidden_size"]
        eps = base_config["layer_norm_eps"]
        self.word = nn.Embedding(base_config["vocab_size"], hidden)
        self.position = nn.Embedding(base_config["max_position_embeddings"], hidden)
        self.token_type = nn.Parameter(torch.zeros(hidden))
        self.emb_norm = nn.LayerNorm(hidden, eps=eps)
        self.emb_dropout = nn.Dropout(0.1)
        self.layers = nn.ModuleList(
            _Layer(hidden, base_config["num_attention_heads"], base_config["intermediate_size"], eps)
            for _ in range(num_layers)
        )
        self.hidden_size = hidden

    def forward(self, ids: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        """Mean-pooled sentence embeddings, shape (batch, hidden)."""
        t = ids.shape[1]
        pos = torch.arange(t, device=ids.device)
        x = self.word(ids) + self.position(pos)[None] + self.token_type
        x = self.emb_dropout(self.emb_norm(x))
        keep = attention.bool()
        # Boolean mask over keys only; a batch of equal-length rows needs none at all.
        mask = None if bool(keep.all()) else keep[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask)
        w = keep.unsqueeze(-1).to(x.dtype)
        return (x * w).sum(1) / w.sum(1).clamp(min=1e-9)

    def forward_packed(self, seqs: list[list[int]], keep_tokens: bool = False) -> Any:
        """Mean-pooled embeddings of token-id lists, with no computation shared across sentences
        except row-independent (and, in int8, exact integer) operations: a sentence's result is
        bit-identical whatever else is in the call. ``keep_tokens`` also returns the last layer's
        token states, packed (tokens of all sentences, hidden), for the attribution tagger."""
        lengths = [len(x) for x in seqs]
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).tolist()
        n = int(sum(lengths))
        flat = torch.tensor([t for x in seqs for t in x], dtype=torch.long)
        pos = torch.tensor([p for m in lengths for p in range(m)], dtype=torch.long)
        by_size: dict[int, list[int]] = {}
        for i, m in enumerate(lengths):
            size = next((b for b in BUCKET_SIZES if b >= m), m)
            by_size.setdefault(size, []).append(i)
        plans = [_Bucket(members, offsets, lengths, size, n) for size, members in sorted(by_size.items())]
        x = self.emb_norm(self.word(flat) + self.position(pos) + self.token_type)
        for layer in self.layers:
            x = layer.forward_packed(x, plans)
        padded = torch.cat([x, x.new_zeros(1, x.shape[1])])
        pooled = x.new_empty((len(seqs), x.shape[1]))
        for plan in plans:
            pooled[plan.members] = padded[plan.gather].sum(1) / plan.count
        return (pooled, x) if keep_tokens else pooled

    @staticmethod
    def state_key(checkpoint_key: str) -> str | None:
        """Map a base checkpoint tensor name to this module's name (None: not used)."""
        return checkpoint_name(checkpoint_key, _MINILM_FIXED_KEYS, _LAYER_KEYS)

    def load_base(self, base_dir: Path, weights_file: Path | None = None) -> None:
        """Copy the base checkpoint's tensors (``weights_file``, default ``model.safetensors`` of
        ``base_dir``) for the embeddings and the kept layers."""
        from safetensors import safe_open

        own = self.state_dict()
        loaded = set()
        with safe_open(str(weights_file or base_dir / "model.safetensors"), framework="pt") as fh:
            for key in fh.keys():
                if key == "embeddings.token_type_embeddings.weight":
                    own["token_type"].copy_(fh.get_tensor(key)[0])
                    loaded.add("token_type")
                    continue
                name = self.state_key(key)
                if name is not None and name in own:
                    own[name].copy_(fh.get_tensor(key))
                    loaded.add(name)
        missing = set(own) - loaded
        if missing:
            raise FramingModelError(f"base checkpoint lacks tensors: {sorted(missing)[:5]}")


def read_base_config(base_dir: Path) -> dict[str, Any]:
    return json.loads((base_dir / "config.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class TokenStates:
    """The encoder's output for one sentence: each token's character offsets into the
    sentence (None for [CLS]/[SEP]) and its state vector (fp16, shape (tokens, hidden))."""

    offsets: tuple[tuple[int, int] | None, ...]
    states: torch.Tensor


@dataclass(frozen=True)
class Encoded:
    """One encoder pass over some sentences, in input order: the mean-pooled vectors (fp32,
    shape (n, hidden)) and, when asked for, each sentence's :class:`TokenStates`."""

    pooled: torch.Tensor
    token_states: tuple[TokenStates, ...] | None = None

    def __len__(self) -> int:
        return int(self.pooled.shape[0])

    def take(self, rows: Sequence[int]) -> "Encoded":
        """The rows ``rows`` (in that order) as an Encoded of their own."""
        index = torch.as_tensor(list(rows), dtype=torch.long)
        states = None if self.token_states is None else tuple(self.token_states[i] for i in rows)
        return Encoded(self.pooled[index], states)


def _offsets(encoding: Any) -> tuple[tuple[int, int] | None, ...]:
    return tuple(None if special else (a, b) for (a, b), special in zip(encoding.offsets, encoding.special_tokens_mask))


#: Sentences per tokenizer call: the tokenizer's Encoding objects (ids, offsets, token strings,
#: masks) are dropped after each call, so tokenizing a very long input holds only ids.
TOKENIZE_CHUNK = 2048


def packs(order: Sequence[int], ids: Sequence[Sequence[int]], batch_size: int, max_tokens: int) -> Iterator[list[int]]:
    """Consecutive runs of ``order`` with at most ``batch_size`` sentences and, when
    ``max_tokens`` is set, at most that many tokens (a longer sentence goes alone)."""
    pack: list[int] = []
    tokens = 0
    for i in order:
        m = len(ids[i])
        if pack and (len(pack) >= batch_size or (max_tokens and tokens + m > max_tokens)):
            yield pack
            pack, tokens = [], 0
        pack.append(int(i))
        tokens += m
    if pack:
        yield pack


class SentenceEncoder:
    """A tokenizer and a :class:`MiniLMEncoder`: sentences in, pooled vectors (and token
    states) out, from one pass."""

    def __init__(
        self,
        encoder: MiniLMEncoder,
        tokenizer: Any,
        # A packed forward pass holds at most batch_size sentences and max_tokens tokens (0: no
        # token cap). Packs of a steady token count keep activations one size, so the allocator
        # reuses them: with packs of 64 sentences, analyze_many's peak RSS crept to ~1 GB over
        # 1,800 BASIL articles, with 1,536 tokens it stays near 600 MB, and an alternating A/B on
        # 2 cores gave 1,045 vs 921 sentences/s (PolNeAR) and 902 vs 780 (BASIL). Results do not
        # depend on either setting (batch-independent by construction), only speed and memory do.
        batch_size: int = 256,
        max_tokens: int = 1536,
        quantized: bool = False,
    ) -> None:
        self.network = encoder.eval()
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.quantized = quantized

    @property
    def hidden_size(self) -> int:
        return self.network.hidden_size

    @property
    def num_layers(self) -> int:
        return len(self.network.layers)

    def _packs(self, order: list[int], ids: list[list[int]]) -> Iterator[list[int]]:
        return packs(order, ids, self.batch_size, self.max_tokens)

    def _tokenize(self, sentences: Sequence[str], offsets: bool) -> tuple[list[list[int]], list[Any]]:
        """Token ids of each sentence and, with ``offsets``, each token's character offsets
        (None for [CLS]/[SEP]), tokenized TOKENIZE_CHUNK sentences at a time."""
        ids: list[list[int]] = []
        spans: list[Any] = []
        for lo in range(0, len(sentences), TOKENIZE_CHUNK):
            chunk = list(sentences[lo : lo + TOKENIZE_CHUNK])
            try:
                encodings = self.tokenizer.encode_batch(chunk)
            except TypeError as exc:  # the tokenizer's answer to a str it cannot encode as UTF-8
                raise FramingInputError(
                    "a sentence holds a lone surrogate (half a character) or is not a str; repair text "
                    "with framing.replace_surrogates"
                ) from exc
            for e in encodings:
                ids.append(e.ids)
                if offsets:
                    spans.append(_offsets(e))
        return ids, spans

    def token_counts(self, sentences: Sequence[str]) -> list[int]:
        """How many tokens ([CLS] and [SEP] included) each sentence is encoded as."""
        return [len(x) for x in self._tokenize(sentences, offsets=False)[0]]

    def encode(self, sentences: Sequence[str], token_states: bool = False) -> Encoded:
        """Pooled vectors of ``sentences`` (and, with ``token_states``, each one's
        :class:`TokenStates`), in input order.

        Sentences are sorted by length and packed (``_packs``; no padding in the row-wise
        layers; per-bucket padding in attention, see :meth:`MiniLMEncoder.forward_packed`), then
        restored to input order. A sentence's numbers do not depend on its batch mates.
        """
        n = len(sentences)
        pooled = torch.zeros((n, self.hidden_size), dtype=torch.float32)
        if n == 0:
            return Encoded(pooled, () if token_states else None)
        ids, offsets = self._tokenize(sentences, offsets=token_states)
        states: list[Any] = [None] * n
        order = [int(i) for i in np.argsort([-len(x) for x in ids], kind="stable")]
        with torch.inference_mode():
            for idx in self._packs(order, ids):
                result = self.network.forward_packed([ids[i] for i in idx], keep_tokens=token_states)
                pooled[idx] = result[0] if token_states else result
                if token_states:
                    tokens = result[1].half()
                    start = 0
                    for i in idx:
                        m = len(ids[i])
                        states[i] = TokenStates(offsets[i], tokens[start : start + m].clone())
                        start += m
        return Encoded(pooled, tuple(states) if token_states else None)
