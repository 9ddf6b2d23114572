"""A :class:`~framing.compare.groups.GroupComparison` for people: Markdown, or one HTML file.

The HTML page holds everything in one file: tables, and plots as PNG data URIs (matplotlib,
from the ``[eval]`` extra). Without matplotlib the page still has every table and says how to get
the plots. Markdown gets the same tables; ``save_report(..., "report.md")`` writes the plots as PNG
files beside it (``report-plots/``). No JavaScript, nothing fetched; every value is escaped.
"""

from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing.compare.measures import METRICS, SECTION_POSITION_HELP, SECTION_POSITIONS
from framing.render import page_html

if TYPE_CHECKING:
    import pandas as pd

    from framing.compare.groups import GroupComparison

__all__ = ["plots", "save_report", "to_html", "to_markdown"]

PLOTS_NEED = "plots need matplotlib: pip install 'framing[eval]'"
_TABLE_METRICS = ("opinion_density", "expected_opinion_density", "quote_share", "anonymous_share", "lede_minus_rest")
_PLOT_METRICS = ("opinion_density", "quote_share", "anonymous_share", "lede_minus_rest")
_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _num(x: Any, digits: int = 3, signed: bool = False) -> str:
    if _missing(x):
        return "–"
    return f"{x:+.{digits}f}" if signed else f"{x:.{digits}f}"


def _with_interval(value: Any, low: Any, high: Any, note: str | None = None, signed: bool = False) -> str:
    if _missing(value):
        return f"– ({note})" if note else "–"
    text = _num(value, signed=signed)
    if _missing(low) or _missing(high):
        return f"{text} ({note or 'no interval'})"
    return f"{text} [{_num(low, signed=signed)}, {_num(high, signed=signed)}]"


def _verdict(conclusive: Any) -> str:
    if conclusive is None or (isinstance(conclusive, float) and math.isnan(conclusive)):
        return "–"
    return "yes" if conclusive else "not established"


def _metric_note(row: dict[str, Any], metric: str) -> str | None:
    note = row.get("note") or ""
    if metric == "anonymous_share" and "no attributions" in note:
        return "no attributions"
    if metric == "anonymous_share" and _missing(row.get("n_attributions")):
        return "needs the article table"
    if metric == "lede_minus_rest" and "lede" in note:
        return "no lede and rest"
    if note.startswith("n=1"):
        return "n=1: no interval"
    return None


# --------------------------------------------------------------------------- tables as rows of text


def group_rows(c: "GroupComparison") -> list[dict[str, str]]:
    rows = []
    for r in c.table.to_dict("records"):
        row = {c.by: str(r["group"]), "articles": f"{r['n_articles']:,}", "sentences": f"{r['n_sentences']:,}"}
        for m in _TABLE_METRICS:
            row[METRICS[m].title + " [95% CI]"] = _with_interval(
                r[m], r[f"{m}_low"], r[f"{m}_high"], _metric_note(r, m), signed=m == "lede_minus_rest")
        row["note"] = r["note"] or ""
        rows.append(row)
    if not any(row["note"] for row in rows):  # no column of blanks
        for row in rows:
            del row["note"]
    return rows


def difference_rows(frame: "pd.DataFrame", events: bool) -> list[dict[str, str]]:
    rows = []
    for r in frame.to_dict("records"):
        row = {"metric": METRICS[r["metric"]].title, "difference": f"{r['group_a']} − {r['group_b']}"}
        row["events" if events else "articles"] = f"{r['n_events']:,}" if events else f"{r['n_a']:,} / {r['n_b']:,}"
        row["difference [95% CI]"] = _with_interval(r["difference"], r["low"], r["high"], r["note"], signed=True)
        row["interval excludes 0"] = _verdict(r["conclusive"])
        rows.append(row)
    return rows


def position_rows(c: "GroupComparison", profile: str) -> list[dict[str, str]]:
    assert c.positions is not None
    frame = c.positions[c.positions["profile"] == profile]
    positions = list(dict.fromkeys(frame.sort_values("order")["position"]))
    rows = []
    for group in c.groups:
        mine = frame[frame["group"] == group].set_index("position")
        row = {c.by: str(group)}
        for p in positions:
            if p not in mine.index:
                row[p] = "–"
                continue
            e = mine.loc[p]
            row[p] = _with_interval(e["share"], e["low"], e["high"], e["note"]) + (
                f" · {int(e['n_sentences']):,} sent." if profile == "section" else "")
        rows.append(row)
    return rows


def _markdown_table(rows: list[dict[str, str]]) -> list[str]:
    if not rows:
        return ["(none)"]
    headers = list(rows[0])
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(r.get(h, "")).replace("|", "\\|") for h in headers) + " |")
    return out


