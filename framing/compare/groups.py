"""Corpus statistics by group: ``compare_groups(articles, by="outlet", pair_by="event")``.

Reads the tables that ``framing score``, ``analyze_many`` (through :func:`corpus_tables`) or
``score_dataset`` make — pandas DataFrames or Parquet/CSV/JSONL paths — and needs no model.

The statistical unit is the **article**. Sentences of one article are not independent (one
author, one topic, one style), so every interval resamples whole articles (a cluster bootstrap),
never sentences; a paired difference resamples **events** (``pair_by``: articles on the same
event from several groups). The percentile bootstrap runs vectorized
(:func:`framing.metrics.bootstrap_sums`: draw counts times per-article sums, one matrix product
per group), so a corpus of 200,000 articles takes seconds.

Reproducibility: with the same ``seed`` every interval is the same. A group's own intervals use
the draws of ``framing.metrics.bootstrap_indices(n, resamples, seed)`` over its ``n`` articles,
so they depend only on that group's articles and the seed (the numbers ``evals/run.py`` reported
before it called this function); differences between two groups use independent draws for each
group, seeded by the seed and the group's name.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from framing.errors import FramingError
from framing.labels import OPINION_LABELS
from framing.compare.measures import FIFTHS, METRICS, POSITION_KINDS, SECTION_POSITIONS, Metric
from framing.metrics import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_sums, percentile_interval

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["METRICS", "POSITION_KINDS", "GroupComparison", "Metric", "compare_groups", "read_table"]

#: Groups with fewer articles than this get a note: a percentile bootstrap over a handful of
#: articles gives intervals that are too narrow.
FEW_ARTICLES = 10


_ARTICLE_COLUMNS = ("n_sentences", "n_opinion", "opinion_density", "expected_opinion_density",
                    "lede_n_sentences", "lede_opinion_density", "n_quote_sentences")


# --------------------------------------------------------------------------- reading tables


def read_table(source: "pd.DataFrame | str | Path") -> "pd.DataFrame":
    """A DataFrame as given, or a scored table read from a .parquet, .csv(.gz) or .jsonl(.gz) file."""
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        return source
    path = Path(source)
    if not path.is_file():
        raise FramingError(f"no such file: {path}")
    from framing.batch.io import file_format

    fmt = file_format(path)
    try:
        if fmt == "parquet":
            return pd.read_parquet(path)
        if fmt == "csv":
            return pd.read_csv(path, keep_default_na=True, low_memory=False)
        return pd.read_json(path, lines=True, dtype=False)
    except ValueError as exc:
        raise FramingError(f"cannot read {path} as a {fmt} table ({exc})") from exc


def is_sentence_table(df: "pd.DataFrame") -> bool:
    return {"sentence_index", "label"} <= set(df.columns) and "n_sentences" not in df.columns


def _ok_rows(df: "pd.DataFrame") -> tuple["pd.DataFrame", int]:
    """Rows without an ``error`` (error rows and placeholders of a corpus table), and how many went."""
    if "error" not in df.columns:
        return df, 0
    ok = df["error"].isna()
    return df[ok], int((~ok).sum())


def articles_from_sentences(sentences: "pd.DataFrame", keep: Sequence[str]) -> "pd.DataFrame":
    """The article columns this module reads, rebuilt from a sentence table (one row per sentence,
    ``id`` per article), with the ``keep`` columns (group, event) taken from each article's first
    row. Anonymous sourcing is not in a sentence table: ``n_anonymous_attributions`` stays out."""
    import pandas as pd

    if "id" not in sentences.columns:
        raise FramingError("a sentence table needs its 'id' column to tell articles apart")
    every_id = sentences.drop_duplicates("id")[["id", *[c for c in keep if c != "id"]]]
    df, _ = _ok_rows(sentences)
    opinion = df["label"].isin(sorted(OPINION_LABELS))
    p_opinion = df.get("p_editorial_judgment", 0.0) + df.get("p_rhetorical_question", 0.0)
    work = pd.DataFrame({
        "id": df["id"].to_numpy(),
        "one": 1,
        "opinion": opinion.to_numpy(dtype=np.int64),
        "p": np.asarray(p_opinion, dtype=float),
        "quote": (df["label"] == "attributed_quote").to_numpy(dtype=np.int64),
        "lede": df["in_lede"].fillna(False).to_numpy(dtype=bool).astype(np.int64),
    })
    work["lede_opinion"] = work["lede"] * work["opinion"]
    sums = work.groupby("id", sort=False).sum()
    out = every_id.set_index("id").join(sums, how="left").fillna({"one": 0, "opinion": 0, "p": 0.0, "quote": 0,
                                                                   "lede": 0, "lede_opinion": 0})
    n = out["one"].to_numpy(dtype=float)
    lede_n = out["lede"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = out.assign(
            n_sentences=n.astype(np.int64),
            n_opinion=out["opinion"].to_numpy(dtype=np.int64),
            opinion_density=np.where(n > 0, out["opinion"] / np.maximum(n, 1), 0.0),
            expected_opinion_density=np.where(n > 0, out["p"] / np.maximum(n, 1), 0.0),
            lede_n_sentences=lede_n.astype(np.int64),
            lede_opinion_density=np.where(lede_n > 0, out["lede_opinion"] / np.maximum(lede_n, 1), 0.0),
            n_quote_sentences=out["quote"].to_numpy(dtype=np.int64),
        )
    return out.drop(columns=["one", "opinion", "p", "quote", "lede", "lede_opinion"]).reset_index()


# --------------------------------------------------------------------------- per-article numbers


def _position_counts(sentences: "pd.DataFrame", ids: np.ndarray) -> dict[str, np.ndarray]:
    """Per article (in the order of ``ids``): opinion and sentence counts by fifth of the body and
    by section position, as ``pos:fifth:K:op`` / ``pos:fifth:K:n`` arrays."""
    import pandas as pd

    if "id" not in sentences.columns:
        raise FramingError("the sentence table has no 'id' column: it cannot be joined to the articles")
    df, _ = _ok_rows(sentences)
    df = df[df["id"].isin(ids)]
    codes = pd.Index(ids).get_indexer(df["id"])
    n_articles = len(ids)
    opinion = df["label"].isin(sorted(OPINION_LABELS)).to_numpy()
    # The position of a sentence among its article's body sentences (sentence_index is that
    # already in a framing table; a filtered table is re-ranked in sentence order).
    index = df["sentence_index"].to_numpy(dtype=np.int64)
    per_article = np.bincount(codes, minlength=n_articles)
    last = np.full(n_articles, -1, dtype=np.int64)
    np.maximum.at(last, codes, index)
    if not np.array_equal(last[per_article > 0] + 1, per_article[per_article > 0]):
        order = np.lexsort((index, codes))
        rank = np.empty(len(codes), dtype=np.int64)
        rank[order] = pd.Series(codes[order]).groupby(codes[order]).cumcount().to_numpy()
        index = rank
    length = per_article[codes]
    fifth = np.minimum(FIFTHS - 1, FIFTHS * index // np.maximum(1, length))
    out: dict[str, np.ndarray] = {}
    for b in range(FIFTHS):
        sel = fifth == b
        out[f"pos:fifth:{b}:op"] = np.bincount(codes[sel], weights=opinion[sel], minlength=n_articles)
        out[f"pos:fifth:{b}:n"] = np.bincount(codes[sel], minlength=n_articles).astype(float)

    in_lede = df["in_lede"].fillna(False).to_numpy(dtype=bool) if "in_lede" in df.columns else np.zeros(len(df), bool)
    kind = df["section_kind"].astype("string").fillna("").to_numpy() if "section_kind" in df.columns else np.full(len(df), "")
    name = df["section"].astype("string").fillna("").str.strip() if "section" in df.columns else pd.Series([""] * len(df))
    question = name.str.endswith("?").to_numpy(dtype=bool)
    where = np.where(in_lede, "lede", np.where(kind == "faq", "faq", np.where(question, "question heading", "body")))
    for k, position in enumerate(SECTION_POSITIONS):
        sel = where == position
        out[f"pos:section:{k}:op"] = np.bincount(codes[sel], weights=opinion[sel], minlength=n_articles)
        out[f"pos:section:{k}:n"] = np.bincount(codes[sel], minlength=n_articles).astype(float)
    return out


@dataclass
class _Articles:
    """The articles that enter the statistics, as arrays (one entry per article)."""

    group: np.ndarray  # group codes 0..G-1
    groups: list[Any]  # group labels
    event: np.ndarray | None  # event codes, or None
    populations: dict[str, np.ndarray]  # population name -> bool mask
    #: column name -> values; metric m has "m:num" and "m:den"; positions "pos:…:op" / "pos:…:n".
    columns: dict[str, np.ndarray]
    n_sentences: np.ndarray
    notes: list[str] = field(default_factory=list)
    has_anonymous: bool = True
    position_kinds: tuple[str, ...] = ()


def _sorted_labels(values: Sequence[Any]) -> list[Any]:
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _prepare(articles: "pd.DataFrame", by: str, pair_by: str | None, sentences: "pd.DataFrame | None",
             order: Sequence[Any] | None) -> _Articles:
    import pandas as pd

    notes: list[str] = []
    for column, what in ((by, "grouping"), (pair_by, "event (pair_by)")):
        if column is not None and column not in articles.columns:
            raise FramingError(
                f"the {what} column {column!r} is not in the table; its columns are {list(articles.columns)}. "
                "Carry it through scoring with `framing score --keep-columns` (or add it to the table)"
            )
    missing = [c for c in _ARTICLE_COLUMNS if c not in articles.columns]
    if missing:
        raise FramingError(
            f"the table lacks the article columns {missing}: pass an article table "
            "(framing score --level article, or corpus_tables(...)['article']) or a sentence table"
        )
    df, n_errors = _ok_rows(articles)
    if n_errors:
        notes.append(f"{n_errors:,} rows with an error (unreadable or unanalyzable records) left out")
    if articles[by].isna().all():
        raise FramingError(f"the grouping column {by!r} is empty (every value is null): nothing to compare")
    null_group = df[by].isna()
    if null_group.any():
        notes.append(f"{int(null_group.sum()):,} articles with no {by!r} value left out")
        df = df[~null_group]
    empty = df["n_sentences"].fillna(0) <= 0
    if empty.any():
        notes.append(f"{int(empty.sum()):,} articles without body sentences left out")
        df = df[~empty]
    if df.empty:
        raise FramingError(f"no article with body sentences and a {by!r} value: nothing to compare")

    present = _sorted_labels(pd.unique(df[by]).tolist())
    if order is not None:
        unknown = [g for g in order if g not in present]
        if unknown:
            raise FramingError(f"order names groups that are not in the table: {unknown}; groups: {present}")
        labels = list(order) + [g for g in present if g not in order]
    else:
        labels = present
    group = pd.Index(labels).get_indexer(df[by]).astype(np.int64)

    event = None
    if pair_by is not None:
        keyed = df[pair_by].notna().to_numpy()
        if not keyed.any():
            raise FramingError(f"the event column {pair_by!r} is empty (every value is null): nothing to pair")
        if not keyed.all():
            notes.append(f"{int((~keyed).sum()):,} articles with no {pair_by!r} value are left out of the paired differences")
        codes, _ = pd.factorize(df[pair_by])
        event = codes.astype(np.int64)  # -1 for a null event

    n = df["n_sentences"].to_numpy(dtype=float)
    density = df["opinion_density"].to_numpy(dtype=float)
    n_opinion = df["n_opinion"].to_numpy(dtype=float)
    lede_n = df["lede_n_sentences"].fillna(0).to_numpy(dtype=float)
    lede_opinion = np.rint(df["lede_opinion_density"].fillna(0).to_numpy(dtype=float) * lede_n)
    rest_n = n - lede_n
    has_lede_and_rest = (lede_n > 0) & (rest_n > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rest_density = np.where(rest_n > 0, (n_opinion - lede_opinion) / np.maximum(rest_n, 1), 0.0)
        lede_density = np.where(lede_n > 0, lede_opinion / np.maximum(lede_n, 1), 0.0)
    one = np.ones(len(df))
    columns: dict[str, np.ndarray] = {
        "opinion_density:num": density, "opinion_density:den": one,
        "expected_opinion_density:num": df["expected_opinion_density"].to_numpy(dtype=float),
        "expected_opinion_density:den": one,
        "quote_share:num": df["n_quote_sentences"].to_numpy(dtype=float) / n, "quote_share:den": one,
        "lede_minus_rest:num": np.where(has_lede_and_rest, lede_density - rest_density, 0.0),
        "lede_minus_rest:den": has_lede_and_rest.astype(float),
    }
    has_anonymous = {"n_attributions", "n_anonymous_attributions"} <= set(df.columns)
    if has_anonymous:
        columns["anonymous_share:num"] = df["n_anonymous_attributions"].fillna(0).to_numpy(dtype=float)
        columns["anonymous_share:den"] = df["n_attributions"].fillna(0).to_numpy(dtype=float)
    else:
        notes.append("anonymous sourcing needs the article table's n_anonymous_attributions column "
                     "(framing score --level article): not computed")

    position_kinds: tuple[str, ...] = ()
    if sentences is not None:
        if "id" not in df.columns:
            raise FramingError("the article table has no 'id' column, so the sentence table cannot be joined to it")
        ids = df["id"].to_numpy()
        if pd.Index(ids).has_duplicates:
            raise FramingError("the article table repeats ids: each article needs its own id to join its sentences")
        columns.update(_position_counts(sentences, ids))
        position_kinds = POSITION_KINDS
    return _Articles(group, labels, event,
                     {"articles": np.ones(len(df), dtype=bool), "lede": has_lede_and_rest},
                     columns, n, notes, has_anonymous, position_kinds)


# --------------------------------------------------------------------------- the bootstrap


def _stream(seed: int, *keys: Any) -> np.random.Generator:
    """An independent, reproducible random stream for ``keys`` (e.g. a group's name)."""
    entropy = [int(seed)] + [zlib.crc32(repr(k).encode("utf-8")) for k in keys]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _interval(draws: np.ndarray, level: float) -> tuple[float, float]:
    """The percentile interval of bootstrap draws; a resample that drew no denominator (no
    attribution) is NaN and left out; all NaN gives (NaN, NaN)."""
    kept = draws[~np.isnan(draws)]
    if not kept.size:
        return float("nan"), float("nan")
    low, high = percentile_interval(kept, level)
    return low, high


def _metric_names(data: _Articles, population: str) -> list[str]:
    return [m.name for m in METRICS.values() if m.population == population and f"{m.name}:num" in data.columns]


def _position_columns(data: _Articles) -> list[str]:
    return [c for c in data.columns if c.startswith("pos:")]


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True, eq=False)  # tables compare with pandas, not ==
class GroupComparison:
    """What :func:`compare_groups` found: four tables and the settings that made them.

    - ``table``: one row per group: articles, sentences, and each metric of :data:`METRICS`
      with its 95% interval (``<metric>``, ``<metric>_low``, ``<metric>_high``) and ``note``;
    - ``differences``: group a − group b for each metric, independent cluster bootstraps;
    - ``paired``: the same differences within events (``pair_by``), bootstrap over events;
    - ``positions``: opinion share by fifth of the body and by section position, per group.

    A number that cannot be estimated (one article, no attributions) is NaN *with a note* in the
    row saying why; ``to_markdown`` and ``to_html`` print the note in its place.
    """

    by: str
    pair_by: str | None
    table: "pd.DataFrame"
    differences: "pd.DataFrame"
    paired: "pd.DataFrame | None"
    positions: "pd.DataFrame | None"
    notes: tuple[str, ...]
    seed: int
    resamples: int
    level: float = 0.95

    @property
    def groups(self) -> list[Any]:
        return self.table["group"].tolist()

    def to_markdown(self, **kwargs: Any) -> str:
        from framing.compare.report import to_markdown

        return to_markdown(self, **kwargs)

    def to_html(self, **kwargs: Any) -> str:
        """A standalone HTML page: tables, and plots when matplotlib is installed."""
        from framing.compare.report import to_html

        return to_html(self, **kwargs)

    def _repr_html_(self) -> str:
        from framing.compare.report import to_html

        return to_html(self, page=False)

    def save(self, path: "str | Path", **kwargs: Any) -> Path:
        """Write the report as HTML (``.html``) or Markdown (``.md``, plots as PNG files beside it)."""
        from framing.compare.report import save_report

        return save_report(self, path, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        def records(df: "pd.DataFrame | None") -> list[dict[str, Any]] | None:
            if df is None:
                return None
            return [{k: _plain(v) for k, v in row.items()} for row in df.to_dict("records")]

        return {
            "by": self.by, "pair_by": self.pair_by, "seed": self.seed, "resamples": self.resamples,
            "level": self.level, "notes": list(self.notes),
            "table": records(self.table), "differences": records(self.differences),
            "paired": records(self.paired), "positions": records(self.positions),
        }

    def __repr__(self) -> str:
        groups = ", ".join(f"{g} ({n})" for g, n in zip(self.table["group"], self.table["n_articles"]))
        return f"GroupComparison(by={self.by!r}, groups: {groups}; {self.resamples} resamples, seed {self.seed})"


def _plain(value: Any) -> Any:
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def compare_groups(
    articles: "pd.DataFrame | str | Path",
    by: str = "outlet",
    *,
    pair_by: str | None = None,
    sentences: "pd.DataFrame | str | Path | None" = None,
    reference: Any = None,
    order: Sequence[Any] | None = None,
    seed: int = DEFAULT_SEED,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = 0.95,
) -> GroupComparison:
    """Compare groups of scored articles (outlets, years, any column) with honest intervals.

    ``articles``: an article table (``framing score --level article``, ``score_dataset``,
    ``corpus_tables(results)["article"]``) as a DataFrame or a file path; a sentence table is
    accepted too (the article numbers are rebuilt from it, except anonymous sourcing, and it
    doubles as ``sentences``). ``by``: the grouping column. ``pair_by``: an event column; articles
    sharing it are compared within the event (BASIL's ``triplet-uuid``). ``sentences``: the
    sentence table of the same run (joined on ``id``), for position profiles. ``reference``: take
    differences against this group only (default: every pair). ``order``: groups in this order
    first (default: sorted).

    Intervals are percentile-bootstrap ``level`` intervals over articles (events for ``paired``),
    ``resamples`` resamples from ``seed``: the same seed gives the same intervals.
    """
    import pandas as pd

    if resamples < 1:
        raise ValueError("resamples must be at least 1")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    table = read_table(articles)
    sentence_table = read_table(sentences) if sentences is not None else None
    if is_sentence_table(table):
        keep = [c for c in ("id", by, pair_by) if c is not None]
        for column in keep[1:]:
            if column not in table.columns:
                raise FramingError(
                    f"the column {column!r} is not in the table; its columns are {list(table.columns)}. "
                    "Carry it through scoring with `framing score --keep-columns`"
                )
        if sentence_table is None:
            sentence_table = table
        table = articles_from_sentences(table, keep)
    data = _prepare(table, by, pair_by, sentence_table, order)
    if reference is not None and reference not in data.groups:
        by_text = {str(g): g for g in data.groups}  # "2019" from the command line for the year 2019
        if str(reference) not in by_text:
            raise FramingError(f"the reference group {reference!r} is not among the groups {data.groups}")
        reference = by_text[str(reference)]

    rows, draws = _group_rows(data, seed, resamples, level)
    differences = _differences(data, draws, reference, level)
    paired = _paired(data, reference, seed, resamples, level) if data.event is not None else None
    positions = _positions(data, rows, level) if data.position_kinds else None
    columns = ["group", "n_articles", "n_sentences", "n_attributions"]
    for name in METRICS:
        columns += [name, f"{name}_low", f"{name}_high"]
    columns += ["n_lede_rest", "note"]
    frame = pd.DataFrame([{c: r.get(c) for c in columns} for r in rows], columns=columns)
    return GroupComparison(by, pair_by, frame, differences, paired, positions, tuple(data.notes), seed, resamples, level)


def _group_rows(data: _Articles, seed: int, resamples: int, level: float) -> tuple[list[dict[str, Any]], dict]:
    """Per group: point estimates and intervals (draws from ``seed``), and the group's independent
    draws for the differences (from ``seed`` and its name)."""
    rows: list[dict[str, Any]] = []
    #: (group code, metric) -> (point, independent draws)
    draws: dict[tuple[int, str], tuple[float, np.ndarray | None]] = {}
    positions = _position_columns(data)
    for g, label in enumerate(data.groups):
        in_group = data.group == g
        row: dict[str, Any] = {"group": label, "_positions": {}}
        notes: list[str] = []
        n_articles = int(in_group.sum())
        row["n_articles"] = n_articles
        row["n_sentences"] = int(data.n_sentences[in_group].sum())
        row["n_attributions"] = int(data.columns["anonymous_share:den"][in_group].sum()) if data.has_anonymous else None
        row["n_lede_rest"] = int((in_group & data.populations["lede"]).sum())
        if n_articles == 1:
            notes.append("n=1: no interval")
        elif n_articles < FEW_ARTICLES:
            notes.append(f"n={n_articles}: few articles, the interval is too narrow")
        specs = []
        for population in ("articles", "lede"):
            names = _metric_names(data, population)
            extra = positions if population == "articles" else []
            cols = [f"{m}:{part}" for m in names for part in ("num", "den")] + extra
            specs.append((population, names, extra, in_group & data.populations[population], cols))
        # Each population's draws come fresh from `seed`, as bootstrap_indices(k, resamples, seed)
        # would give them; when both populations are the same articles the draws are the same,
        # so one pass serves both.
        drawn: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if np.array_equal(specs[0][3], specs[1][3]) and specs[0][3].sum() >= 2:
            union = specs[0][4] + specs[1][4]
            values = np.column_stack([data.columns[c][specs[0][3]] for c in union])
            both = (bootstrap_sums(values, resamples, seed),
                    bootstrap_sums(values, resamples, _stream(seed, "group", label)))
            for population, _, _, _, cols in specs:
                at = [union.index(c) for c in cols]
                drawn[population] = (both[0][:, at], both[1][:, at])
        for population, names, extra, mask, cols in specs:
            k = int(mask.sum())
            values = np.column_stack([data.columns[c][mask] for c in cols]) if k else np.zeros((0, len(cols)))
            point = values.sum(axis=0)
            if k >= 2:
                if population not in drawn:
                    drawn[population] = (bootstrap_sums(values, resamples, seed),
                                         bootstrap_sums(values, resamples, _stream(seed, "group", label, population)))
                sums, independent = drawn[population]
            for j, m in enumerate(names):
                num, den = point[2 * j], point[2 * j + 1]
                row[m] = float(num / den) if den > 0 else np.nan
                low = high = np.nan
                if k >= 2 and den > 0:
                    low, high = _interval(_ratio(sums[:, 2 * j], sums[:, 2 * j + 1]), level)
                    ind = _ratio(independent[:, 2 * j], independent[:, 2 * j + 1])
                    draws[(g, m)] = (row[m], ind)
                else:
                    draws[(g, m)] = (row[m], None)
                row[f"{m}_low"], row[f"{m}_high"] = low, high
                if den <= 0 and m == "anonymous_share":
                    notes.append("no attributions: no anonymous share")
                elif den <= 0 and m == "lede_minus_rest":
                    notes.append("no article with a lede and a rest: no lede − rest")
                elif k == 1 and n_articles > 1 and m == "lede_minus_rest":
                    notes.append("lede − rest from 1 article: no interval")
            for j, c in enumerate(extra, start=2 * len(names)):
                row["_positions"][c] = (point[j], sums[:, j] if k >= 2 else None)
        for name in METRICS:
            row.setdefault(name, np.nan)
            row.setdefault(f"{name}_low", np.nan)
            row.setdefault(f"{name}_high", np.nan)
        row["note"] = "; ".join(dict.fromkeys(notes)) or ""
        rows.append(row)
    return rows, draws


def _pairs(groups: list[Any], reference: Any) -> list[tuple[int, int]]:
    if reference is not None:
        r = groups.index(reference)
        return [(g, r) for g in range(len(groups)) if g != r]
    return list(itertools.combinations(range(len(groups)), 2))


def _conclusive(low: float, high: float) -> bool | None:
    if np.isnan(low) or np.isnan(high):
        return None
    return bool(low > 0 or high < 0)


def _differences(data: _Articles, draws: dict, reference: Any, level: float) -> "pd.DataFrame":
    import pandas as pd

    out = []
    counts = np.bincount(data.group, minlength=len(data.groups))
    for m in METRICS:
        for a, b in _pairs(data.groups, reference):
            if (a, m) not in draws:
                continue
            pa, da = draws[(a, m)]
            pb, db = draws[(b, m)]
            row = {"metric": m, "group_a": data.groups[a], "group_b": data.groups[b],
                   "n_a": int(counts[a]), "n_b": int(counts[b]),
                   "difference": pa - pb, "low": np.nan, "high": np.nan, "conclusive": None, "note": ""}
            if da is None or db is None:
                which = [str(data.groups[g]) for g, d in ((a, da), (b, db)) if d is None]
                row["note"] = f"{' and '.join(which)}: too few articles (or no value) for an interval"
            else:
                row["low"], row["high"] = _interval(da - db, level)
                row["conclusive"] = _conclusive(row["low"], row["high"])
            out.append(row)
    return pd.DataFrame(out, columns=["metric", "group_a", "group_b", "n_a", "n_b", "difference", "low", "high",
                                      "conclusive", "note"])


def _paired(data: _Articles, reference: Any, seed: int, resamples: int, level: float) -> "pd.DataFrame":
    """Differences within events: per event and group, the sums of the metric's numerator and
    denominator over the group's articles on that event; events covered by both groups are
    resampled (bootstrap_indices(E, resamples, seed) draws), and the difference is that of the
    two groups' ratios of summed values. With one article per group and event it is the mean of
    the per-event differences."""
    import pandas as pd

    assert data.event is not None
    keyed = data.event >= 0
    n_events = int(data.event.max()) + 1 if keyed.any() else 0
    out = []
    for a, b in _pairs(data.groups, reference):
        for population in ("articles", "lede"):
            names = _metric_names(data, population)
            if not names:
                continue
            mask = data.populations[population] & keyed
            per: dict[int, np.ndarray] = {}
            covered = np.ones(n_events, dtype=bool)
            for g in (a, b):
                sel = mask & (data.group == g)
                ev = data.event[sel]
                present = np.bincount(ev, minlength=n_events) > 0
                covered &= present
                per[g] = np.column_stack([
                    np.bincount(ev, weights=data.columns[f"{m}:{part}"][sel], minlength=n_events)
                    for m in names for part in ("num", "den")
                ])
            events = np.flatnonzero(covered)
            E = len(events)
            if E:
                values = np.column_stack([per[a][events], per[b][events]])
                point = values.sum(axis=0)
                sums = bootstrap_sums(values, resamples, seed) if E >= 2 else None
            half = 2 * len(names)
            for j, m in enumerate(names):
                row = {"metric": m, "group_a": data.groups[a], "group_b": data.groups[b], "n_events": E,
                       "difference": np.nan, "low": np.nan, "high": np.nan, "conclusive": None, "note": ""}
                if E == 0:
                    row["note"] = "no event covered by both groups"
                else:
                    va = _ratio(point[2 * j], point[2 * j + 1])
                    vb = _ratio(point[half + 2 * j], point[half + 2 * j + 1])
                    row["difference"] = float(va - vb)
                    if np.isnan(row["difference"]):
                        row["note"] = "no value in one of the groups (e.g. no attributions)"
                    elif sums is None:
                        row["note"] = "n=1 event: no interval"
                    else:
                        d = _ratio(sums[:, 2 * j], sums[:, 2 * j + 1]) - _ratio(sums[:, half + 2 * j], sums[:, half + 2 * j + 1])
                        row["low"], row["high"] = _interval(d, level)
                        row["conclusive"] = _conclusive(row["low"], row["high"])
                        if E < FEW_ARTICLES:
                            row["note"] = f"{E} events: few, the interval is too narrow"
                out.append(row)
    frame = pd.DataFrame(out, columns=["metric", "group_a", "group_b", "n_events", "difference", "low", "high",
                                       "conclusive", "note"])
    order = {m: i for i, m in enumerate(METRICS)}
    frame["_o"] = frame["metric"].map(order)
    pair_order = {p: i for i, p in enumerate(_pairs(data.groups, reference))}
    frame["_p"] = [pair_order[(data.groups.index(x), data.groups.index(y))] for x, y in zip(frame["group_a"], frame["group_b"])]
    return frame.sort_values(["_o", "_p"], kind="stable").drop(columns=["_o", "_p"]).reset_index(drop=True)


def _positions(data: _Articles, rows: list[dict[str, Any]], level: float) -> "pd.DataFrame":
    import pandas as pd

    out = []
    for g, row in enumerate(rows):
        in_group = data.group == g
        for kind, bins in (("fifth", [f"{b + 1}/{FIFTHS}" for b in range(FIFTHS)]), ("section", list(SECTION_POSITIONS))):
            for b, position in enumerate(bins):
                op_point, op_draws = row["_positions"][f"pos:{kind}:{b}:op"]
                n_point, n_draws = row["_positions"][f"pos:{kind}:{b}:n"]
                n_articles = int((data.columns[f"pos:{kind}:{b}:n"][in_group] > 0).sum())
                entry = {"profile": kind, "group": row["group"], "position": position, "order": b,
                         "n_articles": n_articles, "n_sentences": int(n_point), "n_opinion": int(op_point),
                         "share": float(op_point / n_point) if n_point > 0 else np.nan,
                         "low": np.nan, "high": np.nan, "note": ""}
                if n_point <= 0:
                    entry["note"] = "no sentences here"
                elif op_draws is None or n_articles < 2:
                    entry["note"] = f"n={n_articles}: no interval"
                else:
                    entry["low"], entry["high"] = _interval(_ratio(op_draws, n_draws), level)
                    if n_articles < FEW_ARTICLES:
                        entry["note"] = f"n={n_articles}: few articles, the interval is too narrow"
                out.append(entry)
    frame = pd.DataFrame(out, columns=["profile", "group", "position", "order", "n_articles", "n_sentences",
                                       "n_opinion", "share", "low", "high", "note"])
    # A section position no article of any group has (FAQ in a corpus without FAQ blocks) is left out.
    used = frame.groupby(["profile", "position"], sort=False)["n_sentences"].transform("sum") > 0
    return frame[used].reset_index(drop=True)
