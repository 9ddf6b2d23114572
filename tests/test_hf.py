"""score_dataset over Hugging Face Dataset and IterableDataset at the three levels."""

from __future__ import annotations

import pytest

datasets = pytest.importorskip("datasets")

import framing  # noqa: E402
from framing.batch.hf import score_dataset  # noqa: E402
from framing.batch.tables import column_names  # noqa: E402

TEXTS = [
    "Prices rose 3% in May, the agency said.",
    None,
    "Budget Vote\n\nThe council voted 5-2 to approve the budget. Is this really the best they can do?",
    "# Only A Markdown Title",
    "",
]


@pytest.fixture
def ds():
    return datasets.Dataset.from_dict({"text": TEXTS, "uid": ["a", "b", "c", "d", "e"]})


def _expected_sentences(text):
    return framing.analyze(text, classifier="rules", attribution="rules").overall.n_sentences


def test_article_level_adds_columns_and_keeps_rows(ds):
    out = score_dataset(ds, classifier="rules", attribution="rules")
    assert isinstance(out, datasets.Dataset)
    assert out.num_rows == len(TEXTS)
    assert out.column_names == ["text", "uid", *[c for c in column_names("article") if c != "id"]]
    assert out["uid"] == ["a", "b", "c", "d", "e"]
    assert out["error"] == [None, "missing", None, None, "empty"]
    assert out[2]["n_sentences"] == _expected_sentences(TEXTS[2])
    assert out[2]["opinion_density"] == framing.analyze(TEXTS[2], classifier="rules", attribution="rules").opinion_density
    assert out.features["n_sentences"].dtype == "int64"


def test_article_level_refuses_to_overwrite_columns(ds):
    with pytest.raises(ValueError, match="remove_columns"):
        score_dataset(ds.add_column("title", ["x"] * len(TEXTS)), classifier="rules", attribution="rules")


def test_missing_text_column_is_a_clear_error(ds):
    with pytest.raises(ValueError, match="no column 'body'"):
        score_dataset(ds, text_column="body", classifier="rules", attribution="rules")


@pytest.mark.parametrize("level", ["section", "sentence"])
def test_section_and_sentence_levels_give_every_record_a_row(ds, level):
    out = score_dataset(ds, level=level, id_column="uid", classifier="rules", attribution="rules")
    assert out.column_names == column_names(level)
    assert set(out["id"]) == {"a", "b", "c", "d", "e"}
    if level == "sentence":
        counts = {i: out["id"].count(i) for i in "abcde"}
        assert counts == {"a": 1, "b": 1, "c": 2, "d": 1, "e": 1}
        errors = dict(zip(out["id"], out["error"]))
        assert errors["b"] == "missing" and errors["d"] == "no_sentences" and errors["e"] == "empty"
        assert out.filter(lambda r: r["id"] == "c")["label"][1] == "rhetorical_question"


def test_row_numbers_are_the_ids_without_an_id_column(ds):
    out = score_dataset(ds, level="sentence", classifier="rules", attribution="rules")
    assert out["id"] == ["0", "1", "2", "2", "3", "4"]


@pytest.mark.parametrize("level", ["article", "section", "sentence"])
def test_iterable_dataset_gives_the_same_rows_lazily(ds, level):
    expected = list(score_dataset(ds, level=level, classifier="rules", attribution="rules"))
    it = score_dataset(ds.to_iterable_dataset(), level=level, classifier="rules", attribution="rules")
    assert isinstance(it, datasets.IterableDataset)
    assert list(it) == expected


@pytest.mark.parametrize("level", ["section", "sentence"])
def test_iterable_dataset_with_the_trained_model(ds, shipped_model, level):
    """Issue #21: datasets hashed the generator's closure, the int8 model in it, and failed with
    "TypeError: Got unsupported ScalarType QInt8"."""
    expected = list(score_dataset(ds, level=level, id_column="uid"))
    assert list(score_dataset(ds.to_iterable_dataset(), level=level, id_column="uid")) == expected


def test_iterable_dataset_of_unknown_columns():
    gen = datasets.IterableDataset.from_generator(lambda: ({"text": t} for t in TEXTS))
    out = list(score_dataset(gen, level="sentence", classifier="rules", attribution="rules"))
    assert [r["id"] for r in out] == ["0", "1", "2", "2", "3", "4"]
    scored = score_dataset(gen, classifier="rules", attribution="rules")
    with pytest.raises(ValueError, match="overwrite"):
        list(score_dataset(scored, classifier="rules", attribution="rules"))


def test_result_is_cached_under_a_stable_fingerprint(ds):
    a = score_dataset(ds, classifier="rules", attribution="rules")
    b = score_dataset(ds, classifier="rules", attribution="rules")
    c = score_dataset(ds, classifier="rules", attribution="rules", level="sentence")
    assert a._fingerprint == b._fingerprint != c._fingerprint


@pytest.mark.parametrize("level", ["section", "sentence", "attribution"])
def test_kept_columns_reach_every_row(level):
    ds = datasets.Dataset.from_dict({"text": TEXTS, "uid": list("abcde"), "outlet": ["x", "y", "x", None, "y"],
                                     "year": [2019, 2020, 2019, 2020, 2021]})
    out = score_dataset(ds, level=level, id_column="uid", keep_columns=["outlet", "year"], classifier="rules",
                        attribution="rules")
    assert out.column_names[:3] == ["id", "outlet", "year"]
    assert out.features["year"].dtype == "int64"
    by_id = {"a": ("x", 2019), "b": ("y", 2020), "c": ("x", 2019), "d": (None, 2020), "e": ("y", 2021)}
    assert all((r["outlet"], r["year"]) == by_id[r["id"]] for r in out)
    lazy = score_dataset(ds.to_iterable_dataset(), level=level, id_column="uid", keep_columns=["outlet", "year"],
                         classifier="rules", attribution="rules")
    assert list(lazy) == list(out)
    with pytest.raises(ValueError, match="cannot keep"):
        score_dataset(ds, level=level, keep_columns=["date"], classifier="rules", attribution="rules")