def _method(c: "GroupComparison") -> str:
    pct = f"{100 * c.level:g}%"
    text = (
        f"Intervals: {pct} percentile bootstrap, {c.resamples:,} resamples, seed {c.seed}. The unit is the article: "
        "an article's sentences stay together in every resample (cluster bootstrap), because sentences of one "
        "article are not independent. Differences between groups resample each group's articles independently."
    )
    if c.pair_by:
        text += (f" Paired differences compare groups within the same `{c.pair_by}` and resample events "
                 "(events covered by both groups).")
    return text


def to_markdown(c: "GroupComparison", *, plot_links: dict[str, str] | None = None) -> str:
    """Every table as Markdown; ``plot_links`` (name → relative path) adds image links."""
    L = [f"# Opinion and sourcing by {c.by}", "", _method(c), ""]
    for note in c.notes:
        L.append(f"- {note}")
    if c.notes:
        L.append("")
    L += [f"## Groups ({c.by})", ""]
    L += _markdown_table(group_rows(c))
    L += ["", "Opinion density, expected density and quote share: mean over a group's articles (each article "
          "weighs the same). Anonymous sourcing: share of the group's attributions with an anonymous source. "
          "Lede − rest: mean over articles of the lede's density minus the rest of the body's.", ""]
    if plot_links and "groups" in plot_links:
        L += [f"![group means]({plot_links['groups']})", ""]
    if c.paired is not None:
        L += [f"## Paired differences (same {c.pair_by})", ""]
        L += _markdown_table(difference_rows(c.paired, events=True))
        L.append("")
        if plot_links and "paired" in plot_links:
            L += [f"![paired differences]({plot_links['paired']})", ""]
    L += ["## Differences between groups (unpaired)", ""]
    L += _markdown_table(difference_rows(c.differences, events=False))
    L.append("")
    if plot_links and "differences" in plot_links and c.paired is None:
        L += [f"![differences]({plot_links['differences']})", ""]
    if c.positions is not None:
        L += ["## Where opinion sits: share of sentences that are opinion, by position", "",
              "### By fifth of the article body", ""]
        L += _markdown_table(position_rows(c, "fifth"))
        L.append("")
        if plot_links and "fifths" in plot_links:
            L += [f"![by fifth]({plot_links['fifths']})", ""]
        L += ["### By section position", ""]
        L += _markdown_table(position_rows(c, "section"))
        used = [p for p in SECTION_POSITIONS if p in set(c.positions["position"])]
        L += ["", "; ".join(f"{p}: {SECTION_POSITION_HELP[p]}" for p in used) + ".", ""]
        if plot_links and "sections" in plot_links:
            L += [f"![by section position]({plot_links['sections']})", ""]
    return "\n".join(L).rstrip() + "\n"


# --------------------------------------------------------------------------- plots


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


