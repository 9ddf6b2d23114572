"""The console table and the HTML view (framing/render.py).

HTML tests parse the output with the standard library's html.parser; the browser test renders the
page in headless Chromium (Debian package ``chromium``) and reads the screenshot's pixels with a
small pure-Python PNG decoder.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import framing
from framing.results import Analysis, Section, Sentence
from framing.aggregate import density
from framing.render import LABEL_COLOURS, format_table, label_class, render_html, save_html


@pytest.fixture(scope="module")
def reference(reference_text):
    return framing.analyze(reference_text, classifier="rules", attribution="rules")


SMALL_TEXT = """Budget Vote Looms

The council approved the budget on Monday, officials said. "We had no choice," the mayor told reporters.

It was a reckless gamble. Who pays for it?

Next Steps

The vote on the second reading is set for June 3.
"""


@pytest.fixture(scope="module")
def small():
    return framing.analyze(SMALL_TEXT, classifier="rules", attribution="rules")


# --------------------------------------------------------------------------- HTML parsing


class _Page(HTMLParser):
    """Collects sentence spans, paragraphs, headings and every tag/attribute seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.spans: list[dict] = []  # {"classes", "label", "title", "text"}
        self.paragraphs: list[dict] = []  # {"classes", "text"} (text without the "lede" tag)
        self.headings: list[tuple[str, str, str]] = []  # (tag, class, text)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attrs))
        if tag == "br":
            return
        classes = attrs.get("class", "").split()
        if tag == "span" and "framing-sentence" in classes:
            assert not any("framing-sentence" in a.get("class", "") for _, a in self.stack), "nested sentences"
            self.spans.append({"classes": classes, "label": attrs.get("data-label"), "title": attrs.get("title"), "text": ""})
        if tag == "p":
            self.paragraphs.append({"classes": classes, "text": ""})
        if tag in {"h1", "h2", "h3"}:
            self._heading = [tag, attrs.get("class", ""), ""]
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag in {"h1", "h2", "h3"} and self._heading is not None:
            self.headings.append(tuple(self._heading))
            self._heading = None

    def handle_data(self, data):
        open_tags = [(t, a.get("class", "").split()) for t, a in self.stack]
        if any("framing-sentence" in c for _, c in open_tags):
            self.spans[-1]["text"] += data
        if any(t == "p" for t, _ in open_tags) and not any("framing-tag" in c for _, c in open_tags):
            self.paragraphs[-1]["text"] += data
        if self._heading is not None:
            self._heading[2] += data


