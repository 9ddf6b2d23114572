"""One model object that names its parts: the encoder, the sentence classifier, the span tagger.

A :class:`FramingModel` is what every analysis runs. Its parts:

* ``encoder`` — a :class:`~framing.nn.encoder.SentenceEncoder` (None for a model-free setup);
* ``classifier`` — what labels sentences: the trained heads over the encoder's vectors
  (:class:`~framing.classify.heads.TrainedHeads`), the rule classifier, or any object with
  ``.name`` and ``.predict_proba(sentences)``;
* ``span_tagger`` — who speaks (:class:`~framing.attribution.tagger.SpanTagger`), reading the
  token states of the same encoder pass; None when attribution is by rule or off;
* ``tagger_encoder`` — the encoder whose token states the span tagger reads: ``encoder``, except
  in framing-v2-large, whose taggers read the second encoder (all-mpnet-base-v2) that also feeds
  its opinion head, from the same pass.

:meth:`FramingModel.score` runs the encoder once for the classifier and the tagger together.
:func:`load` builds a model from names — ``load("rules", attribution="tagger")`` is the rule
classifier beside framing-v1's encoder and span tagger — and caches what it loaded, so a folder
is read once per process. A model is also a sentence classifier itself (``predict_proba``), so
``framing.classify`` and ``framing.evaluate`` take one as they take the rule classifier.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from framing.classify.base import SentenceClassifier, VectorClassifier
from framing.classify.rules import RuleClassifier
from framing.errors import FramingModelError
from framing.labels import LABELS, TAXONOMY

__all__ = [
    "ATTRIBUTION_MODES",
    "CLASSIFIER_NAMES",
    "DEFAULT_MODEL",
    "FramingModel",
    "LARGE_MODEL",
    "check_attribution",
    "check_classifier_name",
    "get_classifier",
    "load",
]

#: The trained model shipped in the wheel (models/framing-v1).
DEFAULT_MODEL = "framing-v1"
#: The accurate tier: framing-v1 with its opinion axis read by the first layers of
#: all-mpnet-base-v2 (models/framing-v2-large; needs the encoder's PyPI parts, see README).
LARGE_MODEL = "framing-v2-large"
#: Names that :func:`load` and :func:`get_classifier` know.
CLASSIFIER_NAMES = ("framing-v1", "framing-v2-large", "rules", "rules-v1")
#: Who finds attributions: the trained span tagger (default), the rule frames, or nobody.
ATTRIBUTION_MODES = ("tagger", "rules", None)


class FramingModel:
    """Encoder, classifier and span tagger (see the module docstring)."""

    def __init__(
        self,
        classifier: SentenceClassifier | VectorClassifier,
        *,
        encoder: Any = None,
        span_tagger: Any = None,
        tagger_encoder: Any = None,
        path: Path | None = None,
        config: dict[str, Any] | None = None,
    ) -> None:
        if isinstance(classifier, VectorClassifier) and encoder is None:
            raise FramingModelError(f"classifier {classifier.name!r} reads encoder vectors, but the model has no encoder")
        tagger_encoder = tagger_encoder if tagger_encoder is not None else encoder
        if span_tagger is not None:
            if tagger_encoder is None:
                raise FramingModelError("a span tagger reads the encoder's token states, but the model has no encoder")
            if span_tagger.hidden_in != tagger_encoder.hidden_size:
                raise FramingModelError(
                    f"the span tagger reads {span_tagger.hidden_in}-wide token states, the encoder gives "
                    f"{tagger_encoder.hidden_size}"
                )
        self.classifier = classifier
        self.encoder = encoder
        self.span_tagger = span_tagger
        self.tagger_encoder = tagger_encoder
        self.path = path
        self.config = config or {}

    @property
    def name(self) -> str:
        """The classifier's citable name (``Analysis.classifier``)."""
        return self.classifier.name

    @property
    def reads_vectors(self) -> bool:
        return isinstance(self.classifier, VectorClassifier)

    def __repr__(self) -> str:
        enc = self.encoder
        encoder = "None" if enc is None else f"{enc.num_layers} layers{' int8' if enc.quantized else ''}"
        tagger = "None" if self.span_tagger is None else type(self.span_tagger).__name__
        return f"FramingModel(classifier={self.name!r}, encoder={encoder}, span_tagger={tagger})"

    # -- composing ------------------------------------------------------------------------
    def with_classifier(self, classifier: SentenceClassifier) -> "FramingModel":
        """This model's encoder and span tagger with another classifier."""
        return FramingModel(classifier, encoder=self.encoder, span_tagger=self.span_tagger,
                            tagger_encoder=self.tagger_encoder, path=self.path, config=self.config)

    def without_tagger(self) -> "FramingModel":
        """The same classifier; no span tagger (attribution by rule, or none)."""
        encoder = self.encoder if self.reads_vectors else None
        return FramingModel(self.classifier, encoder=encoder, path=self.path, config=self.config)

    # -- running ----------------------------------------------------------------------------
    def score(self, texts: Sequence[str], token_states: bool = False) -> tuple[np.ndarray, tuple[Any, ...] | None]:
        """P(label) for each text (LABELS order) and, with ``token_states``, each text's token
        states for the span tagger, from one encoder pass."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(LABELS))), (() if token_states else None)
        if token_states and self.span_tagger is None:
            raise FramingModelError("token states were asked for, but this model has no span tagger to read them")
        # The tagger's states come from its own encoder when it has one (framing-v2-large: the
        # second encoder, whose pooled vectors then feed the opinion head: one pass, not two).
        separate = token_states and self.tagger_encoder is not self.encoder
        encoded = None
        if self.reads_vectors or (token_states and not separate):
            encoded = self.encoder.encode(texts, token_states=token_states and not separate)  # type: ignore[union-attr]
        tagged = self.tagger_encoder.encode(texts, token_states=True) if separate else encoded
        if self.reads_vectors:
            shared = separate and getattr(self.classifier, "encoder", None) is self.tagger_encoder
            extra = {"second_pooled": tagged.pooled} if shared else {}  # type: ignore[union-attr]
            scores = self.classifier.predict_proba_encoded(texts, encoded.pooled, **extra)  # type: ignore[union-attr]
        else:
            scores = np.asarray(self.classifier.predict_proba(texts), dtype=np.float64)  # type: ignore[union-attr]
        return scores, (tagged.token_states if token_states else None)  # type: ignore[union-attr]

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        """P(label) of each sentence read alone (the SentenceClassifier interface)."""
        if isinstance(sentences, str):
            raise TypeError("predict_proba takes a sequence of sentences, not one string")
        return self.score(sentences)[0]

    def predict(self, sentences: Sequence[str]) -> list[str]:
        return [LABELS[i] for i in self.predict_proba(sentences).argmax(axis=1)]

    def head_logits(self, sentences: Sequence[str]) -> np.ndarray:
        """The trained heads' raw logits (training and calibration tools read them)."""
        if not self.reads_vectors:
            raise FramingModelError(f"{self.name!r} has no trained heads")
        return self.classifier.logits(self.encoder.encode([str(s) for s in sentences]).pooled)  # type: ignore[union-attr]

    def axes(self, sentences: Sequence[str]) -> dict[str, np.ndarray]:
        """The calibrated axes (question, attribution, opinion) of the trained heads."""
        sentences = [str(s) for s in sentences]
        return self.classifier.axes(sentences, self.head_logits(sentences))  # type: ignore[union-attr]

    # -- a model folder -----------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None, *, quantize: bool | None = None, verify_base: bool = True) -> "FramingModel":
        """Load a model folder; None means the shipped default (wheel location, then checkout).

        Every file is checked against ``checksums.json`` and the base encoder's sha256 against
        the config. ``quantize`` (default: the config's ``inference.int8``) runs the encoder's
        Linear layers as batch-independent int8 GEMMs; it falls back to fp32 where the int8
        kernels are missing.
        """
        import torch  # noqa: F401  (a clear ImportError here, not deep inside)

        from framing.classify.heads import TrainedHeads
        from framing.nn import files
        from framing.nn.encoder import MiniLMEncoder, SentenceEncoder, read_base_config
        from framing.nn.int8 import quantize_encoder

        folder = _folder(path)
        files.verify_checksums(folder)
        config = _read_config(folder)
        if config.get("format") != files.MODEL_FORMAT:
            raise FramingModelError(f"unknown model format {config.get('format')!r}")
        _check_labels(config)
        weights_file = files.inside(folder, config.get("weights", ""))

        base_dir = files.base_model_dir()
        base_cfg = config.get("base_model")
        if not isinstance(base_cfg, dict):
            raise FramingModelError(f"{folder.name}/config.json: 'base_model' must be an object")
        # The file whose sha256 is checked is the file loaded, and it lies in the base's folder.
        base_weights = files.inside(base_dir, base_cfg.get("weights_file", ""))
        if verify_base and files.sha256_file(base_weights) != base_cfg.get("sha256"):
            raise FramingModelError(
                f"the installed base encoder at {base_dir} differs from the one {folder.name} was "
                "trained on (sha256 mismatch)"
            )
        base_config = read_base_config(base_dir)
        num_layers = _int_option(config, "num_layers", 1, int(base_config["num_hidden_layers"]), folder)
        # Past the position table, every longer sentence would fail at inference (IndexError).
        max_length = _int_option(config, "max_length", 2, int(base_config["max_position_embeddings"]), folder)

        def build() -> tuple[MiniLMEncoder, Any, Any]:
            encoder = MiniLMEncoder(base_config, num_layers)
            encoder.load_base(base_dir, base_weights)
            weight, bias = files.apply_delta_file(encoder, weights_file)
            return encoder, weight, bias

        try:
            encoder, head_w, head_b = build()
            _check_finite(folder, "weights", [*encoder.state_dict().values(), head_w, head_b])
            if quantize is None:
                inference = config.get("inference", {})
                quantize = bool(inference.get("int8", False)) if isinstance(inference, dict) else False
            quantized = False
            if quantize:
                try:
                    quantize_encoder(encoder)
                    quantized = True
                except (RuntimeError, AttributeError):  # no fbgemm int8 kernels on this platform
                    encoder, head_w, head_b = build()
            tokenizer = files.load_tokenizer(base_dir, max_length)
            sentence_encoder = SentenceEncoder(encoder, tokenizer, quantized=quantized)
            heads = TrainedHeads(head_w, head_b, config, name=str(config.get("name", DEFAULT_MODEL)))
        except FramingModelError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, RuntimeError) as exc:
            raise FramingModelError(f"{folder.name}: a bad or incomplete model ({type(exc).__name__}: {exc})") from exc
        span_tagger = _load_span_tagger(folder, config)
        return cls(heads, encoder=sentence_encoder, span_tagger=span_tagger, path=folder, config=config)


