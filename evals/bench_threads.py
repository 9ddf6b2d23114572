"""Torch threads against worker processes, on a quiet and on a busy machine (issue #21).

    python -m evals.bench_threads --n 40            # quiet, then beside one busy process
    python -m evals.bench_threads --n 40 --busy 0 2 # choose the loads

Each case is ``framing.analyze_many(texts, workers=W, threads=T)`` over the same N BASIL-sized
articles, in a fresh subprocess (model loading and worker start included), timed by the wall
clock, while ``--busy K`` other processes spin on the CPU: K=0 is a quiet machine, K=1 is one
other job sharing the cores, as on a laptop or a shared server. Cases are run one after another
in the same invocation, so the table compares them under the same conditions; the ratios matter,
not the seconds. A case that passes ``--timeout`` is reported as such rather than waited for.

Why this matters: OpenMP threads wait for each other at every matrix product; when one of them
is descheduled by another process, all of them wait, so T=2 beside a busy process can be many
times slower than T=1. That is why ``framing.analyze_many`` and ``framing score`` default to one
torch thread per process and gain speed from ``workers`` instead.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import time
from typing import Any

from evals.bench_batch import articles

CASES = [(1, 1), (1, 2), (2, 1)]  # (workers, threads)

_RUN = """
import json, sys, time
sys.path.insert(0, {root!r})
import framing
texts = json.load(open({path!r}))
framing.analyze("Warm the import.", classifier="rules")
start = time.perf_counter()
n = sum(1 for r in framing.analyze_many(texts, workers={workers}, threads={threads}) if isinstance(r, framing.Analysis))
print(json.dumps({{"seconds": time.perf_counter() - start, "ok": n}}))
"""


def _spin() -> None:
    while True:
        pass


def run_case(path: str, workers: int, threads: int, timeout: float) -> dict[str, Any]:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = _RUN.format(root=root, path=path, workers=workers, threads=threads)
    # No inherited OMP_NUM_THREADS: the case sets its own threads.
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "timed_out": True}
    if done.returncode != 0:
        raise RuntimeError(f"case workers={workers} threads={threads} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="articles per case")
    parser.add_argument("--busy", type=int, nargs="+", default=[0, 1], help="other spinning processes during the cases")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a case is reported as timed out")
    parser.add_argument("--json", help="write the rows here")
    args = parser.parse_args(argv)

    texts = articles(args.n)
    sentences_hint = sum(t.count(". ") + 1 for t in texts)
    path = os.path.abspath(f".bench_threads_{os.getpid()}.json")
    with open(path, "w") as f:
        json.dump(texts, f)
    rows = []
    try:
        for busy in args.busy:
            spinners = [mp.Process(target=_spin, daemon=True) for _ in range(busy)]
            for p in spinners:
                p.start()
            try:
                base = None
                for workers, threads in CASES:
                    r = run_case(path, workers, threads, args.timeout)
                    s = r["seconds"]
                    if base is None:
                        base = s
                    rows.append({"busy": busy, "workers": workers, "threads": threads, "seconds": s,
                                 "articles_per_s": None if s is None else args.n / s,
                                 "vs_w1_t1": None if s is None or base is None else base / s})
                    print(json.dumps(rows[-1]), flush=True)
            finally:
                for p in spinners:
                    p.terminate()
                    p.join()
    finally:
        os.remove(path)

    print(f"\n{args.n} articles (~{sentences_hint} sentences), {os.cpu_count()} cores, one case at a time\n")
    print("| other busy processes | workers | torch threads | seconds | articles/s | speed against workers=1, threads=1 |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        sec = f"> {args.timeout:.0f} (stopped)" if r["seconds"] is None else f"{r['seconds']:.1f}"
        aps = "" if r["articles_per_s"] is None else f"{r['articles_per_s']:.2f}"
        rel = "" if r["vs_w1_t1"] is None else f"{r['vs_w1_t1']:.2f}x"
        print(f"| {r['busy']} | {r['workers']} | {r['threads']} | {sec} | {aps} | {rel} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
