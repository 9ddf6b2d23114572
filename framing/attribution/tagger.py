"""Trained attribution spans: who (source), the reporting word (cue) and what (content).

Two small taggers read the token states that the shipped encoder (framing-v1) computes anyway
for sentence labels, so finding spans costs no second encoder pass:

1. the **cue tagger** marks cue tokens (B/I/O) over a *unit*: the sentences of one paragraph,
   cut at sentence boundaries to at most ``max_unit_tokens`` tokens (a long paragraph with many
   quotes would otherwise make one very long sequence);
2. the **role tagger** gets the same unit plus an indicator of one cue's tokens and marks that
   attribution's source and content tokens (two B/I/O heads).

Both are one BiLSTM layer over a projection of the encoder states, trained on PolNeAR train by
``python -m framing.train.tagger``. Unlike the rule frames (``detect``), they learn cues with
no reporting verb (beliefs, stances: "wants", "endorsed", "support for"), which are a third of
PolNeAR's attributions. A unit is tagged on its own and the units of one article are batched
together, so an article's spans do not depend on what else is in a corpus batch.

A model folder may ship several seeds of each tagger (``"members"`` in its spec), read as one
:class:`TaggerEnsemble` that averages their probabilities; ``framing-v2-large`` does, while the
default keeps one seed for speed (issue #18).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import torch
from torch import nn

from framing.article import SentenceSpan
from framing.attribution.spans import Frame
from framing.attribution.units import unit_groups
from framing.nn.encoder import TokenStates

__all__ = ["CueDecoding", "SpanTagger", "TaggerEnsemble", "TaggerNet", "bio_runs", "make_units", "unit_groups"]

_WORD = re.compile(r"\w")
O, B, I = 0, 1, 2  # tag ids  # noqa: E741
#: Most units (cue tagger) or cues (role tagger) in one call (see SpanTagger.frames).
CHUNK = 256


class TaggerNet(nn.Module):
    """Projection + one BiLSTM layer + B/I/O logits for ``heads`` independent span kinds;
    ``cue_input`` adds a learned vector to the tokens of the cue being completed."""

    def __init__(self, hidden_in: int, heads: int, cue_input: bool, proj: int = 256, lstm: int = 128) -> None:
        super().__init__()
        self.cue_emb = nn.Embedding(2, hidden_in) if cue_input else None
        self.drop = nn.Dropout(0.25)
        self.inp = nn.Linear(hidden_in, proj)
        self.lstm = nn.LSTM(proj, lstm, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * lstm, 3 * heads)
        self.heads = heads

    def forward(self, x: torch.Tensor, lengths: torch.Tensor, cue: torch.Tensor | None = None) -> torch.Tensor:
        """Logits of shape (batch, tokens, heads, 3); padding positions are meaningless."""
        # Every layer reads the packed tokens only: the units of an article differ in length,
        # and the Linear layers, which also ran over the padding, were a fifth of the taggers' time.
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        h = packed.data
        if self.cue_emb is not None:
            if cue is None:
                raise ValueError("this tagger needs the cue indicator")
            h = h + self.cue_emb(nn.utils.rnn.pack_padded_sequence(cue, lengths, batch_first=True, enforce_sorted=False).data)
        h = torch.relu(self.inp(self.drop(h)))
        y, _ = self.lstm(packed._replace(data=h))
        logits = y._replace(data=self.out(self.drop(y.data)))
        padded, _ = nn.utils.rnn.pad_packed_sequence(logits, batch_first=True, total_length=x.shape[1])
        return padded.view(x.shape[0], x.shape[1], self.heads, 3)

    @property
    def hidden_in(self) -> int:
        """Width of the token states it reads."""
        return self.inp.in_features


class TaggerEnsemble(nn.Module):
    """TaggerNets of one recipe trained with different seeds, read as one tagger.

    ``forward`` returns the log of the members' mean B/I/O probabilities, so its softmax is that
    mean and :class:`SpanTagger` reads it as it reads one net. Seeds disagree most on where a
    span stops; averaging settles those tokens (framing-v2-large's two seeds: cue exact F1 on
    PolNeAR's selection slice 0.755 and 0.759 alone, 0.768 averaged)."""

    def __init__(self, nets: Sequence[TaggerNet]) -> None:
        super().__init__()
        if len(nets) < 2:
            raise ValueError("an ensemble needs at least two nets")
        self.nets = nn.ModuleList(nets)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor, cue: torch.Tensor | None = None) -> torch.Tensor:
        p = torch.stack([net(x, lengths, cue).softmax(-1) for net in self.nets]).mean(0)
        return p.log()

    @property
    def hidden_in(self) -> int:
        return self.nets[0].hidden_in


def bio_runs(tags: Sequence[int]) -> list[tuple[int, int]]:
    """Token runs (first, last; inclusive) of a B/I/O sequence; an I with no B opens a run."""
    out: list[tuple[int, int]] = []
    start = None
    for i, t in enumerate(tags):
        if t == B or (t == I and start is None):
            if start is not None:
                out.append((start, i - 1))
            start = i
        elif t == O and start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(tags) - 1))
    return out


