"""``python -m evals run --suite all``: the research evaluation suite (see :mod:`evals.run`).

    python -m evals run --suite all                      # everything, into evals/results/latest/
    python -m evals run --suite checkthat --limit 100    # a quick slice (marked as such in the report)
    python -m evals run --suite babe --suite polnear --out /tmp/eval --model models/framing-v1
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from evals.run import DEFAULT_OUT, SUITES


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m evals", description="framing research evaluation suite")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="evaluate the shipped model and the baselines, write a report")
    r.add_argument("--suite", action="append", choices=SUITES + ("all",), default=None,
                   help="data set(s) to evaluate (repeatable; default all)")
    r.add_argument("--out", type=Path, default=None,
                   help=f"results folder (default {DEFAULT_OUT}; with --limit, a folder under the system temp dir, "
                        "so a quick slice never overwrites the committed report)")
    r.add_argument("--limit", type=int, default=None,
                   help="quick slice: first N sentences per set (about N/40 PolNeAR and N/30 BASIL events)")
    r.add_argument("--data-dir", type=Path, default=None, help="the shared data folder (default ../shared/data)")
    r.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped framing-v1)")
    r.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (0: no intervals)")
    r.add_argument("--seed", type=int, default=None, help="bootstrap seed")
    r.add_argument("--no-probe", action="store_true", help="skip the frozen-encoder probe baseline")
    r.add_argument("--no-large", action="store_true", help="skip framing-v2-large (it needs the all-mpnet-base-v2 parts)")
    args = p.parse_args(argv)

    from evals import report
    from evals.run import RunConfig, run
    from framing.metrics import DEFAULT_SEED

    suites = tuple(SUITES) if not args.suite or "all" in args.suite else tuple(dict.fromkeys(args.suite))
    cfg = RunConfig(suites=suites, limit=args.limit, data_dir=args.data_dir, model=args.model,
                    resamples=args.resamples, seed=DEFAULT_SEED if args.seed is None else args.seed,
                    probe=not args.no_probe, large=not args.no_large)
    if args.out is None:
        import tempfile

        args.out = DEFAULT_OUT if args.limit is None else Path(tempfile.gettempdir()) / "framing-evals" / f"limit-{args.limit}"
    cfg.out = args.out
    t = time.perf_counter()
    res = run(cfg)
    path = report.write(res, args.out, wall_s=time.perf_counter() - t)
    print(f"wrote {path} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