def _load_span_tagger(folder: Path, config: dict[str, Any]) -> Any:
    """The folder's span taggers (``config["span_tagger"]``), or None when it has none."""
    spec = config.get("span_tagger")
    if spec is None:
        return None
    from framing.attribution.tagger import SpanTagger
    from framing.nn import files

    try:
        span_tagger = SpanTagger.load(files.inside(folder, spec["weights"]), spec)
    except FramingModelError:
        raise
    except Exception as exc:  # safetensors' SafetensorError on a truncated file, a bad spec...
        raise FramingModelError(f"bad span_tagger in {folder.name}: {type(exc).__name__}: {exc}") from exc
    _check_finite(folder, "span tagger", [p for net in (span_tagger.cue_net, span_tagger.role_net)
                                          for p in net.state_dict().values()])
    return span_tagger


#: The model-folder format of a second-encoder opinion head (framing.train.opinion_head).
OPINION_HEAD_FORMAT = "framing-opinion-head/1"


def load_second_encoder_opinion(path: str | Path, base: FramingModel) -> FramingModel:
    """A model folder written by ``framing.train.opinion_head``: ``base`` (framing-v1) with its
    opinion axis read by a packaged encoder (:mod:`framing.nn.packaged`), and, when the folder has
    span taggers of its own (``framing.train.tagger``), who speaks read from that encoder's token
    states too. The folder's files are checked against its checksums, the encoder against the
    pinned sha256; without the encoder's parts installed this raises FramingModelError naming
    the install command."""
    from framing.classify.second_encoder import SecondEncoderOpinion
    from framing.nn import files

    folder, config = _opinion_folder(path)
    head = config.get("opinion_head")
    if not isinstance(head, dict):
        raise FramingModelError(f"{folder.name}/config.json: 'opinion_head' must be an object")
    weights = files.inside(folder, head.get("weights", ""))
    encoder = _opinion_encoder(folder, config)
    try:
        from safetensors.torch import load_file

        tensors = load_file(str(weights))
        weight, bias = tensors["weight"], tensors["bias"]
        _check_finite(folder, "opinion head", [weight, bias])
        opinion = SecondEncoderOpinion(base.classifier, encoder, weight.double().numpy(), float(bias.reshape(-1)[0]),
                                       str(config.get("name", folder.name)))
    except FramingModelError:
        raise
    except Exception as exc:  # SafetensorError on a truncated file, a missing tensor, a wrong shape
        raise FramingModelError(f"{folder.name}: a bad or incomplete model ({type(exc).__name__}: {exc})") from exc
    tagger = _load_span_tagger(folder, config)
    if tagger is None:  # framing-v1's taggers, over framing-v1's encoder
        return FramingModel(opinion, encoder=base.encoder, span_tagger=base.span_tagger, path=folder, config=config)
    return FramingModel(opinion, encoder=base.encoder, span_tagger=tagger, tagger_encoder=encoder, path=folder,
                        config=config)