def _style_row_axis(ax: Any, rows: list[str], first: bool, title: str) -> None:
    """One metric's panel: a row per group (or pair), labelled only in the first panel."""
    ax.set_yticks(range(len(rows)), rows if first else [""] * len(rows))
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(axis="x", alpha=0.3)


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def plots(c: "GroupComparison") -> dict[str, bytes] | None:
    """PNG bytes by name (``groups``, ``paired`` or ``differences``, ``fifths``, ``sections``), or
    None without matplotlib."""
    plt = _pyplot()
    if plt is None:
        return None
    out: dict[str, bytes] = {}
    groups = [str(g) for g in c.groups]
    colour = {g: _COLOURS[i % len(_COLOURS)] for i, g in enumerate(groups)}
    table = c.table.to_dict("records")

    metrics = [m for m in _PLOT_METRICS if any(not _missing(r[m]) for r in table)]
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.0 * len(metrics) + 0.6, 0.45 * len(groups) + 1.6), squeeze=False)
    for ax, m in zip(axes[0], metrics):
        for y, r in enumerate(table):
            g = str(r["group"])
            if _missing(r[m]):
                continue
            lo, hi = r[f"{m}_low"], r[f"{m}_high"]
            err = None if _missing(lo) else [[r[m] - lo], [hi - r[m]]]
            ax.errorbar(r[m], y, xerr=err, fmt="o", color=colour[g], capsize=3)
        if m == "lede_minus_rest":
            ax.axvline(0, color="grey", lw=0.8, ls=":")
        _style_row_axis(ax, groups, ax is axes[0][0], METRICS[m].title)
    fig.suptitle(f"by {c.by}: group value and {100 * c.level:g}% cluster-bootstrap interval", fontsize=9, y=1.04)
    out["groups"] = _png(fig)

    diffs = c.paired if c.paired is not None else c.differences
    name = "paired" if c.paired is not None else "differences"
    metrics = [m for m in _PLOT_METRICS if (diffs["metric"] == m).any() and diffs.loc[diffs["metric"] == m, "difference"].notna().any()]
    if metrics and len(diffs):
        pairs = list(dict.fromkeys(f"{a} − {b}" for a, b in zip(diffs["group_a"], diffs["group_b"])))
        fig, axes = plt.subplots(1, len(metrics), figsize=(3.0 * len(metrics) + 0.8, 0.45 * len(pairs) + 1.6), squeeze=False)
        for ax, m in zip(axes[0], metrics):
            for r in diffs[diffs["metric"] == m].to_dict("records"):
                y = pairs.index(f"{r['group_a']} − {r['group_b']}")
                if _missing(r["difference"]):
                    continue
                err = None if _missing(r["low"]) else [[r["difference"] - r["low"]], [r["high"] - r["difference"]]]
                ax.errorbar(r["difference"], y, xerr=err, fmt="s", color="black" if r["conclusive"] else "grey", capsize=3)
            ax.axvline(0, color="grey", lw=0.8, ls=":")
            _style_row_axis(ax, pairs, ax is axes[0][0], METRICS[m].title)
        title = (f"paired differences within {c.pair_by} (bootstrap over events)" if c.paired is not None
                 else "differences between groups (independent bootstraps)")
        fig.suptitle(title + "; black: the interval excludes 0", fontsize=9, y=1.04)
        out[name] = _png(fig)

    if c.positions is not None:
        fifth = c.positions[c.positions["profile"] == "fifth"]
        fig, ax = plt.subplots(figsize=(5.6, 3.8))
        for g in c.groups:
            mine = fifth[fifth["group"] == g].sort_values("order")
            xs = mine["order"].to_numpy() + 1
            ax.plot(xs, mine["share"], marker="o", color=colour[str(g)], label=str(g))
            ok = mine["low"].notna().to_numpy()
            if ok.any():
                ax.fill_between(xs[ok], mine["low"][ok], mine["high"][ok], color=colour[str(g)], alpha=0.12)
        ax.set_xticks(range(1, 6), [f"{i}/5" for i in range(1, 6)])
        ax.set_xlabel("position in the article body (fifths)")
        ax.set_ylabel("share of sentences that are opinion")
        ax.set_title(f"where opinion sits, by {c.by}\nbands: {100 * c.level:g}% interval, bootstrap over articles", fontsize=9)
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
        out["fifths"] = _png(fig)

        section = c.positions[c.positions["profile"] == "section"]
        used = [p for p in SECTION_POSITIONS if p in set(section["position"])]
        if len(used) > 1:
            fig, ax = plt.subplots(figsize=(1.3 * len(used) * max(1, len(groups)) ** 0.5 + 2.5, 3.6))
            width = 0.8 / max(1, len(groups))
            for k, g in enumerate(c.groups):
                mine = section[section["group"] == g].set_index("position")
                for i, p in enumerate(used):
                    if p not in mine.index or _missing(mine.loc[p, "share"]):
                        continue
                    e = mine.loc[p]
                    x = i - 0.4 + width * (k + 0.5)
                    err = None if _missing(e["low"]) else [[e["share"] - e["low"]], [e["high"] - e["share"]]]
                    ax.errorbar(x, e["share"], yerr=err, fmt="o", color=colour[str(g)], capsize=3,
                                label=str(g) if i == 0 else None)
            ax.set_xticks(range(len(used)), used)
            ax.set_ylabel("share of sentences that are opinion")
            ax.set_title(f"opinion by section position, by {c.by}", fontsize=9)
            ax.legend(fontsize=8)
            ax.grid(axis="y", alpha=0.3)
            out["sections"] = _png(fig)
    return out


# --------------------------------------------------------------------------- HTML

_CSS = """
.framing-report{all:initial;display:block;box-sizing:border-box;max-width:100em;padding:1em 1.4em;background:#fff;
color:#1b1b1b;font-family:'Helvetica Neue',Arial,'Liberation Sans','DejaVu Sans',sans-serif;font-size:14px;line-height:1.45;
border:1px solid #ddd;border-radius:6px}
.framing-report *{box-sizing:border-box}
.framing-report h1{font-size:1.5em;margin:.2em 0 .4em}
.framing-report h2{font-size:1.2em;margin:1.4em 0 .4em;border-bottom:1px solid #e3e3e3;padding-bottom:.15em}
.framing-report h3{font-size:1.05em;margin:1em 0 .3em}
.framing-report p{margin:.4em 0 .7em}
.framing-report table{border-collapse:collapse;margin:.3em 0 .8em}
.framing-report th,.framing-report td{border:1px solid #d0d4d9;padding:3px 8px;text-align:right;vertical-align:top;
white-space:nowrap}
.framing-report td.framing-note{white-space:normal;text-align:left;min-width:14em}
.framing-report th{background:#eef1f4;font-weight:600;white-space:normal;min-width:4.5em}
.framing-report .framing-scroll{overflow-x:auto}
.framing-report td:first-child,.framing-report th:first-child{text-align:left}
.framing-report .framing-notes{background:#fff4d6;border:1px solid #e0b44c;border-radius:4px;padding:.4em .8em}
.framing-report .framing-missing{color:#7a4b00;font-style:italic}
.framing-report img{max-width:100%;height:auto;display:block;margin:.4em 0 1em}
"""


