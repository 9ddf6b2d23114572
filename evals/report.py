"""Write a suite's results: ``report.md``, ``figures.json``, ``data_manifest.tsv`` and PNG plots."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from evals.run import Results, sha256_file

PLOTTED_SYSTEMS = ("rules-v1", "frozen MiniLM + LR probe")  # plus the shipped model


def _save(fig, path: Path) -> str:
    """Lay out, write and close one figure; return its file name for the report."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def _slug(s: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in s.lower()).strip("-").replace("--", "-")


def _ci(iv) -> str:
    return f" [{iv[0]:.3f}, {iv[1]:.3f}]" if iv else ""


def _num(x, nd=3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{nd}f}"


# ------------------------------------------------------------------------------------------
# plots


def _plots(res: Results, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shipped = res.provenance["model"]["name"]
    made: list[str] = []
    for key, c in res.classification.items():
        names = [n for n in c["systems"] if n == shipped or n in PLOTTED_SYSTEMS]
        # confusion matrices, one panel per system
        fig, axes = plt.subplots(1, len(names), figsize=(3.6 * len(names), 3.4), squeeze=False)
        for ax, name in zip(axes[0], names):
            m = c["systems"][name]["metrics"]
            cm = np.array(m["confusion"], dtype=float)
            norm = cm / np.maximum(1, cm.sum(axis=1, keepdims=True))
            ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
            for i in range(cm.shape[0]):
                for j in range(cm.shape[1]):
                    ax.text(j, i, f"{int(cm[i, j])}\n{norm[i, j]:.2f}", ha="center", va="center",
                            color="white" if norm[i, j] > 0.6 else "black", fontsize=9)
            ax.set_xticks(range(len(c["classes"])), c["classes"], fontsize=8)
            ax.set_yticks(range(len(c["classes"])), c["classes"], fontsize=8)
            ax.set_xlabel("predicted")
            ax.set_ylabel("gold")
            ax.set_title(f"{name}\nmacro-F1 {m['macro_f1']:.3f}", fontsize=9)
        fig.suptitle(f"{c['set']} (n={c['n']})", fontsize=10)
        made.append(_save(fig, out / f"confusion_{key}.png"))
        # reliability diagram of the systems with probabilities
        fig, ax = plt.subplots(figsize=(4.6, 4.2))
        ax.plot([0, 1], [0, 1], ls=":", color="grey", lw=1)
        for name in names:
            m = c["systems"][name]["metrics"]
            rel = m.get("reliability")
            if not rel:
                continue
            xs = [r["confidence"] for r in rel if r["n"]]
            ys = [r["accuracy"] for r in rel if r["n"]]
            ns = [r["n"] for r in rel if r["n"]]
            ax.plot(xs, ys, marker="o", label=f"{name} (ECE {m['ece']:.3f})")
            ax.scatter(xs, ys, s=[10 + 200 * n / max(ns) for n in ns], alpha=0.25)
        ax.set_xlim(0.45, 1.0)
        ax.set_ylim(0.0, 1.0)
        ax.set_xlabel("confidence (top class, collapsed to the set's two classes)")
        ax.set_ylabel("accuracy")
        ax.set_title(f"Reliability: {c['set']}", fontsize=10)
        ax.legend(fontsize=7, loc="lower right")
        made.append(_save(fig, out / f"reliability_{key}.png"))

    dens = res.basil.get("density")
    if dens:
        colors = {"nyt": "tab:blue", "fox": "tab:red", "hpo": "tab:green"}
        for sysname, d in dens["systems"].items():
            rows = d["articles"]
            outlets = sorted({r["source"] for r in rows})
            xpos = {s: i for i, s in enumerate(outlets)}
            fig, ax = plt.subplots(figsize=(5.2, 4.2))
            by_t: dict[str, dict[str, float]] = {}
            for r in rows:
                by_t.setdefault(r["triplet"], {})[r["source"]] = r["opinion_density"]
            for v in by_t.values():
                pts = sorted((xpos[s], y) for s, y in v.items())
                ax.plot([p[0] for p in pts], [p[1] for p in pts], color="grey", alpha=0.15, lw=0.8)
            rng = np.random.default_rng(0)
            for s in outlets:
                ys = [r["opinion_density"] for r in rows if r["source"] == s]
                xs = xpos[s] + rng.uniform(-0.12, 0.12, len(ys))
                ax.scatter(xs, ys, s=12, alpha=0.6, color=colors.get(s, "black"))
                e = d["summary"]["by_outlet"][s]
                iv = e.get("mean_density_interval")
                ax.errorbar(xpos[s] + 0.3, e["mean_density"],
                            yerr=None if not iv else [[e["mean_density"] - iv[0]], [iv[1] - e["mean_density"]]],
                            fmt="D", color="black", capsize=4)
            ax.set_xticks(range(len(outlets)), [f"{s}\n(n={d['summary']['by_outlet'][s]['articles']})" for s in outlets])
            ax.set_ylabel("article opinion density")
            ax.set_title(f"BASIL opinion density by outlet ({sysname})\nlines join one event's triplet; ◆ mean, 95% CI", fontsize=9)
            made.append(_save(fig, out / f"basil_density_by_outlet_{_slug(sysname)}.png"))

            fig, ax = plt.subplots(figsize=(5.2, 4.2))
            for s in outlets:
                pos = d["summary"]["by_outlet"][s]["opinion_by_position"]
                xs = np.arange(len(pos["share"])) + 0.5
                ax.plot(xs, pos["share"], marker="o", color=colors.get(s, "black"), label=s)
                if "interval_low" in pos:
                    ax.fill_between(xs, pos["interval_low"], pos["interval_high"], color=colors.get(s, "black"), alpha=0.12)
            ax.set_xticks(np.arange(len(pos["share"])) + 0.5,
                          [f"{i + 1}/{len(pos['share'])}" for i in range(len(pos["share"]))])
            ax.set_xlabel("position in the article body (fifths)")
            ax.set_ylabel("share of sentences that are opinion")
            ax.set_title(f"BASIL: where opinion sits, by outlet ({sysname})\nbands: 95% CI, bootstrap over articles", fontsize=9)
            ax.legend(fontsize=8)
            made.append(_save(fig, out / f"basil_density_by_position_{_slug(sysname)}.png"))

            fig, ax = plt.subplots(figsize=(4.8, 4.4))
            for s in outlets:
                pts = [(r["lede_density"], r["rest_density"], r["lede_n"]) for r in rows
                       if r["source"] == s and r["rest_density"] is not None and r["lede_n"]]
                if pts:
                    ax.scatter([p[0] + rng.uniform(-0.015, 0.015) for p in pts], [p[1] for p in pts],
                               s=[8 + 6 * p[2] for p in pts], alpha=0.5, color=colors.get(s, "black"), label=s)
            ax.plot([0, 1], [0, 1], ls=":", color="grey")
            ax.set_xlabel("lede opinion density (marker size: lede sentences)")
            ax.set_ylabel("rest-of-body opinion density")
            ax.set_title(f"BASIL lede vs rest of article ({sysname})", fontsize=9)
            ax.legend(fontsize=8)
            made.append(_save(fig, out / f"basil_lede_vs_rest_{_slug(sysname)}.png"))
    return made


# ------------------------------------------------------------------------------------------
# Markdown


def _headline(res: Results) -> list[str]:
    return _headline_and_systems(res)[0]


def _headline_and_systems(res: Results) -> tuple[list[str], list[str], list[str]]:
    sets = list(res.classification)
    systems: list[str] = []
    for c in res.classification.values():
        for name in c["systems"]:
            if name not in systems:
                systems.append(name)
    head = ["system"] + [f"{res.classification[k]['set']} (n={res.classification[k]['n']})" for k in sets]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * len(sets)]
    for name in systems:
        cells = [name]
        for k in sets:
            e = res.classification[k]["systems"].get(name)
            if e is None:
                cells.append("n/a")
            else:
                m = e["metrics"]
                cells.append(f"{m['macro_f1']:.3f}{_ci(m['intervals'].get('macro_f1'))}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines, sets, systems


def render_markdown(res: Results, plots: list[str], manifest_sha: str, wall_s: float | None) -> str:
    cfg, p = res.config, res.provenance
    model = p["model"]
    L: list[str] = ["# framing evaluation report", ""]
    L.append(f"Command: `{p['command']}`  ")
    L.append(f"Started {p['started_utc']}; git commit `{p['git']['commit'][:12]}` "
             f"({p['git']['dirty_files']} uncommitted files in the tree); torch threads {p['torch_threads']}"
             + (f"; wall time {wall_s:.0f} s" if wall_s else "") + ".  ")
    if cfg.limit is not None:
        L.append(f"**Quick slice: `--limit {cfg.limit}`. These figures are NOT the reported results.**  ")
    L += ["", "## Headline: macro-F1 with 95% bootstrap intervals", ""]
    L.append(f"Percentile bootstrap, {cfg.resamples} resamples, seed {cfg.seed}, over sentences (CheckThat!, BABE) or "
             "over articles (PolNeAR: a cluster bootstrap, since sentences of one article are correlated). "
             "CheckThat! and BABE: opinion (SUBJ / writer's opinion) vs not, from the argmax label "
             "(editorial_judgment or rhetorical_question = opinion). PolNeAR: the sentence holds a speech "
             "attribution vs not, predicted by the label attributed_quote. `n/a`: the system has no "
             "notion of attribution.")
    L.append("")
    headline, sets, systems = _headline_and_systems(res)
    L += headline
    shipped = res.provenance["model"]["name"]
    L += ["", f"Paired differences, {shipped} minus each system (same bootstrap resamples for both; "
          "share ≤ 0 = fraction of resamples in which the system was at least as good):", ""]
    L.append("| system | " + " | ".join(res.classification[k]["set"] for k in sets) + " |")
    L.append("|---|" + "---:|" * len(sets))
    names = [n for n in systems if n != shipped]
    for name in names:
        cells = [name]
        for k in sets:
            d = res.classification[k].get("paired_vs_shipped", {}).get(name)
            cells.append("n/a" if d is None else
                         f"{d['difference']:+.3f}{_ci(d['interval'])}" + (f", ≤0: {d['share_le_0']:.3f}" if d["share_le_0"] is not None else ""))
        L.append("| " + " | ".join(cells) + " |")
    L += ["", "## Caveats a reviewer should know", ""]
    L += [
        "- CheckThat! dev_test is not the official test set: the task's published figures (best system 0.805, "
        "TextBlob >= 0.5 about 0.55, always-OBJ 0.42 on the official English test) are context, not a like-for-like comparison.",
        "- Nothing reported here was tuned on the reported splits: thresholds were tuned on CheckThat! dev, probes and the "
        "majority class come from training splits, the shipped model selected and calibrated on CheckThat! dev and a PolNeAR "
        "train slice. TextBlob/MPQA thresholds tuned on CheckThat! are applied unchanged to BABE.",
        "- Class balance shifts between splits: CheckThat! dev_en is 52% SUBJ, dev_test 25%. A threshold tuned on dev "
        "(TextBlob tuned, MPQA) is tuned for the wrong prior, which is why the tuned TextBlob can score below TextBlob >= 0.5.",
        "- The frozen probe's opinion head is trained on CheckThat! train only (as in `evals/checkthat.py`); the shipped "
        "model also saw the BABE train part, so the BABE column favours it by design.",
        "- PolNeAR sentence gold = the sentence holds the cue of a *speech* attribution (definition in `framing/train/data.py`, "
        "the same the model was trained on); PolNeAR's belief/intention attributions count as negatives there. Span tables use "
        "`evals/attribution.py`'s own gold and matching; they score the shipped default (a span tagger trained on PolNeAR train "
        "over framing-v1's token states, epoch chosen on a train slice) and the rule frames that the `rules` classifier uses.",
        "- PolNeAR span figures are against one annotator per article. Where PolNeAR had several annotators, they agree "
        "with each other far from perfectly (section \"PolNeAR annotator agreement\", `evals/agreement.py`): read span F1 "
        "against that ceiling, not against 1.",
        "- Intervals are sampling intervals over the evaluated items (or articles); they do not include annotation noise "
        "(CheckThat! marks strongly disagreeing annotations), and overlapping intervals are not a test: use the paired table.",
        "- BASIL has no gold for our labels: its density figures are measurements by a classifier, to compare outlets on the "
        "same events, not accuracy.",
    ]
    L += ["", "## Systems", ""]
    for name, info in res.systems.items():
        L.append(f"- **{name}**: {info['note']}")
    L.append("- **majority**: the majority label of the set's training split (CheckThat! train, BABE train part, "
             "PolNeAR train sample)")

    L += ["", "## Provenance", ""]
    L.append(f"- Model `{model['name']}` at `{model['path']}`, int8 {model['int8']}, {model['num_layers']} layers; "
             f"sha256 of checksums.json `{model.get('checksums.json sha256', 'n/a')}`")
    for f, h in (model.get("files") or {}).items():
        L.append(f"  - `{f}` sha256 `{h}`")
    base = model.get("base_model") or {}
    if base:
        L.append(f"  - base encoder `{base.get('id')}` ({base.get('package')}), `{base.get('weights_file')}` sha256 `{base.get('sha256')}`")
    rec = model.get("recorded_checkthat_dev_test_macro_f1")
    ct = res.classification.get("checkthat", {}).get("systems", {}).get(model["name"])
    if rec is not None and ct is not None:
        L.append(f"- The model folder records CheckThat! dev_test macro-F1 {rec:.3f}; this run measures "
                 f"{ct['metrics']['macro_f1']:.3f} on n={ct['metrics']['n']}.")
    elif rec is None:
        L.append("- The model folder records no CheckThat! dev_test macro-F1.")
    L.append("- Versions: " + ", ".join(f"{k} {v}" for k, v in p["versions"].items()))
    L.append("- Seeds: " + ", ".join(f"{k} = {v}" for k, v in p["seeds"].items()))
    L.append(f"- Data (read from `{p['data_dir']}`, never copied into the repository): every file read, with its "
             f"sha256, is listed in `data_manifest.tsv` (sha256 `{manifest_sha}`). Per group:")
    for g, files in res.data_files.items():
        digest = _group_digest(files)
        if len(files) <= 4:
            for f, h in files.items():
                L.append(f"  - `{f}` sha256 `{h}`")
        else:
            L.append(f"  - {g}: {len(files)} files, sha256 of their sorted `path<TAB>sha256` lines `{digest}`")

    leak = p.get("overlap_with_training_data")
    if leak:
        L.append("- Evaluated sentences that also occur in training/selection data (word-normalized exact match): "
                 + "; ".join(f"{k}: " + ", ".join(f"{n} in {src}" for src, n in v.items() if src != "n") + f" (of {v['n']})"
                             for k, v in leak.items()))

    for key, c in res.classification.items():
        L += ["", f"## {c['set']}: {c['description']}", ""]
        L.append(f"n = {c['n']} sentences, {c['positives']} positive ({c['classes'][1]}). Intervals: bootstrap over "
                 + ("articles (cluster bootstrap, " + str(c['articles']) + " articles: sentences of one article are not independent)."
                    if c.get("bootstrap_unit") == "article" else "sentences."))
        L.append("")
        cls = c["classes"]
        L.append("| system | macro-F1 | accuracy | ECE | " + " | ".join(f"P/R/F1 {x}" for x in cls) + " | s |")
        L.append("|---|---:|---:|---:|" + "---:|" * len(cls) + "---:|")
        for name, e in c["systems"].items():
            m = e["metrics"]
            iv = m["intervals"]
            cells = [name, f"{m['macro_f1']:.3f}{_ci(iv.get('macro_f1'))}", f"{m['accuracy']:.3f}{_ci(iv.get('accuracy'))}",
                     (f"{m['ece']:.3f}{_ci(iv.get('ece'))}" if m["ece"] is not None else "n/a")]
            for x in cls:
                cells.append(f"{m['precision'][x]:.3f} / {m['recall'][x]:.3f} / {m['f1'][x]:.3f}{_ci(iv.get(f'f1[{x}]'))}")
            cells.append("pooled" if e["seconds"] is None else f"{e['seconds']:.1f}")
            L.append("| " + " | ".join(cells) + " |")
        shipped = model["name"]
        slices = [(n, e["first_150"]) for n, e in c["systems"].items() if "first_150" in e]
        if slices:
            L += ["", "First 150 rows only (the slice `tests/test_eval_regression.py` guards in CI): "
                  + "; ".join(f"{n} {m['macro_f1']:.3f}{_ci(m['intervals'].get('macro_f1'))}" for n, m in slices) + "."]
        if shipped in c["systems"]:
            L += ["", f"Four-label output of {shipped} by gold class:", ""]
            L.append("| gold | " + " | ".join(__import__("framing").LABELS) + " |")
            L.append("|---|" + "---:|" * 4 + "")
            for g, row in c["systems"][shipped]["four_label_by_gold"].items():
                L.append(f"| {g} | " + " | ".join(str(v) for v in row.values()) + " |")
            errs = c["systems"][shipped].get("confident_errors") or {}
            L += ["", f"Most confident mistakes of {shipped}, per gold class (text cut at 200 characters):", ""]
            for g, rows in errs.items():
                for r in rows:
                    text = r["text"].replace("|", "\\|").replace("\n", " ")
                    L.append(f"- gold **{g}**, predicted {r['predicted']} ({r['four_label']}, p={r['confidence']:.2f}): {text}")
        L.append("")
        L.append(f"![confusion](confusion_{key}.png) ![reliability](reliability_{key}.png)")

    for key in sorted(k for k in res.spans if k.startswith("polnear_dev")):
        sp = res.spans[key]
        system = sp.get("system", key.removeprefix("polnear_dev_"))
        how = {"framing-v1": "trained span tagger, the shipped default", "rules-v1": "rule frames",
               "framing-v2-large": "its span taggers over all-mpnet-base-v2's token states"}.get(system, system)
        L += ["", f"## PolNeAR dev: attribution spans, {system} ({how})", ""]
        if "note" in sp:
            L.append(sp["note"])
            continue
        L.append(f"{sp['articles']} articles, {sp['gold_attributions']} gold attributions. Matching rules are those of "
                 "`evals/attribution.py` (exact: same trimmed bounds; overlap: >= 50% of each span's tokens, "
                 "one-to-one). F1 intervals: bootstrap over articles.")
        for variant in ("all attributions", "speech attributions only"):
            L += ["", f"**{variant}**", "", "| span | P | R | F1 [95% CI] | pred | gold |", "|---|---:|---:|---:|---:|---:|"]
            for k, v in sp[variant].items():
                L.append(f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f}{_ci(v['f1_interval'])} | {v['n_pred']} | {v['n_gold']} |")

    if "quote_context_dev" in res.spans:
        from evals.context import report as context_report

        L += ["", context_report(res.spans["quote_context_dev"])]
    if "annotator_agreement" in res.spans:
        from evals.agreement import report as agreement_report

        L += ["", agreement_report(res.spans["annotator_agreement"])]

    b = res.basil
    if b:
        s = b["speakers"]
        L += ["", "## BASIL", "", "### Quoted spans and their speakers (evals.attribution)", ""]
        L.append(f"{s['articles']} articles with speaker-annotated quoted spans, {s['quoted spans']} spans. Intervals: "
                 "bootstrap over articles.")
        L += ["", "| covered by an attribution | speaker accuracy | accuracy when covered | accuracy, BASIL names one speaker "
              "| accuracy, BASIL names a group |", "|---:|---:|---:|---:|---:|"]
        L.append(f"| {s['covered']:.3f}{_ci(s.get('covered interval'))} | {s['speaker accuracy']:.3f}{_ci(s.get('speaker accuracy interval'))} "
                 f"| {s['accuracy when covered']:.3f} | {s['speaker accuracy, individual speaker']:.3f} "
                 f"({s['spans, individual speaker']} spans) | {s['speaker accuracy, group speaker']:.3f} "
                 f"({s['spans, group speaker']} spans) |")
        L += ["", "BASIL often credits a quote to the group its speaker stands for (\"Democratic lawmakers\"), where we name "
              "the member who spoke; `evals.attribution.GROUP_SPEAKER` tells the two kinds of BASIL label apart."]
        d = b["density"]
        L += ["", "### Opinion density per article, by outlet", ""]
        L.append(f"{d['articles']} articles (BASIL `body-paragraphs`, title as the first line). BASIL has no gold for "
                 "our labels: these are *measurements* by each classifier, not accuracy. Computed by "
                 "`framing.compare_groups` (by `source`, paired by `triplet-uuid`): outlet means: bootstrap "
                 "over articles; paired differences: same event, bootstrap over triplets.")
        for sysname, x in d["systems"].items():
            L += ["", f"**{sysname}** ({x['seconds']:.0f} s)", "",
                  "| outlet | articles | mean opinion density [95% CI] | mean quote share [95% CI] | anonymous sourcing [95% CI] | lede − rest of article [95% CI] | lede sentences (mean) | opinion share by fifth of the body |",
                  "|---|---:|---:|---:|---:|---:|---:|---|"]
            for src, e in x["summary"]["by_outlet"].items():
                lv = e.get("lede_vs_rest", {})
                diff = "n/a" if lv.get("mean_lede_minus_rest") is None else f"{lv['mean_lede_minus_rest']:+.3f}{_ci(lv.get('interval'))}"
                fifths = " / ".join(f"{v:.2f}" for v in e.get("opinion_by_position", {}).get("share", []))
                anonymous = "n/a" if e.get("anonymous_share") is None else f"{e['anonymous_share']:.3f}{_ci(e.get('anonymous_share_interval'))}"
                L.append(f"| {src} | {e['articles']} | {e['mean_density']:.3f}{_ci(e.get('mean_density_interval'))} | "
                         f"{e['mean_quote_share']:.3f}{_ci(e.get('mean_quote_share_interval'))} | {anonymous} | {diff} | "
                         f"{_num(lv.get('mean_lede_sentences'), 1)} | {fifths} |")
            for src, e in x["summary"]["paired_vs_nyt"].items():
                L.append(f"\n{src} − nyt, same event: {e['mean_difference']:+.3f}{_ci(e.get('interval'))} over {e['triplets']} triplets.")
            L.append("")
            L.append(f"![density by outlet](basil_density_by_outlet_{_slug(sysname)}.png) "
                     f"![density by position](basil_density_by_position_{_slug(sysname)}.png) "
                     f"![lede vs rest](basil_lede_vs_rest_{_slug(sysname)}.png)")

    L += ["", "## Timings (seconds, this machine)", "",
          "Column `s` in the tables above: seconds to score that set; `pooled`: the shipped model scored every "
          "sentence set in one call (its scores do not depend on the batch), timed below.", "",
          "| stage | s |", "|---|---:|"]
    for k, v in res.timings.items():
        L.append(f"| {k} | {v:.1f} |")
    L += ["", "## Files", ""] + [f"- `{x}`" for x in ["figures.json", "data_manifest.tsv"] + plots]
    return "\n".join(L) + "\n"


def _group_digest(files: dict[str, str]) -> str:
    import hashlib

    return hashlib.sha256("".join(f"{k}\t{v}\n" for k, v in sorted(files.items())).encode()).hexdigest()


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        return None if math.isnan(float(x)) else float(x)
    if isinstance(x, Path):
        return str(x)
    return x


def write(res: Results, out: Path, wall_s: float | None = None) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    plots = _plots(res, out)
    manifest = out / "data_manifest.tsv"
    with open(manifest, "w", encoding="utf-8") as fh:
        fh.write("group\tpath (relative to the data folder)\tsha256\n")
        for g, files in res.data_files.items():
            for f, h in files.items():
                fh.write(f"{g}\t{f}\t{h}\n")
    figures = {
        "provenance": res.provenance,
        "config": {"suites": list(res.config.suites), "limit": res.config.limit, "resamples": res.config.resamples,
                   "seed": res.config.seed},
        "systems": res.systems,
        "classification": res.classification,
        "spans": res.spans,
        "basil": res.basil,
        "timings_s": res.timings,
        "wall_s": wall_s,
        "data_groups": {g: {"files": len(f), "sha256_of_manifest_lines": _group_digest(f)} for g, f in res.data_files.items()},
        "plots": plots,
    }
    (out / "figures.json").write_text(json.dumps(_jsonable(figures), indent=1) + "\n", encoding="utf-8")
    (out / "report.md").write_text(render_markdown(res, plots, sha256_file(manifest), wall_s), encoding="utf-8")
    return out / "report.md"
