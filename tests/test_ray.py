"""score_ray_dataset on a local Ray instance (CI installs ray; elsewhere these skip)."""

from __future__ import annotations

import builtins
import sys

import pytest

import framing
from framing.batch.tables import column_names

TEXTS = [
    "Prices rose 3% in May, the agency said.",
    None,
    "Budget Vote\n\nThe council voted 5-2 to approve the budget. Is this really the best they can do?",
    "Only A Title",
    "",
]


def test_missing_ray_gives_an_install_hint(monkeypatch):
    from framing.batch import ray_data

    real_import = builtins.__import__

    def no_ray(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    for name in [m for m in sys.modules if m == "ray" or m.startswith("ray.")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ImportError, match=r"pip install 'framing\[ray\]'"):
        ray_data.score_ray_dataset(object())


@pytest.fixture(scope="module")
def ray_dataset():
    ray = pytest.importorskip("ray", reason="Ray is optional: pip install 'framing[ray]'")
    pytest.importorskip("ray.data")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        yield ray.data.from_items([{"uid": f"r{i}", "text": t} for i, t in enumerate(TEXTS)])
    finally:
        ray.shutdown()


@pytest.mark.slow
def test_article_level_on_local_ray(ray_dataset):
    from framing.batch.ray_data import score_ray_dataset

    out = sorted(score_ray_dataset(ray_dataset, classifier="rules", attribution="rules", concurrency=2).take_all(), key=lambda r: r["uid"])
    assert [r["uid"] for r in out] == [f"r{i}" for i in range(len(TEXTS))]
    assert set(out[0]) == {"uid", "text", *column_names("article")} - {"id"}
    assert [r["error"] for r in out] == [None, "missing", None, None, "empty"]
    expected = framing.analyze(TEXTS[2], classifier="rules", attribution="rules")
    assert out[2]["n_sentences"] == expected.overall.n_sentences
    assert out[2]["opinion_density"] == expected.opinion_density
    assert out[2]["classifier"] == "rules-v1"


@pytest.mark.slow
def test_sentence_level_on_local_ray(ray_dataset):
    from framing.batch.ray_data import score_ray_dataset

    out = score_ray_dataset(ray_dataset, level="sentence", id_column="uid", classifier="rules", attribution="rules").take_all()
    assert all(list(r) == column_names("sentence") for r in out)
    counts = {f"r{i}": sum(r["id"] == f"r{i}" for r in out) for i in range(len(TEXTS))}
    assert counts == {"r0": 1, "r1": 1, "r2": 2, "r3": 1, "r4": 1}
    labels = [r["label"] for r in out if r["id"] == "r2"]
    assert labels == [s.label for s in framing.analyze(TEXTS[2], classifier="rules", attribution="rules").sentences]


@pytest.mark.slow
def test_clear_errors_before_any_work(ray_dataset):
    from framing.batch.ray_data import score_ray_dataset

    with pytest.raises(ValueError, match="needs id_column"):
        score_ray_dataset(ray_dataset, level="sentence", classifier="rules", attribution="rules")
    with pytest.raises(ValueError, match="no column 'body'"):
        score_ray_dataset(ray_dataset, text_column="body", classifier="rules", attribution="rules")
    with pytest.raises(ValueError, match="drop_columns"):
        score_ray_dataset(ray_dataset.rename_columns({"uid": "title"}), classifier="rules", attribution="rules")
