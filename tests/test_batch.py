"""analyze_many: same results as analyze one by one, order kept, bad records in place, flat memory."""

from __future__ import annotations

import itertools

import pytest

import framing
from framing.batch import analyze_many
from framing.results import ERROR_KINDS, RecordError
from framing.model import get_classifier
from framing.batch.tables import COLUMNS, LEVELS, column_names, rows

SHORT = [
    "Prices rose 3% in May, the agency said.",
    "Lawmakers met on Tuesday. \"We will act,\" the senator said. Is this really the best they can do?",
    "Title Line\n\nThe council voted 5-2 to approve the budget. Critics called the plan a reckless gamble.",
]


@pytest.fixture(scope="module")
def corpus(reference_text):
    # Articles of very different lengths, so windows close mid-list and sentences get pooled.
    return [reference_text, *SHORT, reference_text[:2000], *SHORT[::-1]]


@pytest.mark.parametrize("batch_size", [1, 7, 256, 10_000])
def test_same_results_as_analyze_one_by_one(corpus, batch_size):
    many = list(analyze_many(corpus, classifier="rules", attribution="rules", batch_size=batch_size))
    assert len(many) == len(corpus)
    for text, result in zip(corpus, many):
        assert result == framing.analyze(text, classifier="rules", attribution="rules")


def test_bad_records_take_their_place_and_never_stop_the_stream():
    bad = [None, 42, b"bytes", "", "   \n", "a\x00b", "x" * (framing.text.validate.MAX_CHARS + 1), ["a list"]]
    texts = [SHORT[0], *bad, SHORT[1]]
    out = list(analyze_many(texts, classifier="rules", attribution="rules"))
    assert len(out) == len(texts)
    assert isinstance(out[0], framing.Analysis) and isinstance(out[-1], framing.Analysis)
    errors = out[1:-1]
    assert all(isinstance(e, RecordError) for e in errors)
    kinds = ["missing", "not_text", "not_text", "empty", "empty", "binary", "too_long", "not_text"]
    assert [e.kind for e in errors] == kinds
    assert [e.index for e in errors] == list(range(1, 1 + len(bad)))
    assert all(e.kind in ERROR_KINDS and e.message for e in errors)
    with pytest.raises(AttributeError):  # frozen
        errors[0].kind = "x"  # type: ignore[misc]


def test_a_record_error_in_the_input_is_passed_through_at_its_position():
    out = list(analyze_many([SHORT[0], RecordError(99, "undecodable", "line 2: not UTF-8")], classifier="rules", attribution="rules"))
    assert out[1] == RecordError(1, "undecodable", "line 2: not UTF-8")


def test_takes_any_iterator_and_yields_lazily():
    consumed = []

    def source():
        for i in itertools.count():
            consumed.append(i)
            yield SHORT[i % 3]

    stream = analyze_many(source(), classifier="rules", attribution="rules", batch_size=8)
    first = list(itertools.islice(stream, 5))
    assert len(first) == 5
    # The look-ahead window is bounded: about batch_size sentences, not the whole (infinite) input.
    assert len(consumed) < 20


class CountingClassifier:
    """Wraps the rule classifier and records the size of every call."""

    name = "counting"

    def __init__(self):
        self.inner = get_classifier("rules")
        self.calls: list[list[str]] = []

    def predict_proba(self, sentences):
        self.calls.append(list(sentences))
        return self.inner.predict_proba(sentences)


def test_sentences_are_pooled_deduplicated_and_sorted_by_length(reference_text):
    model = CountingClassifier()
    texts = [SHORT[1]] * 50 + [reference_text]
    list(analyze_many(texts, classifier=model, batch_size=64))
    # Identical articles are scored once per window, and every call is longest first.
    assert len(model.calls) <= 3
    for call in model.calls:
        assert len(call) == len(set(call))
        assert [len(s) for s in call] == sorted((len(s) for s in call), reverse=True)


def test_window_is_bounded_for_records_without_sentences():
    model = CountingClassifier()
    texts = [None] * 1000 + [SHORT[0]]
    out = analyze_many(texts, classifier=model, batch_size=10)
    assert all(isinstance(r, RecordError) for r in itertools.islice(out, 1000))
    assert isinstance(next(out), framing.Analysis)


