"""Cheaper span taggers, measured: what they save and what they cost in span F1 (issue #18).

    python -m evals.tagger_levers            # about 20 minutes on 2 CPU cores

The span taggers are a quarter of ``analyze_many``'s CPU time (``python -m evals.bench_stages``),
and most of it is the role tagger, which runs a BiLSTM over the whole unit once per cue. This
script trains, on the CPU and with the shipped recipe's data and selection rule, two cheaper
designs over the shipped encoder's token states, and scores them beside the shipped taggers:

* ``light role``: the shipped cue tagger, unchanged, and a light role tagger: each token's
  encoder state and cue-tagger BiLSTM output are projected once per unit (64 wide), then per cue
  a cue indicator and a distance-to-cue embedding are added and one small BiLSTM (48 per
  direction) tags source and content;
* ``joint 128/64``: a smaller cue tagger (projection 128, BiLSTM 64) trained afresh, with the
  light role tagger over its outputs, and its cue decoding chosen on the selection slice.

Training reads PolNeAR train without the selection slice; the epoch is chosen on the selection
slice (mean exact F1 of source, cue and content), as ``framing.train.tagger`` does. PolNeAR dev
is only reported. Tagger CPU time: the first 60 dev articles, one thread, best of two runs.
Writes ``evals/results/tagger_levers.md``. Nothing here is shipped.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import time
from pathlib import Path
from typing import Any

import torch
from torch import nn

from framing.attribution import tagger as T
from framing.train import tagger as TT

REPO = Path(__file__).resolve().parents[1]
#: Signed distance buckets to the cue: bucket k holds distances >= EDGES[k - 1].
EDGES = torch.tensor([1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65])


def distance_ids(cue: torch.Tensor) -> torch.Tensor:
    """Per token: 0 inside the cue, 1..13 before it, 14..26 after it (log-spaced buckets)."""
    pos = torch.arange(cue.shape[1])[None, :].expand_as(cue)
    far = torch.full_like(pos, cue.shape[1] + 1)
    first = torch.where(cue.bool(), pos, far).min(1).values[:, None]
    last = torch.where(cue.bool(), pos, -far).max(1).values[:, None]
    before, after = (first - pos).clamp(min=0), (pos - last).clamp(min=0)
    return torch.where(before > 0, torch.bucketize(before, EDGES, right=True),
                       torch.where(after > 0, len(EDGES) + torch.bucketize(after, EDGES, right=True), 0))


def cue_features(net: T.TaggerNet, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """The cue tagger's BiLSTM outputs (batch, tokens, 2 x lstm), no dropout."""
    h = torch.relu(net.inp(x))
    packed = nn.utils.rnn.pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
    y, _ = net.lstm(packed)
    return nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=x.shape[1])[0]


class LightRole(nn.Module):
    """Source and content of one cue from per-unit projections (see the module docstring)."""

    def __init__(self, hidden_in: int, shared: int, width: int = 64, lstm: int = 48) -> None:
        super().__init__()
        self.from_states = nn.Linear(hidden_in, width)
        self.from_cue_tagger = nn.Linear(shared, width)
        self.cue_emb = nn.Embedding(2, width)
        self.dist = nn.Embedding(2 * len(EDGES) + 1, width)
        self.drop = nn.Dropout(0.25)
        self.lstm = nn.LSTM(width, lstm, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * lstm, 6)

    def unit_inputs(self, x: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        return self.from_states(x) + self.from_cue_tagger(features)

    def forward(self, base: torch.Tensor, lengths: torch.Tensor, cue: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.drop(base + self.cue_emb(cue) + self.dist(distance_ids(cue))))
        packed = nn.utils.rnn.pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
        y, _ = self.lstm(packed)
        y = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=h.shape[1])[0]
        return self.out(self.drop(y)).view(h.shape[0], h.shape[1], 2, 3)


class LightTagger(T.SpanTagger):
    """SpanTagger whose role tagger is a LightRole over the cue tagger's outputs."""

    def _frames_of(self, text: str, units: list) -> list:
        with torch.inference_mode():
            x, lengths = T._batch([u.states for u in units])
            features = cue_features(self.cue_net, x, lengths)
            cues = self._cues(units, self.cue_net.out(features).view(x.shape[0], x.shape[1], 1, 3).softmax(-1)[:, :, 0])
            if not cues:
                return []
            indicator = torch.zeros(len(cues), x.shape[1], dtype=torch.long)
            for r, (k, i, j) in enumerate(cues):
                indicator[r, i : j + 1] = 1
            rows = torch.tensor([k for k, _, _ in cues])
            probs = self.role_net(self.role_net.unit_inputs(x, features)[rows], lengths[rows], indicator).softmax(-1)
        return self._frames(text, units, cues, probs)


