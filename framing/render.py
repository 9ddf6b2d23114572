"""Views of an :class:`~framing.results.Analysis` for people: a console table and the article as HTML.

``format_table`` is what the CLI prints; ``render_html`` is the notebook view
(``Analysis._repr_html_``): the article itself, every body sentence highlighted by label, with a
tooltip giving the label, the four probabilities and the cues behind them, and one density bar
per section. ``save_html`` writes the same view as a standalone page.

The HTML is self-contained on purpose: one scoped ``<style>`` block (every selector under
``.framing-analysis``, so the notebook around it is not restyled), colours repeated as inline
``style`` attributes (so they survive sanitizers that drop ``<style>``), no JavaScript, no fonts,
images or URLs, nothing fetched. Every piece of article text is HTML-escaped. Body text is taken
from ``analysis.text`` by offsets, so the whitespace between sentences is the original's and no
character is shown twice.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from framing.errors import FramingError
from framing.labels import LABELS

if TYPE_CHECKING:
    from framing.aggregate import Density, DensityDifference
    from framing.results import Analysis, Section, Sentence

__all__ = ["LABEL_COLOURS", "format_table", "render_columns", "render_html", "save_html", "save_page"]

#: Fewer lede sentences than this and the table says the lede "cannot establish much".
SMALL_SAMPLE = 5

# Paul Tol's "light" qualitative scheme (light cyan, light yellow, orange, pink), mixed a quarter
# towards white so long highlighted passages stay easy to read; chosen to stay distinct under the common colour-vision
# deficiencies and to keep black text readable. The two opinion labels also get an underline
# (solid for editorial judgment, dotted for rhetorical questions) so colour is not the only cue.
LABEL_COLOURS: dict[str, str] = {
    "factual_report": "#BBE7FF",
    "attributed_quote": "#F3E6A6",
    "editorial_judgment": "#F3A98F",
    "rhetorical_question": "#FFC4D0",
}
_LABEL_UNDERLINE: dict[str, str] = {
    "factual_report": "",
    "attributed_quote": "",
    "editorial_judgment": "border-bottom:2px solid #7a2e12;",
    "rhetorical_question": "border-bottom:2px dotted #7a1239;",
}
_LABEL_DESCRIPTION: dict[str, str] = {
    "factual_report": "factual report: checkable, in the author's voice",
    "attributed_quote": "attributed quote: what a source said",
    "editorial_judgment": "editorial judgment: the author's evaluation",
    "rhetorical_question": "rhetorical question: the author asks for effect",
}


def label_class(label: str) -> str:
    """CSS class of a label: ``framing-editorial-judgment`` for ``editorial_judgment``."""
    return "framing-" + label.replace("_", "-")


# --------------------------------------------------------------------------- console table

_WIDTH = 100
# sentences, opinion, density, interval, expected: fixed columns after the name.
_NUMBER_COLUMNS = f"{'sent.':>6}{'opin.':>6}{'density':>9}{'95% CI':>13}{'expected':>10}"


def _truncate(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)].rstrip() + "…"


def _interval(lo: float, hi: float) -> str:
    return f"{lo:.2f}–{hi:.2f}"


def _signed_interval(lo: float, hi: float) -> str:
    return f"{lo:+.2f} to {hi:+.2f}"


def _density_row(name: str, d: "Density", name_width: int) -> str:
    flag = " *" if 0 < d.n_sentences < SMALL_SAMPLE else "  "
    if d.n_sentences == 0:
        numbers = f"{0:>6}{0:>6}{'–':>9}{'–':>13}{'–':>10}"
    else:
        numbers = (
            f"{d.n_sentences:>6}{d.n_opinion:>6}{d.opinion_density:>9.2f}"
            f"{_interval(*d.interval):>13}{d.expected_opinion_density:>10.2f}"
        )
    return f"{_truncate(name, name_width):<{name_width}}{numbers}{flag}".rstrip()


def _same_sentences(a: "Section", b: "Section") -> bool:
    return [(s.start, s.end) for s in a.sentences] == [(s.start, s.end) for s in b.sentences]


def format_table(analysis: "Analysis") -> str:
    """Per-section opinion density as plain text, at most 100 columns wide.

    One row for the lede and one per section in reading order (FAQ sections indented under
    their group), then each section compared with the lede (Newcombe 95% interval of the
    difference, and whether it excludes zero), then the whole article. Rows from fewer than
    five sentences are starred, and a short lede is called out rather than overstated.
    """
    name_width = _WIDTH - len(_NUMBER_COLUMNS) - 2
    lines: list[str] = []
    title = analysis.title or "(untitled)"
    lines.append(_truncate(title, _WIDTH))
    lines.append(
        _truncate(f"classifier: {analysis.classifier} · labels: {analysis.taxonomy}", _WIDTH)
    )
    for warning in analysis.warnings:
        lines.append(_truncate(f"warning: {warning}", _WIDTH))
    lines.append("")
    if analysis.overall.n_sentences == 0:
        lines.append("No body sentences: nothing to measure.")
        return "\n".join(lines) + "\n"

    lines.append(f"{'section':<{name_width}}{_NUMBER_COLUMNS}")
    lines.append("-" * (name_width + len(_NUMBER_COLUMNS)))
    lines.append(_density_row("(lede)", analysis.lede.density, name_width))
    group = None
    for section in analysis.sections:
        if section.group != group:
            group = section.group
            if group is not None:
                lines.append(_truncate(group, name_width))
        indent = "  " if section.group is not None else ""
        lines.append(indent + _density_row(section.name, section.density, name_width - len(indent)))
    lines.append("-" * (name_width + len(_NUMBER_COLUMNS)))
    lines.append(_density_row("whole article", analysis.overall, name_width))
    if any(0 < d.n_sentences < SMALL_SAMPLE for d in _all_densities(analysis)):
        lines.append(f"* fewer than {SMALL_SAMPLE} sentences: the interval is wide; read the density with care")
    lines.append("")

    lede = analysis.lede
    if lede.n_sentences == 0:
        lines.append("No lede paragraph found: sections are not compared with it.")
    else:
        compared = [s for s in analysis.sections if s.n_sentences and not _same_sentences(s, lede)]
        if compared:
            lines.append("Compared with the lede: section − lede opinion density, Newcombe 95% CI")
            lines.append("(\"not established\": the interval includes 0, so the data do not show a difference)")
            diff_width = _WIDTH - 44
            for section in compared:
                d = analysis.compare(section)  # a section holding the lede: its sentences after it
                verdict = "conclusive" if d.conclusive else "not established"
                after = " after the lede" if _contains_lede(section, lede) else ""
                name = _truncate(section.name, diff_width - 1 - len(after)) + after
                row = f"{name:<{diff_width}}{d.difference:>+6.2f}  ({_signed_interval(*d.interval)})  {verdict}"
                lines.append(row)
            lines.append("")
        if lede.n_sentences < SMALL_SAMPLE:
            lo, hi = lede.interval
            n = lede.n_sentences
            lines.append(
                f"Note: the lede has only {n} sentence{'s' if n != 1 else ''}, so it cannot establish much: "
                f"its 95% CI is {_interval(lo, hi)}."
            )
            lines.append("A comparison with it shows a difference only when the gap is very large.")
    return "\n".join(line.rstrip() for line in lines).rstrip() + "\n"


def _contains_lede(section: "Section", lede: "Section") -> bool:
    spans = {(s.start, s.end) for s in section.sentences}
    return any((s.start, s.end) in spans for s in lede.sentences)


def _all_densities(analysis: "Analysis") -> Iterable["Density"]:
    yield analysis.lede.density
    for section in analysis.sections:
        yield section.density


# --------------------------------------------------------------------------- HTML

_CSS = """
.framing-analysis{all:initial;display:block;box-sizing:border-box;max-width:52em;padding:1.2em 1.4em;
background:#fff;color:#1b1b1b;font-family:Georgia,'DejaVu Serif','Liberation Serif',serif;
font-size:16px;line-height:1.6;border:1px solid #ddd;border-radius:6px}
.framing-analysis *{box-sizing:border-box}
.framing-analysis .framing-ui{font-family:'Helvetica Neue',Arial,'Liberation Sans','DejaVu Sans',sans-serif;
font-size:13px;line-height:1.4;color:#333}
.framing-analysis h1.framing-title{font-size:1.6em;line-height:1.25;margin:0 0 .3em;font-weight:700}
.framing-analysis .framing-byline{color:#555;font-style:italic;margin:0 0 .8em}
.framing-analysis h2.framing-heading,.framing-analysis h2.framing-group{font-size:1.25em;margin:1.4em 0 .3em;
font-weight:700}
.framing-analysis h3.framing-heading{font-size:1.08em;margin:1.1em 0 .3em;font-weight:700}
.framing-analysis p{margin:.5em 0 .8em}
.framing-analysis p.framing-structure{color:#666;font-style:italic}
.framing-analysis p.framing-lede{border-left:4px solid #555;padding-left:.6em}
.framing-analysis .framing-tag{display:inline-block;font-family:Arial,'Liberation Sans',sans-serif;
font-size:10px;letter-spacing:.05em;text-transform:uppercase;color:#fff;background:#555;border-radius:3px;
padding:0 4px;margin-right:6px;vertical-align:2px;line-height:1.5}
.framing-analysis .framing-sentence{border-radius:3px;padding:1px 1px;-webkit-box-decoration-break:clone;
box-decoration-break:clone;cursor:help}
.framing-analysis .framing-legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin:.4em 0 1em;padding:0;
list-style:none}
.framing-analysis .framing-legend li{display:flex;align-items:center;gap:6px}
.framing-analysis .framing-swatch{display:inline-block;width:2.2em;height:1.1em;border-radius:3px}
.framing-analysis .framing-warnings{background:#fff4d6;border:1px solid #e0b44c;border-radius:4px;
padding:.5em .8em;margin:.6em 0}
.framing-analysis .framing-warnings ul{margin:.2em 0 0 1.2em;padding:0}
.framing-analysis .framing-density{display:flex;align-items:center;gap:10px;margin:.2em 0 .6em}
.framing-analysis .framing-density-name{flex:0 0 8em;font-weight:600}
.framing-analysis .framing-density-text{flex:1 1 18em;min-width:0}
.framing-analysis .framing-bar{position:relative;flex:0 0 220px;height:14px;background:#eceff2;
border:1px solid #c5ccd3;border-radius:2px}
.framing-analysis .framing-bar-fill{position:absolute;left:0;top:0;bottom:0;background:#c2410c;opacity:.85}
.framing-analysis .framing-bar-ci{position:absolute;top:50%;height:0;border-top:2px solid #111;
margin-top:-1px}
.framing-analysis .framing-bar-ci::before,.framing-analysis .framing-bar-ci::after{content:"";position:absolute;
top:-7px;height:12px;border-left:2px solid #111}
.framing-analysis .framing-bar-ci::before{left:-1px}
.framing-analysis .framing-bar-ci::after{right:-1px}
.framing-analysis .framing-small{color:#9a3412}
.framing-analysis .framing-summary{border-bottom:1px solid #ddd;padding-bottom:.6em;margin-bottom:.4em}
.framing-analysis .framing-meta{color:#666}
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _attr(text: str) -> str:
    """An attribute value: escaped, with line breaks kept as character references."""
    return _esc(text).replace("\r\n", "&#10;").replace("\n", "&#10;")


def _sentence_tooltip(s: "Sentence") -> str:
    probabilities = "\n".join(f"  {name}: {float(s.scores.get(name, 0.0)):.2f}" for name in LABELS)
    why = "\n".join(f"  · {cue}" for cue in s.cues) if s.cues else "  (no surface cues)"
    if s.context is not None:
        why = f"  · {s.context}\n{why}"
    speakers = "".join(f"\nspeaker: {_speaker_line(a)}" for a in s.attributions)
    return f"{s.label}{speakers}\n{probabilities}\nwhy:\n{why}"


def _speaker_line(a: Any) -> str:
    """Who speaks in one attribution, for the hover text: name, kind and quote type."""
    who = a.who
    continued = ", continues an earlier quote" if a.continued else ""
    return f"{who} ({a.source_kind}, {a.quote_type}{continued})"


_CONTEXT_STYLE = "outline:1px dotted #555;outline-offset:1px;"


def _sentence_span(s: "Sentence") -> str:
    colour = LABEL_COLOURS.get(s.label, "#dddddd")
    style = f"background:{colour};{_LABEL_UNDERLINE.get(s.label, '')}"
    # A label the article's context decided (framing.context) gets a dotted outline: the
    # reader sees which labels are not the classifier's reading of the sentence alone.
    context = ' framing-in-context" data-context="1' if s.context is not None else ""
    if s.context is not None:
        style += _CONTEXT_STYLE
    return (
        f'<span class="framing-sentence {label_class(s.label)}{context}" data-label="{_esc(s.label)}" '
        f'style="{style}" title="{_attr(_sentence_tooltip(s))}">{_esc(s.text)}</span>'
    )


def _pct(x: float) -> str:
    return f"{100 * min(1.0, max(0.0, x)):.1f}%"


def _density_bar(
    name: str | None,
    d: "Density",
    diff: "DensityDifference | None" = None,
    note: str = "",
    versus_note: str = "",
) -> str:
    label = f'<span class="framing-density-name">{_esc(name)}</span>' if name else ""
    if d.n_sentences == 0:
        return (
            f'<div class="framing-density framing-ui">{label}'
            f'<span class="framing-meta">no body sentences</span></div>'
        )
    lo, hi = d.interval
    bar = (
        f'<span class="framing-bar" role="img" aria-label="opinion density {d.opinion_density:.2f}, '
        f'95% CI {lo:.2f} to {hi:.2f}" style="position:relative;display:inline-block;width:220px;height:14px;'
        f'background:#eceff2;border:1px solid #c5ccd3">'
        f'<span class="framing-bar-fill" style="position:absolute;left:0;top:0;bottom:0;'
        f'width:{_pct(d.opinion_density)};background:#c2410c"></span>'
        f'<span class="framing-bar-ci" style="position:absolute;left:{_pct(lo)};width:{_pct(hi - lo)};'
        f'top:50%;border-top:2px solid #111"></span></span>'
    )
    text = (
        f"opinion {d.n_opinion}/{d.n_sentences} = {d.opinion_density:.2f}, "
        f"95% CI {_interval(lo, hi)} · expected {d.expected_opinion_density:.2f}{note}"
    )
    small = ""
    if d.n_sentences < SMALL_SAMPLE:
        small = ' <span class="framing-small">(few sentences: establishes little)</span>'
    versus = ""
    if diff is not None:
        dlo, dhi = diff.interval
        verdict = "conclusive" if diff.conclusive else "not established"
        versus = (
            f'<br><span class="framing-meta">vs lede: {diff.difference:+.2f} '
            f"(95% CI {_signed_interval(dlo, dhi)}), {verdict}{_esc(versus_note)}</span>"
        )
    return (
        f'<div class="framing-density framing-ui">{label}'
        f'{bar}<span class="framing-density-text">{_esc(text)}{small}{versus}</span></div>'
    )


def _legend(analysis: "Analysis") -> str:
    counts = {name: 0 for name in LABELS}
    for s in analysis.sentences:
        counts[s.label] = counts.get(s.label, 0) + 1
    items = []
    for name in LABELS:
        style = f"background:{LABEL_COLOURS[name]};{_LABEL_UNDERLINE[name]}"
        items.append(
            f'<li><span class="framing-swatch {label_class(name)}" style="display:inline-block;width:2.2em;'
            f'height:1.1em;{style}"></span>{_esc(_LABEL_DESCRIPTION[name])} ({counts[name]})</li>'
        )
    in_context = sum(s.context is not None for s in analysis.sentences)
    if in_context:
        items.append(
            f'<li><span class="framing-swatch" style="display:inline-block;width:2.2em;height:1.1em;'
            f'{_CONTEXT_STYLE}"></span>label read in the article\'s context, hover for why ({in_context})</li>'
        )
    return f'<ul class="framing-legend framing-ui">{"".join(items)}</ul>'


def _norm(text: str) -> str:
    return " ".join(text.strip().strip("#*_>=-").split()).casefold()


_HAS_WORD = re.compile(r"\w")


class _BodyWriter:
    """Walks ``analysis.text`` left to right, emitting structure, headings and sentence spans."""

    def __init__(self, analysis: "Analysis") -> None:
        self.a = analysis
        self.out: list[str] = []
        self.pos = 0
        known = [analysis.title, analysis.byline]
        known += [s.heading for s in analysis.sections] + [s.group for s in analysis.sections]
        #: Lines that are already shown as title, byline, heading or group (scraper repeats).
        self.known = {_norm(k) for k in known if k}
        self.lede_paragraphs = {s.paragraph_index for s in analysis.lede.sentences}

    def gap(self, end: int) -> None:
        """Text between blocks: drop blank lines, markup and repeats of shown structure."""
        if end <= self.pos:
            return
        for line in self.a.text[self.pos : end].splitlines():
            if _HAS_WORD.search(line) and _norm(line) not in self.known:
                self.out.append(f'<p class="framing-structure">{_esc(line.strip())}</p>\n')
        self.pos = end

    def section(self, section: "Section", level: int) -> None:
        if section.heading_span is not None:
            self.gap(section.heading_span[0])
            self.pos = max(self.pos, section.heading_span[1])
        if section.heading is not None:
            self.out.append(f'<h{level} class="framing-heading">{_esc(section.heading)}</h{level}>\n')
        if section.n_sentences and not _same_sentences(section, self.a.lede):
            diff = self.a.compare(section) if self.a.lede.n_sentences else None
            overlap = " (this section after the lede)" if _contains_lede(section, self.a.lede) else ""
            self.out.append(_density_bar(None, section.density, diff, versus_note=overlap) + "\n")
        elif section.n_sentences:
            self.out.append(_density_bar(None, section.density, note=" · this section is the lede") + "\n")
        paragraph = None
        for s in section.sentences:
            if s.paragraph_index != paragraph:
                if paragraph is not None:
                    self.out.append("</p>\n")
                self.gap(s.start)
                paragraph = s.paragraph_index
                if paragraph in self.lede_paragraphs:
                    self.out.append(
                        '<p class="framing-lede" style="border-left:4px solid #555;padding-left:.6em">'
                        '<span class="framing-tag">lede</span>'
                    )
                else:
                    self.out.append("<p>")
            elif s.start > self.pos:
                self.out.append(_esc(self.a.text[self.pos : s.start]))
            self.out.append(_sentence_span(s))
            self.pos = max(self.pos, s.end)
        if paragraph is not None:
            self.out.append("</p>\n")

    def write(self) -> str:
        group = None
        for section in self.a.sections:
            if section.group != group:
                group = section.group
                if group is not None:
                    self.out.append(f'<h2 class="framing-group">{_esc(group)}</h2>\n')
            self.section(section, level=3 if section.group is not None else 2)
        self.gap(len(self.a.text))
        # No separator: inside a paragraph, the only text between sentences is the original's.
        return "".join(self.out)


def render_html(analysis: "Analysis", *, style: bool = True) -> str:
    """The article as an HTML fragment, sentences highlighted by label (for ``_repr_html_``).

    ``style=False`` leaves out the ``<style>`` block (a page that shows several analyses holds
    it once)."""
    parts = [f"<style>{_CSS}</style>"] if style else []
    parts.append('<div class="framing-analysis">')
    if analysis.title:
        parts.append(f'<h1 class="framing-title">{_esc(analysis.title)}</h1>')
    if analysis.byline:
        parts.append(f'<p class="framing-byline">{_esc(analysis.byline)}</p>')
    if analysis.warnings:
        items = "".join(f"<li>{_esc(w)}</li>" for w in analysis.warnings)
        parts.append(f'<div class="framing-warnings framing-ui"><strong>Warnings</strong><ul>{items}</ul></div>')
    parts.append('<div class="framing-summary">')
    parts.append(
        f'<div class="framing-ui framing-meta">classifier: {_esc(analysis.classifier)} · labels: '
        f"{_esc(analysis.taxonomy)} · hover a sentence for its probabilities and cues</div>"
    )
    parts.append(_legend(analysis))
    if analysis.overall.n_sentences:
        parts.append(_density_bar("whole article", analysis.overall))
        parts.append(_density_bar("lede", analysis.lede.density))
    else:
        parts.append('<div class="framing-ui framing-meta">No body sentences: nothing to measure.</div>')
    parts.append("</div>")
    parts.append(_BodyWriter(analysis).write())
    parts.append("</div>")
    return "\n".join(parts)


def page_html(fragment: str, title: str) -> str:
    """An HTML fragment as a standalone page (the analysis views, the comparison report)."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n</head>\n<body style=\"margin:1.5em;background:#f6f6f6\">\n"
        f"{fragment}\n</body>\n</html>\n"
    )


def save_page(fragment: str, path: str | os.PathLike[str], title: str = "framing analysis") -> Path:
    """Write an HTML fragment of this module as a standalone UTF-8 page; returns the path."""
    page = page_html(fragment, title)
    out = Path(path)
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise FramingError(f"cannot write {out}: {_why_not_writable(out, exc)}") from exc
    return out


def _why_not_writable(path: Path, exc: OSError) -> str:
    if not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    if path.is_dir():
        return "it is a folder; give a file name"
    return exc.strerror or str(exc)


def save_html(analysis: "Analysis", path: str | os.PathLike[str]) -> Path:
    """Write the view as a standalone UTF-8 HTML page; returns the path written."""
    return save_page(render_html(analysis), path, analysis.title or "framing analysis")


# --------------------------------------------------------------------------- side by side

_COLUMNS_CSS = """
.framing-compare{all:initial;display:block;box-sizing:border-box;font-family:'Helvetica Neue',Arial,
'Liberation Sans','DejaVu Sans',sans-serif;font-size:13px;line-height:1.4;color:#1b1b1b}
.framing-compare *{box-sizing:border-box}
.framing-compare table.framing-compare-table{border-collapse:collapse;margin:0 0 1em;background:#fff}
.framing-compare table.framing-compare-table th,.framing-compare table.framing-compare-table td{
border:1px solid #d0d4d9;padding:3px 8px;text-align:right;vertical-align:top}
.framing-compare table.framing-compare-table th{background:#eef1f4;font-weight:600}
.framing-compare table.framing-compare-table td.framing-text,.framing-compare table.framing-compare-table th.framing-text{
text-align:left}
.framing-compare .framing-columns{display:grid;gap:12px;align-items:start}
.framing-compare .framing-column-name{font-weight:700;font-size:14px;margin:0 0 4px}
.framing-compare .framing-columns .framing-analysis{max-width:none;font-size:13.5px;line-height:1.5;padding:.8em .9em}
.framing-compare .framing-columns .framing-analysis h1.framing-title{font-size:1.3em}
.framing-compare .framing-columns .framing-analysis .framing-density{flex-wrap:wrap;gap:4px 8px}
.framing-compare .framing-columns .framing-analysis .framing-bar{flex:0 0 140px;width:140px}
.framing-compare .framing-columns .framing-analysis .framing-density-name{flex:0 0 auto}
"""


def render_columns(
    analyses: "Sequence[Analysis]", names: "Sequence[str]", table: "Sequence[dict[str, str]] | None" = None
) -> str:
    """Several analyses side by side, one column each (sentences highlighted, a density bar per
    section, as :func:`render_html`), under a comparison table: ``table`` holds one row per
    analysis, column title → already formatted cell text (escaped here)."""
    if len(analyses) != len(names):
        raise ValueError("give one name per analysis")
    parts = [f"<style>{_CSS}{_COLUMNS_CSS}</style>", '<div class="framing-compare">']
    if table:
        headers = list(table[0])
        # Words left, numbers right: the name and title columns, and the last (most quoted).
        text = {0, 1, len(headers) - 1}
        head = "".join(
            f'<th class="framing-text">{_esc(h)}</th>' if i in text else f"<th>{_esc(h)}</th>" for i, h in enumerate(headers)
        )
        body = "".join(
            "<tr>" + "".join(
                f'<td class="framing-text">{_esc(str(row.get(h, "")))}</td>' if i in text else f"<td>{_esc(str(row.get(h, '')))}</td>"
                for i, h in enumerate(headers)
            ) + "</tr>"
            for row in table
        )
        parts.append(f'<table class="framing-compare-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
    n = max(1, len(analyses))
    parts.append(
        f'<div class="framing-columns" style="display:grid;grid-template-columns:repeat({n},minmax(0,1fr));gap:12px">'
    )
    for analysis, name in zip(analyses, names):
        parts.append(
            f'<div class="framing-column"><div class="framing-column-name">{_esc(name)}</div>'
            f"{render_html(analysis, style=False)}</div>"
        )
    parts.append("</div></div>")
    return "\n".join(parts)
