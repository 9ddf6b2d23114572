"""Train the attribution span taggers (:mod:`framing.attribution.tagger`) of a model folder.

    python -m framing.train.tagger --model models/framing-v1
    python -m framing.train.tagger --model models/framing-v2-large   # over its all-mpnet-base-v2 layers

The encoder stays as it is: the taggers read its token states (int8 inference, as shipped),
so the sentence labels do not change. A framing-v2-large folder's taggers read its second
encoder (the mpnet layers of its opinion head), run after ``framing.train.opinion_head``. Training uses PolNeAR train without its selection slice
(:func:`data.polnear_is_selection`); the epoch is chosen on that slice by the mean exact-match
F1 of source, cue and content, and so is the cue decoding (a confidence bar for cues, see
:class:`~framing.attribution.tagger.CueDecoding`; ``--decoding-only`` redoes just that step
for the taggers a folder already has). PolNeAR dev is never read here (``python -m evals.attribution``
reports on it). Writes ``span_tagger.safetensors`` and ``config["span_tagger"]`` and rehashes.

    python -m framing.train.tagger --model DIR --ensemble-with DIR_SEED14 DIR_SEED15

trains nothing: it averages the folder's taggers with those trained (``--seed``) on copies of
it, into one file of several members, and chooses the cue decoding of the average.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from framing.train import data as D

TRIM = " \t\r\n\"'“”‘’«»„.,;"
#: framing-v1's tagger size (projection width, BiLSTM units per direction). 128/64 tied 192/96
#: on the selection slice at 0.71x its CPU time (issue #18, ``python -m evals.tagger_sizes``);
#: framing-v2-large's taggers, over mpnet's 768-wide states, are 192/96 (its model card).
PROJ, LSTM = 128, 64


@dataclass
class Example:
    states: object  # torch.Tensor (tokens, hidden), fp16
    cue: np.ndarray | None  # cue indicator (role tagger) or None (cue tagger)
    tags: list[np.ndarray]  # one B/I/O array per head


@dataclass
class ArticleUnits:
    name: str
    text: str
    spans: list  # framing.article.SentenceSpan of each sentence the tagger reads
    states: list  # framing.nn.encoder.TokenStates of each of them
    units: list  # framing.attribution.tagger.Unit
    #: per unit: gold attributions as token index lists {"cue", "source", "content"}
    gold: list[list[dict[str, list[int]]]]
    #: gold (source, cue, content) exact-match keys of the whole article
    gold_keys: dict[str, set[tuple[int, int]]]


def _tokens_in(unit, frags) -> list[int]:
    return [i for i, o in enumerate(unit.offsets) if o is not None and any(o[0] < b and a < o[1] for a, b in frags)]


def exact_key(text: str, a: int, b: int) -> tuple[int, int]:
    """Exact-match key: bounds without surrounding spaces, quote marks and ``.,;`` (the span of
    punctuation only, a colon cue, keeps its bounds). ``evals.attribution`` scores with it too."""
    lo, hi = a, b
    while lo < hi and text[lo] in TRIM:
        lo += 1
    while hi > lo and text[hi - 1] in TRIM:
        hi -= 1
    return (lo, hi) if lo < hi else (a, b)


def article_units(model, name: str, text: str, events, max_unit_tokens: int) -> ArticleUnits:
    """Encode an article with the shipped encoder and place its gold spans on unit tokens."""
    from framing.article import Article
    from framing.attribution.tagger import make_units

    article = Article.read(text)
    spans = article.tagger_spans(with_title=True)  # as framing.analyze gives the tagger
    states = model.encoder.encode(article.encoder_texts(with_title=True), token_states=True).token_states if spans else ()
    units = make_units(spans, states, max_unit_tokens) if spans else []
    gold: list[list[dict[str, list[int]]]] = [[] for _ in units]
    keys: dict[str, set[tuple[int, int]]] = {"source": set(), "cue": set(), "content": set()}
    for event in events:
        for role, frags in event.items():
            keys[role].add(exact_key(text, frags[0][0], frags[-1][1]))
        for k, unit in enumerate(units):
            cue = _tokens_in(unit, event["cue"])
            if cue:
                gold[k].append({
                    "cue": cue,
                    "source": _tokens_in(unit, event["source"]) if "source" in event else [],
                    "content": _tokens_in(unit, event["content"]) if "content" in event else [],
                })
                break
    return ArticleUnits(name, text, spans, list(states), units, gold, keys)


def _bio(n: int, token_sets) -> np.ndarray:
    from framing.attribution.tagger import B, I

    tags = np.zeros(n, dtype=np.int64)
    for tokens in token_sets:
        prev = None
        for i in sorted(tokens):
            tags[i] = I if prev is not None and i == prev + 1 else B
            prev = i
    return tags


def examples(articles: list[ArticleUnits], stage: str) -> list[Example]:
    out = []
    for art in articles:
        for unit, gold in zip(art.units, art.gold):
            n = len(unit.offsets)
            if stage == "cue":
                out.append(Example(unit.states, None, [_bio(n, [g["cue"] for g in gold])]))
                continue
            for g in gold:
                indicator = np.zeros(n, dtype=np.int64)
                indicator[g["cue"]] = 1
                out.append(Example(unit.states, indicator, [_bio(n, [g["source"]]), _bio(n, [g["content"]])]))
    return out


def padded_batches(items: list[Example], size: int, device: str = "cpu") -> list[tuple]:
    """Padded (x, lengths, cue, y) batches of similar-length items, built once per training run;
    each epoch only shuffles their order (see :func:`train_epoch`)."""
    import torch

    order = sorted(range(len(items)), key=lambda i: len(items[i].states))  # little padding
    out = []
    for start in range(0, len(order), size):
        chunk = order[start : start + size]
        width = max(len(items[i].states) for i in chunk)
        heads = len(items[chunk[0]].tags)
        x = torch.zeros(len(chunk), width, items[chunk[0]].states.shape[1], dtype=torch.float16)
        y = torch.full((len(chunk), width, heads), -100, dtype=torch.long)
        cue = torch.zeros(len(chunk), width, dtype=torch.long)
        for r, i in enumerate(chunk):
            ex = items[i]
            m = len(ex.states)
            x[r, :m] = ex.states
            for h, tags in enumerate(ex.tags):
                y[r, :m, h] = torch.from_numpy(tags)
            if ex.cue is not None:
                cue[r, :m] = torch.from_numpy(ex.cue)
        lengths = torch.tensor([len(items[i].states) for i in chunk])  # stays on the CPU (packing)
        out.append((x.to(device), lengths, cue.to(device), y.to(device)))
    return out


def train_epoch(net, batches: list[tuple], optimizer, rng: random.Random, scheduler=None) -> float:
    import torch

    net.train()
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    total = 0.0
    order = list(range(len(batches)))
    rng.shuffle(order)
    for k in order:
        x, lengths, cue, y = batches[k]
        logits = net(x.float(), lengths, cue if net.cue_emb is not None else None)
        loss = loss_fn(logits.reshape(-1, 3), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        total += loss.item()
    net.eval()
    return total


def exact_f1(tagger, articles: list[ArticleUnits]) -> dict[str, float]:
    """Exact-match F1 per role on whole articles (the taggers' frames against gold keys)."""
    counts = {role: [0, 0, 0] for role in ("source", "cue", "content")}  # tp, predicted, gold
    for art in articles:
        frames = tagger.frames(art.text, art.spans, art.states)
        for role in counts:
            pred = {exact_key(art.text, *getattr(f, role)) for f in frames if getattr(f, role) is not None}
            gold = art.gold_keys[role]
            counts[role][0] += len(pred & gold)
            counts[role][1] += len(pred)
            counts[role][2] += len(gold)
    out = {}
    for role, (tp, n_pred, n_gold) in counts.items():
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        out[role] = round(2 * p * r / (p + r) if p + r else 0.0, 4)
    out["mean"] = round(sum(out.values()) / 3, 4)
    return out


#: The cue decodings tried on the selection slice: attribution.tagger.CueDecoding(min_confidence).
DECODING_GRID = (0.0, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75)


def tune_decoding(tagger, selection: list[ArticleUnits]) -> dict:
    """Set ``tagger.decoding`` to the grid point with the best selection mean exact F1 (the
    lowest bar on ties); return the choice and its scores against plain argmax, for the config."""
    from framing.attribution.tagger import CueDecoding

    tried = []
    for bar in DECODING_GRID:
        tagger.decoding = CueDecoding(bar)
        tried.append((exact_f1(tagger, selection), tagger.decoding))
    argmax = next(scores for scores, decoding in tried if decoding.min_confidence == 0.0)
    best, tagger.decoding = max(tried, key=lambda t: (t[0]["mean"], -t[1].min_confidence))
    return {"chosen": tagger.decoding.to_dict(), "selection_exact_f1": best, "argmax_selection_exact_f1": argmax,
            "chosen_on": "PolNeAR train selection slice, mean exact F1 of source, cue and content",
            "grid": list(DECODING_GRID)}


def read_events(data_dir: Path, split: str, part: str, limit: int | None):
    """(name, text, events) of PolNeAR articles; an event maps source/cue/content to fragments."""
    root = Path(data_dir) / "polnear" / split
    out = []
    for txt in sorted((root / "text").glob("*.txt")):
        if part != "all" and D.polnear_is_selection(txt.stem) != (part == "selection"):
            continue
        ann = next(iter(sorted((root / "attributions").glob(f"{txt.stem}_*.ann"))), None)
        if ann is None:
            continue
        out.append((txt.stem, txt.read_text(encoding="utf-8"), D.parse_brat_events(ann.read_text(encoding="utf-8"))))
        if limit is not None and len(out) >= limit:
            break
    return out


def encode_sets(model, data_dir: Path, max_articles: int | None = None,
                max_unit_tokens: int = 192) -> tuple[list[ArticleUnits], list[ArticleUnits]]:
    """PolNeAR train (without the selection slice) and the selection slice, encoded by ``model``."""

    def encode(part: str, limit: int | None) -> list[ArticleUnits]:
        return [article_units(model, n, t, ev, max_unit_tokens) for n, t, ev in read_events(data_dir, "train", part, limit)]

    return encode("train", max_articles), encode("selection", None if max_articles is None else max(2, max_articles // 8))


def train_taggers(train_set: list[ArticleUnits], selection: list[ArticleUnits], hidden: int, epochs: int = 24,
                  seed: int = 13, max_unit_tokens: int = 192, lr: float = 2e-3, schedule: str = "cosine",
                  device: str = "cpu", proj: int = PROJ, lstm: int = LSTM, on_best=None) -> tuple[dict, dict]:
    """Train both taggers on ``device``; return the state of the epoch with the best selection
    F1 (fp16, as shipped) and a report of the run.

    ``schedule`` "cosine" decays the learning rate to 0 over ``epochs`` (for longer runs);
    "constant" keeps ``lr``. Selection always runs on the CPU, as inference does. ``on_best(state,
    report)`` is called whenever an epoch beats the previous best (to keep partial results)."""
    import copy

    import torch

    from framing.attribution.tagger import SpanTagger, TaggerNet

    if schedule not in ("constant", "cosine"):
        raise ValueError(f"schedule must be 'constant' or 'cosine', not {schedule!r}")
    torch.manual_seed(seed)
    rng = random.Random(seed)
    cue_items, role_items = examples(train_set, "cue"), examples(train_set, "role")
    batches = [padded_batches(items, 32, device) for items in (cue_items, role_items)]
    nets = [TaggerNet(hidden, 1, False, proj, lstm).to(device), TaggerNet(hidden, 2, True, proj, lstm).to(device)]
    opts = [torch.optim.AdamW(n.parameters(), lr=lr, weight_decay=1e-4) for n in nets]
    scheds = [None, None]
    if schedule == "cosine":
        scheds = [torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=max(1, epochs * len(b)))
                  for o, b in zip(opts, batches)]
    history, best, best_state, best_epoch = [], -1.0, None, 0

    def report(done: int) -> dict:
        return {
            "data": "PolNeAR train without the selection slice; epoch chosen on the selection slice",
            "articles": len(train_set), "selection_articles": len(selection),
            "cue_examples": len(cue_items), "role_examples": len(role_items),
            "proj": proj, "lstm": lstm, "epochs": epochs, "epochs_done": done, "best_epoch": best_epoch,
            "seed": seed, "lr": lr, "schedule": schedule, "device": device, "history": list(history),
        }

    for epoch in range(1, epochs + 1):
        started = time.time()
        losses = [train_epoch(net, b, opt, rng, sch) for net, b, opt, sch in zip(nets, batches, opts, scheds)]
        cpu_nets = [copy.deepcopy(n).to("cpu") for n in nets]
        tagger = SpanTagger(cpu_nets[0], cpu_nets[1], max_unit_tokens)
        scores = exact_f1(tagger, selection)
        history.append({"epoch": epoch, "loss_cue": round(losses[0], 2), "loss_role": round(losses[1], 2),
                        "selection_exact_f1": scores, "seconds": round(time.time() - started, 1)})
        print(json.dumps(history[-1]), flush=True)
        if scores["mean"] > best:
            best, best_state, best_epoch = scores["mean"], {k: v.clone() for k, v in tagger.state().items()}, epoch
            if on_best is not None:
                on_best(best_state, report(epoch))
    return best_state, report(epochs)


def save_span_tagger(model_dir: Path, state: dict, report: dict, hidden: int, max_unit_tokens: int = 192) -> dict:
    """Write the weights and ``config["span_tagger"]``, rehash the model folder, return the spec."""
    from safetensors.torch import save_file

    spec = {"weights": "span_tagger.safetensors", "hidden_in": hidden, "proj": report["proj"],
            "lstm": report["lstm"], "max_unit_tokens": max_unit_tokens, "training": report}
    save_file(state, str(model_dir / spec["weights"]))
    _write_spec(model_dir, spec)
    return spec


def save_decoding(model_dir: Path, tuned: dict) -> None:
    """Write a tune_decoding result into ``config["span_tagger"]`` and rehash."""
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    spec = config["span_tagger"]
    spec["decoding"] = tuned["chosen"]
    spec["decoding_tuning"] = {k: v for k, v in tuned.items() if k != "chosen"}
    _write_spec(model_dir, spec)


def _write_spec(model_dir: Path, spec: dict) -> None:
    from framing.nn.files import write_checksums

    config_path = model_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["span_tagger"] = spec
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    write_checksums(model_dir)


def tagging_model(model_dir: Path) -> Any:
    """What the taggers of ``model_dir`` read, as an object with ``.encoder``: framing-v1's
    encoder, or a framing-v2-large folder's second encoder."""
    from framing.model import OPINION_HEAD_FORMAT, FramingModel, opinion_encoder

    config = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8"))
    if config.get("format") == OPINION_HEAD_FORMAT:
        return SimpleNamespace(encoder=opinion_encoder(model_dir))
    return FramingModel.load(model_dir)


def fit_span_tagger(model_dir: Path, data_dir: Path, epochs: int = 24, max_articles: int | None = None,
                    seed: int = 13, max_unit_tokens: int = 192, command: str | None = None,
                    lr: float = 2e-3, schedule: str = "cosine", device: str = "cpu",
                    proj: int = PROJ, lstm: int = LSTM) -> dict:
    """Encode PolNeAR with the model folder's encoder, train the taggers, choose their cue
    decoding, save both there."""
    from framing.attribution.tagger import SpanTagger

    t0 = time.time()
    model = tagging_model(model_dir)
    train_set, selection = encode_sets(model, data_dir, max_articles, max_unit_tokens)
    hidden = model.encoder.hidden_size
    state, report = train_taggers(train_set, selection, hidden, epochs, seed, max_unit_tokens, lr, schedule, device,
                                  proj, lstm)
    report = {"command": command or "python -m framing.train (its last step)", **report,
              "seconds": round(time.time() - t0, 1)}
    spec = save_span_tagger(model_dir, state, report, hidden, max_unit_tokens)
    # The selection slice is encoded already and the taggers are in memory: no second model load.
    save_decoding(model_dir, tune_decoding(SpanTagger.from_state(state, spec), selection))
    return report


def fit_decoding(model_dir: Path, data_dir: Path) -> dict:
    """Choose the cue decoding of a model folder's saved taggers again, on the selection slice
    encoded with its encoder, and write it there (``--decoding-only``)."""
    from framing.attribution.tagger import SpanTagger

    spec = json.loads((Path(model_dir) / "config.json").read_text(encoding="utf-8")).get("span_tagger")
    if spec is None:
        raise ValueError(f"{model_dir} has no span tagger to decode")
    tagger = SpanTagger.load(Path(model_dir) / spec["weights"], spec)
    model = tagging_model(model_dir)
    events = read_events(Path(data_dir), "train", "selection", None)
    selection = [article_units(model, n, t, ev, tagger.max_unit_tokens) for n, t, ev in events]
    tuned = tune_decoding(tagger, selection)
    save_decoding(model_dir, tuned)
    return tuned


#: What must agree between the taggers that one ensemble averages.
_MEMBER_SHAPE = ("hidden_in", "proj", "lstm", "max_unit_tokens")


def combine_span_taggers(model_dir: Path, others: list[Path], data_dir: Path, command: str | None = None) -> dict:
    """Make the taggers of ``model_dir`` and of the folders ``others`` (the same recipe, trained
    with other seeds on copies of it) one ensemble in ``model_dir``
    (:class:`~framing.attribution.tagger.TaggerEnsemble`), then choose its cue decoding again on
    the selection slice: averaged probabilities are less extreme than one net's."""
    from safetensors.torch import save_file

    from framing.attribution.tagger import SpanTagger, TaggerEnsemble

    model_dir = Path(model_dir)
    configs = [json.loads((Path(f) / "config.json").read_text(encoding="utf-8")) for f in [model_dir, *others]]
    specs = [c.get("span_tagger") for c in configs]
    for folder, config, spec in zip([model_dir, *others], configs, specs):
        if spec is None or int(spec.get("members", 1)) != 1:
            raise ValueError(f"{folder} has no single trained span tagger to add")
        if any(spec[k] != specs[0][k] for k in _MEMBER_SHAPE) or \
                config.get("opinion_encoder") != configs[0].get("opinion_encoder"):
            raise ValueError(f"{folder}'s taggers are not {model_dir}'s recipe: another size or encoder")
    taggers = [SpanTagger.load(Path(f) / spec["weights"], spec) for f, spec in zip([model_dir, *others], specs)]
    ensemble = SpanTagger(TaggerEnsemble([t.cue_net for t in taggers]), TaggerEnsemble([t.role_net for t in taggers]))
    spec = {**{k: specs[0][k] for k in ("weights", *_MEMBER_SHAPE)}, "members": len(taggers),
            "training": specs[0]["training"], "other_members": [s["training"] for s in specs[1:]],
            "ensemble_command": command or "framing.train.tagger.combine_span_taggers"}
    save_file(ensemble.state(), str(model_dir / spec["weights"]))
    _write_spec(model_dir, spec)
    return fit_decoding(model_dir, data_dir)


def main(argv: list[str] | None = None) -> int:
    repo = Path(__file__).resolve().parents[2]
    p = argparse.ArgumentParser(prog="python -m framing.train.tagger", description=__doc__.split("\n")[0])
    p.add_argument("--model", type=Path, default=repo / "models" / "framing-v1", help="model folder to extend")
    p.add_argument("--data-dir", type=Path, default=repo.parent / "shared" / "data")
    p.add_argument("--epochs", type=int, default=24)
    p.add_argument("--max-articles", type=int, default=None, help="a small slice (smoke test)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--schedule", choices=("constant", "cosine"), default="cosine",
                   help="learning rate over the run: constant, or cosine decay to 0")
    p.add_argument("--proj", type=int, default=PROJ, help="width of the input projection")
    p.add_argument("--lstm", type=int, default=LSTM, help="BiLSTM units per direction")
    p.add_argument("--device", default="cpu", help="where the taggers train (cpu, cuda); inference is CPU")
    p.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest for the LSTM here)")
    p.add_argument("--decoding-only", action="store_true",
                   help="keep the model folder's taggers; only choose their cue decoding again")
    p.add_argument("--ensemble-with", type=Path, nargs="+", metavar="DIR",
                   help="train nothing: average the folder's taggers with those of DIR ... (copies of it "
                        "trained with other seeds) and choose the cue decoding of the result")
    args = p.parse_args(argv)
    if not (args.data_dir / "polnear" / "train").is_dir():
        print(f"no PolNeAR data at {args.data_dir} (use --data-dir)", file=sys.stderr)
        return 2
    import torch

    torch.set_num_threads(args.threads)
    if args.ensemble_with:
        command = "python -m framing.train.tagger " + " ".join(sys.argv[1:] if argv is None else argv)
        tuned = combine_span_taggers(args.model, args.ensemble_with, args.data_dir, command)
        print(f"{1 + len(args.ensemble_with)} taggers averaged; cue decoding {tuned['chosen']} "
              f"(selection mean exact F1 {tuned['selection_exact_f1']['mean']})", flush=True)
        return 0
    if args.decoding_only:
        tuned = fit_decoding(args.model, data_dir=args.data_dir)
        print(f"cue decoding {tuned['chosen']} (selection mean exact F1 "
              f"{tuned['argmax_selection_exact_f1']['mean']} with argmax)", flush=True)
        return 0
    command = "python -m framing.train.tagger " + " ".join(sys.argv[1:] if argv is None else argv)
    report = fit_span_tagger(args.model, args.data_dir, args.epochs, args.max_articles, args.seed, command=command,
                             lr=args.lr, schedule=args.schedule, device=args.device, proj=args.proj, lstm=args.lstm)
    print(f"wrote {args.model / 'span_tagger.safetensors'} in {report['seconds']} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
