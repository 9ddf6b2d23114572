"""The two tiers side by side: framing-v1 (default) and framing-v2-large (opinion axis by mpnet).

    python -m evals.tiers                      # tables to stdout, JSON to evals/results/latest/tiers.json
    python -m evals.tiers --no-speed           # metrics only
    python -m evals.tiers --no-speed --candidate DIR --json out.json   # and a model folder beside them

For each tier, on the same sentences: CheckThat! 2025 dev_test macro-F1 (SUBJ = the label is
editorial_judgment or rhetorical_question), BABE held-out macro-F1 (the same mapping), PolNeAR
dev sentence attribution F1 (attributed_quote vs the rest), each with a percentile-bootstrap 95%
interval (1,000 resamples over sentences, seed 0, :mod:`framing.metrics`), and the paired
bootstrap difference against framing-v1 (both scored on the same resampled sentences; "share <= 0"
is the share of resamples where the larger tier is no better). Opinion precision and recall show
which error moved: an editorial judgment called factual is a missed opinion (recall). ECE: 10-bin
expected calibration error of P(editorial_judgment) + P(rhetorical_question) (P(attributed_quote)
for PolNeAR) against the gold label.

Speed (``--speed``, default on): ``framing.classify`` sentences per second on one torch thread
over the same 2,000 sentences, the tiers alternating, best of two runs each; and, in a fresh
process each, import + the first ``framing.analyze`` of the reference article (model loading and,
for the large tier, the encoder cache already built).

``--candidate DIR`` scores a model folder (``python -m framing.train --out DIR``, e.g. a distilled
student, or ``python -m framing.train.opinion_head --out DIR``, e.g. another mpnet cut) as a third row on the same sentences, with its paired difference against framing-v1.

Neither tier read dev_test, BABE's held-out fifth or PolNeAR dev in training or selection.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from evals import data as ed
from framing.labels import LABEL_INDEX
from framing.metrics import classification_metrics, paired_difference

TIERS = ("framing-v1", "framing-v2-large")
OPINION = [LABEL_INDEX["editorial_judgment"], LABEL_INDEX["rhetorical_question"]]
QUOTE = LABEL_INDEX["attributed_quote"]
REPO = Path(__file__).resolve().parents[1]


def predictions(tier: str, sets: dict[str, ed.EvalSet], folder: Path | None = None) -> dict[str, np.ndarray]:
    from framing.model import get_classifier, load_folder

    clf = get_classifier(tier) if folder is None else load_folder(folder)
    out = {}
    for name, s in sets.items():
        proba = np.asarray(clf.predict_proba(s.texts))
        top = proba.argmax(axis=1)
        out[name] = ((top == QUOTE) if name == "polnear_dev" else np.isin(top, OPINION)).astype(np.int64)
        out[name + ":p"] = proba[:, QUOTE] if name == "polnear_dev" else proba[:, OPINION].sum(axis=1)
    return out


def metric_rows(sets: dict[str, ed.EvalSet], preds: dict[str, dict[str, np.ndarray]]) -> list[dict]:
    rows = []
    for name, s in sets.items():
        classes = ["other", "quote"] if name == "polnear_dev" else ["OBJ", "SUBJ"]
        for tier in preds:
            m = classification_metrics(s.gold, preds[tier][name], classes)
            row = {"set": name, "tier": tier, "n": len(s), "metric": "F1(quote)" if name == "polnear_dev" else "macro-F1"}
            if name == "polnear_dev":
                row["value"], row["interval"] = m.f1["quote"], m.intervals["f1[quote]"].to_list() if "f1[quote]" in m.intervals else None
            else:
                row["value"], row["interval"] = m.macro_f1, m.intervals["macro_f1"].to_list()
                row["opinion_precision"], row["opinion_recall"] = m.precision["SUBJ"], m.recall["SUBJ"]
            if tier != TIERS[0]:
                if name == "polnear_dev" and tier in TIERS:
                    row["paired_vs_v1"] = None  # the attribution axis is framing-v1's in both tiers
                else:
                    row["paired_vs_v1"] = paired_difference(s.gold, preds[tier][name], preds[TIERS[0]][name], 2)
            from evals.metrics import ece_binary

            row["ece"] = ece_binary(preds[tier][name + ":p"], s.gold)
            rows.append(row)
    return rows


def classify_speed(texts: list[str], repeat: int = 2) -> dict[str, float]:
    import torch

    import framing

    torch.set_num_threads(1)
    for tier in TIERS:
        framing.classify(texts[:20], classifier=tier)  # load outside the clock
    best = {t: 0.0 for t in TIERS}
    for _ in range(repeat):
        for tier in TIERS:
            start = time.perf_counter()
            framing.classify(texts, classifier=tier)
            best[tier] = max(best[tier], len(texts) / (time.perf_counter() - start))
    return best


_FIRST = """
import time; t = time.perf_counter()
import framing
a = framing.analyze(open({path!r}, encoding="utf-8").read(), classifier={tier!r})
print(time.perf_counter() - t)
"""


def first_analyze_seconds(tier: str) -> float:
    code = _FIRST.format(path=str(REPO / "examples" / "us-draft-plan-ukraine.txt"), tier=tier)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"OMP_NUM_THREADS": "1", **{k: v for k, v in __import__("os").environ.items() if k != "OMP_NUM_THREADS"}})
    return float(done.stdout.strip().splitlines()[-1])


def fmt_interval(iv) -> str:
    return "" if iv is None else f"[{iv[0]:.3f}, {iv[1]:.3f}]"


def markdown(rows: list[dict], speed: dict | None) -> str:
    lines = ["| set | tier | n | metric | value | 95% interval | opinion P / R | ECE | difference vs framing-v1 [95%], share <= 0 |",
             "|---|---|---:|---|---:|---|---|---:|---|"]
    for r in rows:
        pr = "" if "opinion_precision" not in r else f"{r['opinion_precision']:.3f} / {r['opinion_recall']:.3f}"
        d = r.get("paired_vs_v1")
        diff = "" if not d else f"{d['difference']:+.3f} {fmt_interval(d['interval'])}, {d['share_le_0']:.3f}"
        if r["tier"] in TIERS[1:] and r["set"] == "polnear_dev":
            diff = "same attribution axis"
        lines.append(f"| {r['set']} | {r['tier']} | {r['n']} | {r['metric']} | {r['value']:.4f} | {fmt_interval(r['interval'])} | {pr} | {r['ece']:.3f} | {diff} |")
    if speed:
        lines += ["", "| tier | classify, sentences/s (1 thread) | import + first analyze of the reference article, s |", "|---|---:|---:|"]
        for t in TIERS:
            lines.append(f"| {t} | {speed['classify'][t]:.0f} | {speed['first_analyze'][t]:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--json", type=Path, default=REPO / "evals" / "results" / "latest" / "tiers.json")
    parser.add_argument("--candidate", type=Path, default=None, help="a model folder scored beside the tiers")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    sets = {n: ed.load(n, args.data_dir) for n in ("checkthat_dev_test", "babe_heldout", "polnear_dev")}
    preds = {tier: predictions(tier, sets) for tier in TIERS}
    if args.candidate is not None:
        preds[f"{args.candidate.name} (candidate)"] = predictions("", sets, args.candidate)
    rows = metric_rows(sets, preds)
    speed = None
    if not args.no_speed:
        texts = (sets["checkthat_dev_test"].texts + sets["babe_heldout"].texts + sets["polnear_dev"].texts)[:2000]
        speed = {"classify": classify_speed(texts), "first_analyze": {t: first_analyze_seconds(t) for t in TIERS},
                 "classify_sentences": len(texts)}
    table = markdown(rows, speed)
    print(table)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"rows": rows, "speed": speed}, indent=1, default=float) + "\n", encoding="utf-8")
    args.json.with_suffix(".md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
