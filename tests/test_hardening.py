"""Guarantees that must hold whatever the input or the machine: no network, same bytes out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import REFERENCE_ARTICLE, REPO

# Runs the whole pipeline in a fresh interpreter whose sockets refuse to be created, with every
# hub-related environment variable removed, and prints each attempted network call.
_OFFLINE_SCRIPT = textwrap.dedent(
    """
    import json, socket, sys
    attempts = []

    class NoNetwork(socket.socket):
        def __init__(self, *args, **kwargs):
            attempts.append(("socket", args))
            raise OSError("network disabled by test")

    def refuse(*args, **kwargs):
        attempts.append(("connect", args))
        raise OSError("network disabled by test")

    socket.socket = NoNetwork
    socket.create_connection = refuse
    socket.getaddrinfo = refuse

    import framing
    text = open(sys.argv[1], encoding="utf-8").read()
    a = framing.analyze(text)
    many = list(framing.analyze_many([text, "A second article. It is short."]))
    framing.classify(["Officials said the talks would resume."])
    print(json.dumps({"attempts": [repr(x) for x in attempts], "classifier": a.classifier,
                      "sentences": len(a.sentences), "many": len(many)}))
    """
)


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE", "TRANSFORMERS_"))}
    env.update(extra)
    return env


@pytest.mark.slow
def test_pipeline_makes_no_network_call(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _OFFLINE_SCRIPT, str(REFERENCE_ARTICLE)],
        capture_output=True, text=True, cwd=tmp_path, env=_clean_env(), timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["attempts"] == []
    assert report["classifier"] == "framing-v1"
    assert report["sentences"] > 50 and report["many"] == 2


_JSON_SCRIPT = textwrap.dedent(
    """
    import sys, torch, framing
    torch.set_num_threads(int(sys.argv[2]))
    text = open(sys.argv[1], encoding="utf-8").read()
    sys.stdout.write(framing.analyze(text).to_json())
    """
)


@pytest.mark.slow
def test_same_bytes_across_processes_and_thread_counts(tmp_path):
    outputs = []
    for threads in ("1", "2", "1"):
        result = subprocess.run(
            [sys.executable, "-c", _JSON_SCRIPT, str(REFERENCE_ARTICLE), threads],
            capture_output=True, cwd=tmp_path, env=_clean_env(PYTHONHASHSEED="random"), timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    assert b'"classifier": "framing-v1"' in outputs[0]


def test_library_files_never_load_pickles():
    """No pickle, joblib or torch.load anywhere in the shipped package."""
    offenders = []
    for path in (REPO / "framing").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        # Loading calls, not words: framing.nn.packaged names ".joblib" among the suffixes it refuses.
        for needle in ("import pickle", "import joblib", "from joblib", "joblib.load", "torch.load(", "cloudpickle"):
            if needle in source:
                offenders.append(f"{path.relative_to(REPO)}: {needle}")
    assert offenders == []


def test_offline_harness_would_see_a_network_call(tmp_path):
    """The guard above can fail: the same patched sockets record a real attempt."""
    prefix = _OFFLINE_SCRIPT.split("import framing")[0]
    script = prefix + textwrap.dedent(
        """
        import urllib.request
        try:
            urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
        except OSError:
            pass
        print(len(attempts))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 1