def load_folder(path: str | Path) -> FramingModel:
    """Any model folder, by the format its config names: a ``framing.train`` folder (framing-v1's
    format) or a ``framing.train.opinion_head`` one (framing-v2-large's, over the shipped
    framing-v1). For scoring candidates beside the shipped models."""
    folder = _folder(path)
    if _read_config(folder).get("format") == OPINION_HEAD_FORMAT:
        return load_second_encoder_opinion(folder, _shipped())
    return FramingModel.load(folder)


def opinion_encoder(path: str | Path) -> Any:
    """The second encoder of a framing-v2-large-style folder (its span taggers train on it)."""
    folder, config = _opinion_folder(path)
    return _opinion_encoder(folder, config)


def _opinion_folder(path: str | Path) -> tuple[Path, dict[str, Any]]:
    from framing.nn import files

    folder = _folder(path)
    files.verify_checksums(folder)
    config = _read_config(folder)
    if config.get("format") != OPINION_HEAD_FORMAT:
        raise FramingModelError(f"{folder.name}: unknown model format {config.get('format')!r}")
    _check_labels(config)
    return folder, config


def _opinion_encoder(folder: Path, config: dict[str, Any]) -> Any:
    """The pinned packaged encoder that ``config["opinion_encoder"]`` names, cut to its layers."""
    from framing.nn.encoder import SentenceEncoder
    from framing.nn.mpnet import load_encoder
    from framing.nn.packaged import ENCODERS, encoder_dir

    enc = config.get("opinion_encoder")
    if not isinstance(enc, dict):
        raise FramingModelError(f"{folder.name}/config.json: 'opinion_encoder' must be an object")
    spec = ENCODERS.get(enc.get("name"))  # type: ignore[arg-type]
    if spec is None:
        raise FramingModelError(f"{folder.name}: unknown opinion encoder {enc.get('name')!r}; known: {sorted(ENCODERS)}")
    if enc.get("sha256") != spec.weights.sha256:
        raise FramingModelError(f"{folder.name} was trained on another {spec.name} than the one this version pins")
    num_layers = _int_option(enc, "num_layers", 1, 12, folder)
    int8 = enc.get("int8", False)
    if not isinstance(int8, bool):
        raise FramingModelError(f"{folder.name}/config.json: opinion_encoder.int8 must be true or false")
    base_folder = encoder_dir(spec.name)  # FramingModelError with the install command when absent
    try:
        network, tokenizer = load_encoder(num_layers, base_folder)
    except FramingModelError:
        raise
    except Exception as exc:
        raise FramingModelError(f"{folder.name}: its encoder does not load ({type(exc).__name__}: {exc})") from exc
    if int8:  # the heads and taggers were fit on int8 states: fp32 states would not be theirs
        from framing.nn.int8 import quantize_encoder

        try:
            quantize_encoder(network)
        except (RuntimeError, AttributeError) as exc:
            raise FramingModelError(f"{folder.name} runs its encoder in int8, and this platform has no fbgemm "
                                    f"int8 kernels ({type(exc).__name__}: {exc})") from exc
    return SentenceEncoder(network, tokenizer, quantized=int8)


