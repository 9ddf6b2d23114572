"""examples/walkthrough.ipynb runs top to bottom in a kernel of the current interpreter.

Executed with nbclient (no Jupyter server); the kernel is this venv's Python, so the notebook
sees the same ``framing`` as the tests. Without ../shared the notebook evaluates on an inline set,
so this test needs no shared data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "examples" / "walkthrough.ipynb"


@pytest.fixture(scope="module")
def python_kernel(tmp_path_factory) -> str:
    """A kernelspec named after this interpreter, written to a private folder on JUPYTER_PATH."""
    pytest.importorskip("ipykernel")
    import json
    import os

    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "framing-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "framing tests", "language": "python",
    }))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(root) + (os.pathsep + old if old else "")
    yield "framing-test"
    if old is None:
        os.environ.pop("JUPYTER_PATH", None)
    else:
        os.environ["JUPYTER_PATH"] = old


@pytest.mark.slow
def test_walkthrough_notebook_executes(python_kernel):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=900, kernel_name=python_kernel, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    text = "\n".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    assert "What Comes Next?" in text and "macro" in text.lower()
    assert "GroupComparison(by='outlet'" in text and "ArticleComparison(" in text
