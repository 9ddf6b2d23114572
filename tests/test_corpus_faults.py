"""``framing score`` under hostile input and faults (issues #18 and #21): ids that never collide,
columns refused up front, truncated and odd files, records that fail, time out or kill their
process, orphaned workers, two runs on one output, a damaged progress folder."""

from __future__ import annotations

import csv
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
from framing.batch.corpus import partial_dir, score_file
from framing.batch.io import read_records
from framing.cli import main
from framing.errors import FramingError

REPO = Path(__file__).resolve().parents[1]
RULES = {"classifier": "rules", "attribution": "rules", "log": None}
TEXTS = [
    "Prices rose 3% in May, the agency said.",
    "Lawmakers met on Tuesday. \"We will act,\" the senator said. Is this really the best they can do?",
    "Budget Vote\n\nThe council voted 5-2 to approve the budget. Critics called the plan a reckless gamble.",
]


def _text(i: int) -> str:
    return TEXTS[i % len(TEXTS)] + f" Item {i} was filed."


def _write_lines(path: Path, lines: list[bytes | dict]) -> Path:
    raw = [line if isinstance(line, bytes) else json.dumps(line).encode() for line in lines]
    path.write_bytes(b"\n".join(raw) + b"\n")
    return path


def _read_table(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _cli(args: list[str]) -> int:
    return main(["score", *args, "--classifier", "rules", "--attribution", "rules", "--no-progress"])


# -- ids: never mis-keyed (#18), kept in type, refused when named and absent (#21 item 4) ------------


@pytest.mark.parametrize("fmt", ["parquet", "jsonl", "csv"])
@pytest.mark.parametrize("level", ["article", "section", "sentence", "attribution"])
def test_error_rows_never_take_an_id_a_real_record_has(tmp_path, fmt, level):
    # Line 2 cannot be read, and record 3's id is 2: the old fallback gave both rows id "2".
    corpus = _write_lines(tmp_path / "in.jsonl", [
        {"id": 0, "text": _text(0)},
        b'{"id": 1, "text": "cut',
        {"id": 2, "text": _text(2)},
        {"text": _text(3)},  # no id
        {"id": None, "text": _text(4)},
        {"id": "", "text": _text(5)},
        {"id": 6, "text": None},
    ])
    out = tmp_path / f"out.{fmt}"
    summary = score_file(corpus, out, level=level, **RULES)
    table = _read_table(out)
    by_line: dict[int, set] = {}
    for row in table:
        by_line.setdefault(int(row["line"]), set()).add(row["id"] if row["id"] not in ("",) else None)
    as_text = fmt != "jsonl"
    id_of = (lambda i: str(i)) if as_text else (lambda i: i)
    assert by_line == {1: {id_of(0)}, 2: {None}, 3: {id_of(2)}, 4: {None}, 5: {None}, 6: {None}, 7: {id_of(6)}}
    errors = {int(r["line"]): r["error"] for r in table if r["error"] and not r["error"].startswith("no_")}
    assert errors == {2: "unreadable", 7: "missing"}
    assert summary["missing_ids"] == 3 and summary["missing_id_lines"] == [4, 5, 6]
    assert summary["unreadable_lines"] == [2]


def test_numeric_ids_keep_their_type_where_the_output_can_hold_it(tmp_path):
    records = [{"id": i * 10, "text": _text(i)} for i in range(4)]
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet")
    _write_lines(tmp_path / "in.jsonl", [{"id": 1, "text": _text(0)}, {"id": "1", "text": _text(1)}])
    score_file(tmp_path / "in.parquet", tmp_path / "p.parquet", **RULES)
    assert pq.read_schema(tmp_path / "p.parquet").field("id").type == pa.int64()
    assert [r["id"] for r in _read_table(tmp_path / "p.parquet")] == [0, 10, 20, 30]
    score_file(tmp_path / "in.parquet", tmp_path / "p.jsonl", **RULES)
    assert [r["id"] for r in _read_table(tmp_path / "p.jsonl")] == [0, 10, 20, 30]
    # JSON 1 and "1" stay apart in JSONL; a Parquet column has one type: text, as documented.
    score_file(tmp_path / "in.jsonl", tmp_path / "j.jsonl", **RULES)
    assert [r["id"] for r in _read_table(tmp_path / "j.jsonl")] == [1, "1"]
    score_file(tmp_path / "in.jsonl", tmp_path / "j.parquet", **RULES)
    assert pq.read_schema(tmp_path / "j.parquet").field("id").type == pa.string()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_a_named_id_column_the_input_lacks_is_refused_before_any_work(tmp_path, capsys, fmt):
    records = [{"uid": f"u{i}", "text": _text(i)} for i in range(3)]
    corpus = tmp_path / f"in.{fmt}"
    if fmt == "jsonl":
        _write_lines(corpus, records)
    elif fmt == "csv":
        with open(corpus, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=["uid", "text"])
            writer.writeheader()
            writer.writerows(records)
    else:
        pq.write_table(pa.Table.from_pylist(records), corpus)
    out = tmp_path / "o.parquet"
    assert _cli([str(corpus), "-o", str(out), "--id-column", "iud"]) == 2
    err = capsys.readouterr().err
    assert "no id column 'iud'" in err and "uid" in err
    assert not out.exists() and not partial_dir(out).exists()
    # The default "id" may be absent: ids are then line numbers, and the log says so.
    assert _cli([str(corpus), "-o", str(out)]) == 0
    assert "has no 'id' column: ids are line numbers" in capsys.readouterr().err
    assert [r["id"] for r in _read_table(out)] == ["1", "2", "3"]
    assert _cli([str(corpus), "-o", str(out), "--id-column", "uid"]) == 0
    assert [r["id"] for r in _read_table(out)] == ["u0", "u1", "u2"]


def test_a_wrong_text_column_on_jsonl_is_refused_up_front(tmp_path, capsys):
    corpus = _write_lines(tmp_path / "in.jsonl", [{"id": i, "body": _text(i)} for i in range(5)])
    out = tmp_path / "o.parquet"
    assert _cli([str(corpus), "-o", str(out), "--text-column", "text"]) == 2
    err = capsys.readouterr().err
    assert "no column 'text'" in err and "'body'" in err and "--text-column" in err
    assert not out.exists()
    # A field some of the first records have is accepted; the records without it get error rows.
    mixed = _write_lines(tmp_path / "mixed.jsonl", [{"id": 0, "body": "x"}, {"id": 1, "text": _text(1)}])
    assert score_file(mixed, out, **RULES)["errors"] == {"missing": 1}


# -- odd files: truncated gzip (#21 item 6), CR line ends, stray CSV quotes ----------------------------


@pytest.mark.parametrize("suffix", ["jsonl.gz", "csv.gz"])
def test_a_truncated_gzip_writes_the_rows_read_and_fails_naming_the_line(tmp_path, capsys, suffix):
    records = [{"id": f"r{i}", "text": _text(i).replace("\n", " ") + " Padding words. " * (i % 7)} for i in range(400)]
    if suffix == "jsonl.gz":
        data = "".join(json.dumps(r) + "\n" for r in records).encode()
    else:
        import io

        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["id", "text"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        data = buf.getvalue().encode()
    packed = gzip.compress(data)
    corpus = tmp_path / f"in.{suffix}"
    corpus.write_bytes(packed[: len(packed) * 2 // 3])
    with gzip.open(corpus, "rb") as fh:  # what a reader can get out of it: whole lines before the cut
        readable = b""
        try:
            while chunk := fh.read(1):
                readable += chunk
        except EOFError:
            pass
    n_lines = readable.count(b"\n")
    n_read = n_lines - (suffix == "csv.gz")
    assert 0 < n_read < 400
    out = tmp_path / "o.jsonl"
    for _ in range(2):  # every rerun says the same, quickly, with a clear message
        assert _cli([str(corpus), "-o", str(out), "--summary-json"]) == 2
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert f"last complete line is line {n_lines:,}" in captured.err, captured.err
        assert "ends early" in captured.err
        rows = _read_table(out)
        assert [r["id"] for r in rows] == [f"r{i}" for i in range(n_read)]
        assert json.loads(captured.out)["truncated_at_line"] == n_lines
        assert not partial_dir(out).exists()


def test_cr_only_and_crlf_jsonl_files_are_read_line_by_line(tmp_path):
    records = [json.dumps({"id": i, "text": _text(i)}).encode() for i in range(3)]
    (tmp_path / "cr.jsonl").write_bytes(b"\r".join(records) + b"\r")
    (tmp_path / "crlf.jsonl").write_bytes(b"\r\n".join(records))
    for name in ("cr.jsonl", "crlf.jsonl"):
        got = [(r.id, r.line, r.text) for r in read_records(tmp_path / name)]
        assert got == [(i, i + 1, _text(i)) for i in range(3)]


def test_a_stray_quote_in_a_csv_is_reported_not_silently_merged(tmp_path):
    # Issue #21: the quote opening record 2 swallowed record 3 (4 records in, 3 out, no word said).
    corpus = tmp_path / "in.csv"
    plain = [f"Record {i} is here. It says little." for i in range(6)]
    corpus.write_text(f'id,text\n1,{plain[1]}\n2,"{plain[2]}\n3,{plain[3]}\n4,"{plain[4]}" and more\n5,{plain[5]}\n',
                      encoding="utf-8")
    log = tmp_path / "log.txt"
    with open(log, "w") as fh:
        summary = score_file(corpus, tmp_path / "o.jsonl", classifier="rules", attribution="rules", log=fh)
    rows = _read_table(tmp_path / "o.jsonl")
    # Record 2's quote closes on line 5 ('4,"'), and text follows it: lines 3-5 are one broken
    # record, reported, and record 5 is read as it should be.
    assert [(r["id"], r["line"], r["error"]) for r in rows] == [("1", 1, None), (None, 2, "unreadable"), ("5", 3, None)]
    assert "stray quote" in rows[1]["error_message"] and "lines 3-5" in rows[1]["error_message"]
    assert summary["errors"] == {"unreadable": 1}
    assert "1 unreadable rows" in log.read_text()
    corpus.write_text(f'id,text\n1,{plain[1]}\n2,"{plain[2]}\n3,{plain[3]}\n', encoding="utf-8")  # never closed
    rows = _read_table(tmp_path / "o.jsonl") if score_file(corpus, tmp_path / "o.jsonl", **RULES) else []
    assert [(r["id"], r["error"]) for r in rows] == [("1", None), (None, "unreadable")]
    assert "lines 3-4" in rows[1]["error_message"] and "unexpected end of data" in rows[1]["error_message"]


# -- records that fail, time out, or kill their process (#21 item 1) -----------------------------------


def _patch_rules(monkeypatch, action):
    from framing.classify.rules import RuleClassifier

    real = RuleClassifier.predict_proba

    def patched(self, sentences):
        for s in sentences:
            action(s)
        return real(self, sentences)

    monkeypatch.setattr(RuleClassifier, "predict_proba", patched)


def test_a_record_whose_scoring_raises_gets_an_error_row_and_the_others_their_results(tmp_path, monkeypatch):
    def explode(sentence):
        if "EXPLODE" in sentence:
            raise RuntimeError("boom")

    texts = [_text(i) for i in range(9)]
    texts[4] = "A normal start. Then it will EXPLODE here."
    _patch_rules(monkeypatch, explode)
    results = list(framing.analyze_many(texts, classifier="rules", attribution="rules"))  # one pooled window
    assert isinstance(results[4], framing.RecordError) and results[4].kind == "internal"
    assert "RuntimeError: boom" in results[4].message and results[4].index == 4
    for i in (0, 1, 2, 3, 5, 6, 7, 8):
        assert results[i] == framing.analyze(texts[i], classifier="rules", attribution="rules")
    corpus = _write_lines(tmp_path / "in.jsonl", [{"id": i, "text": t} for i, t in enumerate(texts)])
    summary = score_file(corpus, tmp_path / "o.jsonl", **RULES)
    assert summary["errors"] == {"internal": 1} and summary["succeeded"] == 8


def test_a_record_over_the_time_limit_gets_an_error_row_and_the_run_goes_on(tmp_path, monkeypatch):
    stream = sys.modules["framing.batch.stream"]  # framing.batch.stream is also the function's name

    class SlowArticle:
        @staticmethod
        def read(text, **kwargs):
            if "SLOWPOKE" in text:
                time.sleep(30)
            return framing.article.Article.read(text, **kwargs)

    monkeypatch.setattr(stream, "Article", SlowArticle)
    texts = [_text(0), "SLOWPOKE reads forever.", _text(2)]
    started = time.monotonic()
    results = list(framing.analyze_many(texts, classifier="rules", attribution="rules", time_limit=0.5))
    assert time.monotonic() - started < 10
    assert [getattr(r, "kind", None) for r in results] == [None, "timeout", None]
    assert "timeout" in framing.results.ERROR_KINDS and "killed" in framing.results.ERROR_KINDS
    assert results[2] == framing.analyze(texts[2], classifier="rules", attribution="rules")
    monkeypatch.undo()

    # The same in the scoring stage, alone in its window (batch_size=1): the pooled call times out,
    # the article is scored again alone and times out too.
    _patch_rules(monkeypatch, lambda s: time.sleep(30) if "SLOWPOKE" in s else None)
    corpus = _write_lines(tmp_path / "in.jsonl", [{"id": i, "text": t} for i, t in enumerate(texts)])
    started = time.monotonic()
    summary = score_file(corpus, tmp_path / "o.csv", batch_size=1, time_limit=0.5, **RULES)
    assert time.monotonic() - started < 10
    assert summary["errors"] == {"timeout": 1} and summary["succeeded"] == 2
    with pytest.raises(ValueError, match="time_limit"):
        list(framing.analyze_many(texts, classifier="rules", time_limit=0))


# Subprocess runs: a sitecustomize on PYTHONPATH patches the rule classifier in every process,
# worker processes included: FRAMING_TEST_KILL kills the process at a sentence holding that word,
# FRAMING_TEST_SLEEP sleeps that long per classifier call.
SITECUSTOMIZE = """
import os, signal, time
if os.environ.get("FRAMING_TEST_KILL") or os.environ.get("FRAMING_TEST_SLEEP"):
    from framing.classify.rules import RuleClassifier
    _real = RuleClassifier.predict_proba
    def _patched(self, sentences):
        word = os.environ.get("FRAMING_TEST_KILL")
        if word and any(word in s for s in sentences):
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(float(os.environ.get("FRAMING_TEST_SLEEP") or 0))
        return _real(self, sentences)
    RuleClassifier.predict_proba = _patched
"""


def _faulty_env(tmp_path: Path, **faults: str) -> dict[str, str]:
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(REPO)]), "OMP_NUM_THREADS": "1"}
    env.update({f"FRAMING_TEST_{k.upper()}": v for k, v in faults.items()})
    return env


def _score_command(corpus: Path, out: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "framing", "score", str(corpus), "-o", str(out), "--classifier", "rules",
            "--attribution", "rules", "--no-progress", *args]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_record_that_kills_the_process_twice_gets_an_error_row_and_is_not_tried_again(tmp_path, workers):
    texts = [_text(i) for i in range(40)]
    killer = 23
    texts[killer] = "This record is a KILLME for whoever scores it."
    corpus = _write_lines(tmp_path / "in.jsonl", [{"id": i, "text": t} for i, t in enumerate(texts)])
    args = ["--level", "sentence", "--checkpoint-every", "10", "--batch-size", "8", "--workers", str(workers)]
    env = _faulty_env(tmp_path, kill="KILLME")
    out = tmp_path / "o.jsonl"
    deaths = 0
    for _ in range(3):
        run = subprocess.run(_score_command(corpus, out, *args), env=env, cwd=tmp_path, capture_output=True,
                             text=True, timeout=300)
        if run.returncode == 0:
            break
        assert run.returncode == -signal.SIGKILL, run.stderr
        deaths += 1
        note = json.loads((partial_dir(out) / "in_flight.json").read_text())
        assert note["first"] <= killer < note["end"]
    # One death with the record pooled (workers: a worker's death, handled in the same run), one
    # with it alone; the run after that gives it an error row and finishes.
    assert deaths == (2 if workers == 1 else 1), run.stderr
    assert "not tried again" in run.stderr and "lines 24" in run.stderr
    rows = _read_table(out)
    killed = [r for r in rows if r["id"] == killer]
    assert len(killed) == 1 and killed[0]["error"] == "killed" and killed[0]["line"] == killer + 1
    # Every other record has the rows an undisturbed run gives.
    reference = tmp_path / "ref.jsonl"
    subprocess.run(_score_command(corpus, reference, *args), env=_faulty_env(tmp_path), cwd=tmp_path, check=True,
                   capture_output=True, timeout=300)
    assert [r for r in rows if r["id"] != killer] == [r for r in _read_table(reference) if r["id"] != killer]


# -- orphaned workers (#21 item 3) -------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_parent_is_killed_and_release_its_stdout(tmp_path):
    corpus = _write_lines(tmp_path / "in.jsonl", [{"id": i, "text": _text(i)} for i in range(2000)])
    out = tmp_path / "o.parquet"
    proc = subprocess.Popen(_score_command(corpus, out, "--workers", "2"), env=_faulty_env(tmp_path, sleep="0.2"),
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (partial_dir(out) / "in_flight.json").exists():
            time.sleep(0.1)
        while time.monotonic() < deadline and len(workers) < 2:  # the resource tracker is a child too
            workers = [p for p in _children(proc.pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
            time.sleep(0.1)
        assert len(workers) == 2, "the workers did not start"
        proc.kill()
        proc.wait(timeout=30)
        started = time.monotonic()
        assert proc.stdout.read() == b""  # EOF: no worker holds the parent's stdout
        assert time.monotonic() - started < 15
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers), "a worker outlived its parent"
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.stdout.close()


# -- the progress folder: a lock, damaged parts ---------------------------------------------------------


def test_a_second_run_on_the_same_output_is_refused_while_the_first_holds_it(tmp_path):
    import fcntl

    corpus = _write_lines(tmp_path / "in.jsonl", [{"id": i, "text": _text(i)} for i in range(5)])
    out = tmp_path / "o.parquet"
    partial_dir(out).mkdir()
    with open(partial_dir(out) / "lock", "a+b") as held:  # what a running `framing score` holds
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with pytest.raises(FramingError, match="another framing run is writing"):
            score_file(corpus, out, **RULES)
    assert score_file(corpus, out, **RULES)["records"] == 5
    assert not partial_dir(out).exists()


def test_a_missing_or_damaged_part_is_scored_again_when_resuming(tmp_path, monkeypatch):
    corpus = _write_lines(tmp_path / "in.jsonl", [{"id": i, "text": _text(i)} for i in range(23)])
    fresh = tmp_path / "fresh.parquet"
    score_file(corpus, fresh, checkpoint_every=5, **RULES)
    out = tmp_path / "o.parquet"
    import framing.batch.corpus as corpus_module

    real = corpus_module.write_rows
    calls = {"n": 0}

    def fail_fourth(path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(28, "No space left on device", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(corpus_module, "write_rows", fail_fourth)
    with pytest.raises(FramingError, match="disk is full"):
        score_file(corpus, out, checkpoint_every=5, **RULES)
    monkeypatch.undo()
    (partial_dir(out) / "part-000001.parquet").unlink()
    part = partial_dir(out) / "part-000002.parquet"
    part.write_bytes(part.read_bytes()[:-10])
    log = tmp_path / "log.txt"
    with open(log, "w") as fh:
        summary = score_file(corpus, out, checkpoint_every=5, classifier="rules", attribution="rules", log=fh)
    assert "part-000001.parquet is missing; scoring again from record 6" in log.read_text()
    assert summary["resumed_after"] == 5 and summary["records"] == 23
    assert out.read_bytes() == fresh.read_bytes()
