"""A sentence inside a speaker's direct quotation is the speaker's voice (framing.context)."""

from __future__ import annotations

import html

import numpy as np
import pytest

import framing
from framing.attribution.spans import Attribution, Span
from framing.context import QUOTED_SPEECH, SPEECH_FRAME, Evidence, apply_context, quoted_speakers, speech_frame
from framing.labels import LABELS
from conftest import make_article

AQ, EJ, FR, RQ = (LABELS.index(n) for n in ("attributed_quote", "editorial_judgment", "factual_report", "rhetorical_question"))

TEXT = "“The plan is dead. Nobody wants it,” Roe said. The vote is Tuesday."
DEAD = (0, TEXT.index(" Nobody"))  # “The plan is dead.
NOBODY = (DEAD[1] + 1, TEXT.index(" The vote"))  # Nobody wants it,” Roe said.
VOTE = (NOBODY[1] + 1, len(TEXT))


def _attr(quote_type: str = "direct", source: bool = True, speaker: str | None = "Jane Roe", cue: str = "said"):
    content_end = TEXT.index(" Roe")
    c = TEXT.index(cue)
    return Attribution(
        source=Span.of(TEXT, TEXT.index("Roe"), TEXT.index("Roe") + 3) if source else None,
        cue=Span.of(TEXT, c, c + len(cue)),
        content=Span.of(TEXT, 0, content_end),
        speaker=speaker,
        source_kind="person",
        quote_type=quote_type,
    )


def _held(attribution, spans=(DEAD, NOBODY, VOTE)):
    return quoted_speakers(make_article(TEXT, spans), [attribution])


def test_a_quoted_sentence_without_its_own_cue_is_held_by_the_quotation():
    a = _attr()
    assert _held(a) == [a, None, None]  # NOBODY holds the cue: the classifier decides; VOTE is outside


@pytest.mark.parametrize("quote_type", ["direct", "mixed", "indirect"])
def test_any_attribution_whose_content_runs_into_the_quotation_speaks_it(quote_type):
    a = _attr(quote_type=quote_type)
    assert _held(a)[0] is a


def test_nobody_speaks_no_quotation():
    assert _held(_attr(source=False, speaker=None)) == [None, None, None]


def test_a_sentence_must_lie_wholly_inside_the_quotation():
    text = "Roe called the plan “dead on arrival.” Nobody wants it, she said."
    content = Span.of(text, text.index("“"), text.index(" Nobody"))
    a = Attribution(None, Span.of(text, 9, 15), content, "Jane Roe", "person", "mixed")
    first = (0, text.index(" Nobody"))
    assert quoted_speakers(make_article(text, [first]), [a]) == [None]  # scare quotes


def test_scores_are_recombined_by_precedence():
    scores = np.array([[0.0] * len(LABELS)] * 3)
    scores[0, [FR, EJ, RQ]] = 0.2, 0.6, 0.2  # read alone: an author's opinion
    scores[1, [FR, AQ]] = 0.3, 0.7
    scores[2, FR] = 1.0
    ev = Evidence(_attr(), QUOTED_SPEECH, quoted=True)
    out, why = apply_context(scores, [ev, None, None])
    assert why == [ev, None, None]
    assert out[0, AQ] == pytest.approx(QUOTED_SPEECH) and out[0, RQ] == 0.0  # quoted: no author's question
    assert out[0, EJ] / out[0, FR] == pytest.approx(0.6 / 0.2)  # the opinion axis is kept
    assert out[0].sum() == pytest.approx(1.0, abs=1e-5)
    assert np.array_equal(out[1:], scores[1:])  # untouched rows, and the input is not modified
    assert scores[0, EJ] == 0.6


def test_a_speech_frame_keeps_the_question_axis():
    scores = np.zeros((1, len(LABELS)))
    scores[0, [FR, RQ]] = 0.9, 0.1
    out, _ = apply_context(scores, [Evidence(_attr(), SPEECH_FRAME, quoted=False)])
    assert out[0, RQ] == pytest.approx(0.1)
    assert out[0, AQ] == pytest.approx(0.9 * SPEECH_FRAME)
    assert out[0].sum() == pytest.approx(1.0, abs=1e-5)


def test_a_confident_quote_is_never_lowered():
    scores = np.zeros((1, len(LABELS)))
    scores[0, AQ] = 0.99
    scores[0, FR] = 0.01
    out, why = apply_context(scores, [Evidence(_attr(), QUOTED_SPEECH, quoted=True)])
    assert out[0, AQ] == pytest.approx(0.99) and why == [None]


@pytest.mark.parametrize(
    "cue, speech",
    [("said", True), ("vowed", True), ("according to", True), ("think", False), ("wants", False)],
)
def test_speech_frames_need_a_reporting_verb(cue, speech):
    text = f"Roe {cue} the plan is dead."
    c = text.index(cue)
    a = Attribution(Span.of(text, 0, 3), Span.of(text, c, c + len(cue)), Span.of(text, c + len(cue) + 1, len(text) - 1),
                    "Jane Roe", "person", "indirect")
    assert (speech_frame(0, len(text), [a]) is a) == speech
    assert speech_frame(c + len(cue), len(text), [a]) is None  # the cue must lie in the sentence


def test_each_sentence_is_checked_against_its_own_quotation_only(monkeypatch):
    # 5,000 one-sentence quotations: a sentence meets only the attributions on its quotation,
    # not every quotation of the article (which would cost quotations x sentences).
    import framing.context as C

    seen = []
    real = C.quoting_attribution
    monkeypatch.setattr(C, "quoting_attribution", lambda t, s, e, r, atts: seen.append(len(atts)) or real(t, s, e, r, atts))
    text = " ".join("“It is fine,” he said. He left." for _ in range(5_000))
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert len(a.sentences) == 10_000
    assert seen and max(seen) <= 2


