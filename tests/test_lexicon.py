"""framing.lexicon: one home for every word list, so the parts of framing agree about words."""

from __future__ import annotations

import pytest

from framing import lexicon as L
from framing.text.sentences import split_sentences
from framing.text.tokens import tokenize


@pytest.mark.parametrize(
    "lemma, forms",
    [
        ("quip", {"quips", "quipped", "quipping"}),
        ("brag", {"brags", "bragged", "bragging"}),
        ("slam", {"slams", "slammed", "slamming"}),
        ("admit", {"admits", "admitted", "admitting"}),
        ("concur", {"concurs", "concurred", "concurring"}),
        ("echo", {"echoes", "echoed", "echoing"}),
        ("answer", {"answers", "answered", "answering"}),
        ("deny", {"denies", "denied", "denying"}),
        ("argue", {"argues", "argued", "arguing"}),
    ],
)
def test_inflections_are_spelled_right(lemma, forms):
    assert L._forms(lemma) == {lemma} | forms


def test_no_generated_misspellings_in_any_verb_list():
    every = L.SPEECH_VERBS | L.RELAYING_VERBS | L.REPORTING_VERBS | L.BELIEF_VERBS | L.NEEDS_EVIDENCE
    wrong = {"admited", "admiting", "braged", "slamed", "quiped", "concured", "echos", "writed", "finded",
             "knowed", "thinked", "feeled", "sayed", "telled"}
    assert not wrong & every


def test_the_lists_agree():
    # What the cues call a reporting verb, the attribution rules take as a speech cue.
    assert L.REPORTING_VERBS <= L.SPEECH_VERBS
    # The tokenizer and name finder know every abbreviation the sentence splitter knows.
    assert L.TITLE_ABBREVIATIONS | L.NUMBER_ABBREVIATIONS | L.AMBIGUOUS_ABBREVIATIONS <= L.ABBREVIATIONS


@pytest.mark.parametrize("title", ["Sens.", "Reps.", "Govs.", "Maj.", "Mt.", "Atty."])
def test_splitter_and_tokenizer_agree_on_titles(title):
    text = f"The letter was signed by {title} Jane Roe and John Doe on Monday. It was read aloud."
    spans = split_sentences(text, 0, len(text))
    assert [text[a:b] for a, b in spans][1] == "It was read aloud."
    toks = [t.text for t in tokenize(text, *spans[0], [])]
    assert title in toks  # the period stays on the title, as the splitter read it


def test_reporting_verbs_are_finite_forms():
    # Participles ("..., adding to the confusion") are too often no report (see lexicon.py).
    assert "said" in L.REPORTING_VERBS and "saying" in L.REPORTING_VERBS
    assert not {"adding", "noting", "arguing", "written"} & L.REPORTING_VERBS
