"""Bad input gets a typed error or an honest empty analysis, never a crash from deep inside."""

import os

import pytest

import framing
from framing.text.validate import MAX_CHARS


@pytest.mark.parametrize(
    "bad, message",
    [
        (None, "None"),
        (b"An article in bytes.", "bytes"),
        (42, "int"),
        (["a", "list"], "list"),
        ("Some text\x00with a NUL.", "NUL"),
        (os.urandom(4000).decode("latin-1"), "binary"),
        ("\ufffd" * 500 + " mangled decoding.", "binary"),
    ],
)
def test_unusable_input_raises_typed_error(bad, message):
    with pytest.raises(framing.FramingInputError, match=message):
        framing.analyze(bad, classifier="rules", attribution="rules")


def test_input_error_is_a_value_error_for_callers_that_catch_those():
    with pytest.raises(ValueError):
        framing.analyze(None, classifier="rules", attribution="rules")


def test_too_large_input_names_the_limit():
    with pytest.raises(framing.FramingInputError, match=f"{MAX_CHARS:,}"):
        framing.analyze("a" * (MAX_CHARS + 1), classifier="rules", attribution="rules")


@pytest.mark.parametrize("empty", ["", "   ", "\n\n\t \r\n"])
def test_empty_text_gives_empty_analysis_with_warning(empty):
    a = framing.analyze(empty, classifier="rules", attribution="rules")
    assert a.sentences == ()
    assert a.overall.n_sentences == 0 and a.overall.opinion_density == 0.0
    assert a.lede.sentences == ()
    assert any("empty" in w for w in a.warnings)
    assert a.to_json()  # still serializable


def test_text_without_sentence_punctuation_is_analyzed_and_flagged():
    # The first short line may be read as a title; the two paragraphs after it are body.
    text = "a stream of words with no punctuation\n\nand a paragraph of them\n\nand one more of them here"
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert len(a.sentences) >= 2
    for s in a.sentences:
        assert text[s.start : s.end] == s.text
    assert any("punctuation" in w for w in a.warnings)


@pytest.mark.parametrize("text", ["Wait for it…\n\nAnd then…", "今天下雨。明天晴天！\n\n后天呢？", "Really‽ Yes‼"])
def test_ellipses_and_cjk_stops_count_as_sentence_punctuation(text):
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert not any("punctuation" in w for w in a.warnings), a.warnings


def test_one_line_repeated_is_the_text_not_a_title_and_its_repeats():
    # Issue #21: 50,000 "Hi." paragraphs gave 0 sentences, all skipped as repeats of a title.
    text = "\n\n".join(["Hi."] * 5000)
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert a.title is None and a.overall.n_sentences == 5000
    assert framing.analyze("Hi.\n\nHi.", classifier="rules", attribution="rules").overall.n_sentences == 2


def test_headline_and_heading_like_lines_are_analyzed_not_dropped():
    # "Taxes up 5%" is heading-shaped, but with no body under it it is the body.
    text = "Breaking: Council Votes\n\nTaxes Up 5% From January\n\nCritics Call It A Disaster"
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert a.title == "Breaking: Council Votes"
    assert [s.text for s in a.sentences] == ["Taxes Up 5% From January", "Critics Call It A Disaster"]
    assert any("read as paragraphs" in w for w in a.warnings)


def test_list_items_without_final_punctuation_are_separate_sentences():
    text = "Tax Vote\n\nThe council voted on Tuesday.\n\nKey points:\n- Taxes rise 5 percent\n- Critics called it a disaster"
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert [s.text for s in a.sentences][1:] == ["Key points:", "- Taxes rise 5 percent", "- Critics called it a disaster"]


@pytest.mark.slow
def test_two_megabyte_article_is_analyzed(reference_text):
    big = (reference_text + "\n\n") * (2_000_000 // len(reference_text) + 1)
    assert len(big) > 2_000_000
    a = framing.analyze(big, classifier="rules", attribution="rules")
    assert a.overall.n_sentences > 10_000
    s = a.sentences[-1]
    assert big[s.start : s.end] == s.text


def test_classify_rejects_non_strings():
    with pytest.raises(framing.FramingInputError):
        framing.classify(["fine sentence.", None], classifier="rules")
    with pytest.raises(framing.FramingInputError):
        framing.classify(None, classifier="rules")


def test_unknown_classifier_is_a_typed_error():
    with pytest.raises(framing.FramingModelError, match="unknown classifier"):
        framing.analyze("A sentence.", classifier="no-such-model")


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen. Die Opposition kritisierte "
            "den Entwurf scharf und kündigte eine Klage vor dem Verfassungsgericht an.",
            "English",
        ),
        ("def f(x):\n    return {'a': [x, y]} if x > 0 else None\n\nfor i in range(10): print(f(i))", "code"),
        ("Links:\n\nhttps://example.org/a/very/long/path/to/page-one https://example.org/another/long/page-two", "links"),
    ],
)
def test_non_article_input_is_flagged_not_silently_labeled(text, expected):
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert any(expected in w for w in a.warnings), a.warnings


def test_reference_article_has_no_warnings(reference_text):
    assert framing.analyze(reference_text, classifier="rules", attribution="rules").warnings == ()
