"""Readers for the labeled data sets, and the deterministic splits training and evaluation share.

Every reader returns plain lists of dicts with a ``text`` key and the label columns it really
has: ``opinion`` (author-voice opinion, 1/0) or ``attribution`` (attributed speech, 1/0).

Splits:
- CheckThat! 2025 English: ``train_en`` trains, ``dev_en`` selects and calibrates,
  ``dev_test_en`` is only for the final report.
- BABE (one file): a row is held out when ``int(sha256(text)[:8], 16) % 5 == 0`` (about 20%),
  see :func:`babe_is_heldout`; the rest trains.
- PolNeAR: ``train/`` trains except articles whose ``sha256(name)`` puts them in the
  selection slice (:func:`polnear_is_selection`, about 10%), used for model selection and
  calibration; ``dev/`` is only for evaluation.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

BABE_OPINION = "Expresses writer\u2019s opinion"  # curly apostrophe, as in the file
BABE_FACTUAL = "Entirely factual"

# Reporting-verb lemmas/forms that mark an attribution of *speech* (not of belief or intent),
# on top of the GenderGapTracker quote-verb list.
_EXTRA_SPEECH_WORDS = {
    "according", "tweet", "tweets", "tweeted", "tweeting", "wrote", "write", "writes", "writing",
    "told", "tell", "tells", "telling", "ask", "asks", "asked", "asking", "statement",
    "interview", "quoted", "posted", "reported", "reports", "report", "reporting", "said",
    "say", "says", "saying", "call", "calls", "called", "calling", "read", "reads", "testified",
}


def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


def babe_is_heldout(text: str) -> bool:
    return _digest(text) % 5 == 0


def polnear_is_selection(article_name: str) -> bool:
    return _digest(article_name) % 10 == 0


# -- CheckThat! ------------------------------------------------------------------------------


def read_checkthat(data_dir: Path, split: str) -> list[dict]:
    """``split`` in {"train", "dev", "dev_test"}; opinion = 1 for SUBJ."""
    path = Path(data_dir) / "checkthat2025_en" / f"{split}_en.tsv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        {"text": r["sentence"], "opinion": 1 if r["label"].strip() == "SUBJ" else 0}
        for r in rows
        if r.get("sentence") and r.get("label", "").strip() in ("SUBJ", "OBJ")
    ]


# -- BABE ------------------------------------------------------------------------------------


def read_babe(data_dir: Path, part: str) -> list[dict]:
    """``part`` in {"train", "heldout"}; only the two unambiguous opinion labels are kept."""
    path = Path(data_dir) / "babe" / "babe_sg2_train.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    out = []
    for r in rows:
        label = (r.get("label_opinion") or "").strip()
        text = (r.get("text") or "").strip()
        if not text or label not in (BABE_OPINION, BABE_FACTUAL):
            continue
        if babe_is_heldout(text) != (part == "heldout"):
            continue
        out.append({"text": text, "opinion": 1 if label == BABE_OPINION else 0})
    return out


# -- PolNeAR ---------------------------------------------------------------------------------


def load_speech_words(data_dir: Path) -> set[str]:
    path = Path(data_dir) / "lexicons" / "ggt_quote_verb_list.txt"
    words = {w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()}
    return words | _EXTRA_SPEECH_WORDS


_QUOTES = re.compile("[\"\u201c\u201d]")


def is_speech_cue(cue: str, content: str, speech_words: set[str]) -> bool:
    """Speech (say/tell/according to/a colon before a statement/quoted content), not belief."""
    words = set(re.findall(r"[a-z]+", cue.lower()))
    return bool(words & speech_words) or ":" in cue or bool(_QUOTES.search(content))


def _parse_ann(path: Path) -> list[tuple[int, int, str, str]]:
    """(cue start, cue end, cue text, content text) for each attribution in a brat file."""
    spans: dict[str, tuple[str, int, int, str]] = {}
    links: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            fields = parts[1].split(" ")
            if len(fields) >= 3 and fields[1].isdigit() and fields[2].split(";")[0].isdigit():
                text = parts[2] if len(parts) > 2 else ""
                spans[parts[0]] = (fields[0], int(fields[1]), int(fields[2].split(";")[0]), text)
        elif line.startswith("E") and len(parts) >= 2:
            links.append(dict(f.split(":", 1) for f in parts[1].split() if ":" in f))
    out = []
    for link in links:
        cue = spans.get(link.get("Cue", ""))
        if cue is None:
            continue
        content = spans.get(link.get("Content", ""), ("", 0, 0, ""))
        out.append((cue[1], cue[2], cue[3], content[3]))
    return out


def parse_brat_events(ann: str) -> list[dict[str, tuple[tuple[int, int], ...]]]:
    """PolNeAR attributions of one brat file: for each ``E`` line with a Cue, its roles
    ("source", "cue", "content") mapped to sorted character fragments ("A B;C D" = two)."""
    spans: dict[str, tuple[tuple[int, int], ...]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            offsets = parts[1].partition(" ")[2]
            spans[parts[0]] = tuple(sorted((int(a), int(b)) for a, b in (f.split() for f in offsets.split(";"))))
        elif line.startswith("E") and len(parts) >= 2:
            roles = {}
            for item in parts[1].split():
                role, _, ref = item.partition(":")
                roles[re.sub(r"\d+$", "", role).lower()] = ref
            events.append(roles)
    roles_kept = ("source", "cue", "content")  # not the event's own "attribution" trigger
    out = [{role: spans[ref] for role, ref in roles.items() if ref in spans and role in roles_kept} for roles in events]
    return [e for e in out if "cue" in e]


def split_text(text: str) -> list[tuple[int, int]]:
    from framing.text.sentences import split_sentences

    return split_sentences(text)


def read_polnear(data_dir: Path, split: str, part: str = "all") -> list[dict]:
    """Sentences of PolNeAR ``split`` ("train"/"dev") with attribution = contains a speech cue.

    When an article has several annotators, the first annotation file by name is used, so each
    sentence has one consistent annotation. ``part`` ("all", "train", "selection") filters
    articles with :func:`polnear_is_selection`.
    """
    root = Path(data_dir) / "polnear" / split
    speech_words = load_speech_words(data_dir)
    anns: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    out = []
    for txt in sorted((root / "text").glob("*.txt")):
        name = txt.stem
        if part != "all" and polnear_is_selection(name) != (part == "selection"):
            continue
        ann = anns.get(name)
        if ann is None:
            continue
        text = txt.read_text(encoding="utf-8")
        cues = [(s, e) for s, e, c, content in _parse_ann(ann) if is_speech_cue(c, content, speech_words)]
        for start, end in split_text(text):
            sentence = text[start:end].strip()
            if len(sentence) < 3:
                continue
            positive = any(s < end and e > start for s, e in cues)
            out.append({"text": sentence, "attribution": int(positive), "article": name})
    return out
