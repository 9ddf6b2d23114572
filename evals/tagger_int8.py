"""One more lever for issue #18, measured: the shipped span taggers with int8 LSTMs.

    python -m evals.tagger_int8 [--threads 1]

Scores PolNeAR dev (84 articles) with framing-v1 three times in one process: as shipped (fp32
taggers), with ``torch.ao.quantization.quantize_dynamic`` on the taggers' LSTM layers, and on
their LSTM and Linear layers. Prints span F1 (the ``evals.attribution`` scorer) and the CPU
seconds spent inside the two tagger networks. Nothing else changes: the encoder, its token states
and the decoding are the shipped ones.

Result (2026-12-05, 1 thread, quiet machine, the 192/96 taggers shipped then): int8 LSTM and Linear layers cut the networks' CPU
time by a quarter (3.77 -> 2.81 s), with span F1 within 0.003 (source / cue exact 0.7453 /
0.6958, content overlap 0.7413, against 0.7467 / 0.6962 / 0.7439); int8 LSTMs alone by 14%
(3.25 s), with F1 unchanged. That is ~6% of analyze_many (the networks are 25% of it, see
``evals.bench_stages``): the 0.8 ratio stays out of reach. And PyTorch's dynamic quantization
picks one activation scale per call, so a unit's spans would depend on the other units of its
article. Not shipped.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path


def run(variant: str, folder: "Path | None" = None) -> dict[str, float]:
    """Span F1 on PolNeAR dev and the taggers' CPU seconds, for the model folder ``folder``
    (default: the shipped framing-v1) with its taggers as ``variant`` (fp32, lstm, lstm+linear)."""
    import torch

    from evals.attribution import evaluate_polnear, load_polnear
    from evals.bench_stages import timed_calls
    from framing.model import FramingModel

    import framing

    model = FramingModel.load(folder)  # a fresh copy: the cached shipped model stays untouched
    tagger = model.span_tagger
    kinds = {"lstm": {torch.nn.LSTM}, "lstm+linear": {torch.nn.LSTM, torch.nn.Linear}}.get(variant)
    if kinds is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the eager-mode quantization API's deprecation notice
            tagger.cue_net = torch.ao.quantization.quantize_dynamic(tagger.cue_net, kinds, dtype=torch.qint8)
            tagger.role_net = torch.ao.quantization.quantize_dynamic(tagger.role_net, kinds, dtype=torch.qint8)
    totals = {"cue": 0.0, "role": 0.0}
    with timed_calls(tagger.cue_net, "forward", totals, "cue"), timed_calls(tagger.role_net, "forward", totals, "role"):
        result = evaluate_polnear(load_polnear("dev"), lambda text: framing.analyze(text, classifier=model).attributions)
    out = {k: result[k].f1 for k in ("source exact", "cue exact", "content overlap", "content exact")}
    out.update({"cue tagger CPU s": totals["cue"], "role tagger CPU s": totals["role"]})
    return out


def main(argv: list[str] | None = None) -> int:
    import torch

    p = argparse.ArgumentParser(prog="python -m evals.tagger_int8", description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    rows = {v: run(v) for v in ("fp32", "lstm", "lstm+linear")}
    keys = list(rows["fp32"])
    print("| taggers | " + " | ".join(keys) + " |")
    print("|---|" + "---:|" * len(keys))
    for name, r in rows.items():
        label = {"fp32": "as shipped (fp32)", "lstm": "int8 LSTM", "lstm+linear": "int8 LSTM and Linear"}[name]
        print(f"| {label} | " + " | ".join(f"{r[k]:.4f}" if "exact" in k or "overlap" in k else f"{r[k]:.2f}" for k in keys) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
