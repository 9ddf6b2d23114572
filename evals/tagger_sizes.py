"""Smaller span taggers, measured beside the shipped ones (issue #18).

    python -m framing.train.tagger --model DIR/framing-v1 --proj 128 --lstm 64   # a copy of models/framing-v1
    python -m evals.tagger_sizes DIR/framing-v1 [DIR2/framing-v1 ...] [--threads 1]

The taggers' cost is their BiLSTMs (``python -m evals.bench_stages``), and an LSTM's arithmetic
grows with the square of its width, so the plain lever is the shipped recipe at a smaller size.
Each folder is a copy of framing-v1 whose taggers ``framing.train.tagger`` retrained (same data,
seed, epochs and selection rule; only ``--proj``/``--lstm`` differ). Prints, for the shipped
taggers and each folder's, PolNeAR dev span F1 (the ``evals.attribution`` scorer) and the CPU
seconds inside the two tagger networks over the 84 dev articles, in one process.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evals.tagger_int8 import run


def main(argv: list[str] | None = None) -> int:
    import torch

    p = argparse.ArgumentParser(prog="python -m evals.tagger_sizes", description=__doc__.split("\n")[0])
    p.add_argument("folders", nargs="+", type=Path, help="model folders with retrained taggers")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    rows = {"shipped": run("fp32")}
    for folder in args.folders:
        spec = json.loads((folder / "config.json").read_text(encoding="utf-8"))["span_tagger"]
        rows[f"{folder} ({spec['proj']}/{spec['lstm']})"] = run("fp32", folder)
    keys = list(rows["shipped"])
    base = rows["shipped"]["cue tagger CPU s"] + rows["shipped"]["role tagger CPU s"]
    print("| taggers | " + " | ".join(keys) + " | networks vs shipped |")
    print("|---|" + "---:|" * (len(keys) + 1))
    for name, r in rows.items():
        nets = r["cue tagger CPU s"] + r["role tagger CPU s"]
        cells = [f"{r[k]:.4f}" if "exact" in k or "overlap" in k else f"{r[k]:.2f}" for k in keys]
        print(f"| {name} | " + " | ".join(cells) + f" | {nets / base:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
