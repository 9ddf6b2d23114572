"""Attribution (who speaks) scored on PolNeAR dev and BASIL.

Run ``python -m evals.attribution`` (``--split train`` while developing: dev is for reporting
only, never for tuning). It prints Markdown tables; ``--speed`` adds the CPU cost of the
attribution stage inside ``framing.analyze`` (rule classifier and the trained default).

PolNeAR (``../shared/data/polnear/<split>/``, brat standoff):

* One ``.ann`` per article: several annotators labeled some articles (``NAME_<annotator>.ann``);
  we take the file whose name sorts first, so the choice is deterministic and blind to content.
* Gold attributions are the ``E`` lines that have a ``Cue`` (``Discuss``/``Discard`` are not
  attributions). ``Attribution-no-source`` events have no source span. A discontinuous span
  (``A B;C D``) counts as its fragments' tokens for overlap and its outer bounds for exact match.
* PolNeAR annotates beliefs, intentions and stances too ("Trump wants ...", "endorsed",
  "support of"); they stay in the gold of the main table, so recall there is measured against
  the whole corpus (about 36% of its cues hold no reporting verb at all, a ceiling for any
  lexicon-based system). The second table keeps only gold attributions whose cue is speech
  (a reporting verb, "according to", a colon or dash) and drops predictions matching the rest.
* **Exact** match: same bounds after trimming whitespace, quotation marks and ``.,;`` at both
  ends (PolNeAR is inconsistent about a closing quote mark and final period in content).
  **Overlap** match: the two spans share ≥ 50% of the tokens of *each* of them (symmetric, so a
  sentence-long prediction does not match a three-word gold span). Matching is one-to-one
  (greedy in text order). P = matched / predicted, R = matched / gold.
* A quotation we mark `continued` (no cue of its own) is folded into the previous attribution's
  content as one more fragment, as PolNeAR does.
* **Attribution** level: a predicted attribution matches a gold one when cue and content match
  by overlap and the sources match by overlap (or both have none).

BASIL (``../shared/data/basil/``): every annotated span with ``quote: yes`` and a speaker; the
speaker is right when the prediction's resolved speaker (or source text) for the attribution
covering that span shares a content word with the annotated speaker's name, case-insensitively
("Trump" ~ "Donald Trump"). Spans no attribution covers count as wrong (coverage is reported).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

Frag = tuple[int, int]


@dataclass(frozen=True)
class GoldSpan:
    fragments: tuple[Frag, ...]

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass(frozen=True)
class GoldAttribution:
    source: GoldSpan | None
    cue: GoldSpan | None
    content: GoldSpan | None


@dataclass(frozen=True)
class GoldArticle:
    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


# ----------------------------------------------------------------------------- loaders
def choose_ann(ann_dir: Path, stem: str) -> Path | None:
    """The annotation file for one article: the first by name among its annotators' files."""
    files = sorted(ann_dir.glob(f"{stem}_*.ann"))
    return files[0] if files else None


def parse_brat(ann: str) -> list[GoldAttribution]:
    from framing.train.data import parse_brat_events

    def span(event: dict, role: str) -> GoldSpan | None:
        return GoldSpan(event[role]) if role in event else None

    out = [GoldAttribution(span(e, "source"), span(e, "cue"), span(e, "content")) for e in parse_brat_events(ann)]
    out.sort(key=lambda g: g.cue.start if g.cue else 0)
    return out


def load_polnear(split: str = "dev", root: Path | None = None, limit: int | None = None) -> list[GoldArticle]:
    base = (root or SHARED / "data" / "polnear") / split
    articles = []
    for txt in sorted((base / "text").glob("*.txt")):
        ann = choose_ann(base / "attributions", txt.stem)
        if ann is None:
            continue
        text = txt.read_text(encoding="utf-8")
        articles.append(GoldArticle(txt.stem, text, tuple(parse_brat(ann.read_text(encoding="utf-8")))))
        if limit is not None and len(articles) >= limit:
            break
    return articles


@dataclass(frozen=True)
class BasilQuote:
    article: str
    text: str            # the article, paragraphs joined by blank lines, sentences by spaces
    start: int
    end: int
    speaker: str