def _read_config(folder: Path) -> dict[str, Any]:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise FramingModelError(f"{folder / 'config.json'} is not valid JSON") from exc
    if not isinstance(config, dict):
        raise FramingModelError(f"{folder / 'config.json'} must hold a JSON object, not a {type(config).__name__}")
    return config


def _check_labels(config: dict[str, Any]) -> None:
    if config.get("taxonomy") != TAXONOMY or not isinstance(config.get("labels"), list) or tuple(config["labels"]) != LABELS:
        raise FramingModelError(f"model labels do not match taxonomy {TAXONOMY}")


def _int_option(config: dict[str, Any], key: str, low: int, high: int, folder: Path) -> int:
    value = config.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise FramingModelError(f"{folder.name}/config.json: {key!r} must be a whole number from {low} to {high}, "
                                f"not {value!r}")
    return value


def _check_finite(folder: Path, what: str, tensors: Sequence[Any]) -> None:
    """Refuse NaN or infinite weights: they would load and give NaN scores."""
    import torch

    for tensor in tensors:
        if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
            raise FramingModelError(f"{folder.name}: the {what} hold NaN or infinite values")


def _installed(name: str, what: str) -> Path:
    """The folder of a model shipped in the wheel (or a checkout's models/)."""
    from framing.nn.files import models_dirs

    candidates = [d / name for d in models_dirs()]
    found = next((p for p in candidates if (p / "config.json").is_file()), None)
    if found is None:
        raise FramingModelError(f"{what} is not installed; looked in " + ", ".join(str(p) for p in candidates))
    return found