def _html_table(rows: list[dict[str, str]]) -> str:
    if not rows:
        return "<p>(none)</p>"
    headers = list(rows[0])
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    cls = {h: ' class="framing-note"' if h == "note" else "" for h in headers}
    body = "".join(
        "<tr>" + "".join(f"<td{cls[h]}>{html.escape(str(r.get(h, '')))}</td>" for h in headers) + "</tr>" for r in rows
    )
    return f'<div class="framing-scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _img(png: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'


def to_html(c: "GroupComparison", *, page: bool = True, with_plots: bool = True, title: str | None = None) -> str:
    """The report as one HTML page (``page=False``: a fragment for a notebook)."""
    title = title or f"Opinion and sourcing by {c.by}"
    pictures = plots(c) if with_plots else {}
    esc = html.escape
    P = [f"<style>{_CSS}</style>", '<div class="framing-report">', f"<h1>{esc(title)}</h1>",
         f"<p>{esc(_method(c)).replace('`', '')}</p>"]
    if c.notes:
        P.append('<div class="framing-notes"><ul>' + "".join(f"<li>{esc(n)}</li>" for n in c.notes) + "</ul></div>")
    if pictures is None:
        P.append(f'<p class="framing-missing">{esc(PLOTS_NEED)}; the tables below hold every number.</p>')
        pictures = {}
    P += [f"<h2>Groups ({esc(c.by)})</h2>", _html_table(group_rows(c)),
          "<p>Opinion density, expected density and quote share: mean over a group's articles (each article weighs "
          "the same). Anonymous sourcing: share of the group's attributions with an anonymous source. Lede − rest: "
          "mean over articles of the lede's density minus the rest of the body's.</p>"]
    if "groups" in pictures:
        P.append(_img(pictures["groups"], f"group means by {c.by} with intervals"))
    if c.paired is not None:
        P += [f"<h2>Paired differences (same {esc(c.pair_by or '')})</h2>", _html_table(difference_rows(c.paired, events=True))]
        if "paired" in pictures:
            P.append(_img(pictures["paired"], "paired differences with intervals"))
    P += ["<h2>Differences between groups (unpaired)</h2>", _html_table(difference_rows(c.differences, events=False))]
    if "differences" in pictures:
        P.append(_img(pictures["differences"], "differences between groups with intervals"))
    if c.positions is not None:
        P += ["<h2>Where opinion sits: share of sentences that are opinion, by position</h2>",
              "<h3>By fifth of the article body</h3>", _html_table(position_rows(c, "fifth"))]
        if "fifths" in pictures:
            P.append(_img(pictures["fifths"], "opinion share by fifth of the body"))
        used = [p for p in SECTION_POSITIONS if p in set(c.positions["position"])]
        P += ["<h3>By section position</h3>", _html_table(position_rows(c, "section")),
              "<p>" + esc("; ".join(f"{p}: {SECTION_POSITION_HELP[p]}" for p in used)) + ".</p>"]
        if "sections" in pictures:
            P.append(_img(pictures["sections"], "opinion share by section position"))
    P.append("</div>")
    fragment = "\n".join(P)
    if not page:
        return fragment
    return page_html(fragment, title)


def save_report(c: "GroupComparison", path: "str | Path", *, with_plots: bool = True, title: str | None = None) -> Path:
    """Write ``path``: ``.html``/``.htm`` (one file, plots embedded) or ``.md`` (plots as PNG files
    in ``<name>-plots/`` beside it, when matplotlib is installed)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        path.write_text(to_html(c, with_plots=with_plots, title=title), encoding="utf-8")
        return path
    if suffix in (".md", ".markdown"):
        links: dict[str, str] = {}
        pictures = plots(c) if with_plots else {}
        if pictures:
            folder = path.with_name(path.stem + "-plots")
            folder.mkdir(exist_ok=True)
            for name, png in pictures.items():
                (folder / f"{name}.png").write_bytes(png)
                links[name] = f"{folder.name}/{name}.png"
        text = to_markdown(c, plot_links=links)
        if pictures is None:
            text += f"\n_{PLOTS_NEED}._\n"
        path.write_text(text, encoding="utf-8")
        return path
    from framing.errors import FramingError

    raise FramingError(f"cannot tell the report format of {path}: use a .html or .md file name")