def load_basil(root: Path | None = None, limit: int | None = None) -> list[tuple[str, str, list[BasilQuote]]]:
    """(article id, text, quoted spans with speakers) per BASIL article with such spans."""
    base = root or SHARED / "data" / "basil"
    out = []
    for ann_path in sorted((base / "annotations").glob("*/*_ann.json")):
        art_path = base / "articles" / ann_path.parent.name / ann_path.name.replace("_ann.json", ".json")
        if not art_path.exists():
            continue
        article = json.loads(art_path.read_text(encoding="utf-8"))
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
        text, offsets = _basil_text(article)
        quotes = []
        for item in _basil_spans(ann):
            key = item["sentence"]
            if key not in offsets:
                continue
            base_off = offsets[key]
            quotes.append(BasilQuote(art_path.stem, text, base_off + item["start"], base_off + item["end"], item["speaker"]))
        if quotes:
            out.append((art_path.stem, text, quotes))
        if limit is not None and len(out) >= limit:
            break
    return out


def _basil_text(article: dict) -> tuple[str, dict[int, int]]:
    """The article as one string, and the offset of each sentence (numbered across the article)."""
    parts: list[str] = []
    offsets: dict[int, int] = {}
    pos = 0
    title = (article.get("title") or "").strip()
    if title:
        parts.append(title + "\n\n")
        pos += len(title) + 2
    n = 0
    for para in article.get("body-paragraphs") or []:
        for s, sent in enumerate(para):
            if s:
                parts.append(" ")
                pos += 1
            offsets[n] = pos
            n += 1
            parts.append(sent)
            pos += len(sent)
        parts.append("\n\n")
        pos += 2
    return "".join(parts), offsets


def _basil_spans(ann: dict) -> Iterable[dict]:
    """Quoted spans with a named speaker. ``id`` "pN" is the Nth sentence of the article; the
    placeholder speakers ``other_anti``/``other_pro``/``other_neutral`` name nobody and are left out."""
    for item in ann.get("phrase-level-annotations") or []:
        speaker = (item.get("speaker") or "").strip()
        if str(item.get("quote", "")).lower() != "yes" or not speaker or speaker.lower().startswith("other"):
            continue
        m = re.fullmatch(r"p(\d+)", str(item.get("id", "")))
        if not m:
            continue
        yield {
            "sentence": int(m.group(1)),
            "start": int(item["start"]),
            "end": int(item["end"]),
            "speaker": speaker.replace("_", " "),
        }


# ----------------------------------------------------------------------------- scoring
_TOKEN = re.compile(r"\w+")
class _Tokens:
    def __init__(self, text: str):
        self.starts = [m.start() for m in _TOKEN.finditer(text)]
        self.ends = [m.end() for m in _TOKEN.finditer(text)]

    def of(self, frags: Sequence[Frag]) -> frozenset[int]:
        import bisect

        out: set[int] = set()
        for a, b in frags:
            i = bisect.bisect_right(self.ends, a)
            found = False
            while i < len(self.starts) and self.starts[i] < b:
                out.add(i)
                found = True
                i += 1
            if not found:  # a punctuation-only span (a colon cue): its characters stand in
                out.update(-1 - k for k in range(a, b))
        return frozenset(out)


def _exact_key(text: str, frags: Sequence[Frag]) -> Frag:
    from framing.train.tagger import exact_key

    return exact_key(text, frags[0][0], frags[-1][1])


def _overlaps(x: frozenset[int], y: frozenset[int]) -> bool:
    if not x or not y:
        return False
    common = len(x & y)
    return common >= 0.5 * len(x) and common >= 0.5 * len(y)


