"""``framing score``: formats, one row per record, corrupted corpora, resume after a kill, disk errors."""

from __future__ import annotations

import csv
import errno
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import framing
from framing.cli import main
from framing.batch.corpus import partial_dir, score_file
from framing.errors import FramingError
from framing.batch.io import read_records

REPO = Path(__file__).resolve().parents[1]

ARTICLES = [
    "Prices rose 3% in May, the agency said.",
    "Lawmakers met on Tuesday. \"We will act,\" the senator said. Is this really the best they can do?",
    "Budget Vote\n\nThe council voted 5-2 to approve the budget. Critics called the plan a reckless gamble.",
    "Only A Title",
]


def _records(n: int) -> list[dict]:
    return [{"id": f"a{i}", "text": ARTICLES[i % len(ARTICLES)] + f" Item {i} was filed."} for i in range(n)]


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    return path


@pytest.fixture
def corpus(tmp_path) -> Path:
    return _write_jsonl(tmp_path / "corpus.jsonl", _records(23))


def _score(args: list[str], capsys=None) -> int:
    return main(["score", *args, "--classifier", "rules", "--attribution", "rules", "--no-progress"])


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
def test_one_row_per_record_in_every_format(corpus, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    assert _score([str(corpus), "-o", str(out)]) == 0
    if fmt == "parquet":
        table = pq.read_table(out).to_pylist()
    elif fmt == "jsonl":
        table = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    else:
        with open(out, encoding="utf-8", newline="") as fh:
            table = list(csv.DictReader(fh))
    assert [r["id"] for r in table] == [f"a{i}" for i in range(23)]
    expected = framing.analyze(_records(23)[1]["text"], classifier="rules", attribution="rules")
    assert float(table[1]["opinion_density"]) == pytest.approx(expected.opinion_density)
    assert int(table[1]["n_sentences"]) == expected.overall.n_sentences
    assert not partial_dir(out).exists(), "the checkpoint folder is removed after success"


def test_csv_parquet_and_gzip_inputs_give_the_same_table(tmp_path):
    records = _records(9)
    jsonl = _write_jsonl(tmp_path / "in.jsonl", records)
    with gzip.open(tmp_path / "in.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(jsonl.read_text(encoding="utf-8"))
    with open(tmp_path / "in.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "text"])
        writer.writeheader()
        writer.writerows(records)
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet", row_group_size=4)
    outputs = []
    for name in ["in.jsonl", "in.jsonl.gz", "in.csv", "in.parquet"]:
        out = tmp_path / f"{name}.out.jsonl"
        assert _score([str(tmp_path / name), "-o", str(out)]) == 0
        outputs.append(out.read_bytes())
    assert len(set(outputs)) == 1


def test_jsonl_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "x", "text": "A line."}).encode() + b"\n")
    assert [(r.id, r.text) for r in read_records(path)] == [("x", "A line.")]


def test_parquet_reader_skips_whole_row_groups(tmp_path):
    pq.write_table(pa.Table.from_pylist(_records(10)), tmp_path / "in.parquet", row_group_size=3)
    ids = [r.id for r in read_records(tmp_path / "in.parquet", skip=4)]
    assert ids == [f"a{i}" for i in range(4, 10)]


def test_sentence_level_keeps_records_without_sentences(corpus, tmp_path):
    out = tmp_path / "s.parquet"
    assert _score([str(corpus), "-o", str(out), "--level", "sentence"]) == 0
    table = pq.read_table(out).to_pylist()
    assert {r["id"] for r in table} == {f"a{i}" for i in range(23)}
    for record in _records(23):
        n = framing.analyze(record["text"], classifier="rules", attribution="rules").overall.n_sentences
        assert sum(r["id"] == record["id"] for r in table) == max(1, n)


