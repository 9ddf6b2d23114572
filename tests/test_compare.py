"""Comparing groups of scored articles (framing/compare): statistics, bad input, reports, views.

Model-free: synthetic scored tables (``evals.compare_coverage.simulate_corpus``) and analyses with
``classifier="rules", attribution="rules"``. The BASIL tests need ../shared (CI).
"""

from __future__ import annotations

import base64
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import framing
from framing.errors import FramingError
from framing.metrics import bootstrap_indices, bootstrap_sums, percentile_interval

REPO = Path(__file__).resolve().parents[1]


def _corpus(seed: int = 0, events: int = 40, **kwargs: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    from evals.compare_coverage import simulate_corpus

    mu = kwargs.pop("mu", {"fox": -3.0, "hpo": -2.6, "nyt": -2.4})
    return simulate_corpus(np.random.default_rng(seed), n_events=events, mu=mu, sentence_table=True, **kwargs)


# --------------------------------------------------------------------------- the bootstrap


def test_bootstrap_sums_are_the_sums_of_bootstrap_indices():
    values = np.random.default_rng(1).random((57, 3))
    for chunk in (10**9, 57 * 7, 1):  # one chunk, several, one resample at a time
        sums = bootstrap_sums(values, 300, 11, chunk_elements=chunk)
        assert np.allclose(sums, values[bootstrap_indices(57, 300, 11)].sum(axis=1), rtol=0, atol=1e-12)


# --------------------------------------------------------------------------- the evals' figures

def _evals_outlet_summary_at_6755758(rows: list[dict], resamples: int, seed: int) -> dict[str, Any]:
    """evals/run.py's ``_outlet_summary`` as it was before it called framing.compare_groups
    (commit 6755758), kept verbatim (cfg.resamples/cfg.seed made arguments) as the reference
    the library must reproduce."""
    out: dict[str, Any] = {"by_outlet": {}, "paired_vs_nyt": {}}
    outlets = sorted({r["source"] for r in rows})
    for src in outlets:
        d = np.array([r["opinion_density"] for r in rows if r["source"] == src])
        q = np.array([r["quote_share"] for r in rows if r["source"] == src])
        entry = {"articles": len(d), "mean_density": float(d.mean()), "mean_quote_share": float(q.mean())}
        if resamples and len(d) > 1:
            idx = bootstrap_indices(len(d), resamples, seed)
            entry["mean_density_interval"] = percentile_interval(d[idx].mean(axis=1)).to_list()
        out["by_outlet"][src] = entry
    for src in outlets:
        mine = [r for r in rows if r["source"] == src]
        counts = np.array([r["opinion_by_position"] for r in mine], dtype=float)  # (articles, bins, 2)
        pos = {"share": (counts[:, :, 0].sum(0) / np.maximum(1, counts[:, :, 1].sum(0))).tolist()}
        paired = [r["lede_density"] - r["rest_density"] for r in mine if r["rest_density"] is not None and r["lede_n"]]
        lede = {"articles": len(paired), "mean_lede_minus_rest": float(np.mean(paired)) if paired else None,
                "mean_lede_sentences": float(np.mean([r["lede_n"] for r in mine])) if mine else None}
        if resamples and len(mine) > 1:
            idx = bootstrap_indices(len(mine), resamples, seed)
            shares = counts[idx, :, 0].sum(1) / np.maximum(1, counts[idx, :, 1].sum(1))  # (resamples, bins)
            pos["interval_low"] = np.quantile(shares, 0.025, axis=0).tolist()
            pos["interval_high"] = np.quantile(shares, 0.975, axis=0).tolist()
            if len(paired) > 1:
                pidx = bootstrap_indices(len(paired), resamples, seed)
                lede["interval"] = percentile_interval(np.asarray(paired)[pidx].mean(axis=1)).to_list()
        out["by_outlet"][src]["opinion_by_position"] = pos
        out["by_outlet"][src]["lede_vs_rest"] = lede
    by_triplet: dict[str, dict[str, float]] = {}
    for r in rows:
        by_triplet.setdefault(r["triplet"], {})[r["source"]] = r["opinion_density"]
    for src in outlets:
        if src == "nyt":
            continue
        diffs = np.array([v[src] - v["nyt"] for v in by_triplet.values() if src in v and "nyt" in v])
        if len(diffs) == 0:
            continue
        entry = {"triplets": len(diffs), "mean_difference": float(diffs.mean())}
        if resamples and len(diffs) > 1:
            idx = bootstrap_indices(len(diffs), resamples, seed)
            entry["interval"] = percentile_interval(diffs[idx].mean(axis=1)).to_list()
        out["paired_vs_nyt"][src] = entry
    return out


def _evals_rows(articles: pd.DataFrame, sentences: pd.DataFrame) -> list[dict]:
    """The per-article rows evals/run.py built from each Analysis, built from the tables."""
    rows = []
    for a in articles.to_dict("records"):
        labels = sentences.loc[sentences["id"] == a["id"]].sort_values("sentence_index")["label"].tolist()
        quint = [[0, 0] for _ in range(5)]
        for i, lab in enumerate(labels):
            b = min(4, 5 * i // max(1, len(labels)))
            quint[b][0] += lab in ("editorial_judgment", "rhetorical_question")
            quint[b][1] += 1
        n, lede_n = a["n_sentences"], a["lede_n_sentences"]
        lede_opinion = round(a["lede_opinion_density"] * lede_n)
        rows.append({
            "opinion_by_position": quint, "source": a["outlet"], "triplet": a["event"],
            "opinion_density": a["opinion_density"], "lede_n": lede_n, "lede_density": a["lede_opinion_density"],
            "rest_density": (a["n_opinion"] - lede_opinion) / (n - lede_n) if n - lede_n else None,
            "quote_share": a["n_quote_sentences"] / max(1, n),
        })
    return rows


def _assert_same_as_evals(c: framing.GroupComparison, old: dict[str, Any]) -> None:
    table = c.table.set_index("group")
    close = dict(rel=0, abs=1e-12)
    for src, e in old["by_outlet"].items():
        row = table.loc[src]
        assert row["n_articles"] == e["articles"]
        assert row["opinion_density"] == pytest.approx(e["mean_density"], **close)
        assert [row["opinion_density_low"], row["opinion_density_high"]] == pytest.approx(e["mean_density_interval"], **close)
        assert row["quote_share"] == pytest.approx(e["mean_quote_share"], **close)
        lede = e["lede_vs_rest"]
        assert row["n_lede_rest"] == lede["articles"]
        assert row["lede_minus_rest"] == pytest.approx(lede["mean_lede_minus_rest"], **close)
        assert [row["lede_minus_rest_low"], row["lede_minus_rest_high"]] == pytest.approx(lede["interval"], **close)
        fifth = c.positions[(c.positions["profile"] == "fifth") & (c.positions["group"] == src)].sort_values("order")
        pos = e["opinion_by_position"]
        assert fifth["share"].tolist() == pytest.approx(pos["share"], **close)
        assert fifth["low"].tolist() == pytest.approx(pos["interval_low"], **close)
        assert fifth["high"].tolist() == pytest.approx(pos["interval_high"], **close)
    paired = c.paired[c.paired["metric"] == "opinion_density"].set_index("group_a")
    assert set(paired["group_b"]) == {"nyt"}
    for src, e in old["paired_vs_nyt"].items():
        assert paired.loc[src, "n_events"] == e["triplets"]
        assert paired.loc[src, "difference"] == pytest.approx(e["mean_difference"], **close)
        assert [paired.loc[src, "low"], paired.loc[src, "high"]] == pytest.approx(e["interval"], **close)


def test_outlet_table_is_the_one_evals_computed():
    articles, sentences = _corpus(seed=3, events=35)
    old = _evals_outlet_summary_at_6755758(_evals_rows(articles, sentences), 400, 99)
    c = framing.compare_groups(articles, by="outlet", pair_by="event", sentences=sentences, reference="nyt",
                               seed=99, resamples=400)
    _assert_same_as_evals(c, old)


def test_evals_summary_comes_from_the_library():
    """evals/run.py turns compare_groups' result into figures.json's shape; nothing is recomputed."""
    from evals.run import RunConfig, _outlet_summary

    articles, sentences = _corpus(seed=5, events=20)
    articles = articles.rename(columns={"outlet": "source", "event": "triplet"})
    sentences = sentences.rename(columns={"outlet": "source", "event": "triplet"})
    cfg = RunConfig(suites=("basil",), resamples=300, seed=4)
    c = framing.compare_groups(articles, by="source", pair_by="triplet", sentences=sentences, reference="nyt",
                               seed=4, resamples=300)
    summary = _outlet_summary(c, articles, cfg)
    renamed = articles.rename(columns={"source": "outlet", "triplet": "event"})
    old = _evals_outlet_summary_at_6755758(_evals_rows(renamed, sentences.rename(columns={"source": "outlet"})), 300, 4)
    for src, e in old["by_outlet"].items():
        new = summary["by_outlet"][src]
        assert new["mean_density"] == pytest.approx(e["mean_density"], abs=1e-12)
        assert new["mean_density_interval"] == pytest.approx(e["mean_density_interval"], abs=1e-12)
        assert new["lede_vs_rest"]["interval"] == pytest.approx(e["lede_vs_rest"]["interval"], abs=1e-12)
        assert new["lede_vs_rest"]["mean_lede_sentences"] == pytest.approx(e["lede_vs_rest"]["mean_lede_sentences"])
        assert new["opinion_by_position"]["interval_high"] == pytest.approx(e["opinion_by_position"]["interval_high"], abs=1e-12)
    for src, e in old["paired_vs_nyt"].items():
        assert summary["paired_vs_nyt"][src]["interval"] == pytest.approx(e["interval"], abs=1e-12)
    json.dumps(summary)  # figures.json can hold it (no NaN objects, no numpy types that json refuses)


@pytest.mark.slow
def test_basil_outlet_table_is_the_one_evals_computed(shared_dir):
    """On BASIL itself (rule classifier, no model): the library gives every number evals/run.py
    gave with its own code, to 1e-12."""
    sys.path.insert(0, str(REPO / "examples"))
    try:
        from compare_outlets import load_basil
    finally:
        sys.path.remove(str(REPO / "examples"))
    texts, ids, meta = load_basil(shared_dir / "data" / "basil", None)
    assert len(texts) == 270
    results = list(framing.analyze_many(texts, classifier="rules", attribution="rules"))
    tables = framing.corpus_tables(results, ids=ids, metadata=meta)
    old = _evals_outlet_summary_at_6755758(_evals_rows(tables["article"], tables["sentence"]), 1000, framing.metrics.DEFAULT_SEED)
    c = framing.compare_groups(tables["article"], by="outlet", pair_by="event", sentences=tables["sentence"], reference="nyt")
    _assert_same_as_evals(c, old)
    assert c.table["n_articles"].tolist() == [90, 90, 90]


# --------------------------------------------------------------------------- the statistics


def test_same_seed_same_numbers_and_a_group_depends_only_on_its_articles():
    articles, sentences = _corpus(seed=1)
    a = framing.compare_groups(articles, by="outlet", pair_by="event", sentences=sentences, seed=5, resamples=200)
    b = framing.compare_groups(articles, by="outlet", pair_by="event", sentences=sentences, seed=5, resamples=200)
    for x, y in ((a.table, b.table), (a.differences, b.differences), (a.paired, b.paired), (a.positions, b.positions)):
        pd.testing.assert_frame_equal(x, y)
    other = framing.compare_groups(articles, by="outlet", seed=6, resamples=200)
    assert not np.allclose(other.table["opinion_density_low"], a.table["opinion_density_low"])
    # Leaving hpo out changes nothing for fox and nyt, nor for their difference.
    two = framing.compare_groups(articles[articles["outlet"] != "hpo"], by="outlet", seed=5, resamples=200)
    pd.testing.assert_frame_equal(two.table.reset_index(drop=True),
                                  a.table[a.table["group"] != "hpo"].reset_index(drop=True), check_dtype=False)
    d_all = a.differences.set_index(["metric", "group_a", "group_b"])
    d_two = two.differences.set_index(["metric", "group_a", "group_b"])
    assert d_two.loc[("opinion_density", "fox", "nyt"), "low"] == d_all.loc[("opinion_density", "fox", "nyt"), "low"]


def test_intervals_resample_articles_not_sentences():
    """Each article is all opinion or none: 40 articles, not 800 sentences, carry the evidence.
    The cluster interval has about the width of 40 coin flips; a sentence-level Wilson interval
    would be as narrow as 800 — the bootstrap must not be that."""
    rows = []
    for g in ("a", "b"):
        for i in range(40):
            n = 20
            k = n if i % 2 else 0
            rows.append({"id": f"{g}{i}", "outlet": g, "n_sentences": n, "n_opinion": k, "opinion_density": k / n,
                         "expected_opinion_density": k / n, "lede_n_sentences": 1, "lede_opinion_density": float(k > 0),
                         "n_quote_sentences": 0, "n_attributions": 0, "n_anonymous_attributions": 0})
    c = framing.compare_groups(pd.DataFrame(rows), by="outlet")
    low, high = c.table.loc[0, ["opinion_density_low", "opinion_density_high"]]
    wilson_800 = framing.aggregate.wilson_interval(400, 800)
    assert high - low > 2.5 * (wilson_800[1] - wilson_800[0])
    assert 0.25 < high - low < 0.4  # about 2 × 1.96 × sqrt(.25 / 40) = 0.31


def test_paired_difference_pools_an_events_articles():
    """Two articles of one outlet on one event count as that outlet's articles there: the paired
    difference is the difference of the two outlets' means over the events both cover."""
    def article(i, outlet, event, density):
        return {"id": i, "outlet": outlet, "event": event, "n_sentences": 10, "n_opinion": int(10 * density),
                "opinion_density": density, "expected_opinion_density": density, "lede_n_sentences": 1,
                "lede_opinion_density": 0.0, "n_quote_sentences": 0, "n_attributions": 2, "n_anonymous_attributions": 1}

    rows = [article("1", "x", "e1", 0.2), article("2", "x", "e1", 0.4), article("3", "y", "e1", 0.1),
            article("4", "x", "e2", 0.5), article("5", "y", "e2", 0.3), article("6", "y", "e3", 0.9)]
    c = framing.compare_groups(pd.DataFrame(rows), by="outlet", pair_by="event", resamples=50)
    paired = c.paired.set_index("metric")
    assert paired.loc["opinion_density", "n_events"] == 2  # e3 has no x article
    assert paired.loc["opinion_density", "difference"] == pytest.approx((0.2 + 0.4 + 0.5) / 3 - (0.1 + 0.3) / 2)
    assert "few" in paired.loc["opinion_density", "note"]


def test_position_profile_by_fifth_and_by_section():
    text = ("Budget Vote\n\nThe council voted on Monday. It met at noon.\n\n## What happened?\n\nThe plan passed 5-2. "
            "It is a reckless gamble.\n\n## Next steps\n\nThe second vote is in June. Who will pay for it?\n")
    results = [framing.analyze(text, classifier="rules", attribution="rules", markdown=True) for _ in range(3)]
    tables = framing.corpus_tables(results, metadata=[{"outlet": "x"}, {"outlet": "x"}, {"outlet": "y"}])
    sentences = tables["sentence"]
    assert set(sentences["section_kind"]) == {"body"} and sentences["in_lede"].any()
    c = framing.compare_groups(tables["article"], by="outlet", sentences=sentences, resamples=50)
    x = c.positions[c.positions["group"] == "x"].set_index(["profile", "position"])
    a = results[0]
    labels = [s.label in framing.OPINION_LABELS for s in a.sentences]
    n = len(labels)
    for b in range(5):
        mine = [o for i, o in enumerate(labels) if min(4, 5 * i // n) == b]
        if mine:
            assert x.loc[("fifth", f"{b + 1}/5"), "share"] == pytest.approx(sum(mine) / len(mine))
    question = [s for sec in a.sections if sec.heading == "What happened?" for s in sec.sentences]
    assert x.loc[("section", "question heading"), "n_sentences"] == 2 * len(question)
    assert x.loc[("section", "question heading"), "share"] == pytest.approx(
        sum(s.label in framing.OPINION_LABELS for s in question) / len(question))
    assert "faq" not in set(c.positions["position"])  # no article has an FAQ block


def test_a_sentence_table_alone_gives_the_same_numbers():
    articles, sentences = _corpus(seed=2, events=15)
    full = framing.compare_groups(articles, by="outlet", pair_by="event", sentences=sentences, resamples=100)
    alone = framing.compare_groups(sentences, by="outlet", pair_by="event", resamples=100)
    cols = ["group", "n_articles", "n_sentences", "opinion_density", "opinion_density_low", "quote_share_high",
            "lede_minus_rest", "lede_minus_rest_low", "expected_opinion_density"]
    pd.testing.assert_frame_equal(full.table[cols], alone.table[cols], check_dtype=False)
    pd.testing.assert_frame_equal(full.positions, alone.positions, check_dtype=False)
    assert alone.table["anonymous_share"].isna().all()
    assert any("anonymous sourcing needs" in n for n in alone.notes)
    assert "needs the article table" in alone.to_markdown()


# --------------------------------------------------------------------------- bad input


def test_a_missing_grouping_column_is_a_clear_error():
    articles, _ = _corpus(events=3)
    with pytest.raises(FramingError, match=r"'outlett' is not in the table.*--keep-columns"):
        framing.compare_groups(articles, by="outlett")
    with pytest.raises(FramingError, match="event"):
        framing.compare_groups(articles, by="outlet", pair_by="story")
    with pytest.raises(FramingError, match="article columns"):
        framing.compare_groups(articles[["id", "outlet"]], by="outlet")


def test_an_all_null_grouping_column_is_a_clear_error():
    articles, _ = _corpus(events=3)
    with pytest.raises(FramingError, match="every value is null"):
        framing.compare_groups(articles.assign(outlet=None), by="outlet")
    with pytest.raises(FramingError, match="every value is null"):
        framing.compare_groups(articles.assign(event=None), by="outlet", pair_by="event")


def test_a_group_of_one_article_is_flagged_not_a_silent_nan():
    articles, _ = _corpus(events=12)
    lone = articles.iloc[[0]].assign(outlet="lone", id="solo")
    c = framing.compare_groups(pd.concat([articles, lone]), by="outlet", resamples=100)
    row = c.table.set_index("group").loc["lone"]
    assert row["n_articles"] == 1 and row["opinion_density"] == articles.iloc[0]["opinion_density"]
    assert np.isnan(row["opinion_density_low"]) and row["note"].startswith("n=1: no interval")
    few = c.table.set_index("group").loc["fox"]
    assert "few articles" not in (few["note"] or "")
    diff = c.differences[(c.differences["group_a"] == "fox") & (c.differences["group_b"] == "lone")].iloc[0]
    assert np.isnan(diff["low"]) and "lone" in diff["note"] and diff["conclusive"] is None
    text = c.to_markdown()
    assert "n=1: no interval" in text and "nan" not in text.lower()
    assert "nan" not in c.to_html(with_plots=False).lower()


def test_rows_that_cannot_count_are_left_out_with_a_note():
    articles, sentences = _corpus(events=10)
    broken = articles.copy()
    broken.loc[0, "outlet"] = None
    broken.loc[1, ["error", "n_sentences"]] = ["empty", None]
    broken.loc[2, "n_sentences"] = 0
    broken.loc[3, "event"] = None
    c = framing.compare_groups(broken, by="outlet", pair_by="event", sentences=sentences, resamples=50)
    assert c.table["n_articles"].sum() == len(articles) - 3
    notes = " | ".join(c.notes)
    for expected in ("1 rows with an error", "1 articles with no 'outlet' value", "1 articles without body sentences",
                     "1 articles with no 'event' value"):
        assert expected in notes
    assert all(n in c.to_markdown() for n in c.notes)


def test_other_bad_input():
    articles, sentences = _corpus(events=4)
    with pytest.raises(FramingError, match="reference group 'cnn'"):
        framing.compare_groups(articles, by="outlet", reference="cnn")
    with pytest.raises(FramingError, match="'id' column"):
        framing.compare_groups(articles.drop(columns=["id"]), by="outlet", sentences=sentences)
    with pytest.raises(FramingError, match="repeats ids"):
        framing.compare_groups(pd.concat([articles, articles]), by="outlet", sentences=sentences)
    with pytest.raises(FramingError, match="no such file"):
        framing.compare_groups("/nonexistent/scored.parquet", by="outlet")
    # Outlets that never cover the same event: paired rows say so.
    apart = articles.assign(event=articles["outlet"] + articles["event"])
    c = framing.compare_groups(apart, by="outlet", pair_by="event", resamples=20)
    assert (c.paired["note"] == "no event covered by both groups").all()
    # A group without attributions has no anonymous share, and says why.
    quiet = articles.assign(n_attributions=np.where(articles["outlet"] == "fox", 0, articles["n_attributions"]),
                            n_anonymous_attributions=np.where(articles["outlet"] == "fox", 0, articles["n_anonymous_attributions"]))
    row = framing.compare_groups(quiet, by="outlet", resamples=20).table.set_index("group").loc["fox"]
    assert np.isnan(row["anonymous_share"]) and "no attributions" in row["note"]
    # Year-like groups given as text on the command line still match.
    years = articles.assign(year=np.where(articles["outlet"] == "fox", 2019, 2020))
    c = framing.compare_groups(years, by="year", reference="2019", resamples=20)
    assert set(c.differences["group_b"]) == {2019}


# --------------------------------------------------------------------------- reports


def test_markdown_and_html_reports():
    articles, sentences = _corpus(events=20)
    c = framing.compare_groups(articles, by="outlet", pair_by="event", sentences=sentences, resamples=200)
    text = c.to_markdown()
    for heading in ("## Groups (outlet)", "## Paired differences (same event)", "## Differences between groups",
                    "### By fifth of the article body", "### By section position", "seed 20251125"):
        assert heading in text
    page = c.to_html()
    assert page.startswith("<!doctype html>") and page.count("data:image/png;base64,") == 4
    for png in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page):
        assert base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<script" not in page.lower() and "http" not in page.split("<body", 1)[1]
    assert c._repr_html_().startswith("<style>")


def test_without_matplotlib_the_page_keeps_its_tables(monkeypatch, tmp_path):
    import framing.compare.report as report

    monkeypatch.setattr(report, "_pyplot", lambda: None)
    articles, _ = _corpus(events=10)
    c = framing.compare_groups(articles, by="outlet", resamples=50)
    page = c.to_html()
    assert "pip install &#x27;framing[eval]&#x27;" in page and "data:image" not in page
    assert "<table>" in page
    md = c.save(tmp_path / "r.md")
    assert "pip install 'framing[eval]'" in md.read_text() and not (tmp_path / "r-plots").exists()


def test_markdown_report_writes_its_plots_beside_it(tmp_path):
    articles, sentences = _corpus(events=10)
    c = framing.compare_groups(articles, by="outlet", pair_by="event", sentences=sentences, resamples=50)
    md = c.save(tmp_path / "report.md")
    text = md.read_text()
    plots = sorted(p.name for p in (tmp_path / "report-plots").iterdir())
    assert plots == ["fifths.png", "groups.png", "paired.png", "sections.png"]
    assert all(f"report-plots/{p}" in text for p in plots)
    with pytest.raises(FramingError, match=".html or .md"):
        c.save(tmp_path / "report.pdf")


def _colour_pixels(pixels: np.ndarray, hex_colour: str, tolerance: int = 10) -> int:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels.astype(int) - rgb).max(axis=2) <= tolerance).sum())