def parse(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    page.close()
    return page


def _body_paragraphs(page: _Page) -> list[dict]:
    return [p for p in page.paragraphs if not {"framing-byline", "framing-structure"} & set(p["classes"])]


# --------------------------------------------------------------------------- HTML tests


@pytest.mark.parametrize("which", ["reference", "small"])
def test_every_sentence_once_in_a_span_of_its_label(which, request):
    analysis = request.getfixturevalue(which)
    page = parse(render_html(analysis))
    assert [(s["text"], s["label"]) for s in page.spans] == [(s.text, s.label) for s in analysis.sentences]
    for span, sentence in zip(page.spans, analysis.sentences):
        assert label_class(sentence.label) in span["classes"]
        # The tooltip says why: the label, all four probabilities and the cues.
        assert span["title"].startswith(sentence.label)
        for name in framing.LABELS:
            assert f"{name}: {sentence.scores[name]:.2f}" in span["title"]
        for cue in sentence.cues:
            assert cue in span["title"]


def test_all_four_labels_get_distinct_colours_and_a_legend(small):
    assert set(LABEL_COLOURS) == set(framing.LABELS)
    assert len({c.lower() for c in LABEL_COLOURS.values()}) == 4
    assert {s.label for s in small.sentences} == set(framing.LABELS), "the small text should show every label"
    markup = render_html(small)
    page = parse(markup)
    swatches = [a for t, a in page.tags if "framing-swatch" in a.get("class", "")]
    assert len(swatches) == 4
    for name, colour in LABEL_COLOURS.items():
        assert any(label_class(name) in a["class"] and colour in a["style"] for a in swatches)


@pytest.mark.parametrize("which", ["reference", "small"])
def test_paragraphs_keep_the_original_text_between_sentences(which, request):
    analysis = request.getfixturevalue(which)
    page = parse(render_html(analysis))
    by_paragraph: dict[int, list] = {}
    for s in analysis.sentences:
        by_paragraph.setdefault(s.paragraph_index, []).append(s)
    expected = [analysis.text[group[0].start : group[-1].end] for group in by_paragraph.values()]
    assert [p["text"] for p in _body_paragraphs(page)] == expected
    # Everything that is not a sentence is title, byline, heading or a scraper repeat of them.
    assert not [p for p in page.paragraphs if "framing-structure" in p["classes"]]


def test_lede_paragraph_is_marked(reference):
    page = parse(render_html(reference))
    ledes = [p for p in page.paragraphs if "framing-lede" in p["classes"]]
    assert len(ledes) == 1
    assert ledes[0]["text"].startswith(reference.lede.sentences[0].text)


def test_title_byline_and_headings_present(reference):
    page = parse(render_html(reference))
    assert ("h1", "framing-title", reference.title) in page.headings
    assert any(p["text"] == reference.byline for p in page.paragraphs if "framing-byline" in p["classes"])
    heading_texts = [text for _, cls, text in page.headings if cls == "framing-heading"]
    assert heading_texts == [s.heading for s in reference.sections if s.heading is not None]
    groups = [text for _, cls, text in page.headings if cls == "framing-group"]
    assert groups == list(dict.fromkeys(s.group for s in reference.sections if s.group))
    assert "What Comes Next?" in heading_texts


def test_one_density_bar_per_section_plus_article_and_lede(reference):
    page = parse(render_html(reference))
    fills = [a["style"] for _, a in page.tags if "framing-bar-fill" in a.get("class", "")]
    sections = [s for s in reference.sections if s.n_sentences]
    assert len(fills) == 2 + len(sections)
    expected = [reference.overall, reference.lede.density] + [s.density for s in sections]
    for style, bar in zip(fills, expected):
        assert f"width:{100 * bar.opinion_density:.1f}%" in style
    whiskers = [a["style"] for _, a in page.tags if "framing-bar-ci" in a.get("class", "")]
    for style, bar in zip(whiskers, expected):
        lo, hi = bar.interval
        assert f"left:{100 * lo:.1f}%" in style
    markup = render_html(reference)
    section = reference.section("What Comes Next?")
    d = section.density
    assert f"opinion {d.n_opinion}/{d.n_sentences} = {d.opinion_density:.2f}, 95% CI {d.interval[0]:.2f}–{d.interval[1]:.2f}" in markup
    diff = reference.compare(section)
    assert f"vs lede: {diff.difference:+.2f}" in markup


def test_script_in_title_and_sentence_is_escaped():
    text = (
        "<script>alert('title')</script> Breaking News Today\n"
        "By A. Reporter\n\n"
        "The mayor said the message <script>alert(1)</script> was posted to the city website. "
        "Officials confirmed that the post was removed within the hour.\n\n"
        "A spokesperson said the page was restored later.\n"
    )
    analysis = framing.analyze(text, classifier="rules", attribution="rules")
    markup = render_html(analysis)
    page = parse(markup)
    assert "<script" not in markup.lower()
    assert not [t for t, _ in page.tags if t == "script"]
    assert "&lt;script&gt;" in markup
    assert [s["text"] for s in page.spans] == [s.text for s in analysis.sentences]
    assert any("<script>alert(1)</script>" in s["text"] for s in page.spans)
    if analysis.title is not None:
        assert ("h1", "framing-title", analysis.title) in page.headings


def test_heading_with_markup_is_escaped_and_markdown_leaves_no_debris():
    text = "# A <b>bold</b> & \"quoted\" title\n\n## Section <i>one</i>\n\nFirst point here. Second point here.\n"
    analysis = framing.analyze(text, classifier="rules", attribution="rules")
    markup = render_html(analysis)
    page = parse(markup)
    assert "<b>" not in markup and "<i>" not in markup
    assert not [t for t, _ in page.tags if t in {"b", "i"}]
    assert not [p for p in page.paragraphs if "framing-structure" in p["classes"]], "no stray '#' lines"
    assert [s["text"] for s in page.spans] == [s.text for s in analysis.sentences]


@pytest.mark.parametrize("which", ["reference", "small"])
def test_self_contained_nothing_fetched(which, request):
    markup = render_html(request.getfixturevalue(which))
    lowered = markup.lower()
    for forbidden in ("http:", "https:", "//", "src=", "href=", "url(", "@import", "<script", "<link", "<img", "<iframe"):
        assert forbidden not in lowered, forbidden
    # Scoped CSS: every selector in the style block is under .framing-analysis.
    css = markup.split("<style>", 1)[1].split("</style>", 1)[0]
    for rule in css.split("}"):
        selectors = rule.split("{", 1)[0].strip()
        if selectors:
            assert all(sel.strip().startswith(".framing-analysis") for sel in selectors.split(",")), selectors


def test_empty_analysis_renders_with_warnings():
    analysis = framing.analyze("", classifier="rules", attribution="rules")
    assert analysis.warnings
    markup = render_html(analysis)
    page = parse(markup)
    assert page.spans == []
    for warning in analysis.warnings:
        assert warning in markup
    assert "nothing to measure" in markup


def test_warnings_are_shown(small):
    analysis = framing.analyze("one two three four five six seven", classifier="rules", attribution="rules")
    markup = render_html(analysis)
    assert analysis.warnings and all(w in markup for w in analysis.warnings)
    assert 'class="framing-warnings' not in render_html(small)


def test_repr_html_is_the_rendered_view(small):
    assert small._repr_html_() == render_html(small)


def test_save_html_writes_a_standalone_page(small, tmp_path):
    path = save_html(small, tmp_path / "out.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in page
    assert f"<title>{small.title}</title>" in page
    assert render_html(small) in page


def _hand_built() -> Analysis:
    """An Analysis made from the dataclasses directly (no parser): a caption line between
    paragraphs, a stray marker between two sentences, and a scraper repeat of the heading."""
    text = (
        "Hand Built Title\n\n"
        "Alpha is stated. [1] Beta is asked?\n\n"
        "Photo caption: a river.\n\n"
        "Heading & <Co>\n\nHeading & <Co>\n\n"
        "Gamma was said, he said.\n"
    )

    def sentence(fragment: str, label: str, section: int, paragraph: int) -> Sentence:
        start = text.index(fragment)
        scores = {name: (0.7 if name == label else 0.1) for name in framing.LABELS}
        return Sentence(fragment, start, start + len(fragment), label, scores, section, paragraph, cues=("a cue",))

    first = (sentence("Alpha is stated.", "factual_report", 0, 0), sentence("Beta is asked?", "rhetorical_question", 0, 0))
    second = (sentence("Gamma was said, he said.", "attributed_quote", 1, 1),)

    def dens(sentences):
        return density([s.label for s in sentences], [s.opinion_probability for s in sentences])

    heading_start = text.index("Heading & <Co>")
    sections = (
        Section(0, None, "body", first, dens(first)),
        Section(1, "Heading & <Co>", "body", second, dens(second), heading_span=(heading_start, heading_start + 14)),
    )
    lede = Section(0, None, "lede", first, dens(first))
    return Analysis(text, "Hand Built Title", None, sections, lede, dens(first + second), "hand")


def test_hand_built_analysis_keeps_gaps_and_structure_without_repeats():
    analysis = _hand_built()
    markup = render_html(analysis)
    page = parse(markup)
    assert [(s["text"], s["label"]) for s in page.spans] == [(s.text, s.label) for s in analysis.sentences]
    body = _body_paragraphs(page)
    assert [p["text"] for p in body] == ["Alpha is stated. [1] Beta is asked?", "Gamma was said, he said."]
    structure = [p["text"] for p in page.paragraphs if "framing-structure" in p["classes"]]
    assert structure == ["Photo caption: a river."]
    assert [text for _, cls, text in page.headings if cls == "framing-heading"] == ["Heading & <Co>"]
    assert "Heading &amp; &lt;Co&gt;" in markup


def test_a_section_that_contains_the_lede_is_compared_after_it():
    analysis = framing.analyze("Just a paragraph of text. And another sentence.\n\nSecond para here.", classifier="rules", attribution="rules")
    body = analysis.sections[0]
    assert body.n_sentences > analysis.lede.n_sentences
    rest = body.without(analysis.lede)
    assert [s.text for s in rest.sentences] == ["Second para here."]
    d = analysis.compare(body)
    assert d.a.n_sentences == 1 and d.b.n_sentences == 2  # disjoint samples: body after the lede
    inside = analysis.compare(analysis.lede, body)  # the lede lies wholly inside the body: as they are
    assert (inside.a.n_sentences, inside.b.n_sentences) == (2, 3)
    table = format_table(analysis)
    assert "(body) after the lede" in table  # no headings: the whole body
    assert "after the lede" in render_html(analysis)


# --------------------------------------------------------------------------- console table


def test_table_rows_comparisons_and_small_lede_note(reference):
    table = format_table(reference)
    assert table == reference.format_table()
    lines = table.splitlines()
    assert all(len(line) <= 100 for line in lines), max(lines, key=len)
    assert any(line.startswith("(lede) ") for line in lines)
    assert any(line.startswith("whole article ") for line in lines)
    for section in reference.sections:
        assert any(section.name[:40] in line for line in lines), section.name
    comparison = table.split("Compared with the lede", 1)[1]
    next_row = [line for line in comparison.splitlines() if line.startswith("What Comes Next?")]
    assert len(next_row) == 1
    diff = reference.compare("What Comes Next?")
    lo, hi = diff.interval
    assert f"{diff.difference:+.2f}  ({lo:+.2f} to {hi:+.2f})" in next_row[0]
    assert ("conclusive" if diff.conclusive else "not established") in next_row[0]
    # The unheaded first section is exactly the lede paragraph here: not compared with itself.
    assert "(before first heading)" not in comparison
    assert reference.lede.n_sentences < 5
    assert "cannot establish much" in table


def test_table_truncates_long_headings_and_indents_faq(reference):
    table = format_table(reference)
    long = [s.heading for s in reference.sections if s.heading and len(s.heading) > 50]
    assert long, "the reference article has a long FAQ question"
    assert "…" in table
    faq = [s for s in reference.sections if s.kind == "faq"]
    if faq:
        assert f"  {faq[0].name}" in table


def test_table_of_an_empty_analysis():
    analysis = framing.analyze("", classifier="rules", attribution="rules")
    table = format_table(analysis)
    assert "nothing to measure" in table
    assert all(f"warning: {w}" in table for w in analysis.warnings)


# --------------------------------------------------------------------------- browser


def _read_png_rgb(path: Path) -> np.ndarray:
    """Decode an 8-bit, non-interlaced RGB/RGBA PNG (what Chromium writes) into an (h, w, 3) array."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    assert header is not None
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        offset = y * (stride + 1)
        kind = raw[offset]
        line = np.frombuffer(raw, dtype=np.uint8, count=stride, offset=offset + 1)
        if kind == 0:
            cur = line.copy()
        elif kind == 1:  # Sub: running sum per channel, modulo 256
            cur = np.cumsum(line.reshape(width, bpp), axis=0, dtype=np.uint8).reshape(stride)
        elif kind == 2:  # Up
            cur = line + prev
        else:  # Average (3) and Paeth (4) depend on the reconstructed left byte: byte by byte
            out, up = bytearray(line.tobytes()), prev.tobytes()
            for i in range(stride):
                a = out[i - bpp] if i >= bpp else 0
                if kind == 3:
                    out[i] = (out[i] + ((a + up[i]) >> 1)) & 255
                else:
                    b, c = up[i], (up[i - bpp] if i >= bpp else 0)
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            cur = np.frombuffer(bytes(out), dtype=np.uint8)
        rows[y] = cur
        prev = cur
    return rows.reshape(height, width, bpp)[:, :, :3]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "headless Chromium not found: install the Debian package with `apt-get install -y chromium`"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def screenshot(html_path: Path, png_path: Path, profile: Path, size: str = "1200,2400") -> None:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-color-profile=srgb",
        f"--user-data-dir={profile}",
        f"--screenshot={png_path}",
        f"--window-size={size}",
        html_path.resolve().as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert png_path.exists(), f"chromium wrote no screenshot (exit {result.returncode}): {result.stderr[-2000:]}"


@pytest.mark.slow
def test_browser_screenshot_shows_the_highlights(reference, tmp_path):
    html_path = save_html(reference, tmp_path / "reference.html")
    png_path = tmp_path / "reference.png"
    screenshot(html_path, png_path, tmp_path / "profile")
    assert png_path.stat().st_size > 50_000, "a near-empty screenshot"
    pixels = _read_png_rgb(png_path)
    assert pixels.shape[:2] == (2400, 1200)
    counts = {}
    for label, colour in LABEL_COLOURS.items():
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.uint8)
        counts[label] = int(np.all(pixels == rgb, axis=2).sum())
    # A legend swatch is about 30x15 px; sentence highlights are far larger. The reference article
    # has one rhetorical question ("The goal?") in the first 2400 px.
    assert all(n > 1000 for n in counts.values()), counts
    assert counts["factual_report"] > 20_000, counts


def test_hovering_a_quote_shows_its_speaker(reference_text):
    import html as html_module
    import re

    import framing

    a = framing.analyze(reference_text, classifier="rules", attribution="rules")
    tooltips = [html_module.unescape(t) for t in re.findall(r'title="([^"]*)"', a._repr_html_())]
    rubio = [t for t in tooltips if "speaker: Marco Antonio Rubio (person, direct)" in t]
    assert len(rubio) == 1
    quoted = [s for s in a.sentences if s.attributions]
    assert len([t for t in tooltips if "\nspeaker: " in t]) == len(quoted)
