"""How far this encoder's opinion head gets on CheckThat!: training recipes × seeds.

    python -m evals.sweep --device cuda --out sweep.json [--save-best DIR]

Each recipe is a set of `python -m framing.train` arguments, trained once per seed with the
same code as the shipped model (`framing.train.train.fit`). The epoch of each run is chosen
as in training, by CheckThat! dev_en and the PolNeAR selection slice; CheckThat! dev_test is
only *read* at every epoch (`fit(watch=...)`), so the table can say what the chosen epoch
scores there and what the best epoch would have scored (a ceiling nobody could select).
The figure is the opinion head alone with the question rule (SUBJ = logit > 0 or an author
question), before cue fusion: the model card's "before cue fusion" figure is the shipped head's.

`--save-best` writes the run that the selection sets prefer, among recipes that keep 3
layers (the inference budget of issue #3), as a model folder without span taggers or fusion.
Ran on a lent GPU; on 2 CPU cores one run takes about 14 minutes.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import time
from pathlib import Path

import numpy as np

#: Recipes: name → overrides of framing.train's defaults. "shipped" is the shipped recipe.
RECIPES: dict[str, dict] = {
    "shipped": {},
    "ct-weight-4": {"checkthat_weight": 4.0},
    "8-epochs": {"epochs": 8, "lr": 5e-5},
    "lr-1.5e-4": {"lr": 1.5e-4},
    "6-layers": {"num_layers": 6, "lr": 5e-5},
}
SEEDS = (13, 14, 15)
SHIPPABLE_LAYERS = 3


def _subj_f1(y: np.ndarray, logits: np.ndarray, question: np.ndarray) -> float:
    from framing.train.fusion import subj_macro_f1

    return round(subj_macro_f1(y, logits > 0, question), 4)


def run(args: argparse.Namespace) -> dict:
    from framing.train import data as D

    # Every run reads the same PolNeAR sentences: parse them once, for this sweep only.
    uncached, D.read_polnear = D.read_polnear, functools.cache(D.read_polnear)
    try:
        return _sweep(args)
    finally:
        D.read_polnear = uncached


def _sweep(args: argparse.Namespace) -> dict:
    from framing.cues import is_author_question
    from framing.train import data as D
    from framing.train import train as TR

    test = D.read_checkthat(args.data_dir, "dev_test")
    texts = [r["text"] for r in test]
    y = np.array([r["opinion"] for r in test])
    question = np.array([is_author_question(s) for s in texts])

    results: dict = {"runs": [], "recipes": RECIPES, "seeds": list(args.seeds)}
    best = None
    deadline = time.monotonic() + args.budget_s
    # Seeds outside recipes: a budget cut still leaves every recipe with a run.
    for seed in args.seeds:
        for name in args.recipes:
            if time.monotonic() > deadline:
                results["stopped"] = f"budget of {args.budget_s} s spent before {name} seed {seed}"
                return results
            targs = TR.parse_args(["--out", "unused", "--data-dir", str(args.data_dir),
                                   "--device", args.device, "--seed", str(seed), "--log-every", "0"]
                                  + (["--max-examples", str(args.max_examples)] if args.max_examples else []))
            for key, value in RECIPES[name].items():
                setattr(targs, key, value)
            prep = TR.prepare(targs)
            encoder, base, head, trainable, report = TR.fit(targs, prep, watch={"dev_test": texts})
            per_epoch = [_subj_f1(y, w["dev_test"], question) for w in report.pop("watched")]
            chosen = report["best_epoch"]
            row = report["history"][chosen - 1]
            entry = {
                "recipe": name, "seed": seed, "epoch": chosen,
                "selection": round(TR.selection_score(row), 4),
                "checkthat_dev": row["checkthat_dev_macro_f1"],
                "polnear_selection": row["polnear_selection_f1"],
                "dev_test_at_chosen_epoch": per_epoch[chosen - 1],
                "dev_test_by_epoch": per_epoch,
                "seconds": report["train_seconds"],
            }
            results["runs"].append(entry)
            print(json.dumps(entry), flush=True)
            args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
            if args.save_best and targs.num_layers == SHIPPABLE_LAYERS and (
                best is None or entry["selection"] > best["selection"]
            ):
                best = entry
                targs.out = args.save_best
                TR.save(targs, encoder, base, head, trainable, prep.base_dir, report)
    results["saved"] = best
    return results


def summary(results: dict) -> list[str]:
    """Markdown table: per recipe, mean and range over seeds."""
    lines = ["| recipe | runs | selection score | dev_test at chosen epoch (mean, min–max) | best epoch's dev_test (max) |",
             "|---|---:|---:|---:|---:|"]
    for name in results["recipes"]:
        runs = [r for r in results["runs"] if r["recipe"] == name]
        if not runs:
            continue
        sel = np.mean([r["selection"] for r in runs])
        chosen = [r["dev_test_at_chosen_epoch"] for r in runs]
        ceiling = max(max(r["dev_test_by_epoch"]) for r in runs)
        lines.append(f"| {name} | {len(runs)} | {sel:.4f} | {np.mean(chosen):.3f} ({min(chosen):.3f}–{max(chosen):.3f}) | {ceiling:.3f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    from framing.train.train import _repo_root

    p = argparse.ArgumentParser(prog="python -m evals.sweep", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=Path, default=_repo_root().parent / "shared" / "data")
    p.add_argument("--device", default="cpu")
    p.add_argument("--recipes", nargs="+", default=list(RECIPES), choices=list(RECIPES))
    p.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS))
    p.add_argument("--budget-s", type=float, default=float("inf"),
                   help="start no new run after this many seconds")
    p.add_argument("--out", type=Path, default=Path("sweep.json"))
    p.add_argument("--save-best", type=Path, default=None)
    p.add_argument("--max-examples", type=int, default=None, help="cap every set (smoke runs)")
    p.add_argument("--summary", type=Path, default=None,
                   help="only print the table of an earlier --out file")
    args = p.parse_args(argv)
    if args.summary is not None:
        print("\n".join(summary(json.loads(args.summary.read_text(encoding="utf-8")))))
        return 0
    if not (args.data_dir / "checkthat2025_en").is_dir():
        print(f"no data at {args.data_dir} (use --data-dir)", file=sys.stderr)
        return 2
    results = run(args)
    args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print("\n".join(summary(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