def _corrupted_corpus(path: Path) -> tuple[Path, int]:
    """Good records mixed with everything a scraped corpus holds; returns (path, readable records)."""
    lines = [
        json.dumps({"id": "ok1", "text": ARTICLES[1]}).encode(),
        b"{this is not json",  # line 2: unreadable
        json.dumps({"id": "null", "text": None}).encode(),
        json.dumps({"id": "number", "text": 12345}).encode(),
        json.dumps({"id": "no-text-field"}).encode(),
        json.dumps({"id": "huge", "text": "All quiet. " * 500_000}).encode(),  # 5.5 MB
        b'{"id": "latin1", "text": "caf\xe9 cr\xe8me."}',  # line 7: not UTF-8
        b"",
        b"[1, 2, 3]",  # line 9: JSON but not a record
        json.dumps({"id": "binary", "text": "\x01\x02\x03\x04" * 100}).encode(),
        b'{"id": "truncated", "text": "The line was cut',  # line 11: unreadable
        json.dumps({"id": "empty", "text": ""}).encode(),
        json.dumps({"id": "ok2", "text": ARTICLES[2]}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, sum(1 for line in lines if line.strip())


def test_corrupted_corpus_gives_one_row_per_record_and_reports_unreadable_lines(tmp_path, capsys):
    path, n_records = _corrupted_corpus(tmp_path / "bad.jsonl")
    summary = score_file(path, tmp_path / "out.parquet", classifier="rules", attribution="rules", level="sentence")
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    by_line: dict[int, list[dict]] = {}
    for row in table:
        by_line.setdefault(row["line"], []).append(row)
    assert len(by_line) == n_records == summary["records"]
    kinds = {(line, rows[0]["id"]): rows[0]["error"] for line, rows in by_line.items()}
    assert kinds == {
        (1, "ok1"): None,
        (2, None): "unreadable",  # never a value that a real id could have
        (3, "null"): "missing",
        (4, "number"): "not_text",
        (5, "no-text-field"): "missing",
        (6, "huge"): "too_long",
        (7, "latin1"): "undecodable",
        (9, None): "unreadable",
        (10, "binary"): "binary",
        (11, None): "unreadable",
        (12, "empty"): "empty",
        (13, "ok2"): None,
    }
    assert summary["succeeded"] == 2
    assert summary["errors"] == {
        "binary": 1, "empty": 1, "missing": 2, "not_text": 1, "too_long": 1, "undecodable": 1, "unreadable": 3
    }
    assert summary["unreadable_lines"] == [2, 9, 11]
    err = capsys.readouterr().err
    assert "3 unreadable lines" in err and "2, 9, 11" in err
    assert "12 records read, 2 analyzed" in err


def test_summary_json_on_stdout(corpus, tmp_path, capsys):
    assert _score([str(corpus), "-o", str(tmp_path / "o.csv"), "--summary-json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["records"] == 23 and summary["succeeded"] == 23 and summary["errors"] == {}
    assert summary["sentences"] > 23 and summary["articles_per_s"] > 0


# -- resuming --------------------------------------------------------------------------------------

# Runs the real CLI with a deliberately slow rule classifier (same name, same labels), so the
# test can kill it between checkpoints.
SLOW_CLI = """
import sys, time
from framing.classify.rules import RuleClassifier
fast = RuleClassifier.predict_proba
def slow(self, sentences):
    time.sleep(0.05)
    return fast(self, sentences)
RuleClassifier.predict_proba = slow
from framing.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _cli(args: list[str]) -> list[str]:
    return [sys.executable, "-c", SLOW_CLI, "score", *args, "--classifier", "rules", "--attribution", "rules", "--no-progress"]


def _wait_for_parts(partial: Path, proc: subprocess.Popen, n: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        manifest = partial / "manifest.json"
        if manifest.exists():
            try:
                if len(json.loads(manifest.read_text())["parts"]) >= n:
                    return
            except ValueError:
                pass
        assert proc.poll() is None, "the run finished before it could be interrupted"
        time.sleep(0.02)
    raise AssertionError("no checkpoint written in time")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("how", "fmt"), [(signal.SIGKILL, "parquet"), (signal.SIGINT, "csv")], ids=["sigkill", "ctrl-c"]
)
def test_killed_run_resumes_to_the_same_bytes(tmp_path, how, fmt):
    corpus = _write_jsonl(tmp_path / "corpus.jsonl", _records(240))
    reference = tmp_path / f"reference.{fmt}"
    args = ["--level", "sentence", "--batch-size", "16", "--checkpoint-every", "20"]
    subprocess.run(_cli([str(corpus), "-o", str(reference), *args]), check=True, cwd=REPO, capture_output=True)

    out = tmp_path / f"out.{fmt}"
    out.write_bytes(b"earlier output")
    # A shell started in the background (nohup, "&") passes SIGINT down as ignored, and Python then
    # installs no KeyboardInterrupt handler; restore the default so Ctrl-C is what we test.
    proc = subprocess.Popen(
        _cli([str(corpus), "-o", str(out), *args]), cwd=REPO, stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    _wait_for_parts(partial_dir(out), proc, 3)
    proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (130 if how == signal.SIGINT else -signal.SIGKILL)
    if how == signal.SIGINT:
        assert b"rerun to continue" in err
    assert out.read_bytes() == b"earlier output", "an interrupted run leaves earlier output intact"

    done = subprocess.run(_cli([str(corpus), "-o", str(out), *args]), cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "resuming after" in done.stderr
    assert "240 records read" in done.stderr
    assert out.read_bytes() == reference.read_bytes()
    assert not partial_dir(out).exists()


def test_resume_refuses_other_options_until_restart(corpus, tmp_path, monkeypatch):
    out = tmp_path / "o.jsonl"
    _fail_after_parts(monkeypatch, 1)
    with pytest.raises(FramingError):
        score_file(corpus, out, classifier="rules", attribution="rules", checkpoint_every=5, log=None)
    monkeypatch.undo()
    with pytest.raises(FramingError, match="--restart"):
        score_file(corpus, out, classifier="rules", attribution="rules", checkpoint_every=5, level="sentence", log=None)
    summary = score_file(corpus, out, classifier="rules", attribution="rules", checkpoint_every=5, level="sentence", restart=True, log=None)
    assert summary["records"] == 23 and summary["resumed_after"] == 0


# -- disk errors --------------------------------------------------------------------------------------


def _fail_after_parts(monkeypatch, n_ok: int, err: int = errno.ENOSPC) -> None:
    import framing.batch.corpus

    real = framing.batch.corpus.write_rows
    calls = {"n": 0}

    def flaky(path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > n_ok:
            with open(path, "wb") as fh:  # a half-written part, as a full disk leaves it
                fh.write(b"PAR1 half")
            raise OSError(err, os.strerror(err), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(framing.batch.corpus, "write_rows", flaky)


def test_full_disk_fails_with_a_clear_message_and_keeps_earlier_output(corpus, tmp_path, monkeypatch):
    out = tmp_path / "o.parquet"
    out.write_bytes(b"earlier output")
    _fail_after_parts(monkeypatch, 2)
    with pytest.raises(FramingError, match="disk is full") as info:
        score_file(corpus, out, classifier="rules", attribution="rules", checkpoint_every=5, log=None)
    assert "10 records scored so far are saved" in str(info.value) and "rerun" in str(info.value)
    assert out.read_bytes() == b"earlier output"
    assert not list(partial_dir(out).glob("*.tmp")), "no half-written part is left behind"
    monkeypatch.undo()
    summary = score_file(corpus, out, classifier="rules", attribution="rules", checkpoint_every=5, log=None)
    assert summary["resumed_after"] == 10 and summary["records"] == 23
    fresh = tmp_path / "fresh.parquet"
    score_file(corpus, fresh, classifier="rules", attribution="rules", checkpoint_every=5, log=None)
    assert out.read_bytes() == fresh.read_bytes()


def test_missing_output_folder_fails_fast(corpus, tmp_path, capsys):
    start = time.monotonic()
    assert _score([str(corpus), "-o", str(tmp_path / "nowhere" / "o.parquet")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert time.monotonic() - start < 2


def test_read_only_output_folder_fails_fast(corpus, tmp_path, capsys, monkeypatch):
    import framing.batch.corpus

    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    if os.access(folder, os.W_OK):  # root ignores folder permissions: pretend it does not
        monkeypatch.setattr(framing.batch.corpus.os, "access", lambda path, mode: False)
    try:
        assert _score([str(corpus), "-o", str(folder / "o.parquet")]) == 2
        assert "not writable" in capsys.readouterr().err
        assert not partial_dir(folder / "o.parquet").exists()
    finally:
        folder.chmod(0o700)


def test_unknown_suffix_and_missing_column_are_clear(corpus, tmp_path, capsys):
    assert _score([str(corpus), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err
    pq.write_table(pa.Table.from_pylist([{"body": "x"}]), tmp_path / "in.parquet")
    assert _score([str(tmp_path / "in.parquet"), "-o", str(tmp_path / "o.csv")]) == 2
    assert "no column 'text'" in capsys.readouterr().err


# -- kept input columns (--keep-columns) ------------------------------------------------------------


def _corpus_with_metadata(tmp_path: Path, fmt: str) -> Path:
    import pandas as pd

    records = [{**r, "outlet": ["fox", "nyt", None][i % 3], "year": 2019 + i % 2, "event": f"e{i // 3}"}
               for i, r in enumerate(_records(11))]
    path = tmp_path / f"meta.{fmt}"
    if fmt == "jsonl":
        _write_jsonl(path, records)
    elif fmt == "csv":
        pd.DataFrame(records).to_csv(path, index=False)
    else:
        pd.DataFrame(records).to_parquet(path)
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("level", ["article", "section", "sentence", "attribution"])
def test_kept_columns_reach_every_row_of_every_level(tmp_path, fmt, level):
    import pandas as pd

    corpus = _corpus_with_metadata(tmp_path, fmt)
    expected = {f"a{i}": (["fox", "nyt", None][i % 3], 2019 + i % 2, f"e{i // 3}") for i in range(11)}
    for out_fmt in ("parquet", "csv", "jsonl"):
        out = tmp_path / f"out-{level}.{out_fmt}"
        assert _score([str(corpus), "-o", str(out), "--level", level, "--keep-columns", "outlet, year,event"]) == 0
        table = {"parquet": pd.read_parquet, "csv": pd.read_csv}.get(out_fmt, lambda p: pd.read_json(p, lines=True))(out)
        assert list(table.columns[:5]) == ["id", "line", "outlet", "year", "event"]
        assert set(table["id"]) == set(expected)
        for row in table.to_dict("records"):
            outlet, year, event = expected[row["id"]]
            assert (None if pd.isna(row["outlet"]) else row["outlet"]) == outlet
            assert str(row["year"]) == str(year) and row["event"] == event
        if out_fmt == "parquet":  # Parquet input keeps its types; JSONL and CSV values are text
            assert pq.read_schema(out).field("year").type == (pa.int64() if fmt == "parquet" else pa.string())


def test_a_kept_column_the_input_lacks_is_refused_before_any_work(tmp_path, capsys):
    for fmt in ("jsonl", "csv", "parquet"):
        corpus = _corpus_with_metadata(tmp_path, fmt)
        out = tmp_path / f"o-{fmt}.parquet"
        assert _score([str(corpus), "-o", str(out), "--keep-columns", "outlet,source"]) == 2
        err = capsys.readouterr().err
        assert "cannot keep ['source']" in err and "outlet" in err, err
        assert not out.exists() and not partial_dir(out).exists()
    corpus = _write_jsonl(tmp_path / "clash.jsonl", [{**r, "title": "x"} for r in _records(3)])
    assert _score([str(corpus), "-o", str(tmp_path / "c.parquet"), "--keep-columns", "title"]) == 2
    assert "the article table has columns of that name" in capsys.readouterr().err


def test_a_run_with_kept_columns_resumes_to_the_same_bytes(tmp_path, monkeypatch):
    corpus = _corpus_with_metadata(tmp_path, "parquet")
    kwargs = dict(classifier="rules", attribution="rules", checkpoint_every=3, log=None, level="sentence",
                  keep_columns=["outlet", "year"])
    fresh = tmp_path / "fresh.parquet"
    score_file(corpus, fresh, **kwargs)
    out = tmp_path / "o.parquet"
    _fail_after_parts(monkeypatch, 2)
    with pytest.raises(FramingError):
        score_file(corpus, out, **kwargs)
    monkeypatch.undo()
    manifest = json.loads((partial_dir(out) / "manifest.json").read_text())
    assert manifest["options"]["keep_columns"] == [["outlet", "string"], ["year", "int64"]]
    with pytest.raises(FramingError, match="other options"):
        score_file(corpus, out, **{**kwargs, "keep_columns": ["outlet"]})
    summary = score_file(corpus, out, **kwargs)
    assert summary["resumed_after"] == 6
    assert out.read_bytes() == fresh.read_bytes()
