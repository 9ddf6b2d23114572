import json
import subprocess
import sys

import pytest

from conftest import REFERENCE_ARTICLE
from framing.cli import main


def test_analyze_prints_the_section_table(capsys):
    assert main(["analyze", str(REFERENCE_ARTICLE), "--classifier", "rules", "--attribution", "rules"]) == 0
    out = capsys.readouterr().out
    for heading in ("(lede)", "What Comes Next?", "Why is Kirill Dmitriev involved in these talks?", "whole article"):
        assert heading in out
    assert "95% CI" in out and "cannot establish much" in out


def test_analyze_json_and_html(tmp_path, capsys):
    page = tmp_path / "out.html"
    assert main(["analyze", str(REFERENCE_ARTICLE), "--classifier", "rules", "--attribution", "rules", "--json", "--html", str(page)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["taxonomy"] == "framing.labels.v1" and len(data["sections"]) == 12
    assert page.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_sentences_flag_lists_every_sentence(capsys):
    assert main(["analyze", str(REFERENCE_ARTICLE), "--classifier", "rules", "--attribution", "rules", "--sentences"]) == 0
    out = capsys.readouterr().out
    assert out.count("rhetorical_question") >= 1 and "The goal?" in out


def test_missing_file_and_bad_encoding_are_clear_errors(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Caf\xe9 au lait. The end.".encode("latin-1"))
    assert main(["analyze", str(latin), "--classifier", "rules", "--attribution", "rules"]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_html_into_a_missing_folder_is_a_clear_error_before_any_work(tmp_path, capsys):
    page = tmp_path / "nowhere" / "out.html"
    assert main(["analyze", str(REFERENCE_ARTICLE), "--classifier", "rules", "--attribution", "rules", "--html",
                 str(page)]) == 2
    assert "does not exist" in capsys.readouterr().err
    import framing

    analysis = framing.analyze("One sentence here.", classifier="rules", attribution="rules")
    with pytest.raises(framing.FramingError, match="does not exist"):
        analysis.to_html(page)


def test_binary_input_is_a_clear_error(tmp_path, capsys):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    assert main(["analyze", str(junk), "--classifier", "rules", "--attribution", "rules"]) == 2
    assert "framing: error:" in capsys.readouterr().err


def test_classify_explains_its_labels(capsys):
    assert main(["classify", "--classifier", "rules", "The goal?", "Officials said the talks would resume."]) == 0
    out = capsys.readouterr().out
    assert "rhetorical_question" in out and "attributed_quote" in out and "why:" in out


@pytest.mark.slow
def test_console_script_runs_with_the_default_model():
    result = subprocess.run(
        [sys.executable, "-m", "framing", "analyze", str(REFERENCE_ARTICLE)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "classifier: framing-v1" in result.stdout and "What Comes Next?" in result.stdout