# ----------------------------------------------------------------------------- through analyze
def _by_text(analysis, prefix: str):
    (s,) = [s for s in analysis.sentences if s.text.startswith(prefix)]
    return s


def test_middle_of_a_long_quotation_is_the_speakers():
    text = (
        "Council Fight\n\n"
        "Senator Jane Roe spoke for an hour.\n\n"
        "“We will fight this plan,” Roe said. “We will fight it in committee.\n\n"
        "“We will fight it on the floor. Is this really the best they can do?\n\n"
        "“And we will win.”\n\n"
        "The hearing ended at noon."
    )
    a = framing.analyze(text, classifier="rules", attribution="rules")
    for prefix in ("“We will fight it in committee", "“We will fight it on the floor", "Is this really", "“And we will"):
        s = _by_text(a, prefix)
        assert s.label == "attributed_quote", s
        assert s.scores["attributed_quote"] >= QUOTED_SPEECH
        assert s.context is not None and "Jane Roe" in s.context
    assert _by_text(a, "The hearing").context is None
    assert _by_text(a, "Senator Jane Roe").context is None
    # Consistent results: the label is the argmax, densities count the new label.
    assert all(s.label == max(s.scores, key=s.scores.get) for s in a.sentences)
    assert a.overall.n_opinion == sum(s.is_opinion for s in a.sentences)


def test_author_wrapping_a_quote_keeps_the_classifiers_reading():
    text = "But the language was telling: “We're not asking you to surrender.” The talks went on."
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert all(s.context is None for s in a.sentences)


def test_context_is_shown_and_exported():
    text = "He added: “The plan is dead. Nobody wants it. We move on.”"
    a = framing.analyze(text, classifier="rules", attribution="rules")
    held = [s for s in a.sentences if s.context is not None]
    assert [s.text for s in held] == ["Nobody wants it.", "We move on.”"]
    df = a.to_pandas()
    assert df["context"].notna().tolist() == [s.context is not None for s in a.sentences]
    assert a.to_dict()["sections"][0]["sentences"][1]["context"] == held[0].context
    view = a._repr_html_()
    assert html.escape(held[0].context, quote=True) in view
    assert view.count('data-context="1"') == len(held)  # outlined in the view, and in the legend:
    assert "label read in the article&#x27;s context" in view or "label read in the article's context" in view
    plain = framing.analyze("The plan is dead. Nobody wants it.", classifier="rules", attribution="rules")._repr_html_()
    assert "data-context" not in plain and "article's context" not in plain


def test_the_trained_model_reads_a_long_quotation_in_context():
    text = (
        "Asked whether it was fair, White House press secretary Jay Carney said it was. "
        "\"I believe that phrase is from the Bible. And I think the point the president is making is that, "
        "you know, we have it within our capacity to help ourselves. And that's why he's working so hard,\" "
        "Carney told reporters."
    )
    a = framing.analyze(text)
    middle = _by_text(a, "And I think the point")
    assert middle.label == "attributed_quote"
    assert "Jay Carney" in middle.context and "told" in middle.context


def test_the_trained_model_gives_a_quote_after_an_indirect_report_its_speaker():
    # The tagger's content runs from the reported clause into the quotation (a mixed quote).
    text = (
        "Clinton Warns On ISIS\n\nHillary Clinton said the group was a threat to the region and would grow. "
        "\"It cannot be contained; it must be defeated. Why would we wait?\"\n\nThe debate resumes Monday."
    )
    a = framing.analyze(text)
    question = _by_text(a, "Why would we wait")
    assert question.label == "attributed_quote"  # a question inside quotation marks is not the author's
    assert "Hillary Clinton" in question.context
    assert _by_text(a, "The debate").context is None


def test_a_factual_report_that_relays_speech_becomes_a_quote_but_an_editorial_stays():
    scores = np.zeros((2, len(LABELS)))
    scores[0, FR] = 1.0
    scores[1, EJ] = 1.0
    text = "Roe said the plan is dead. Roe said the plan is a disgrace."
    second = text.index("Roe said the plan is a")
    frames = [
        Attribution(Span.of(text, a, a + 3), Span.of(text, a + 4, a + 8), Span.of(text, a + 9, b - 1), "Jane Roe", "person", "indirect")
        for a, b in ((0, second - 1), (second, len(text)))
    ]
    from framing.context import sentence_evidence

    article = make_article(text, [(0, second - 1), (second, len(text))])
    ev = sentence_evidence(article, scores, frames, [[frames[0]], [frames[1]]])
    assert ev[0] is not None and not ev[0].quoted and ev[0].floor == SPEECH_FRAME
    assert "relays Jane Roe ('said')" in ev[0].describe()
    assert ev[1] is None  # the author may be evaluating what they report


def test_the_trained_model_reads_relayed_speech_but_not_stances(reference_text):
    a = framing.analyze(
        "Clinton Rallies Workers\n\nHillary Clinton spoke in Ohio on Monday. A Clinton presidency, she vowed, "
        "would bring better-paying jobs, renovated schools, and repaired bridges and highways."
    )
    assert _by_text(a, "A Clinton presidency").label == "attributed_quote"
    # Reporting that a source holds a position is a factual report (LABELS.md): no context.
    ref = framing.analyze(reference_text)
    for prefix in ("The U.S. has consistently rejected", "Ukraine’s parliament, public opinion"):
        assert _by_text(ref, prefix).context is None