def train_role_epoch(role: LightRole, cue_net: T.TaggerNet, batches: list, opt, sched, rng: random.Random) -> float:
    loss_fn, total = nn.CrossEntropyLoss(ignore_index=-100), 0.0
    role.train()
    order = list(range(len(batches)))
    rng.shuffle(order)
    for k in order:
        x, lengths, cue, y = batches[k]
        x = x.float()
        with torch.no_grad():
            features = cue_features(cue_net.eval(), x, lengths)
        loss = loss_fn(role(role.unit_inputs(x, features), lengths, cue).reshape(-1, 3), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(role.parameters(), 1.0)
        opt.step()
        sched.step()
        total += loss.item()
    role.eval()
    return total


def train_variant(train_set: list, selection: list, shipped: T.SpanTagger, joint: bool, epochs: int,
                  seed: int = 13) -> tuple[LightTagger, dict[str, Any]]:
    """Train one design; the epoch with the best selection mean exact F1 is kept."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    cue_net = T.TaggerNet(384, 1, False, 128, 64) if joint else shipped.cue_net
    role = LightRole(384, 2 * cue_net.lstm.hidden_size)
    role_batches = TT.padded_batches(TT.examples(train_set, "role"), 32)
    cue_batches = TT.padded_batches(TT.examples(train_set, "cue"), 32) if joint else []
    nets = [role] + ([cue_net] if joint else [])
    opts = [torch.optim.AdamW(n.parameters(), lr=lr, weight_decay=1e-4) for n, lr in zip(nets, (3e-3, 2e-3))]
    scheds = [torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=epochs * len(b))
              for o, b in zip(opts, (role_batches, cue_batches))]
    history, best = [], None
    for epoch in range(1, epochs + 1):
        started = time.process_time()
        if joint:
            TT.train_epoch(cue_net, cue_batches, opts[1], rng, scheds[1])
        train_role_epoch(role, cue_net, role_batches, opts[0], scheds[0], rng)
        tagger = LightTagger(copy.deepcopy(cue_net), copy.deepcopy(role), 192, shipped.decoding)
        scores = TT.exact_f1(tagger, selection)
        history.append({"epoch": epoch, "selection": scores, "cpu_s": round(time.process_time() - started, 1)})
        print(json.dumps(history[-1]), flush=True)
        if best is None or scores["mean"] > best[0]["mean"]:
            best = (scores, tagger, epoch)
    scores, tagger, epoch = best
    info: dict[str, Any] = {"best_epoch": epoch, "history": history}
    if joint:  # a new cue tagger gets its own cue decoding, as framing.train.tagger does
        info["decoding"] = TT.tune_decoding(tagger, selection)["chosen"]
    return tagger, info


def tagger_cpu_seconds(tagger: T.SpanTagger, articles: list) -> float:
    start = time.process_time()
    for art in articles:
        tagger.frames(art.text, art.spans, art.states)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    from framing.model import FramingModel

    p = argparse.ArgumentParser(prog="python -m evals.tagger_levers", description=__doc__.split("\n")[0])
    p.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--threads", type=int, default=2, help="torch threads for encoding and training")
    p.add_argument("--out", type=Path, default=REPO / "evals" / "results" / "tagger_levers.md")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    model = FramingModel.load(REPO / "models" / "framing-v1")
    shipped = model.span_tagger
    train_set, selection = TT.encode_sets(model, args.data_dir)
    dev = [TT.article_units(model, n, t, ev, 192) for n, t, ev in TT.read_events(args.data_dir, "dev", "all", None)]
    size = f"{shipped.cue_net.inp.out_features}/{shipped.cue_net.lstm.hidden_size}"
    taggers: dict[str, T.SpanTagger] = {f"shipped ({size} cue, {size} role per cue)": shipped}
    notes = {}
    for name, joint in (("light role (shipped cue tagger)", False), ("joint 128/64 cue + light role", True)):
        taggers[name], notes[name] = train_variant(train_set, selection, shipped, joint, args.epochs)
    torch.set_num_threads(1)
    timed = dev[:60]
    cpu = {name: min(tagger_cpu_seconds(t, timed) for _ in range(2)) for name, t in taggers.items()}
    base = cpu[next(iter(taggers))]
    lines = ["| span tagger | dev source exact | dev cue exact | dev content exact | CPU s, 60 dev articles | vs shipped |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, tagger in taggers.items():
        if name in notes and "decoding" in notes[name]:
            tagger.decoding = T.CueDecoding(**notes[name]["decoding"])
        f1 = TT.exact_f1(tagger, dev)
        lines.append(f"| {name} | {f1['source']:.4f} | {f1['cue']:.4f} | {f1['content']:.4f} | {cpu[name]:.2f} | {cpu[name] / base:.2f}x |")
    lines += ["", "Epochs chosen on the selection slice: " + ", ".join(f"{n}: {v['best_epoch']}" for n, v in notes.items()),
              "", f"Command: `python -m evals.tagger_levers --epochs {args.epochs} --threads {args.threads}`"]
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.write_text("# Cheaper span taggers (issue #18)\n\n" + report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