def test_progress_bar_is_quiet_by_default(capsys):
    list(analyze_many(SHORT, classifier="rules", attribution="rules"))
    assert capsys.readouterr().err == ""
    list(analyze_many(SHORT, classifier="rules", attribution="rules", progress=True))
    assert "3/3" in capsys.readouterr().err


def test_batch_size_must_be_positive():
    with pytest.raises(ValueError):
        list(analyze_many(SHORT, classifier="rules", attribution="rules", batch_size=0))


# -- tables -------------------------------------------------------------------------------------


def test_every_record_gives_at_least_one_row_at_every_level(reference_text):
    results = list(analyze_many([reference_text, None, "# Just A Markdown Title"], classifier="rules", attribution="rules"))
    for level in LEVELS:
        for i, result in enumerate(results):
            out = rows(level, str(i), result)
            assert out, (level, i)
            assert all(list(r) == column_names(level) for r in out)
            assert all(r["id"] == str(i) for r in out)
    assert rows("article", "1", results[1])[0]["error"] == "missing"
    placeholder = rows("sentence", "2", results[2])
    assert len(placeholder) == 1 and placeholder[0]["error"] == "no_sentences"


def test_article_row_matches_the_analysis(reference_text):
    a = framing.analyze(reference_text, classifier="rules", attribution="rules")
    (row,) = rows("article", "x", a)
    assert row["title"] == a.title and row["byline"] == a.byline
    assert row["n_sentences"] == len(a.sentences)
    assert row["opinion_density"] == a.opinion_density
    assert (row["interval_low"], row["interval_high"]) == a.overall.interval
    assert row["lede_opinion_density"] == a.lede.opinion_density
    assert row["n_sections"] == len(a.sections)
    assert row["classifier"] == "rules-v1" and row["taxonomy"] == framing.TAXONOMY
    assert row["error"] is None
    sentences = rows("sentence", "x", a)
    assert [r["text"] for r in sentences] == [s.text for s in a.sentences]
    assert all(r["label"] == max(framing.LABELS, key=lambda n: r[f"p_{n}"]) for r in sentences)
    sections = rows("section", "x", a)
    assert sections[0]["kind"] == "lede" and len(sections) == len(a.sections) + 1


def test_arrow_schema_matches_columns():
    from framing.batch.tables import arrow_schema

    for level in LEVELS:
        assert arrow_schema(level).names == [name for name, _ in COLUMNS[level]]


@pytest.mark.slow
def test_default_model_gives_the_same_labels_as_analyze(reference_text):
    try:
        get_classifier(None)
    except framing.FramingModelError as exc:
        pytest.skip(f"default model not available: {exc}")
    texts = [reference_text, *SHORT, reference_text[:3000]]
    many = list(analyze_many(texts, batch_size=64))
    for text, result in zip(texts, many):
        one = framing.analyze(text)
        assert [s.label for s in result.sentences] == [s.label for s in one.sentences]
        # The classifier contract: a sentence's scores never depend on its batch neighbours, so
        # pooling sentences of many articles changes nothing at all.
        assert result == one


def test_to_pandas_and_the_corpus_tables_share_one_schema_and_values(reference_text):
    import pandas as pd

    a = framing.analyze(reference_text, classifier="rules", attribution="rules")
    for level in LEVELS:
        frame = a.to_pandas(level)
        table = rows(level, "x", a)
        assert list(frame.columns) == [c for c in column_names(level) if c not in ("id", "error", "error_message")]
        assert len(frame) == len(table), level
        for record, row in zip(frame.to_dict("records"), table):
            for column, value in record.items():
                if pd.isna(value) if not isinstance(value, (list, tuple)) else False:
                    assert row[column] is None, (level, column)
                else:
                    assert value == row[column], (level, column)  # unrounded in both


def test_attribution_level_rows(reference_text):
    a = framing.analyze(reference_text, classifier="rules", attribution="rules")
    table = rows("attribution", "x", a)
    assert len(table) == len(a.attributions) and all(list(r) == column_names("attribution") for r in table)
    rubio = next(r for r in table if r["speaker"] == "Marco Antonio Rubio")
    assert rubio["who"] == "Marco Antonio Rubio" and reference_text[rubio["cue_start"]:rubio["cue_end"]] == rubio["cue"]
    nobody = rows("attribution", "y", framing.analyze("The vote is on Tuesday.", classifier="rules", attribution="rules"))
    assert len(nobody) == 1 and nobody[0]["error"] == "no_attributions"