@dataclass
class PRF:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    @property
    def p(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def _match(pred: list, gold: list, same: Callable[[object, object], bool]) -> PRF:
    used = [False] * len(gold)
    tp = 0
    for p in pred:
        for j, g in enumerate(gold):
            if not used[j] and same(p, g):
                used[j] = True
                tp += 1
                break
    return PRF(tp, len(pred), len(gold))


def score_article(text: str, gold: Sequence[GoldAttribution], pred: Sequence[object]) -> dict[str, PRF]:
    """``pred``: objects with ``source``/``cue``/``content`` spans (``.start``/``.end``) or None."""
    toks = _Tokens(text)

    def frags_of(span) -> tuple[Frag, ...]:
        return span.fragments if isinstance(span, GoldSpan) else ((span.start, span.end),)

    out: dict[str, PRF] = {}
    for role in ("source", "cue", "content"):
        g = [frags_of(getattr(x, role)) for x in gold if getattr(x, role) is not None]
        p = [frags_of(getattr(x, role)) for x in pred if getattr(x, role) is not None]
        out[f"{role} exact"] = _match(p, g, lambda a, b: _exact_key(text, a) == _exact_key(text, b))
        gt = [toks.of(f) for f in g]
        pt = [toks.of(f) for f in p]
        out[f"{role} overlap"] = _match(pt, gt, _overlaps)

    def tokens_or_none(x, role):
        span = getattr(x, role)
        return toks.of(frags_of(span)) if span is not None else None

    def same_attr(a, b) -> bool:
        for role in ("cue", "content"):
            if not _overlaps(tokens_or_none(a, role) or frozenset(), tokens_or_none(b, role) or frozenset()):
                return False
        sa, sb = tokens_or_none(a, "source"), tokens_or_none(b, "source")
        if sa is None or sb is None:
            return sa is None and sb is None
        return _overlaps(sa, sb)

    out["attribution"] = _match(list(pred), list(gold), same_attr)
    return out


# ----------------------------------------------------------------------------- runners
#: The systems scored, by their ``framing.analyze`` options: the shipped default (framing-v1:
#: spans from its trained tagger over the encoder's token states), the rule frames (no model),
#: and the accurate tier (its taggers over all-mpnet-base-v2's token states; needs the encoder's
#: parts, so it runs only when asked for: ``--system framing-v2-large``).
SYSTEMS: dict[str, dict[str, str | None]] = {
    "framing-v1": {"classifier": None, "attribution": "tagger"},
    "rules-v1": {"classifier": "rules", "attribution": "rules"},
    "framing-v2-large": {"classifier": "framing-v2-large", "attribution": "tagger"},
}
#: What runs without ``--system``.
DEFAULT_SYSTEMS = ("framing-v1", "rules-v1")


def predict(text: str, classifier: str | None = None, attribution: str | None = "tagger") -> tuple:
    import framing

    return framing.analyze(text, classifier=classifier, attribution=attribution).attributions


def predict_rules(text: str) -> tuple:
    return predict(text, "rules", "rules")


def cached_predictor(classifier: str | None = None, attribution: str | None = "tagger") -> Callable[[str], Sequence[object]]:
    """``predict`` with a cache: the span and speaker tables read each article several times."""
    cache: dict[str, Sequence[object]] = {}

    def cached(text: str) -> Sequence[object]:
        if text not in cache:
            cache[text] = predict(text, classifier, attribution)
        return cache[text]

    return cached


@dataclass(frozen=True)
class _Folded:
    source: object
    cue: object
    content: object


def _fold_continuations(pred: Sequence[object]) -> list:
    """PolNeAR folds a quotation that continues the previous speaker into that attribution's
    content (a discontinuous span); do the same with our ``continued`` attributions."""
    out: list = []
    for p in pred:
        if getattr(p, "continued", False) and out and p.content is not None and out[-1].content is not None:
            prev = out[-1]
            frags = prev.content.fragments if isinstance(prev.content, GoldSpan) else ((prev.content.start, prev.content.end),)
            out[-1] = _Folded(prev.source, prev.cue, GoldSpan((*frags, (p.content.start, p.content.end))))
        elif p.cue is not None:
            out.append(p)
    return out


def is_speech_cue(text: str) -> bool:
    """A cue of reported speech or writing (a reporting verb, "according to", a colon or dash),
    as opposed to PolNeAR's beliefs, intentions and stances ("support", "endorsed", "wants")."""
    from framing.lexicon import SPEECH_VERBS

    words = [w.lower().replace("’", "'") for w in re.findall(r"[\w’'-]+", text)]
    return any(w in SPEECH_VERBS for w in words) or "according" in words or text.strip() in (":", "—", "–")


def speech_subset(text: str, gold: Sequence[GoldAttribution], pred: Sequence[object]) -> tuple[list, list]:
    """Gold attributions with a speech cue, and the predictions whose cue does not match (by
    overlap) a gold attribution outside that subset."""
    toks = _Tokens(text)
    keep = [g for g in gold if is_speech_cue(text[g.cue.start : g.cue.end])]
    other = [toks.of(g.cue.fragments) for g in gold if not is_speech_cue(text[g.cue.start : g.cue.end])]
    kept_pred = [p for p in pred if not any(_overlaps(toks.of([(p.cue.start, p.cue.end)]), o) for o in other)]
    return keep, kept_pred


def evaluate_polnear(
    articles: Sequence[GoldArticle], predictor: Callable[[str], Sequence[object]] = predict, speech_only: bool = False
) -> dict[str, PRF]:
    """Pooled P/R/F1 per span role and match type. ``speech_only`` scores against the gold
    attributions with a speech cue only (see :func:`speech_subset`)."""
    total: dict[str, PRF] = {}
    for art in articles:
        pred = _fold_continuations(predictor(art.text))
        gold = art.attributions
        if speech_only:
            gold, pred = speech_subset(art.text, gold, pred)
        for key, prf in score_article(art.text, gold, pred).items():
            total.setdefault(key, PRF()).add(prf)
    return total


def _speaker_words(name: str) -> set[str]:
    stop = {"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "said"}
    return {w for w in re.findall(r"[a-z]+", name.lower()) if w not in stop and len(w) > 1}


#: BASIL speaker labels that name a group rather than one speaker ("Democratic lawmakers", "Obama
#: campaign", "Tea Party"): BASIL often credits a quote to the group its speaker stands for, while
#: we name the member who spoke ("Chuck Schumer"), which the word match counts as wrong. The
#: accuracy is also reported apart for these and for the rest (a person, or one organization).
GROUP_SPEAKER = re.compile(
    r"\b(lawmakers|democrats|republicans|officials|members|campaign|party|catholics|gop|group|"
    r"activists|voters|supporters|critics|leaders)\b", re.I)


def evaluate_basil(data, predictor: Callable[[str], Sequence[object]] = predict) -> dict[str, float]:
    n = covered = correct = 0
    by_gold = {"group": [0, 0], "individual": [0, 0]}  # [spans, right] by the kind of BASIL speaker
    for _, text, quotes in data:
        pred = list(predictor(text))
        for q in quotes:
            n += 1
            tally = by_gold["group" if GROUP_SPEAKER.search(q.speaker) else "individual"]
            tally[0] += 1
            best = None
            for p in pred:
                c = p.content
                if c is not None and c.start < q.end and q.start < c.end:
                    best = p
                    break
            if best is None:
                continue
            covered += 1
            guess = best.speaker or (best.source.text if best.source is not None else "")
            if _speaker_words(guess) & _speaker_words(q.speaker):
                correct += 1
                tally[1] += 1
    out = {"quoted spans": n, "covered": covered / n if n else 0.0, "speaker accuracy": correct / n if n else 0.0,
           "accuracy when covered": correct / covered if covered else 0.0}
    for kind, (spans, right) in by_gold.items():
        out[f"spans, {kind} speaker"] = spans
        out[f"speaker accuracy, {kind} speaker"] = right / spans if spans else 0.0
    return out


def measure_speed(
    texts: Sequence[str], classifier: str | None = "rules", attribution: str = "rules", repeats: int = 3
) -> dict[str, float]:
    """CPU seconds per article of ``framing.analyze`` with the attribution stage (``attribution``)
    and without it (``attribution=None``), best of ``repeats`` alternating runs; CPU time, not
    wall time, so other processes on the machine matter less."""
    import framing

    def run(with_attribution: bool) -> float:
        t0 = time.process_time()
        for text in texts:
            framing.analyze(text, classifier=classifier, attribution=attribution if with_attribution else None)
        return (time.process_time() - t0) / len(texts)

    run(True)  # warm-up: load the classifier
    # Alternated (with, without, with, ...) so that a change in the machine's load while this
    # runs reaches both sides alike; the best of each counts.
    runs: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(repeats):
        for flag in (True, False):
            runs[flag].append(run(flag))
    with_attr, without = min(runs[True]), min(runs[False])
    return {"with": with_attr, "without": without, "throughput ratio": without / with_attr}


def _report_system(system: str, options: dict[str, str | None], split: str, articles, basil) -> None:
    cached = cached_predictor(**options)
    t0 = time.perf_counter()
    total = evaluate_polnear(articles, cached)
    secs = time.perf_counter() - t0
    speech = evaluate_polnear(articles, cached, speech_only=True)
    n_gold = sum(len(a.attributions) for a in articles)
    print(f"## {system}: PolNeAR {split}, {len(articles)} articles, {n_gold} gold attributions ({secs:.1f} s incl. analyze)\n")
    print("Left: all gold attributions (speech, beliefs, intentions, stances). Right: only those with a speech cue.\n")
    print("| span | match | P | R | F1 | pred | gold | speech P | speech R | speech F1 | pred | gold |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, prf in total.items():
        role, _, how = key.partition(" ")
        sp = speech[key]
        print(
            f"| {role} | {how or 'source+cue+content overlap'} | {prf.p:.3f} | {prf.r:.3f} | {prf.f1:.3f} | {prf.n_pred} | {prf.n_gold} "
            f"| {sp.p:.3f} | {sp.r:.3f} | {sp.f1:.3f} | {sp.n_pred} | {sp.n_gold} |"
        )
    if basil is not None:
        res = evaluate_basil(basil, cached)
        print(f"\n### {system}: BASIL, {len(basil)} articles with quoted, speaker-annotated spans\n")
        print("| quoted spans | covered by an attribution | speaker accuracy | accuracy when covered "
              "| accuracy, BASIL names one speaker | accuracy, BASIL names a group |")
        print("|---:|---:|---:|---:|---:|---:|")
        print(f"| {res['quoted spans']} | {res['covered']:.3f} | {res['speaker accuracy']:.3f} | {res['accuracy when covered']:.3f} "
              f"| {res['speaker accuracy, individual speaker']:.3f} ({res['spans, individual speaker']}) "
              f"| {res['speaker accuracy, group speaker']:.3f} ({res['spans, group speaker']}) |")
    print()


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", help="PolNeAR split to score (dev for reporting; train for development)")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    ap.add_argument("--no-basil", action="store_true")
    ap.add_argument("--speed", action="store_true", help="also time analyze with and without attribution")
    ap.add_argument("--system", action="append", choices=list(SYSTEMS), help="score only this system (repeatable)")
    args = ap.parse_args(argv)

    articles = load_polnear(args.split, limit=args.limit)
    basil = None if args.no_basil else load_basil(limit=args.limit)
    for system in args.system or DEFAULT_SYSTEMS:
        _report_system(system, SYSTEMS[system], args.split, articles, basil)

    if args.speed:
        texts = [(REPO / "examples" / "us-draft-plan-ukraine.txt").read_text(encoding="utf-8")]
        texts += [a.text for a in articles[:60]]
        print(f"\n## Speed: framing.analyze on {len(texts)} articles, CPU ms per article\n")
        print("| classifier | with attribution | without | throughput ratio |")
        print("|---|---:|---:|---:|")
        for name in ("rules", None):
            try:
                r = measure_speed(texts if name == "rules" else texts[:16], classifier=name,
                                  attribution="rules" if name == "rules" else "tagger")
            except Exception as exc:  # the trained model may be absent in a user's clone
                print(f"| {name or 'default (trained)'} | unavailable: {type(exc).__name__} | | |")
                continue
            print(f"| {name or 'default (trained)'} | {r['with'] * 1000:.1f} | {r['without'] * 1000:.1f} | {r['throughput ratio']:.2f} |")


if __name__ == "__main__":
    main()
