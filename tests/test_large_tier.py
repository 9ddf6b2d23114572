"""framing-v2-large: framing-v1 with its opinion axis read by the first layers of all-mpnet-base-v2.

Tests that run the tier need the encoder's PyPI parts (``mpnet_dir``: skipped without them in a
user's clone, run under CI=true, which installs them). The model is loaded once per session
(framing.model caches it).
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

import framing
from conftest import REFERENCE_ARTICLE, REPO
from framing.errors import FramingModelError
from framing.model import LARGE_MODEL, load, load_second_encoder_opinion

FOLDER = REPO / "models" / LARGE_MODEL


@pytest.fixture(scope="module")
def large(mpnet_dir):
    return load(LARGE_MODEL)


@pytest.fixture(scope="module")
def v1():
    return load("framing-v1")


def test_shipped_folder_is_small_and_pickle_free():
    sizes = {p.name: p.stat().st_size for p in FOLDER.iterdir()}
    assert set(sizes) >= {"config.json", "opinion_head.safetensors", "span_tagger.safetensors", "checksums.json",
                          "MODEL_CARD.md"}
    assert sum(sizes.values()) < 40_000_000  # the tier's budget (issue framing-v2): heads and taggers only
    assert not [n for n in sizes if n.endswith((".bin", ".pt", ".pkl", ".pickle"))]


def test_analysis_keeps_v1_structure_and_changes_only_opinion(large, v1):
    text = REFERENCE_ARTICLE.read_text(encoding="utf-8")
    a = framing.analyze(text, classifier=LARGE_MODEL)
    b = framing.analyze(text)
    assert a.classifier == LARGE_MODEL and b.classifier == "framing-v1"
    assert [(s.start, s.end) for s in a.sentences] == [(s.start, s.end) for s in b.sentences]
    assert [s.label for s in a.sentences] != [s.label for s in b.sentences]
    sentences = [s.text for s in b.sentences]
    ax_large, ax_v1 = large.axes(sentences), v1.axes(sentences)
    assert np.array_equal(ax_large["question"], ax_v1["question"])
    assert np.array_equal(ax_large["attribution"], ax_v1["attribution"])
    assert not np.allclose(ax_large["opinion"], ax_v1["opinion"], atol=0.05)
    # Who speaks: the tier's own span taggers, over the mpnet layers its opinion head reads.
    assert large.span_tagger is not v1.span_tagger and large.span_tagger.hidden_in == 768
    assert large.tagger_encoder is large.classifier.encoder and large.encoder is v1.encoder
    assert a.attributions and all(text[x.start : x.end] for x in a.attributions)
    assert {x.speaker for x in a.attributions if x.speaker} & {x.speaker for x in b.attributions if x.speaker}


def test_one_mpnet_pass_feeds_the_opinion_head_and_the_taggers(large):
    sentences = ["Officials said on Tuesday that the plan was fine.", "It is a chilling blueprint.",
                 "“We will not surrender,” Zelensky told reporters."]
    alone, _ = large.score(sentences)
    with_states, states = large.score(sentences, token_states=True)
    assert np.array_equal(alone, with_states)  # the taggers' pass gives the head the same vectors
    assert [s.states.shape[1] for s in states] == [768] * 3


def test_many_articles_give_what_one_gives(large):
    from framing.batch import analyze_many

    texts = [REFERENCE_ARTICLE.read_text(encoding="utf-8"),
             "Mayor Jane Roe said the budget would pass. “It is done,” she told reporters.\n\nCritics disagreed."]
    one = [framing.analyze(t, classifier=LARGE_MODEL) for t in texts]
    many = list(analyze_many(texts, classifier=LARGE_MODEL))
    assert [a.attributions for a in one] == [a.attributions for a in many]
    assert [[s.label for s in a.sentences] for a in one] == [[s.label for s in a.sentences] for a in many]


def test_scores_do_not_depend_on_the_batch(large):
    target = "And delay, in wartime, is often a form of surrender."
    others = ["The minister said the plan was fine.", "Prices rose 3% in October, the agency reported.",
              "Is this really the best we can do?"] * 7
    alone = large.predict_proba([target])[0]
    in_batch = large.predict_proba(others[:10] + [target] + others[10:])[10]
    assert np.array_equal(alone, in_batch)
    assert np.allclose(large.predict_proba(others).sum(axis=1), 1.0)


def test_attribution_modes_and_classify(large):
    rules = framing.analyze(REFERENCE_ARTICLE.read_text(encoding="utf-8"), classifier=LARGE_MODEL, attribution="rules")
    assert rules.classifier == LARGE_MODEL and rules.sentences
    out = framing.classify(["No Ukrainian parliament would pass it.", "Ukraine’s military is exhausted but not broken."],
                           classifier=LARGE_MODEL)
    assert [len(c.scores) for c in out] == [4, 4]


def test_beats_v1_on_babe_heldout(large, v1, shared_dir):
    """The measured gain (+0.031 macro-F1, paired 95% interval [0.008, 0.056], evals.tiers) is
    the one whose interval excludes 0; the test asks only that the larger tier is ahead."""
    from evals import data as ed
    from framing.metrics import macro_f1

    babe = ed.load("babe_heldout", shared_dir / "data")
    opinion = [framing.labels.LABEL_INDEX["editorial_judgment"], framing.labels.LABEL_INDEX["rhetorical_question"]]

    def f1(model):
        return macro_f1(babe.gold, np.isin(model.predict_proba(babe.texts).argmax(1), opinion).astype(int), 2)

    assert f1(large) > f1(v1) + 0.01


def _copy(tmp_path):
    folder = tmp_path / LARGE_MODEL
    shutil.copytree(FOLDER, folder)
    return folder


def test_tampered_head_is_refused(tmp_path, v1):
    folder = _copy(tmp_path)
    blob = bytearray((folder / "opinion_head.safetensors").read_bytes())
    blob[-3] ^= 0xFF
    (folder / "opinion_head.safetensors").write_bytes(bytes(blob))
    with pytest.raises(FramingModelError, match="checksum"):
        load_second_encoder_opinion(folder, v1)


def test_another_encoder_is_refused(tmp_path, v1):
    from framing.nn.files import write_checksums

    folder = _copy(tmp_path)
    config = json.loads((folder / "config.json").read_text())
    config["opinion_encoder"]["sha256"] = "0" * 64
    (folder / "config.json").write_text(json.dumps(config))
    write_checksums(folder)
    with pytest.raises(FramingModelError, match="pins"):
        load_second_encoder_opinion(folder, v1)


def test_without_the_parts_the_error_names_the_install_command(tmp_path, monkeypatch, v1):
    import framing.nn.packaged as packaged

    def missing(part):
        raise FileNotFoundError(f"distribution {part.distribution} is not installed")

    real = packaged.encoder_dir
    monkeypatch.setattr(packaged, "encoder_dir", lambda name: real(name, cache_dir=tmp_path / "empty", locate=missing))
    with pytest.raises(FramingModelError, match="framing install-encoder all-mpnet-base-v2"):
        load_second_encoder_opinion(FOLDER, v1)


def test_unknown_name_lists_the_tiers():
    with pytest.raises(FramingModelError, match="framing-v2-large"):
        framing.analyze("Text.", classifier="framing-v3")


def test_refitting_the_opinion_head_keeps_the_folders_taggers(tmp_path):
    from framing.nn.files import verify_checksums
    from framing.train.opinion_head import write_model

    folder = tmp_path / "tier"
    shutil.copytree(FOLDER, folder)
    before = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    layer, int8 = before["opinion_encoder"]["num_layers"], before["opinion_encoder"].get("int8", False)
    write_model(folder, np.zeros(768), 0.5, layer, {}, int8=int8)
    after = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert after["span_tagger"] == before["span_tagger"]  # the taggers read the encoder, not the head
    assert (after["opinion_encoder"]["num_layers"], after["opinion_encoder"]["int8"]) == (layer, int8)
    verify_checksums(folder)


def test_a_head_over_other_states_drops_the_folders_taggers(tmp_path):
    """Taggers trained on one cut of the encoder (its layer count, fp32 or int8) would read
    states they never saw under another: a head refitted on another cut leaves them out."""
    from framing.train.opinion_head import write_model

    enc = json.loads((FOLDER / "config.json").read_text(encoding="utf-8"))["opinion_encoder"]
    layer, int8 = enc["num_layers"], enc.get("int8", False)
    for name, other in (("deeper", (layer + 1, int8)), ("other precision", (layer, not int8))):
        folder = tmp_path / name
        shutil.copytree(FOLDER, folder)
        write_model(folder, np.zeros(768), 0.5, other[0], {}, int8=other[1])
        assert "span_tagger" not in json.loads((folder / "config.json").read_text(encoding="utf-8")), name


def test_a_bad_int8_option_is_refused(tmp_path, v1, mpnet_dir):
    from framing.nn.files import write_checksums

    folder = _copy(tmp_path)
    config = json.loads((folder / "config.json").read_text())
    config["opinion_encoder"]["int8"] = "yes"
    (folder / "config.json").write_text(json.dumps(config))
    write_checksums(folder)
    with pytest.raises(FramingModelError, match="int8 must be true or false"):
        load_second_encoder_opinion(folder, v1)


def test_load_folder_reads_either_format(large, v1):
    """``load_folder`` (evals.tiers --candidate) loads a folder by the format its config names."""
    from framing.model import load_folder

    tier = load_folder(FOLDER)
    assert tier.span_tagger.hidden_in == 768 and tier.encoder is v1.encoder
    sentences = ["The plan is a disgrace.", "Talks resume on Monday."]
    assert np.array_equal(tier.predict_proba(sentences), large.predict_proba(sentences))
    default = load_folder(REPO / "models" / "framing-v1")
    assert default.span_tagger.hidden_in == 384
    assert np.array_equal(default.predict_proba(sentences), v1.predict_proba(sentences))
