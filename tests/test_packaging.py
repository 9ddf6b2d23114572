"""The wheel carries the trained model, so `pip install framing` works with no checkout."""

import subprocess
import sys
import zipfile

import pytest

from conftest import REPO


@pytest.mark.slow
def test_wheel_ships_the_model_and_type_marker(tmp_path):
    pytest.importorskip("hatchling", reason="hatchling comes with the [dev] extra")
    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("framing-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("weights.safetensors", "span_tagger.safetensors", "config.json", "checksums.json", "MODEL_CARD.md"):
        assert f"framing/_models/framing-v1/{needed}" in names
    assert "framing/py.typed" in names
    assert not [n for n in names if n.endswith((".pkl", ".pickle", ".pt", ".bin", ".joblib"))]
    assert wheel.stat().st_size < 25 * 1024 * 1024
