"""Evaluation data: each set as (texts, binary gold labels), built from the same readers and
deterministic splits that training uses (framing/train/data.py), so no example can leak.

Sets (``name``: positive class):
- ``checkthat_dev_test``: SUBJ (final report only; never tuned on)
- ``checkthat_dev``: SUBJ (selection and calibration)
- ``checkthat_train``: SUBJ
- ``polnear_dev``: the sentence contains the cue of a speech attribution (PolNeAR dev/)
- ``babe_heldout``: "Expresses writer’s opinion" vs "Entirely factual" (sha256(text) % 5 == 0)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framing.train import data as _d

REPO = Path(__file__).resolve().parents[1]


def default_data_dir() -> Path:
    env = os.environ.get("FRAMING_SHARED_DIR")
    return Path(env) / "data" if env else REPO.parent / "shared" / "data"


@dataclass(frozen=True)
class EvalSet:
    name: str
    texts: list[str]
    gold: np.ndarray  # 0/1
    positive: str  # what gold == 1 means

    def __len__(self) -> int:
        return len(self.texts)


def _make(name: str, rows: list[dict], key: str, positive: str) -> EvalSet:
    return EvalSet(name, [r["text"] for r in rows], np.array([int(r[key]) for r in rows]), positive)


def load(name: str, data_dir: Path | None = None) -> EvalSet:
    d = Path(data_dir) if data_dir else default_data_dir()
    if name.startswith("checkthat_"):
        split = name[len("checkthat_"):]
        return _make(name, _d.read_checkthat(d, split), "opinion", "SUBJ")
    if name == "polnear_dev":
        return _make(name, _d.read_polnear(d, "dev"), "attribution", "speech attribution cue")
    if name == "polnear_train_sample":
        rows = _d.read_polnear(d, "train", "train")
        rng = np.random.default_rng(13)
        idx = rng.choice(len(rows), size=min(6000, len(rows)), replace=False)
        return _make(name, [rows[i] for i in sorted(idx)], "attribution", "speech attribution cue")
    if name == "babe_heldout":
        return _make(name, _d.read_babe(d, "heldout"), "opinion", "writer's opinion")
    if name == "babe_train":
        return _make(name, _d.read_babe(d, "train"), "opinion", "writer's opinion")
    raise KeyError(f"unknown evaluation set {name!r}")
