"""Small measured comparison of sentence segmenters for ``framing.text.sentences``.

Run ``python -m evals.segmentation``; it prints the Markdown table committed as
``evals/results/segmentation.md``.

Scored on two things:

* ``CASES``: tricky news sentences written for this comparison, each with its expected split.
  A case counts as correct only when every boundary is right.
* the reference article (``examples/us-draft-plan-ukraine.txt``), split paragraph by paragraph as
  the pipeline does, against a hand-checked gold split (``ARTICLE_GOLD``: the first characters of
  every sentence, in order).

Boundary precision/recall/F1 pool both. Every segmenter's output is mapped back to offsets in the
original string the same way (aligning non-whitespace characters), so none is penalised for
normalising whitespace; "native offsets ok" separately checks the offsets a library reports
itself, where it has them. Speed is sentences per second over the article body repeated 40 times,
one call per paragraph, best of 3 (machine-dependent: compare rows, not absolute numbers).
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import time
from pathlib import Path
from typing import Callable

from framing.text.layout import parse_layout
from framing.text.sentences import split_sentences

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "examples" / "us-draft-plan-ukraine.txt"

Spans = list[tuple[int, int]]

# Each case: its sentences, joined by one space unless the case gives (text, sentences).
CASES: list[list[str] | tuple[str, list[str]]] = [
    ["U.S. envoy Steven M. Witkoff met Kirill Dmitriev.", "The talks were secret."],
    ["Vladimir V. Putin spoke on Monday.", "Nobody listened."],
    ["Mr. Smith and Mrs. Jones arrived.", "Dr. Brown was late."],
    ["The vote is set for Jan. 5 in Kyiv.", "Officials agreed."],
    ["He lives at No. 5 Downing Street.", "It is famous."],
    ["No.", "The U.S. has consistently rejected it."],
    ["The meeting began at 9 a.m. and ended at noon."],
    ["The meeting began at 9 a.m.", "The talks ran long."],
    ['"We will not surrender," she said.', '"Never."'],
    ['He called it "a disgrace."', "Then he left."],
    ["He called it “a disgrace.”", "Then he left."],
    ["'Where is the money?' she asked.", "Nobody answered."],
    ["“Where is the money?” she asked.", "Nobody answered."],
    ['"Stop!" he shouted at the crowd.'],
    ["“Is this fair?” asked one official.", "“No,” said another."],
    ["It’s not a compromise—it’s a recognition of conquest.", "The rest followed."],
    ["Prices rose 3.5 percent in 2024.", "Wages fell."],
    ["See https://example.com/a.b?c=1 for details.", "Or e-mail info@example.org today."],
    ["The plan… was never real.", "Everyone knew."],
    ["He paused...", "Then he spoke."],
    ["Without any final punctuation here"],
    ["The goal?", "To normalize the idea."],
    ["What now?!", "Nobody knows."],
    ["The U.S. would scale back aid.", "Kyiv objected."],
    ["U.S. Secretary of State Marco Rubio spoke.", "He was brief."],
    ["He works for the U.S. State Department now."],
    ["She was born in the U.S.", "The family moved later."],
    ["Acme Inc. reported losses.", "Shares fell."],
    ["Gen. Valery Zaluzhny disagreed.", "Sen. Graham did too."],
    ["It was clear (see p. 4).", "Nobody read it."],
    ["He said: “We’re not asking you to surrender.", "We’re asking you to survive.”"],
    (
        "The first line of a paragraph\nwrapped onto the next line. A second sentence.",
        ["The first line of a paragraph\nwrapped onto the next line.", "A second sentence."],
    ),
    (
        "A paragraph without a period\n\nThe next paragraph here.",
        ["A paragraph without a period", "The next paragraph here."],
    ),
    ["Approx. 400 people came.", "More were expected."],
    ["The sum was $1.2 million.", "It was paid."],
    ["Zelensky met Trump.", "(Photo: Reuters.)", "Talks continued."],
    ["Items include e.g. tanks and i.e. drones.", "That is all."],
    ["The Ph.D. student spoke.", "Others agreed."],
    ["They met in Washington, D.C.", "The talks failed."],
    ["He asked whether it was fair?", "No one replied."],
    ["Ukraine, she said, “will never accept this.”", "The statement was brief."],
    ["The plan was delivered at 20:57 CET on Nov. 20.", "It was rejected."],
    ["The letter was signed by J. R. R. Tolkien.", "Fans cheered."],
    ["Smith et al. found the opposite.", "Their paper was cited."],
    ["WASHINGTON (AP) — The Senate voted on Tuesday.", "The bill passed."],
    ["Unbelievable!!!", "The deal collapsed."],
    ["iPhone sales rose.", "eBay fell."],
    ["The vote was 52–48.", "Opponents cried foul."],
]

# Written after the rule splitter was frozen and never used to tune it (nor any other segmenter):
# a check on how much the rule splitter is fitted to CASES.
HELDOUT: list[list[str] | tuple[str, list[str]]] = [
    ["The firm's CEO, Jane Doe, Ph.D., resigned.", "Shares rose."],
    ["Mt. Everest is tall.", "Climbers know."],
    ["“We’re done,” he said.", "“Goodbye.”"],
    ["The report said ‘no deal.’", "Talks ended."],
    ["Is it over?", "Not yet.", "Maybe tomorrow!"],
    ["The bill (H.R. 1) passed.", "Critics objected."],
    ["Sen. John McCain (R-Ariz.) spoke.", "He was angry."],
    ["The U.N. Security Council met.", "Russia vetoed."],
    ["Prices fell in Oct. and rose in Nov.", "The index is up."],
    ["He wrote to Gov. Newsom.", "Newsom replied."],
    ["Ms. Lee, 45, said she was “shocked.”", "She left."],
    ["The ceasefire—if it holds—starts at 8 p.m. on Friday.", "Few expect it to."],
    ["“Why now?”", "That was the question."],
    ["He shouted “No!” and left."],
    ["Stop.", "Stop.", "He said stop.", "Stop."],
    ("Two  spaces.  Then\ttabs.\r\n\r\nNew paragraph.", ["Two  spaces.", "Then\ttabs.", "New paragraph."]),
]

# Hand-checked gold for the reference article: the start of each body sentence, in order.
ARTICLE_GOLD = [
    "On November 20, 2025", "The draft, presented", "The timing was no accident",
    "The proposal, obtained", "Ukraine would be forced", "Crimea, Luhansk, and Donetsk would",
    "Even more striking", "It’s not a compromise", "Under the plan", "Snap elections",
    'A "comprehensive', "And here’s the kicker", "One insider bluntly", "The Trump administration didn’t",
    "Since at least November 18", "The goal?", "To normalize", "Sean Driscoll",
    "But the language was telling", "We’re asking you to survive", "U.S. Secretary of State",
    'But the word "both"', "Ukraine has been fighting", "Russia invaded.", "The asymmetry",
    "Zelensky’s office issued", "But they didn’t endorse", "They didn’t even call",
    "And Zelensky himself", "That’s not negotiation", "And delay, in wartime",
    "Meanwhile, leaked documents", "No Ukrainian government", "No Ukrainian parliament",
    "And yet, the U.S.", "This isn’t just about", "It’s about the future", "Since Russia’s invasion",
    "The world has condemned", "Sanctions have been", "Weapons have flowed", "But now, the United",
    "That’s a precedent", "The Trump administration is racing", "They want a signed",
    "But peace built", "And history won’t", "It’ll remember", "Ukraine’s military is exhausted",
    "Western allies", "Some European leaders", "Others, like Hungary’s", "Meanwhile, Ukrainian civilians",
    "The draft plan is not final", "But it’s real", "And it’s being pushed", "That’s the real crisis",
    "The Trump administration hopes", "By framing the proposal", "But it risks",
    "Over 3 million", "Forced displacement", "In Donetsk alone", "Many fear being labeled",
    "Kirill Dmitriev is not", "As head of the Russian", "His involvement signals", "No.",
    "The U.S. has consistently", "This draft marks", "That’s a seismic shift",
    "The Trump administration aims", "Zelensky has 100 days", "But without Ukrainian consent",
    "Extremely low.", "Ukraine’s parliament", "Zelensky’s government has", "Even if the U.S.",
    "Accepting this plan would mean",
]


# --------------------------------------------------------------------------- segmenters


def _align(text: str, start: int, pieces: list[str]) -> Spans | None:
    """Map sentence strings back to offsets by walking their non-whitespace characters."""
    spans: Spans = []
    i = start
    for piece in pieces:
        chars = [c for c in piece if not c.isspace()]
        if not chars:
            continue
        while i < len(text) and text[i].isspace():
            i += 1
        s = i
        for c in chars:
            while i < len(text) and text[i].isspace():
                i += 1
            if i >= len(text) or text[i] != c:
                return None  # the library changed a character
            i += 1
        spans.append((s, i))
    return spans


def _stripped(text: str, spans: Spans) -> Spans:
    out = []
    for s, e in spans:
        piece = text[s:e]
        s2 = s + len(piece) - len(piece.lstrip())
        e2 = e - (len(piece) - len(piece.rstrip()))
        if e2 > s2:
            out.append((s2, e2))
    return out


def rules(text: str, start: int, end: int) -> tuple[Spans, Spans | None]:
    spans = split_sentences(text, start, end)
    return spans, spans


def make_pysbd() -> Callable:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    seg_span = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def run(text: str, start: int, end: int, native: bool = False):
        chunk = text[start:end]
        spans = _align(text, start, seg.segment(chunk))
        nat = None
        if native:
            nat = _stripped(text, [(start + t.start, start + t.end) for t in seg_span.segment(chunk)])
        return spans, nat

    return run


def make_syntok() -> Callable:
    from syntok import segmenter

    def run(text: str, start: int, end: int, native: bool = False):
        chunk = text[start:end]
        spans = [
            (start + sent[0].offset, start + sent[-1].offset + len(sent[-1].value))
            for para in segmenter.analyze(chunk)
            for sent in para
            if sent
        ]
        # syntok's tokens carry offsets: these are its native spans and its output.
        return _stripped(text, spans), _stripped(text, spans)

    return run


def make_blingfire() -> Callable:
    import blingfire

    def run(text: str, start: int, end: int, native: bool = False):
        chunk = text[start:end]
        joined, offsets = blingfire.text_to_sentences_and_offsets(chunk)
        spans = _align(text, start, joined.split("\n") if joined else [])
        nat = _stripped(text, [(start + s, start + e) for s, e in offsets]) if native else None
        return spans, nat

    return run


def make_nupunkt() -> Callable:
    import nupunkt

    def run(text: str, start: int, end: int, native: bool = False):
        chunk = text[start:end]
        spans = _stripped(text, [(start + s, start + e) for s, e in nupunkt.sent_spans(chunk)])
        return spans, spans

    return run


SEGMENTERS: dict[str, tuple[str | None, Callable[[], Callable]]] = {
    "rules (framing.text.sentences)": (None, lambda: rules),
    "pysbd": ("pysbd", make_pysbd),
    "syntok": ("syntok", make_syntok),
    "blingfire": ("blingfire", make_blingfire),
    "nupunkt": ("nupunkt", make_nupunkt),
}


# --------------------------------------------------------------------------- scoring


def _case_text(case) -> tuple[str, list[str]]:
    if isinstance(case, tuple):
        return case
    return " ".join(case), case


def _starts(spans: Spans | None) -> set[int]:
    return {s for s, _ in spans[1:]} if spans else set()


def _native_ok(
    text: str, start: int, end: int, spans: Spans | None, aligned: Spans | None
) -> bool | None:
    """Native spans are fine when they match the library's own sentences (aligned), are sorted,
    disjoint and cover every non-space character."""
    if spans is None:
        return None
    if aligned is not None and spans != aligned:
        return False
    covered = 0
    last = start
    for s, e in spans:
        if s < last or e <= s or e > end:
            return False
        covered += sum(1 for c in text[s:e] if not c.isspace())
        last = e
    return covered == sum(1 for c in text[start:end] if not c.isspace())


def _article_paragraphs(text: str) -> list[tuple[int, int]]:
    layout = parse_layout(text)
    return [(p.start, p.end) for sec in layout.sections for p in sec.paragraphs]


def _article_gold(text: str, paragraphs) -> set[int]:
    """Gold boundaries: every gold sentence start that is not a paragraph start."""
    starts, pos = set(), paragraphs[0][0]
    for prefix in ARTICLE_GOLD:
        pos = text.index(prefix, pos)
        starts.add(pos)
        pos += 1
    return starts - {s for s, _ in paragraphs}


def evaluate() -> list[dict]:
    text = ARTICLE.read_text(encoding="utf-8")
    paragraphs = _article_paragraphs(text)
    gold_article = _article_gold(text, paragraphs)
    bench = "\n\n".join(text[s:e] for s, e in paragraphs)
    bench = "\n\n".join([bench] * 40)
    bench_paras = _article_paragraphs(bench)

    rows = []
    for name, (dist, factory) in SEGMENTERS.items():
        try:
            run = factory()
            version = md.version(dist) if dist else "—"
        except ImportError:
            continue
        tp = fp = fn = 0
        exact = 0
        native_ok = []
        failures = []
        for case in CASES:
            ctext, sents = _case_text(case)
            gold = _starts(_align(ctext, 0, sents))
            spans, native = run(ctext, 0, len(ctext), True) if dist else run(ctext, 0, len(ctext))
            pred = _starts(spans)
            ok = spans is not None and pred == gold
            exact += ok
            if not ok:
                failures.append(sents[0][:40])
            tp += len(pred & gold)
            fp += len(pred - gold)
            fn += len(gold - pred)
            native_ok.append(_native_ok(ctext, 0, len(ctext), native, spans))
        held = 0
        for case in HELDOUT:
            ctext, sents = _case_text(case)
            gold = _starts(_align(ctext, 0, sents))
            spans, native = run(ctext, 0, len(ctext), True) if dist else run(ctext, 0, len(ctext))
            ok = spans is not None and _starts(spans) == gold
            held += ok
            if not ok:
                failures.append("held-out: " + sents[0][:40])
            native_ok.append(_native_ok(ctext, 0, len(ctext), native, spans))
        a_pred: set[int] = set()
        for s, e in paragraphs:
            spans, native = run(text, s, e, True) if dist else run(text, s, e)
            a_pred |= _starts(spans)
            native_ok.append(_native_ok(text, s, e, native, spans))
        a_tp, a_fp, a_fn = len(a_pred & gold_article), len(a_pred - gold_article), len(gold_article - a_pred)
        tp, fp, fn = tp + a_tp, fp + a_fp, fn + a_fn

        best = float("inf")
        n_sent = 0
        for _ in range(3):
            t0 = time.perf_counter()
            n_sent = sum(len(run(bench, s, e)[0] or []) for s, e in bench_paras)
            best = min(best, time.perf_counter() - t0)
        checked = [x for x in native_ok if x is not None]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        rows.append(
            {
                "segmenter": name,
                "version": version,
                "cases_exact": f"{exact}/{len(CASES)}",
                "heldout_exact": f"{held}/{len(HELDOUT)}",
                "article_errors": a_fp + a_fn,
                "precision": p,
                "recall": r,
                "f1": 2 * p * r / (p + r) if p + r else 0.0,
                "native_offsets_ok": (
                    f"{sum(checked)}/{len(checked)}" if checked else "n/a (strings only)"
                ),
                "sent_per_s": n_sent / best,
                "failures": failures,
            }
        )
    return rows


def render(rows: list[dict]) -> str:
    n_gold = len(ARTICLE_GOLD)
    head = (
        "# Sentence segmentation comparison\n\n"
        "Generated by `python -m evals.segmentation` (2-core shared machine; speeds are relative).\n"
        f"{len(CASES)} tricky cases and {len(HELDOUT)} held-out cases (exact split), reference "
        f"article ({n_gold} gold sentences); boundary P/R/F1 pooled over cases and article "
        "(not held-out).\n\n"
        "| segmenter | version | cases exact | held-out exact | article errors | P | R | F1 "
        "| native offsets ok | sentences/s |\n|---|---|---|---|---|---|---|---|---|---|\n"
    )
    body = "".join(
        f"| {r['segmenter']} | {r['version']} | {r['cases_exact']} | {r['heldout_exact']} "
        f"| {r['article_errors']} "
        f"| {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['native_offsets_ok']} "
        f"| {r['sent_per_s']:,.0f} |\n"
        for r in rows
    )
    fails = "\n".join(
        f"- **{r['segmenter']}** fails: " + "; ".join(f"`{f}`" for f in r["failures"])
        for r in rows
        if r["failures"]
    )
    return head + body + "\nFailed cases (first words):\n\n" + fails + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    print(render(evaluate()))


if __name__ == "__main__":
    main()
