"""Fine-tune the first layers of MiniLM with an opinion head and an attribution head.

Each head learns only from data that labels its axis (a missing label is masked out of the
loss): opinion from CheckThat! train_en and BABE's training slice, attribution from PolNeAR
train. Selection (best epoch) and temperature scaling use CheckThat! dev_en and the PolNeAR
selection slice; no evaluation split is touched here.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from framing import metrics
from framing.nn.encoder import read_base_config
from framing.train import data as D
from framing.train.fusion import fit_cue_fusion
from framing.train.tagger import fit_span_tagger

MISSING = -1.0


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m framing.train", description=__doc__)
    p.add_argument("--out", type=Path, required=True, help="model folder to write")
    p.add_argument("--data-dir", type=Path, default=_repo_root().parent / "shared" / "data")
    p.add_argument("--num-layers", type=int, default=3, help="encoder layers kept (of 6)")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=8e-5, help="encoder learning rate")
    p.add_argument("--head-lr", type=float, default=2e-3)
    p.add_argument("--max-length", type=int, default=128)
    p.add_argument("--polnear-examples", type=int, default=6000,
                   help="PolNeAR training sentences sampled per run")
    p.add_argument("--checkthat-weight", type=float, default=2.0,
                   help="loss weight of CheckThat! examples relative to BABE")
    p.add_argument("--max-examples", type=int, default=None,
                   help="cap every source and selection set (smoke runs)")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--distill-from", type=Path, default=None,
                   help="an accurate-tier folder (models/framing-v2-large) whose P(opinion) on the "
                        "PolNeAR and BASIL sentences joins the gold labels as soft targets (distill.py)")
    p.add_argument("--distill-basil", type=int, default=4000, help="BASIL sentences given soft labels")
    p.add_argument("--distill-weight", type=float, default=1.0,
                   help="loss weight of a soft opinion label relative to a BABE gold label")
    p.add_argument("--tagger-epochs", type=int, default=24, help="epochs of the span taggers (train.tagger)")
    p.add_argument("--tagger-device", default="cpu", help="where the span taggers train (cpu, cuda)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="where the classifier trains (cpu, cuda)")
    p.add_argument("--log-every", type=int, default=50, help="steps between progress lines (0: off)")
    p.add_argument("--int8", action=argparse.BooleanOptionalAction, default=True,
                   help="ship with int8 inference switched on (config inference.int8)")
    p.add_argument("--fuse-only", action="store_true",
                   help="only refit the cue fusion of --out on CheckThat! dev_en (see fusion.py)")
    p.add_argument("--rehash", action="store_true",
                   help="only rewrite checksums.json of --out (after editing MODEL_CARD.md)")
    return p.parse_args(argv)


def build_training_set(args: argparse.Namespace):
    """One `datasets.Dataset` over all sources, labels missing where a source lacks the axis;
    each row weighs its opinion and its attribution label apart (a soft opinion label from
    ``--distill-from`` may count less than the same row's gold attribution label)."""
    import datasets

    cap = args.max_examples
    rng = random.Random(args.seed)

    def take(rows: list[dict], n: int | None) -> list[dict]:
        rows = list(rows)
        rng.shuffle(rows)
        return rows if n is None else rows[:n]

    ct = take(D.read_checkthat(args.data_dir, "train"), cap)
    babe = take(D.read_babe(args.data_dir, "train"), cap)
    pol_n = args.polnear_examples if cap is None else min(cap, args.polnear_examples)
    pol = take(D.read_polnear(args.data_dir, "train", "train"), pol_n)

    def rows(src: list[dict], source: str, weight: float, opinion_weight: float | None = None) -> list[dict]:
        return [
            {
                "text": r["text"],
                "opinion": float(r.get("opinion", MISSING)),
                "attribution": float(r.get("attribution", MISSING)),
                "weight": [weight if opinion_weight is None else opinion_weight, weight],
                "source": source,
            }
            for r in src
        ]

    counts = {"checkthat_train": len(ct), "babe_train": len(babe), "polnear_train": len(pol)}
    extra: list[dict] = []
    soft_weight = None
    if args.distill_from is not None:
        # The teacher labels the opinion axis of sentences gold leaves unlabeled (distill.py).
        from framing.train.distill import basil_sentences, teacher_opinion

        basil = [{"text": t} for t in basil_sentences(args.data_dir, args.distill_basil if cap is None else cap, args.seed)]
        soft = teacher_opinion(args.distill_from, [r["text"] for r in pol + basil])
        pol = [{**r, "opinion": float(p)} for r, p in zip(pol, soft)]
        basil = [{**r, "opinion": float(p)} for r, p in zip(basil, soft[len(pol):])]
        extra = rows(basil, "basil", args.distill_weight)
        soft_weight = args.distill_weight
        counts.update(basil_soft=len(basil), polnear_soft=len(pol), soft_opinion_share=round(float(soft.mean()), 4))
    all_rows = (rows(ct, "checkthat", args.checkthat_weight) + rows(babe, "babe", 1.0)
                + rows(pol, "polnear", 1.0, soft_weight) + extra)
    ds = datasets.Dataset.from_list(all_rows).shuffle(seed=args.seed)
    return ds, counts


def _batches(ids: list[list[int]], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (sorted within chunks of 20 batches)."""
    order = list(range(len(ids)))
    rng.shuffle(order)
    chunk = batch_size * 20
    batches = []
    for s in range(0, len(order), chunk):
        part = sorted(order[s : s + chunk], key=lambda i: len(ids[i]))
        batches += [part[j : j + batch_size] for j in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def _pad(ids: list[list[int]], idx):
    import torch

    width = max(len(ids[i]) for i in idx)
    batch = torch.zeros((len(idx), width), dtype=torch.long)
    attention = torch.zeros((len(idx), width), dtype=torch.long)
    for row, i in enumerate(idx):
        batch[row, : len(ids[i])] = torch.tensor(ids[i])
        attention[row, : len(ids[i])] = 1
    return batch, attention


def _logits(encoder, head, tok, texts: list[str], batch_size: int = 64) -> np.ndarray:
    import torch

    ids = [e.ids for e in tok.encode_batch(texts)]
    order = np.argsort([-len(x) for x in ids], kind="stable")
    out = np.zeros((len(texts), 2))
    device = head.weight.device
    encoder.eval()
    with torch.inference_mode():
        for s in range(0, len(ids), batch_size):
            idx = order[s : s + batch_size]
            b, a = _pad(ids, idx)
            out[idx] = head(encoder(b.to(device), a.to(device))).double().cpu().numpy()
    return out


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 over the two classes of a binary task (framing.metrics, as every report)."""
    return metrics.macro_f1(np.asarray(y, dtype=np.int64), np.asarray(pred, dtype=np.int64), 2)


def binary_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """F1 of the positive class (framing.metrics)."""
    return float(metrics.per_class(np.asarray(y, dtype=np.int64), np.asarray(pred, dtype=np.int64), 2)["f1"][1])


def selection_score(figures: dict) -> float:
    """What chooses the epoch: the mean of CheckThat! dev macro-F1 and PolNeAR selection F1."""
    return (figures["checkthat_dev_macro_f1"] + figures["polnear_selection_f1"]) / 2


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The T > 0 minimising the binary NLL of sigmoid(logit / T) (grid, then refined grid)."""

    def nll(t: float) -> float:
        z = logits / t
        return float(np.mean(np.logaddexp(0, z) - y * z))

    grid = np.exp(np.linspace(math.log(0.2), math.log(5.0), 81))
    best = min(grid, key=nll)
    fine = np.linspace(best * 0.95, best * 1.05, 41)
    return float(min(fine, key=nll))


def ece(probs: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """ECE of P(positive) ``probs`` against binary ``y`` (framing.metrics.ece, top-label)."""
    probs = np.asarray(probs, dtype=float)
    return metrics.ece(np.column_stack([1 - probs, probs]), np.asarray(y, dtype=np.int64), bins)


@dataclass
class Prepared:
    """Tokenized training set and selection sets: built once, shared by runs with the same seed."""

    tok: Any
    base_dir: Path
    base_cfg: dict
    ids: list[list[int]]
    y_op: Any
    y_at: Any
    weight: Any
    sel_ct: list[dict]
    sel_pol: list[dict]
    counts: dict


def prepare(args: argparse.Namespace) -> Prepared:
    import torch

    from framing.nn import files

    base_dir = files.base_model_dir()
    tok = files.load_tokenizer(base_dir, args.max_length)
    ds, counts = build_training_set(args)
    cap = args.max_examples
    sel_ct = D.read_checkthat(args.data_dir, "dev")[:cap]
    sel_pol = D.read_polnear(args.data_dir, "train", "selection")
    if cap is not None:
        sel_pol = random.Random(args.seed).sample(sel_pol, min(cap, len(sel_pol)))
    counts.update(checkthat_dev=len(sel_ct), polnear_selection=len(sel_pol))
    return Prepared(
        tok=tok,
        base_dir=base_dir,
        base_cfg=read_base_config(base_dir),
        ids=[e.ids for e in tok.encode_batch(ds["text"])],
        y_op=torch.tensor(ds["opinion"], dtype=torch.float32),
        y_at=torch.tensor(ds["attribution"], dtype=torch.float32),
        weight=torch.tensor(ds["weight"], dtype=torch.float32),
        sel_ct=sel_ct,
        sel_pol=sel_pol,
        counts=counts,
    )


def fit(args: argparse.Namespace, prep: Prepared, watch: dict[str, list[str]] | None = None):
    """Fine-tune on ``args.device``; keep the best epoch by the selection sets.

    ``watch`` names extra sentence sets whose opinion logits are recorded at every epoch (in
    ``report["watched"]``); they never take part in selection (``evals.sweep`` uses this to
    report held-out figures of each epoch without choosing by them).
    Returns ``(encoder, base, head, trainable, report)``, all on the CPU.
    """
    import torch

    from framing.nn.encoder import MiniLMEncoder

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    device = torch.device(args.device)
    ids, tok, sel_ct, sel_pol = prep.ids, prep.tok, prep.sel_ct, prep.sel_pol

    encoder = MiniLMEncoder(prep.base_cfg, args.num_layers)
    encoder.load_base(prep.base_dir)
    base = MiniLMEncoder(prep.base_cfg, args.num_layers)
    base.load_base(prep.base_dir)
    head = torch.nn.Linear(encoder.hidden_size, 2)
    torch.nn.init.normal_(head.weight, std=0.02)
    torch.nn.init.zeros_(head.bias)
    encoder.to(device)
    head.to(device)

    frozen = ("word.", "position.", "token_type")
    trainable = {n for n, _ in encoder.named_parameters() if not n.startswith(frozen)}
    for n, p in encoder.named_parameters():
        p.requires_grad = n in trainable
    opt = torch.optim.AdamW(
        [
            {"params": [p for n, p in encoder.named_parameters() if n in trainable], "lr": args.lr},
            {"params": head.parameters(), "lr": args.head_lr},
        ],
        weight_decay=0.01,
    )
    steps_per_epoch = math.ceil(len(ids) / args.batch_size)
    total = steps_per_epoch * args.epochs
    warmup = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )
    targets = torch.stack([prep.y_op, prep.y_at], dim=1)

    def evaluate() -> dict:
        lo = _logits(encoder, head, tok, [r["text"] for r in sel_ct])[:, 0]
        la = _logits(encoder, head, tok, [r["text"] for r in sel_pol])[:, 1]
        yo = np.array([r["opinion"] for r in sel_ct])
        ya = np.array([r["attribution"] for r in sel_pol])
        return {
            "checkthat_dev_macro_f1": macro_f1(yo, lo > 0),
            "polnear_selection_f1": binary_f1(ya, la > 0),
            "_logits": (lo, yo, la, ya),
        }

    best, best_state, history, watched = -1.0, None, [], []
    for epoch in range(args.epochs):
        encoder.train()
        head.train()
        running, te = 0.0, time.perf_counter()
        for step, idx in enumerate(_batches(ids, args.batch_size, rng)):
            b, a = _pad(ids, idx)
            logits = head(encoder(b.to(device), a.to(device)))
            target = targets[idx].to(device)
            mask = (target != MISSING).float() * prep.weight[idx].to(device)
            loss_el = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, target.clamp(min=0), reduction="none"
            )
            loss = (loss_el * mask).sum() / mask.sum().clamp(min=1.0)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(encoder.parameters()) + list(head.parameters()), 1.0)
            opt.step()
            sched.step()
            running += float(loss.detach())
            if args.log_every and (step + 1) % args.log_every == 0:
                rate = (step + 1) * args.batch_size / (time.perf_counter() - te)
                print(f"epoch {epoch + 1} step {step + 1}/{steps_per_epoch} "
                      f"loss {running / (step + 1):.4f} ({rate:.0f} examples/s)", flush=True)
        m = evaluate()
        score = selection_score(m)
        row = {
            "epoch": epoch + 1,
            "train_loss": running / max(1, step + 1),
            "checkthat_dev_macro_f1": round(m["checkthat_dev_macro_f1"], 4),
            "polnear_selection_f1": round(m["polnear_selection_f1"], 4),
            "seconds": round(time.perf_counter() - te, 1),
        }
        history.append(row)
        if watch:
            watched.append({k: _logits(encoder, head, tok, v)[:, 0] for k, v in watch.items()})
        if args.log_every:
            print(json.dumps(row), flush=True)
        if score > best:
            best = score
            best_state = (
                {k: v.detach().cpu().clone() for k, v in encoder.state_dict().items()},
                {k: v.detach().cpu().clone() for k, v in head.state_dict().items()},
                m["_logits"],
                epoch + 1,
            )

    enc_state, head_state, (lo, yo, la, ya), best_epoch = best_state
    encoder.to("cpu")
    head.to("cpu")
    encoder.load_state_dict(enc_state)
    head.load_state_dict(head_state)
    t_op, t_at = fit_temperature(lo, yo), fit_temperature(la, ya)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    calibration = {
        "opinion": {"set": "checkthat dev_en", "temperature": t_op,
                    "ece_before": ece(sig(lo), yo), "ece_after": ece(sig(lo / t_op), yo)},
        "attribution": {"set": "polnear train selection slice", "temperature": t_at,
                        "ece_before": ece(sig(la), ya), "ece_after": ece(sig(la / t_at), ya)},
    }
    if args.log_every:
        print(json.dumps({"calibration": calibration}), flush=True)
    report = {
        "counts": prep.counts,
        "history": history,
        "best_epoch": best_epoch,
        "calibration": calibration,
        "train_seconds": round(time.perf_counter() - t0, 1),
    }
    if watch:
        report["watched"] = watched
    return encoder, base, head, trainable, report


def train(args: argparse.Namespace) -> dict:
    import torch

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    prep = prepare(args)
    print(f"training examples: {prep.counts}", flush=True)
    encoder, base, head, trainable, report = fit(args, prep)
    report["train_seconds"] = round(time.perf_counter() - t0, 1)
    save(args, encoder, base, head, trainable, prep.base_dir, report)
    return report


def save(args, encoder, base, head, trainable, base_dir: Path, report: dict) -> None:
    import datasets
    import safetensors
    import tokenizers
    import torch
    from safetensors.torch import save_file

    from framing.classify.heads import HEADS
    from framing.labels import LABELS, TAXONOMY
    from framing.nn import files

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    tensors = files.delta_tensors(encoder, base, trainable)
    tensors["head.weight"] = head.weight.detach().float().contiguous()
    tensors["head.bias"] = head.bias.detach().float().contiguous()
    save_file(tensors, str(out / "weights.safetensors"), metadata={"format": files.MODEL_FORMAT})
    cal = report["calibration"]
    config = {
        "format": files.MODEL_FORMAT,
        "name": out.name,
        "taxonomy": TAXONOMY,
        "labels": list(LABELS),
        "heads": list(HEADS),
        "weights": "weights.safetensors",
        "weights_storage": "fp16 deltas over the base encoder layers + fp32 heads",
        "base_model": {
            "id": files.BASE_MODEL_ID,
            "package": files.BASE_PACKAGE,
            "weights_file": "model.safetensors",
            "sha256": files.sha256_file(base_dir / "model.safetensors"),
        },
        "num_layers": args.num_layers,
        "max_length": args.max_length,
        "pooling": "mean",
        "temperature": {"opinion": round(cal["opinion"]["temperature"], 4),
                        "attribution": round(cal["attribution"]["temperature"], 4)},
        "inference": {"int8": args.int8,
                      "int8_scheme": "per-output-channel int8 weights, per-row int8 activations "
                                     "(fbgemm), batch-independent; embeddings, attention, "
                                     "LayerNorm and heads in fp32",
                      "batching": "groups of equal token length, no padding"},
        "question_rule": {"p_if_question": 0.97, "p_otherwise": 0.001},
        "thresholds": {"decision": "argmax over the four combined probabilities",
                       "opinion": 0.5, "attribution": 0.5},
        "combination": "P(rq)=q, P(aq)=(1-q)a, P(ej)=(1-q)(1-a)o, P(fr)=(1-q)(1-a)(1-o)",
        "training": {
            "command": "python -m framing.train " + " ".join(sys.argv[1:]),
            "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                     if k not in ("out", "data_dir", "rehash", "fuse_only", "log_every")},
            **report,
        },
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "tokenizers": tokenizers.__version__,
            "safetensors": safetensors.__version__,
            "datasets": datasets.__version__,
            "numpy": np.__version__,
        },
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    card = out / "MODEL_CARD.md"
    if not card.exists():
        card.write_text(f"# {out.name}\n\nSee config.json for the training report.\n", encoding="utf-8")
    files.write_checksums(out)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import datasets  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as exc:
        print(f"training needs the [train] extra: pip install 'framing[train]' ({exc})", file=sys.stderr)
        return 2
    if args.rehash:
        from framing.nn.files import write_checksums

        write_checksums(args.out)
        return 0
    if not (args.data_dir / "checkthat2025_en").is_dir():
        print(f"no data at {args.data_dir} (use --data-dir)", file=sys.stderr)
        return 2
    if args.fuse_only:
        print(json.dumps(fit_cue_fusion(args.out, args.data_dir, args.max_examples)), flush=True)
        return 0
    report = train(args)
    report["cue_fusion"] = fit_cue_fusion(args.out, args.data_dir, args.max_examples)
    print(json.dumps({"cue_fusion": report["cue_fusion"]}), flush=True)
    # The attribution span taggers read the finished encoder's token states (train.tagger).
    fit_span_tagger(args.out, args.data_dir, epochs=args.tagger_epochs, max_articles=args.max_examples,
                    seed=args.seed, device=args.tagger_device)
    print(f"wrote {args.out} in {report['train_seconds']} s", flush=True)
    return 0