@dataclass
class Unit:
    """Consecutive sentences of one paragraph, tagged as one sequence."""

    sentences: list[SentenceSpan]
    #: Absolute character offsets of each token (None for [CLS]/[SEP]).
    offsets: list[tuple[int, int] | None]
    #: Index of the sentence (in ``sentences``) each token belongs to.
    owner: list[int]
    states: torch.Tensor


def make_units(spans: Sequence[SentenceSpan], states: Sequence[TokenStates], max_tokens: int) -> list[Unit]:
    """The units of :func:`unit_groups`, with their token offsets and states."""
    groups = unit_groups(spans, [len(st.offsets) for st in states], max_tokens)
    units = []
    for members in groups:
        offsets: list[tuple[int, int] | None] = []
        owner: list[int] = []
        for j, k in enumerate(members):
            start = spans[k].start
            offsets.extend(None if o is None else (start + o[0], start + o[1]) for o in states[k].offsets)
            owner.extend([j] * len(states[k].offsets))
        tensors = [states[k].states for k in members]
        units.append(Unit([spans[k] for k in members], offsets, owner, tensors[0] if len(tensors) == 1 else torch.cat(tensors)))
    return units


def _batch(tensors: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    lengths = torch.tensor([len(t) for t in tensors])
    x = torch.zeros(len(tensors), int(lengths.max()), tensors[0].shape[1])
    for r, t in enumerate(tensors):
        x[r, : len(t)] = t.float()
    return x, lengths


def _inside_word(text: str, i: int) -> bool:
    """Whether position ``i`` (between ``text[i-1]`` and ``text[i]``) splits a word: two word
    characters, or a hyphen joining two ("caucus-goers", "Anti-Trump")."""
    if i <= 0 or i >= len(text):
        return False
    left, right = text[i - 1], text[i]
    if _WORD.match(left) and _WORD.match(right):
        return True
    if right in "-‐" and _WORD.match(left):
        return i + 1 < len(text) and bool(_WORD.match(text[i + 1]))
    if left in "-‐" and _WORD.match(right):
        return i >= 2 and bool(_WORD.match(text[i - 2]))
    return False


def _snap(text: str, a: int, b: int) -> tuple[int, int]:
    """Widen a token span to whole words: a tagger may stop inside a word piece, or at the
    hyphen of a compound, which the encoder's tokenizer splits ("caucus-goers" → "goers")."""
    while _inside_word(text, a):
        a -= 1
    while _inside_word(text, b):
        b += 1
    return a, b


@dataclass(frozen=True)
class CueDecoding:
    """How cues are read from the cue tagger's B/I/O probabilities: the argmax tag runs, kept
    only where the run's mean 1 - P(O) is at least ``min_confidence``.

    Unsure runs are mostly spurious cues (stance and belief words that PolNeAR leaves unmarked),
    which cost more exact-match F1 than wrong boundaries do. Runs are never widened past the
    argmax tokens: a lower bar for cue tokens scored a little higher on PolNeAR's selection slice
    but gave cues such as "said on Tuesday" and lost BASIL quotes.
    """

    min_confidence: float = 0.0

    def runs(self, p: torch.Tensor) -> list[tuple[int, int]]:
        """Cue token runs (first, last; inclusive) of one unit's probabilities (tokens, 3)."""
        return [(i, j) for i, j in bio_runs(p.argmax(-1).tolist())
                if float((1 - p[i : j + 1, O]).mean()) >= self.min_confidence]

    def to_dict(self) -> dict[str, float]:
        return {"min_confidence": self.min_confidence}


class SpanTagger:
    """The cue and role taggers of a model folder (see the module docstring)."""

    def __init__(self, cue_net: TaggerNet | TaggerEnsemble, role_net: TaggerNet | TaggerEnsemble,
                 max_unit_tokens: int = 192, decoding: CueDecoding = CueDecoding()) -> None:
        self.cue_net = cue_net.eval()
        #: Width of the token states it reads (the encoder's hidden size).
        self.hidden_in = cue_net.hidden_in
        self.role_net = role_net.eval()
        self.max_unit_tokens = max_unit_tokens
        self.decoding = decoding

    @classmethod
    def from_state(cls, state: dict[str, torch.Tensor], spec: dict[str, Any]) -> "SpanTagger":
        def net(prefix: str, heads: int, cue_input: bool) -> TaggerNet | TaggerEnsemble:
            nets = [TaggerNet(int(spec["hidden_in"]), heads, cue_input, int(spec["proj"]), int(spec["lstm"]))
                    for _ in range(int(spec.get("members", 1)))]
            out = nets[0] if len(nets) == 1 else TaggerEnsemble(nets)
            # strict: a file with more or fewer members than the spec says is refused here
            out.load_state_dict({k[len(prefix):]: v.float() for k, v in state.items() if k.startswith(prefix)})
            return out

        cue, role = net("cue.", 1, False), net("role.", 2, True)
        decoding = CueDecoding(**spec["decoding"]) if "decoding" in spec else CueDecoding()
        return cls(cue, role, int(spec.get("max_unit_tokens", 192)), decoding)

    @classmethod
    def load(cls, file: Path, spec: dict[str, Any]) -> "SpanTagger":
        from safetensors.torch import load_file

        return cls.from_state(load_file(str(file)), spec)

    def state(self) -> dict[str, torch.Tensor]:
        """fp16 tensors for safetensors (the taggers are small; fp16 halves the file)."""
        out = {f"cue.{k}": v.half() for k, v in self.cue_net.state_dict().items()}
        out.update({f"role.{k}": v.half() for k, v in self.role_net.state_dict().items()})
        return out

    def frames(self, text: str, spans: Sequence[SentenceSpan], states: Sequence[TokenStates]) -> list[Frame]:
        """Attribution frames for the sentences ``spans`` (in text order), one per cue.

        The cue tagger reads at most CHUNK units, and the role tagger at most CHUNK cues, per
        call: each call pads its sequences to one tensor, and an unbounded call grew with the
        article (a 2,000-sentence paragraph of "X said ..." needed gigabytes). Every article of
        the evaluation sets has fewer, so its numbers are those of one call."""
        if not spans:
            return []
        units = make_units(spans, states, self.max_unit_tokens)
        frames: list[Frame] = []
        for lo in range(0, len(units), CHUNK):
            frames.extend(self._frames_of(text, units[lo : lo + CHUNK]))
        return frames

    def _frames_of(self, text: str, units: list[Unit]) -> list[Frame]:
        with torch.inference_mode():
            x, lengths = _batch([u.states for u in units])
            cues = self._cues(units, self.cue_net(x, lengths).softmax(-1)[:, :, 0])
            if not cues:
                return []
            parts = []
            for lo in range(0, len(cues), CHUNK):
                part = cues[lo : lo + CHUNK]
                indicator = torch.zeros(len(part), x.shape[1], dtype=torch.long)
                for r, (k, i, j) in enumerate(part):
                    indicator[r, i : j + 1] = 1
                rows = torch.tensor([k for k, _, _ in part])
                parts.append(self.role_net(x[rows], lengths[rows], indicator).softmax(-1))
            probs = parts[0] if len(parts) == 1 else torch.cat(parts)
        return self._frames(text, units, cues, probs)

    def _cues(self, units: list[Unit], cue_probs: torch.Tensor) -> list[tuple[int, int, int]]:
        """(unit index, first token, last token) of each cue the decoding reads from the cue
        tagger's probabilities (units, tokens, 3); runs of [CLS]/[SEP] alone are no cue."""
        cues = []
        for k, u in enumerate(units):
            for i, j in self.decoding.runs(cue_probs[k, : len(u.offsets)]):
                words = [t for t in range(i, j + 1) if u.offsets[t] is not None]
                if words:
                    cues.append((k, words[0], words[-1]))
        return cues

    def _frames(self, text: str, units: list[Unit], cues: list[tuple[int, int, int]], probs: torch.Tensor) -> list[Frame]:
        """One frame per cue from the role tagger's probabilities (cues, tokens, 2, 3)."""
        frames = []
        for r, (k, i, j) in enumerate(cues):
            u = units[k]
            n = len(u.offsets)
            p = probs[r, :n]
            source = self._best_run(text, u, p[:, 0])
            content = self._outer_run(text, u, p[:, 1])
            cue = self._chars(text, u, i, j)
            frames.append(Frame(source, cue, content, u.sentences[u.owner[i]], "tagged"))
        return frames

    def _chars(self, text: str, u: Unit, i: int, j: int) -> tuple[int, int] | None:
        words = [u.offsets[t] for t in range(i, j + 1) if u.offsets[t] is not None]
        if not words:
            return None
        return _snap(text, words[0][0], words[-1][1])  # type: ignore[index]

    def _best_run(self, text: str, u: Unit, p: torch.Tensor) -> tuple[int, int] | None:
        """The most confident run (an attribution has one source)."""
        runs = bio_runs(p.argmax(-1).tolist())
        if not runs:
            return None
        i, j = max(runs, key=lambda r: float((1 - p[r[0] : r[1] + 1, O]).mean()))
        return self._chars(text, u, i, j)

    def _outer_run(self, text: str, u: Unit, p: torch.Tensor) -> tuple[int, int] | None:
        """From the first to the last content token: PolNeAR content may be split by the cue
        ("The plan, he said, is dead"), and its exact match is scored on the outer bounds."""
        runs = bio_runs(p.argmax(-1).tolist())
        if not runs:
            return None
        return self._chars(text, u, runs[0][0], runs[-1][1])
