"""Two source trees of framing, same run: is a refactor no slower and no bigger? (issue #17)

    git worktree add ../base 986eb3b          # the tree before the change
    python -m evals.bench_trees ../base . --n 120 --repeat 2

For each tree, in alternation and a fresh process each: the ``framing.analyze`` loop and
``analyze_many`` over the same N BASIL articles (one torch thread unless OMP_NUM_THREADS says
otherwise), reporting sentences per CPU-second (other processes on the machine do not count)
and peak RSS; the best of the repeats is printed last.
"""
import argparse, json, subprocess, sys, os
# The child runs inside each tree, so it uses only what old trees also have (_basil_texts).
CHILD = r'''
import sys, time, json, resource
sys.path.insert(0, sys.argv[1])
import framing
from framing.batch import analyze_many
from evals.bench_batch import _basil_texts
import itertools
texts = list(itertools.islice(itertools.cycle(_basil_texts()), int(sys.argv[3])))
framing.analyze(texts[0])
w, c = time.perf_counter(), time.process_time()
if sys.argv[2] == "loop":
    res = [framing.analyze(t) for t in texts]
else:
    res = list(analyze_many(texts))
w, c = time.perf_counter() - w, time.process_time() - c
n = sum(len(r.sentences) for r in res)
print(json.dumps({"wall": round(w, 2), "cpu": round(c, 2), "sent_per_cpu_s": round(n / c, 1), "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
'''


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("trees", nargs=2, help="the old tree and the new tree (checkouts of framing)")
    p.add_argument("--n", type=int, default=120)
    p.add_argument("--repeat", type=int, default=2)
    args = p.parse_args(argv)
    N, REPS = args.n, args.repeat
    TREES = [os.path.abspath(t) for t in args.trees]
    rows = {}
    for rep in range(REPS):
        for tree in TREES:
            for mode in ("loop", "many"):
                env = {**os.environ, "PYTHONPATH": tree, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
                out = subprocess.run([sys.executable, "-c", CHILD, tree, mode, str(N)], capture_output=True, text=True, cwd=tree, env=env)
                r = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else {"error": out.stderr[-300:]}
                rows.setdefault((tree, mode), []).append(r)
                print(tree, mode, r, flush=True)
    for (tree, mode), rs in rows.items():
        ok = [r for r in rs if "error" not in r]
        if not ok:
            print(f"BEST {tree} {mode}: every run failed (see above)")
            continue
        best = min(ok, key=lambda r: r["cpu"])
        print(f"BEST {tree:11s} {mode:5s} cpu {best['cpu']:7.2f}s  {best['sent_per_cpu_s']:7.1f} sent/cpu-s  peak {max(r['peak_mb'] for r in ok):7.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
