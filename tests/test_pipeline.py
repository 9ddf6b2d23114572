"""framing.analyze end to end on the reference article (rule classifier: fast, model-free)."""

import json

import pytest

import framing


@pytest.fixture(scope="module")
def analysis(reference_text):
    return framing.analyze(reference_text, classifier="rules", attribution="rules")


def test_contract_fields(analysis, reference_text):
    assert analysis.title == "US Presents Draft Plan Demanding Ukraine Cede Territory to End War with Russia"
    assert analysis.byline == "Nov, 29 2025 World Caelum Braxton"
    assert analysis.sections[0].heading is None
    assert framing.LABELS == ("factual_report", "attributed_quote", "editorial_judgment", "rhetorical_question")
    for section in analysis.sections:
        assert 0.0 <= section.opinion_density <= 1.0
        for s in section.sentences:
            assert reference_text[s.start : s.end] == s.text
            assert s.label in framing.LABELS
            assert sum(s.scores.values()) == pytest.approx(1.0)
            assert s.label == max(s.scores, key=s.scores.get)


def test_lede_is_the_first_body_paragraph(analysis, reference_text):
    lede = analysis.lede
    assert lede.sentences[0].text.startswith("On November 20, 2025, the Trump administration")
    assert lede.sentences[-1].text.endswith("rally international support.")
    assert len(lede.sentences) == 3
    assert lede.density.n_sentences == 3


def test_sections_in_reading_order_without_duplicates(analysis):
    headings = [s.heading for s in analysis.sections]
    assert headings[:6] == [
        None,
        "The Draft’s Stark Demands",
        "Washington’s Quiet Diplomacy",
        "What Ukraine Says—And Doesn’t Say",
        "Why This Matters Now",
        "What Comes Next?",
    ]
    assert len(headings) == len(set(headings))
    assert all(s.sentences for s in analysis.sections), "no empty sections"
    faq = [s for s in analysis.sections if s.kind == "faq"]
    assert len(faq) == 6
    assert all(s.group == "Frequently Asked Questions" and s.heading.endswith("?") for s in faq)


def test_headings_and_title_are_not_body_sentences(analysis):
    texts = {s.text for s in analysis.sentences}
    assert "What Comes Next?" not in texts
    assert "What does the U.S. gain from this plan?" not in texts
    assert not any(t.startswith("US Presents Draft Plan") for t in texts)


def test_every_sentence_is_counted_once(analysis):
    all_sentences = analysis.sentences
    assert analysis.overall.n_sentences == len(all_sentences) == sum(s.n_sentences for s in analysis.sections)
    starts = [s.start for s in all_sentences]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_compare_section_with_lede(analysis):
    diff = analysis.compare("What Comes Next?")
    section = analysis.section("what comes next?")
    assert diff.difference == pytest.approx(section.opinion_density - analysis.lede.opinion_density)
    lo, hi = diff.interval
    assert lo <= diff.difference <= hi
    # Three lede sentences against nine: the interval must be wide, whatever the labels.
    assert hi - lo > 0.5


def test_unknown_section_name_lists_the_real_ones(analysis):
    with pytest.raises(KeyError, match="Why This Matters Now"):
        analysis.section("Nope")


def test_pandas_views(analysis):
    df = analysis.to_pandas()
    assert len(df) == len(analysis.sentences)
    assert list(df.filter(like="p_").columns) == [f"p_{n}" for n in framing.LABELS]
    assert df["in_lede"].sum() == 3
    sections = analysis.to_pandas(level="section")
    assert len(sections) == len(analysis.sections) + 1  # plus the lede row
    assert sections.iloc[0]["kind"] == "lede"
    with pytest.raises(ValueError):
        analysis.to_pandas(level="word")


def test_json_round_trip_is_deterministic(analysis, reference_text):
    data = json.loads(analysis.to_json())
    assert data["taxonomy"] == "framing.labels.v1"
    assert [s["heading"] for s in data["sections"]] == [s.heading for s in analysis.sections]
    again = framing.analyze(reference_text, classifier="rules", attribution="rules").to_json()
    assert again == analysis.to_json()


def test_repr_is_compact(analysis):
    text = repr(analysis)
    assert text.startswith("Analysis(") and len(text) < 300


def test_markdown_headings():
    text = "# A Title\n\nFirst paragraph. It has two sentences.\n\n## Next?\n\nAnother one here."
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert a.title == "A Title"
    assert [s.heading for s in a.sections] == [None, "Next?"]
    assert a.lede.n_sentences == 2


def test_custom_classifier_object_is_used():
    class AlwaysQuote:
        name = "always-quote"

        def predict_proba(self, sentences):
            import numpy as np

            out = np.zeros((len(sentences), 4))
            out[:, 1] = 1.0
            return out

    a = framing.analyze("One sentence here. And another.", classifier=AlwaysQuote())
    assert a.classifier == "always-quote"
    assert {s.label for s in a.sentences} == {"attributed_quote"}
    assert a.overall.opinion_density == 0.0


def test_unheaded_sections_are_named_for_what_they_are():
    plain = framing.analyze("The council met on Monday.\n\nIt voted to raise taxes.", classifier="rules", attribution="rules")
    assert [s.name for s in plain.sections] == ["(body)"]
    assert plain.section("(body)") is plain.sections[0]
    headed = framing.analyze(
        "The council met on Monday.\n\nWhat Comes Next\n\nA second vote is due in May.", classifier="rules",
        attribution="rules",
    )
    assert [s.name for s in headed.sections] == ["(before first heading)", "What Comes Next"]
    assert headed.section("(before first heading)") is headed.sections[0]
    with pytest.raises(KeyError):
        headed.section("(body)")