@pytest.mark.slow
def test_report_page_in_headless_chromium(tmp_path):
    from test_render import _read_png_rgb, screenshot

    from framing.compare.report import _COLOURS

    articles, sentences = _corpus(events=30)
    c = framing.compare_groups(articles, by="outlet", pair_by="event", sentences=sentences)
    page = c.save(tmp_path / "report.html")
    png = tmp_path / "report.png"
    screenshot(page, png, tmp_path / "profile", size="1300,3000")
    pixels = _read_png_rgb(png)
    assert pixels.shape[:2] == (3000, 1300)
    # The plots are drawn: each outlet's colour shows (markers, lines, bands), and the tables'
    # header shade is there.
    for colour in _COLOURS[:3]:
        assert _colour_pixels(pixels, colour) > 150, colour
    assert _colour_pixels(pixels, "#eef1f4", 2) > 5000


# --------------------------------------------------------------------------- side by side


class _Columns(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.columns: list[list[str]] = []
        self.depth: list[str] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if "framing-column" in classes:
            self.columns.append([])
        if "framing-sentence" in classes:
            self.columns[-1].append(dict(attrs)["data-label"])
        if tag == "td":
            self._in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.cells[-1] += data


def test_side_by_side_view(reference_text, tmp_path):
    small = ("Budget Vote\n\nThe council approved the budget on Monday, officials said. It was a reckless gamble. "
             "Who pays for it?\n")
    a = framing.analyze(reference_text, classifier="rules", attribution="rules")
    b = framing.analyze(small, classifier="rules", attribution="rules")
    view = framing.compare_articles([a, b], names=["long", "short <b>"])
    page = _Columns()
    page.feed(view._repr_html_())
    assert page.columns == [[s.label for s in a.sentences], [s.label for s in b.sentences]]
    assert view._repr_html_().count("<style>") == 1
    assert "short &lt;b&gt;" in view._repr_html_()
    table = view.table
    assert table["n_sentences"].tolist() == [len(a.sentences), len(b.sentences)]
    assert table.loc[1, "opinion_density"] == pytest.approx(b.overall.opinion_density)
    assert any(f"{b.overall.n_opinion}/{len(b.sentences)}" in cell for cell in page.cells)
    assert "| short <b> |" in view.to_markdown()
    saved = view.save_html(tmp_path / "pair.html")
    assert saved.read_text().startswith("<!doctype html>")
    with pytest.raises(TypeError, match="Analysis"):
        framing.compare_articles(["not an analysis"])
    with pytest.raises(ValueError, match="names"):
        framing.compare_articles([a, b], names=["one"])


@pytest.mark.slow
def test_side_by_side_in_headless_chromium(reference_text, tmp_path):
    from test_render import _read_png_rgb, screenshot

    from framing.render import LABEL_COLOURS

    a = framing.analyze(reference_text, classifier="rules", attribution="rules")
    view = framing.compare_articles([a, a, a], names=["one", "two", "three"])
    png = tmp_path / "columns.png"
    screenshot(view.save_html(tmp_path / "columns.html"), png, tmp_path / "profile", size="1500,1600")
    pixels = _read_png_rgb(png)
    blue = np.all(pixels == np.array([int(LABEL_COLOURS["factual_report"][i:i + 2], 16) for i in (1, 3, 5)]), axis=2)
    # Three columns of highlighted text: factual-report blue in each third of the page's width.
    thirds = [blue[:, k * 500:(k + 1) * 500].sum() for k in range(3)]
    assert min(thirds) > 10_000, thirds


# --------------------------------------------------------------------------- the command line


def test_score_with_kept_columns_then_report(tmp_path, capsys):
    from framing.cli import main

    articles = [
        "Budget Vote\n\nThe council voted 5-2 on Tuesday. \"We will act,\" the mayor said. It was a reckless gamble.",
        "Budget Vote\n\nThe council approved the budget. Officials said the plan adds 40 bus routes.",
        "Budget Vote\n\nWho will pay for it? The plan is a disaster, a source said. The vote was 5-2.",
    ]
    records = [{"id": f"r{i}", "text": articles[i % 3] + f" Item {i}.", "outlet": ["a", "b"][i % 2], "event": f"e{i // 2}"}
               for i in range(24)]
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    for level in ("article", "sentence"):
        assert main(["score", str(corpus), "-o", str(tmp_path / f"{level}.parquet"), "--level", level, "--classifier",
                     "rules", "--attribution", "rules", "--no-progress", "--keep-columns", "outlet,event"]) == 0
    out = tmp_path / "report.html"
    assert main(["report", str(tmp_path / "article.parquet"), str(tmp_path / "sentence.parquet"), "--by", "outlet",
                 "--pair-by", "event", "-o", str(out), "--resamples", "100"]) == 0
    page = out.read_text()
    assert "Paired differences (same event)" in page and "By fifth of the article body" in page
    capsys.readouterr()
    assert main(["report", str(tmp_path / "sentence.parquet"), "--by", "outlet", "--resamples", "100"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# Opinion and sourcing by outlet") and "needs the article table" in printed
    assert main(["report", str(tmp_path / "article.parquet"), "--by", "year"]) == 2
    assert "'year' is not in the table" in capsys.readouterr().err


@pytest.mark.slow
def test_the_basil_example_runs_end_to_end(shared_dir, tmp_path):
    import subprocess

    report, side = tmp_path / "outlets.html", tmp_path / "event.html"
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "compare_outlets.py"), "--data", str(shared_dir / "data" / "basil"),
         "--limit", "4", "--classifier", "rules", "--report", str(report), "--side-by-side", str(side)],
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "12 BASIL articles on 4 events, classifier rules-v1" in done.stdout
    assert "| fox | 4 |" in done.stdout and "## Paired differences (same event)" in done.stdout
    assert "few articles" in done.stdout  # four articles per outlet: said, not hidden
    assert report.read_text().count("data:image/png") >= 3
    assert side.read_text().count('class="framing-column"') == 3
