"""analyze_many(workers=N) and framing score --workers: same results as one process, in order."""

from __future__ import annotations

import json

import pytest

import framing
from framing.results import RecordError
from framing.batch.parallel import CHUNK


def _key(result):
    if isinstance(result, RecordError):
        return ("error", result.index, result.kind)
    return (
        tuple((s.start, s.end, s.label, tuple(sorted(s.scores.items()))) for s in result.sentences),
        tuple((a.cue and (a.cue.start, a.cue.end), a.speaker, a.source_kind) for a in result.attributions),
    )


@pytest.fixture(scope="module")
def mixed_records(reference_text):
    # Bad records at positions that fall in different chunks, so their indices must be shifted.
    good = ["Officials said the plan was dead. “It is over,” Lopez told reporters.", reference_text[:3000]]
    bad = [None, "", 7, "x" * 10]
    return [good[i % 2] if i % 5 else bad[(i // 5) % 4] for i in range(2 * CHUNK + 3)]


def test_workers_give_the_results_of_one_process_in_input_order(mixed_records):
    one = [_key(r) for r in framing.analyze_many(mixed_records, classifier="rules", attribution="rules")]
    two = [_key(r) for r in framing.analyze_many(iter(mixed_records), classifier="rules", attribution="rules", workers=2)]
    assert two == one
    errors = [k for k in two if k[0] == "error"]
    assert [k[1] for k in errors] == [i for i, t in enumerate(mixed_records) if not (isinstance(t, str) and t.strip())]


def test_workers_with_the_trained_model_match_analyze(reference_text):
    texts = [reference_text, "The senator said the bill would pass. What a disaster it is!"]
    assert [_key(r) for r in framing.analyze_many(texts, workers=2)] == [_key(framing.analyze(t)) for t in texts]


def test_workers_refuse_bad_arguments_before_any_work():
    with pytest.raises(ValueError, match="workers"):
        list(framing.analyze_many(["A text."], workers=0))
    with pytest.raises(TypeError, match="by name"):
        list(framing.analyze_many(["A text."], classifier=framing.get_classifier("rules"), workers=2))
    with pytest.raises(framing.FramingModelError, match="unknown classifier"):
        list(framing.analyze_many(["A text."], classifier="no-such-model", workers=2))


def test_score_file_with_workers_writes_the_same_rows(tmp_path, mixed_records):
    from framing.batch.corpus import score_file

    src = tmp_path / "in.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for i, text in enumerate(mixed_records):
            fh.write(json.dumps({"id": i, "text": text}) + "\n")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    score_file(src, one, classifier="rules", attribution="rules", level="sentence", log=None)
    summary = score_file(src, two, classifier="rules", attribution="rules", level="sentence", log=None, workers=2)
    assert two.read_bytes() == one.read_bytes()
    assert summary["records"] == len(mixed_records)


def test_cli_refuses_zero_workers(tmp_path, capsys):
    from framing.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "A. B."}\n', encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["score", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "0"])
    assert exc.value.code == 2
    assert "--workers: must be at least 1" in capsys.readouterr().err
