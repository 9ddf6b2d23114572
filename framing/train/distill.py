"""Soft opinion labels from the accurate tier, for distilling it into the default (issue framing-v2).

The default's fine-tune (``python -m framing.train --distill-from models/framing-v2-large``)
learns the opinion axis from gold rows (CheckThat! train, BABE's training part) and, through
this module, from the accurate tier's probabilities on in-domain sentences that have no opinion
label: the PolNeAR train sentences the run already samples for the attribution axis, and BASIL
article sentences. No evaluation split is read here (no CheckThat! dev_test, no BABE held-out
fifth, no PolNeAR dev); BASIL is only used by the evaluation suite for speaker accuracy, which is
about spans, not opinion labels.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Sequence

import numpy as np


def basil_sentences(data_dir: Path, limit: int, seed: int) -> list[str]:
    """``limit`` BASIL body sentences (over 20 characters), sampled with ``seed`` from all
    articles in file order; BASIL ships its articles already split into sentences."""
    out: list[str] = []
    for path in sorted((Path(data_dir) / "basil" / "articles").glob("*/*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        for para in article.get("body-paragraphs") or []:
            out.extend(s.strip() for s in para if isinstance(s, str) and len(s.strip()) > 20)
    out = list(dict.fromkeys(out))  # wire stories repeat across outlets
    return random.Random(seed).sample(out, min(limit, len(out)))


def teacher_opinion(model_dir: Path, texts: Sequence[str]) -> np.ndarray:
    """The accurate tier's P(opinion) of each sentence: its opinion head over its own encoder,
    before it is combined with the question and attribution axes. Runs on the torch threads
    the training run set."""
    from framing.model import load, load_second_encoder_opinion

    teacher = load_second_encoder_opinion(model_dir, load("framing-v1"))
    start = time.perf_counter()
    logits = np.asarray(teacher.classifier.opinion_logits(list(texts)), dtype=np.float64)
    print(f"teacher {Path(model_dir).name}: {len(texts)} sentences in {time.perf_counter() - start:.0f} s", flush=True)
    return 1.0 / (1.0 + np.exp(-logits))
