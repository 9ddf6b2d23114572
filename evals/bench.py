"""Throughput of the shipped classifier on 2 CPU threads vs a naive transformers loop.

    python -m evals.bench [--n 1024] [--model models/framing-v1]

All run in this process on the same sentences, in interleaved rounds (best of each kept) (PolNeAR dev, in file order):
- naive: ``transformers.AutoModel`` all-MiniLM-L6-v2 (6 layers, fp32), unsorted batches of 32,
  padding to the longest in the batch, max_length 128, mean pooling, ``torch.no_grad``;
- FramingModel.load(): the shipped model as shipped (length-sorted batches,
  inference_mode, its kept layers, int8 if its config says so), and the same with int8 off.
It also checks int8-vs-fp32 agreement (CheckThat! dev_test macro-F1 and label agreement), and
times ``import framing`` + the first ``framing.analyze`` of the reference article in a fresh
interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from evals import data as ed
from evals.metrics import macro_f1

REPO = Path(__file__).resolve().parents[1]


def naive_loop(texts: list[str]) -> tuple[float, float]:
    """Sentences per wall second and per CPU second of a plain transformers loop."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from framing.nn.files import base_model_dir

    path = str(base_model_dir())
    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    t, c = time.perf_counter(), time.process_time()
    with torch.no_grad():
        for s in range(0, len(texts), 32):
            batch = tok(texts[s : s + 32], padding=True, truncation=True, max_length=128, return_tensors="pt")
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            _ = (hidden * mask).sum(1) / mask.sum(1)
    return len(texts) / (time.perf_counter() - t), len(texts) / (time.process_time() - c)


def classifier_rate(clf, texts: list[str], repeats: int = 2) -> tuple[float, float]:
    """Best sentences per wall second and per CPU second over ``repeats`` runs."""
    clf.predict_proba(texts[:64])  # warm-up
    best, best_cpu = 0.0, 0.0
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        clf.predict_proba(texts)
        best = max(best, len(texts) / (time.perf_counter() - t))
        best_cpu = max(best_cpu, len(texts) / (time.process_time() - c))
    return best, best_cpu


def first_analyze_seconds(threads: int) -> float:
    code = (
        f"import time; t=time.perf_counter(); import framing, torch; torch.set_num_threads({threads}); "
        f"framing.analyze(open({str(REPO / 'examples' / 'us-draft-plan-ukraine.txt')!r}, encoding='utf-8').read()); "
        "print(time.perf_counter()-t)"
    )
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=1024, help="sentences timed")
    p.add_argument("--model", type=Path, default=None)
    p.add_argument("--data-dir", type=Path, default=None)
    p.add_argument("--json", type=Path, default=None)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=2, help="interleaved timing rounds (best kept)")
    args = p.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    load_before = os.getloadavg()[0]
    from framing.model import FramingModel

    texts = ed.load("polnear_dev", args.data_dir).texts[: args.n]
    shipped = FramingModel.load(args.model)
    fp32 = FramingModel.load(args.model, quantize=False)
    # Interleaved rounds, best of each: other jobs on a shared machine hit all three alike.
    rates = {"shipped": (0.0, 0.0), "fp32": (0.0, 0.0), "naive": (0.0, 0.0)}
    for _ in range(args.rounds):
        for key, run in (
            ("shipped", lambda: classifier_rate(shipped, texts, repeats=1)),
            ("naive", lambda: naive_loop(texts)),
            ("fp32", lambda: classifier_rate(fp32, texts, repeats=1)),
        ):
            wall, cpu = run()
            rates[key] = (max(rates[key][0], wall), max(rates[key][1], cpu))
    result = {
        "sentences": len(texts),
        "threads": torch.get_num_threads(),
        "shipped_int8": shipped.encoder.quantized,
        **{f"{k}_sentences_per_s": v[0] for k, v in rates.items()},
        **{f"{k}_sentences_per_cpu_s": v[1] for k, v in rates.items()},
    }
    result["ratio_shipped_vs_naive"] = result["shipped_sentences_per_s"] / result["naive_sentences_per_s"]

    ct = ed.load("checkthat_dev_test", args.data_dir)
    a = np.isin(shipped.predict_proba(ct.texts).argmax(1), (2, 3))
    b = np.isin(fp32.predict_proba(ct.texts).argmax(1), (2, 3))
    result["checkthat_dev_test_macro_f1_shipped"] = macro_f1(ct.gold, a)
    result["checkthat_dev_test_macro_f1_fp32"] = macro_f1(ct.gold, b)
    labels_a = shipped.predict(ct.texts)
    labels_b = fp32.predict(ct.texts)
    result["label_agreement_shipped_vs_fp32"] = float(np.mean([x == y for x, y in zip(labels_a, labels_b)]))
    result["import_and_first_analyze_s"] = first_analyze_seconds(args.threads)
    result["load_average_1min_before_after"] = [load_before, os.getloadavg()[0]]

    print(f"| measure ({args.threads} torch threads, {len(texts)} PolNeAR dev sentences) | sentences/s (wall) | sentences per CPU-second |")
    print("|---|---|---|")
    names = {
        "shipped": f"framing-v1 as shipped (int8={shipped.encoder.quantized})",
        "fp32": "framing-v1 with int8 off (fp32)",
        "naive": "naive transformers loop (6 layers fp32, unsorted batches of 32)",
    }
    for key, label in names.items():
        print(f"| {label} | {result[key + '_sentences_per_s']:.0f} | {result[key + '_sentences_per_cpu_s']:.0f} |")
    print(f"| ratio shipped / naive (wall) | {result['ratio_shipped_vs_naive']:.2f}x | |")
    print(f"| CheckThat dev_test macro-F1 shipped / fp32 | {result['checkthat_dev_test_macro_f1_shipped']:.3f} / {result['checkthat_dev_test_macro_f1_fp32']:.3f} | |")
    print(f"| label agreement shipped vs fp32 (CheckThat dev_test) | {result['label_agreement_shipped_vs_fp32']:.3f} | |")
    print(f"| import framing + first analyze (fresh process), s | {result['import_and_first_analyze_s']:.2f} | |")
    print(f"| 1-min load average before / after (2 cores; others' jobs included) | {result['load_average_1min_before_after'][0]:.1f} / {result['load_average_1min_before_after'][1]:.1f} | |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