def _folder(path: str | Path | None) -> Path:
    if path is None:
        return _installed(DEFAULT_MODEL, f"the default model {DEFAULT_MODEL}")
    folder = Path(path)
    if not (folder / "config.json").is_file():
        raise FramingModelError(f"{folder} is not a model folder (no config.json)")
    return folder


# -- names → models, loaded once per process ----------------------------------------------------

_cache: dict[Any, FramingModel] = {}
_lock = threading.Lock()


def check_classifier_name(name: str | None) -> None:
    """Raise FramingModelError for a name that :func:`load` does not know (None is the default)."""
    if name is not None and name not in CLASSIFIER_NAMES:
        raise FramingModelError(f"unknown classifier {name!r}; known: " + ", ".join(repr(n) for n in CLASSIFIER_NAMES))


def check_attribution(attribution: object) -> None:
    if attribution not in ATTRIBUTION_MODES:
        raise ValueError(f"attribution must be 'tagger', 'rules' or None, not {attribution!r}")


def _shipped() -> FramingModel:
    """framing-v1 as shipped (loaded once)."""
    with _lock:
        if DEFAULT_MODEL not in _cache:
            try:
                _cache[DEFAULT_MODEL] = FramingModel.load()
            except ImportError as exc:  # torch or tokenizers missing or broken
                raise FramingModelError(
                    f"the trained model needs torch and tokenizers ({exc}); install them, or pass "
                    "classifier='rules', attribution='rules' for the model-free rules"
                ) from exc
        return _cache[DEFAULT_MODEL]


def _large() -> FramingModel:
    """framing-v2-large as shipped (loaded once): framing-v1 with the mpnet opinion axis."""
    base = _shipped()
    with _lock:
        if LARGE_MODEL not in _cache:
            _cache[LARGE_MODEL] = load_second_encoder_opinion(_installed(LARGE_MODEL, LARGE_MODEL), base)
        return _cache[LARGE_MODEL]


def load(
    classifier: str | SentenceClassifier | FramingModel | None = None, *, attribution: str | None = "tagger"
) -> FramingModel:
    """The model an analysis runs: ``classifier`` labels sentences (None or "framing-v1" for the
    shipped model, "rules" for the rule classifier, or any SentenceClassifier object), and
    ``attribution`` says who finds attributions: "tagger" (the trained span tagger over the
    shipped encoder's token states; the default, whatever the classifier), "rules" (the rule
    frames) or None (no attribution stage). Named models are cached."""
    check_attribution(attribution)
    if isinstance(classifier, FramingModel):
        if attribution != "tagger":
            return classifier.without_tagger()
        if classifier.span_tagger is not None:
            return classifier
        return _shipped().with_classifier(classifier)
    if classifier is not None and not isinstance(classifier, str):
        if not isinstance(classifier, SentenceClassifier):
            raise TypeError("classifier must be a name or an object with .name and .predict_proba()")
        return _shipped().with_classifier(classifier) if attribution == "tagger" else FramingModel(classifier)
    name = classifier or DEFAULT_MODEL
    check_classifier_name(name)
    key = (name, attribution == "tagger")
    if key in _cache:
        return _cache[key]
    if name == DEFAULT_MODEL:
        model = _shipped() if attribution == "tagger" else _shipped().without_tagger()
    elif name == LARGE_MODEL:
        model = _large() if attribution == "tagger" else _large().without_tagger()
    elif attribution == "tagger":
        model = _shipped().with_classifier(RuleClassifier())
    else:
        model = FramingModel(RuleClassifier())
    with _lock:
        return _cache.setdefault(key, model)


def get_classifier(classifier: str | SentenceClassifier | None = None) -> SentenceClassifier:
    """What labels sentences read alone (``framing.classify``): the rule classifier, the shipped
    model, or the object passed in."""
    if classifier is not None and not isinstance(classifier, str):
        if not isinstance(classifier, SentenceClassifier):
            raise TypeError("classifier must be a name or an object with .name and .predict_proba()")
        return classifier
    name = classifier or DEFAULT_MODEL
    check_classifier_name(name)
    if name == DEFAULT_MODEL:
        return _shipped()
    if name == LARGE_MODEL:
        return _large()
    return load(name, attribution="rules").classifier  # type: ignore[return-value]
