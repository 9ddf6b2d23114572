"""Research on a stronger encoder for framing-v2 (issue framing-v2): which base encoder, how many
layers, at what speed. See README.md beside this file for what each script measures and the
results so far. Run from a checkout, with ../shared/data:

    python -m evals.encoders.features      # per-layer pooled features, cached as fp16 .npy
    python -m evals.encoders.probe         # frozen probe by layer, CheckThat! dev_test macro-F1
    python -m evals.encoders.throughput    # sentences/s against framing-v1
"""

from __future__ import annotations

from pathlib import Path

#: Features, probe results and timings are large and machine-specific: they live beside the
#: checkout (as ../shared does), not in it.
CACHE = Path(__file__).resolve().parents[3] / "cache" / "v2"
