"""Hostile inputs (issue #18): time linear in the input's length, memory bounded, typed errors.

Time is checked as a ratio in the same run, never against the clock: each shape is analyzed at
size n and 4n, and the CPU time (``time.process_time``: other processes on the machine do not
count; the better of two runs at each size) may grow by at most 8x. Linear work grows 4x, quadratic 16x: before the fixes these
shapes took 13-300 s at the issue's sizes. Memory is checked in a fresh process with the real
model.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time

import pytest

import framing
from conftest import REPO

RULES = {"classifier": "rules", "attribution": "rules"}

#: name -> (text of size n, n): the shapes of issue #18's table, at sizes where n takes >= 0.1 s
#: (shorter runs are all noise: a 0.03 s run once measured 9x at 4n on a linear shape).
SHAPES = {
    "yes_no": (lambda n: " ".join(['"Yes," he said. "No," she said.'] * n), 600),
    "nested_quotes": (lambda n: "He said \"she said 'they said “it was fine” ok' yes\" no. " * n, 900),
    "colons": (lambda n: "He said: " * n + "fine.", 6000),
    "said_that": (lambda n: "He said that she said that " * n + "it was fine.", 3200),
    "numbered_lines": (lambda n: "\n".join(f"{i % 999}. Item said the minister" for i in range(n)), 2500),
    "setext_headings": (lambda n: "\n".join(f"Heading {i}\n=====\nThe minister said the plan was fine.\n" for i in range(n)), 600),
    "markdown_headings": (lambda n: "\n\n".join(f"## Heading Number {i}\n\nThe minister said the plan was fine. It was." for i in range(n)), 400),
    "long_quote": (lambda n: 'The minister said: "' + "The plan is fine and everyone agrees. " * n + '"', 1600),
    "minister_one_paragraph": (lambda n: "The minister said the plan was fine. " * n, 1000),
    "minister_paragraphs": (lambda n: "\n\n".join(["The minister said the plan was fine. He said it again."] * n), 500),
}


def _cpu(fn) -> float:
    gc.collect()  # a collection of the previous run's garbage is not this run's cost
    start = time.process_time()
    fn()
    return time.process_time() - start


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SHAPES))
def test_time_is_linear_in_length(name):
    make, n = SHAPES[name]
    small, large = make(n), make(4 * n)
    framing.analyze(small, **RULES)  # warm caches
    t_small = min(_cpu(lambda: framing.analyze(small, **RULES)) for _ in range(2))
    t_large = min(_cpu(lambda: framing.analyze(large, **RULES)) for _ in range(2))
    assert t_large <= 8 * max(t_small, 0.05), f"{name}: {t_small:.3f} s at n, {t_large:.3f} s at 4n"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["long_quote", "yes_no", "minister_one_paragraph"])
def test_views_are_linear_in_length(name):
    make, n = SHAPES[name]
    small = framing.analyze(make(n), **RULES)
    large = framing.analyze(make(4 * n), **RULES)

    def views(a):
        return lambda: (a.to_pandas(), a.to_pandas("attribution"), a.to_json(), a._repr_html_())

    t_small = min(_cpu(views(small)) for _ in range(2))
    t_large = min(_cpu(views(large)) for _ in range(2))
    assert t_large <= 8 * max(t_small, 0.05), f"{name}: {t_small:.3f} s at n, {t_large:.3f} s at 4n"
    # The JSON writes each attribution once: a quotation over thousands of sentences is not
    # copied into every one of them.
    assert len(large.to_json()) <= 6 * len(small.to_json())


_PEAK = """
import json, resource, sys, framing
framing.analyze("The model loads here.")
text = "The minister said the plan was fine. " * int(sys.argv[1])
a = framing.analyze(text)
print(json.dumps({"sentences": len(a.sentences),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@pytest.mark.slow
def test_memory_of_one_long_paragraph_stays_bounded():
    """4,000 sentences in one paragraph with the default model peaked at 5.0 GB (the span
    tagger copied the whole paragraph once per cue); it streams in blocks now."""
    pytest.importorskip("torch")
    done = subprocess.run([sys.executable, "-c", _PEAK, "4000"], capture_output=True, text=True,
                          cwd=REPO, timeout=900, env={**__import__("os").environ, "OMP_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["sentences"] == 4000
    assert result["peak_mb"] < 1500, result


def test_a_long_article_streamed_in_blocks_reads_as_one(monkeypatch, reference_text, shipped_model):
    """An article over STREAM_CHARS is encoded and tagged block by block; blocks are whole
    tagger units, so its labels and attributions are those of reading it in one piece."""
    from framing import pipeline

    text = "\n\n".join([reference_text] * 3)
    whole = framing.analyze(text)
    monkeypatch.setattr(pipeline, "STREAM_CHARS", 10_000)
    monkeypatch.setattr(pipeline, "BLOCK_TOKENS", 600)  # several blocks
    streamed = framing.analyze(text)
    assert [s.label for s in streamed.sentences] == [s.label for s in whole.sentences]
    assert [(a.start, a.end, a.speaker) for a in streamed.attributions] == [(a.start, a.end, a.speaker) for a in whole.attributions]
    rules = framing.analyze(text, attribution="rules")  # streamed without the tagger too
    assert len(rules.sentences) == len(whole.sentences)


# -- lone surrogates ---------------------------------------------------------------------------


def test_lone_surrogates_are_refused_with_a_typed_error_and_can_be_repaired():
    text = "The minister said \udcff\udcfe the plan was fine. It was."
    with pytest.raises(framing.FramingInputError, match="surrogate .*position 18"):
        framing.analyze(text, **RULES)
    repaired = framing.replace_surrogates(text)
    assert len(repaired) == len(text) and "\ufffd\ufffd" in repaired
    a = framing.analyze(repaired, **RULES)
    assert a.text[a.sentences[1].start : a.sentences[1].end] == text[a.sentences[1].start : a.sentences[1].end]


def test_a_lone_surrogate_costs_one_record_not_the_stream():
    texts = ["A fine text.", json.loads('"cut \\ud83d mid-emoji."'), "Another fine text."]
    out = list(framing.analyze_many(texts, **RULES))
    assert [type(r).__name__ for r in out] == ["Analysis", "RecordError", "Analysis"]
    assert out[1].kind == "undecodable" and "surrogate" in out[1].message


def test_lone_surrogates_never_reach_the_tokenizer(shipped_model):
    with pytest.raises(framing.FramingInputError):
        framing.analyze("He said \ud83d it was fine.")
    with pytest.raises(framing.FramingInputError):
        framing.classify(["ok", "cut \ud83d"])
    with pytest.raises(framing.FramingInputError):
        shipped_model.predict_proba(["cut \ud83d"])
