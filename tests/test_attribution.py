"""Who speaks: attributions with source, cue and content spans, speakers, kinds and the profile.

All through ``framing.analyze(text, classifier="rules", attribution="rules")`` (fast, model-free): the attribution
stage is rule-based and does not depend on the sentence classifier.
"""

from __future__ import annotations

import pytest

import framing
from framing.article import Article
from framing.attribution import SOURCE_KINDS, QUOTE_TYPES, find_attributions
from framing.text.quotes import find_quotes, overlapping


def attributions(text: str):
    return framing.analyze(text, classifier="rules", attribution="rules").attributions


def only(text: str):
    found = attributions(text)
    assert len(found) == 1, found
    return found[0]


def assert_offsets(text: str, found) -> None:
    for a in found:
        for span in (a.source, a.cue, a.content):
            if span is not None:
                assert text[span.start : span.end] == span.text
        assert a.source_kind in SOURCE_KINDS
        assert a.quote_type in QUOTE_TYPES


# ----------------------------------------------------------------------------- reference article
@pytest.fixture(scope="module")
def reference(reference_text):
    return framing.analyze(reference_text, classifier="rules", attribution="rules")


def _by_content(analysis, start_of_content: str):
    for a in analysis.attributions:
        if a.content is not None and a.content.text.lstrip("\"“").startswith(start_of_content):
            return a
    raise AssertionError(f"no attribution whose content starts {start_of_content!r}: {analysis.attributions}")


def test_reference_rubio(reference):
    a = _by_content(reference, "A durable peace")
    assert a.speaker == "Marco Antonio Rubio"
    assert a.source_kind == "person"
    assert a.source.text == "U.S. Secretary of State Marco Antonio Rubio"
    assert a.cue.text == "saying"
    assert a.quote_type == "direct"


def test_reference_zelensky_office(reference):
    a = _by_content(reference, "Ukraine is ready to work")
    assert a.speaker == "Zelensky’s office"
    assert a.source.text == "Zelensky’s office"
    assert a.source_kind == "organization"  # an office speaks as an institution (see kinds.py)
    assert a.cue.text == ":"
    assert a.quote_type == "direct"


def test_reference_anonymous_sources(reference):
    ft = _by_content(reference, "the U.S. would scale back military aid")
    assert ft.source.text == "a Financial Times source who spoke on condition of anonymity"
    assert ft.cue.text == "according to"
    assert ft.source_kind == "anonymous"
    assert ft.speaker is None
    assert ft.quote_type == "indirect"
    insider = _by_content(reference, "Accepting this framework")
    assert insider.source.text == "One insider"
    assert insider.source_kind == "anonymous"
    assert insider.cue.text.endswith("told")


def test_reference_documents_and_offsets(reference, reference_text):
    leaked = _by_content(reference, "the plan may also require Ukraine")
    assert leaked.source.text == "leaked documents"
    assert leaked.source_kind == "document"
    assert_offsets(reference_text, reference.attributions)
    starts = [a.start for a in reference.attributions]
    assert starts == sorted(starts)


def test_reference_sentence_links(reference):
    sentences = reference.sentences
    for a in reference.attributions:
        if a.sentence_index is None:
            continue
        assert a in sentences[a.sentence_index].attributions
    for s in sentences:
        for a in s.attributions:
            assert any(x is not None and x.start < s.end and s.start < x.end for x in (a.cue, a.content))


def test_reference_to_dict_and_pandas(reference):
    d = reference.to_dict()
    assert len(d["attributions"]) == len(reference.attributions)
    assert {"source", "cue", "content", "speaker", "source_kind", "quote_type"} <= set(d["attributions"][0])
    assert reference.to_json()  # serializable
    table = reference.to_pandas()
    assert "speaker" in table.columns
    assert "Marco Antonio Rubio" in set(table["speaker"].dropna())
    per_attribution = reference.to_pandas("attribution")
    assert len(per_attribution) == len(reference.attributions)


# ----------------------------------------------------------------------------- quote types
def test_direct_postposed():
    text = "“We will not surrender,” said Ukraine’s defense minister."
    a = only(text)
    assert a.quote_type == "direct"
    assert a.source.text == "Ukraine’s defense minister"
    assert a.cue.text == "said"
    assert a.content.text == "“We will not surrender,”"


def test_indirect_that_clause():
    text = "The senator said that the bill would pass next week."
    a = only(text)
    assert a.quote_type == "indirect"
    assert (a.source.text, a.cue.text, a.content.text) == ("The senator", "said", "that the bill would pass next week")


def test_mixed_quote():
    text = "Warren said the nominee was a “proven failure” in business."
    a = only(text)
    assert a.quote_type == "mixed"
    assert a.speaker == "Warren"


def test_addressee_is_neither_cue_nor_content():
    text = "Sanders told the AP on Thursday that he would not seek a recount."
    a = only(text)
    assert a.cue.text == "told"
    assert a.content.text == "that he would not seek a recount"


def test_inverted_with_title():
    text = "Prices will rise, said Sen. Elizabeth Warren."
    a = only(text)
    assert a.source.text == "Sen. Elizabeth Warren"
    assert a.speaker == "Elizabeth Warren"
    assert a.content.text == "Prices will rise"


def test_appositive_belongs_to_the_source():
    text = "Sean Driscoll, a civilian official in the U.S. delegation, said the plan was final."
    a = only(text)
    assert a.source.text == "Sean Driscoll, a civilian official in the U.S. delegation"
    assert a.speaker == "Sean Driscoll"


# ----------------------------------------------------------------------------- quotation marks
@pytest.mark.parametrize(
    "open_, close",
    [("\"", "\""), ("“", "”"), ("«", "»"), ("„", "“"), ("''", "''")],
)
def test_quote_styles(open_, close):
    text = f"{open_}The deal is dead,{close} the minister said."
    a = only(text)
    assert a.quote_type == "direct"
    assert a.content.text == f"{open_}The deal is dead,{close}"
    assert a.source.text == "the minister"


def test_apostrophes_are_not_quotes():
    text = "Ukraine’s leaders don’t trust the voters’ mood, and it’s the ’90s all over again."
    assert find_quotes(text, 0, len(text)) == []
    text2 = "It’s Ukraine’s ‘plan,’ she said."
    regions = find_quotes(text2, 0, len(text2))
    assert [text2[r.start : r.end] for r in regions] == ["‘plan,’"]


def test_odd_quote_count_does_not_flip_later_quotes():
    text = 'He said "we won and left.\n\n"The war is over," Smith said.'
    found = attributions(text)
    assert_offsets(text, found)
    smith = [a for a in found if a.speaker == "Smith"]
    assert smith and smith[0].content.text == '"The war is over,"'


def test_overlapping_regions_are_those_sharing_a_character():
    text = 'A "b" c "d" e "f" g'
    regions = find_quotes(text, 0, len(text))
    assert [text[r.start : r.end] for r in regions] == ['"b"', '"d"', '"f"']

    def found(a: int, b: int) -> list[str]:
        return [text[regions[k].start : regions[k].end] for k in overlapping(regions, a, b)]

    every = [(a, b) for a in range(len(text)) for b in range(a + 1, len(text) + 1)]
    for a, b in every:  # against the plain filter it replaces
        assert found(a, b) == [text[r.start : r.end] for r in regions if r.start < b and a < r.end]
    assert found(0, 2) == [] and found(4, 9) == ['"b"', '"d"'] and found(5, 8) == [] and found(0, len(text)) == ['"b"', '"d"', '"f"']


def test_open_quote_runs_to_paragraph_end():
    text = "“This paragraph never closes its quote"
    (region,) = find_quotes(text, 0, len(text))
    assert region.open_end and region.end == len(text)


# ----------------------------------------------------------------------------- continuation and resolution
def test_multi_paragraph_quote_keeps_speaker():
    text = (
        "Senator Jane Roe spoke for an hour.\n\n"
        "“We will fight this plan,” Roe said. “We will fight it in committee.\n\n"
        "“We will fight it on the floor.\n\n"
        "“And we will win.”\n\n"
        "The hearing ended at noon."
    )
    found = attributions(text)
    assert_offsets(text, found)
    quoted = [a for a in found if a.quote_type == "direct"]
    assert len(quoted) >= 4
    assert all(a.speaker == "Jane Roe" for a in quoted)
    assert [a.continued for a in quoted] == [False, True, True, True]
    assert quoted[-1].content.text == "“And we will win.”"


def test_multi_sentence_quote_is_one_content_span():
    text = "He added: “The plan is dead. Nobody wants it. We move on.”"
    a = only(text)
    assert a.content.text == "“The plan is dead. Nobody wants it. We move on.”"


def test_pronoun_and_title_resolve_to_full_name():
    text = (
        "Michael Steele, chairman of the Republican National Committee, spoke on Friday.\n\n"
        "“This is not our war,” Mr. Steele said.\n\n"
        "He said that the party would not change course."
    )
    found = attributions(text)
    assert [a.speaker for a in found] == ["Michael Steele", "Michael Steele"]
    assert found[0].source.text == "Mr. Steele"
    assert found[1].source.text == "He"
    assert all(a.source_kind == "person" for a in found)


@pytest.mark.parametrize(
    "phrase, name",
    [
        ("Illinois Rep. Rodney Davis", "Rodney Davis"),
        ("Representative-elect Mikie Sherrill, Democrat of New Jersey", "Mikie Sherrill"),
        ("U.S. Secretary of State Marco Antonio Rubio", "Marco Antonio Rubio"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
        ("George W. Bush", "George W. Bush"),
        ("Supreme Court Justice Ruth Bader Ginsburg", "Ruth Bader Ginsburg"),
        ("Nebraska Attorney General Jon Bruning", "Jon Bruning"),
        ("Controversial Arizona Sheriff Joe Arpaio", "Joe Arpaio"),
        ("Republican U.S. House Speaker Paul Ryan", "Paul Ryan"),
        ("Republican Christine Todd Whitman", "Christine Todd Whitman"),
        ("Democratic Leader Harry Reid", "Harry Reid"),
        # An office that may be a surname is stripped only before a first and last name, and not
        # inside an office that goes on with "of".
        ("Mark Leader Smith", "Mark Leader Smith"),
        ("White House Chief Of Staff Rahm Emanuel", "White House Chief Of Staff Rahm Emanuel"),
    ],
)
def test_person_name_strips_places_and_offices(phrase, name):
    from framing.attribution.speakers import person_name

    assert person_name(phrase) == name


def test_names_do_not_run_across_a_sentence_end():
    # "… Frog Jump. Ms. Lauten said": the capitalized run spans a full stop.
    text = (
        "Elizabeth Lauten, a congressional aide, wrote about the Frog Jump. Ms. Lauten said she was sorry.\n\n"
        "“I apologize,” she said."
    )
    assert {a.speaker for a in attributions(text)} == {"Elizabeth Lauten"}


def test_reflexive_and_country_sources():
    text = (
        "Volodymyr Zelensky spoke in Kyiv on Monday.\n\n"
        "Zelensky himself said the plan was unacceptable.\n\n"
        "The United States, which drafted it, says the plan is fair."
    )
    found = attributions(text)
    assert (found[0].speaker, found[0].source_kind) == ("Volodymyr Zelensky", "person")
    assert (found[1].speaker, found[1].source_kind) == ("The United States", "organization")


@pytest.mark.parametrize(
    "title",
    [
        "Trump Attacks Justice Department As 'Deep State,' Calls For Jailing Top Clinton Aide",
        "Representative Duncan Hunter Is Indicted, Accused of Misusing Campaign Funds",
        "FBI fires Peter Strzok, months after anti-Trump texts revealed",
    ],
)
def test_title_case_headline_is_not_misread_as_a_postposed_source(title):
    text = title + "\n\nThe hearing is set for Monday. The court did not comment."
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert a.title == title
    assert [x for x in a.attributions if x.sentence_index is None] == []


def test_headline_with_a_real_source_keeps_it():
    text = "Lieberman Is a Finalist for F.B.I. Director, Trump Says\n\nThe search goes on."
    found = [x for x in framing.analyze(text, classifier="rules", attribution="rules").attributions if x.sentence_index is None]
    assert [(x.source.text, x.cue.text) for x in found] == [("Trump", "Says")]


def test_title_case_headline_runs_are_not_names():
    # Printed with a final period, the headline is no line _title_case_lines can tell from a
    # list of names; read as a mention, its run would be the "full name" behind "Mr. Manafort".
    title = "Trump Aides Decry Unhappy Campaign Of Paul Manafort."
    body = "Paul Manafort ran the convention.\n\n“It was a hard week,” Mr. Manafort said."
    a = framing.analyze(f"{title}\n\n{body}", classifier="rules", attribution="rules")
    assert a.title == title
    assert a.attributions[-1].speaker == "Paul Manafort"


@pytest.mark.parametrize(
    "source, speaker",
    [
        ("Francois Hollande Says Donald Trump", "Francois Hollande"),  # cut before the speech verb
        ("Rebuilding Isn’t The Only Reason Hedge Funds Support Hillary Clinton", None),  # a headline
        ("Obama Defends NSA Programs", "Barack Obama"),  # the article names him in full
    ],
)
def test_a_headline_source_run_is_cut_to_its_name(source, speaker):
    from framing.attribution.speakers import SpeakerResolver

    title = f"{source} In Remarks"
    text = f"{title}\n\nBarack Obama spoke on Monday. He was brief."
    resolver = SpeakerResolver.for_text(text, [len(title) + 2], headline_end=len(title))
    assert resolver.resolve(source, "person", 0)[0] == speaker


def test_a_surname_named_in_full_only_in_the_headline():
    text = (
        "Cecile Richards: ‘I’m Sick Of Men Telling Us What To Do With Our Bodies.’\n\n"
        "The interview ran on Friday. It was long.\n\n“We will not stop,” Richards said."
    )
    assert attributions(text)[-1].speaker == "Cecile Richards"


def test_surname_resolves_to_the_name_mentioned_most():
    # A one-off headline phrase ending in the surname must not beat the name used throughout.
    text = (
        "Donald Trump spoke on Monday. Donald Trump spoke again on Tuesday.\n\n"
        "Meet Melania Trump, the first lady.\n\n"
        "“We will win,” Mr. Trump said."
    )
    assert attributions(text)[-1].speaker == "Donald Trump"


def test_definite_description_resolves_to_earlier_speaker():
    text = (
        "Senator Maria Lopez said the vote was rigged.\n\n"
        "“We will appeal,” the senator said."
    )
    found = attributions(text)
    assert [a.speaker for a in found] == ["Maria Lopez", "Maria Lopez"]


def test_speaker_without_verb_dash_and_from():
    text = "“Rules are rules.” — Commissioner Ursula Berg"
    a = only(text)
    assert a.cue.text == "—"
    assert a.source.text == "Commissioner Ursula Berg"
    assert a.speaker == "Ursula Berg"
    assert a.content.text == "“Rules are rules.”"
    text2 = "From the chairwoman: “We are not done.”"
    b = only(text2)
    assert b.source.text == "the chairwoman"
    assert b.cue.text == ":"
    assert b.source_kind == "person"


def test_dash_speaker_on_its_own_line():
    text = "“We did what the law asks of us.”\n\n— Commissioner Ursula Berg"
    a = only(text)
    assert a.speaker == "Ursula Berg"
    assert a.content.text == "“We did what the law asks of us.”"


# ----------------------------------------------------------------------------- source kinds
@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("Officials said the talks had stalled.", "collective"),
        ("Critics argue that the plan rewards aggression.", "collective"),
        ("A source who spoke on condition of anonymity said the talks had stalled.", "anonymous"),
        ("The statement said the talks had stalled.", "document"),
        ("Leaked documents suggest that the talks had stalled.", "document"),
        ("The Kremlin said the talks had stalled.", "organization"),
        ("The Pentagon said in a statement that the talks had stalled.", "organization"),
        ("Jane Roe said the talks had stalled.", "person"),
        ("The Hill reported that the talks had stalled.", "organization"),
        ("Russia said the talks had stalled.", "organization"),
        ("The world says the annexation is illegal.", "collective"),
        ("Washington insists that the talks had stalled.", "organization"),
        ("Zelensky himself said the talks had stalled.", "person"),
        ("The senator said the talks had stalled.", "person"),
    ],
)
def test_source_kinds(sentence, kind):
    assert only(sentence).source_kind == kind


def test_pronoun_skips_a_publication_named_like_a_person():
    # "The Hill" is an outlet, not a person called Hill: "she" goes back to Clinton.
    text = ("Jane Clinton criticized the agency for its secrecy, according to The Hill. "
            "“We know about the secret wiretaps,” she said.")
    found = {a.cue.text: a for a in attributions(text)}
    assert found["according to"].source_kind == "organization"
    assert found["said"].speaker == "Jane Clinton"


def test_no_attribution_in_plain_report():
    assert attributions("The meeting lasted ninety minutes. Prices rose by three percent.") == ()
    # reporting-verb look-alikes: nouns and names
    assert attributions("The United States imposed sanctions. His call for calm went unheeded.") == ()


# ----------------------------------------------------------------------------- the profile
def test_profile_arithmetic():
    text = (
        "Jane Roe said the plan was bad.\n\n"
        "“It is a disaster for everyone,” Roe said.\n\n"
        "Officials said the plan was final.\n\n"
        "A source who spoke on condition of anonymity said the plan was leaked.\n\n"
        "“Two words,” said John Doe."
    )
    analysis = framing.analyze(text, classifier="rules", attribution="rules")
    found = analysis.attributions
    assert len(found) == 5
    profile = analysis.source_profile()
    assert profile.n_attributions == 5
    assert profile.anonymous_share == pytest.approx(1 / 5)
    rows = {r.speaker: r for r in profile.speakers}
    assert rows["Jane Roe"].n_attributions == 2
    assert rows["Jane Roe"].n_direct == 1 and rows["Jane Roe"].n_indirect == 1
    # quoted words: "It is a disaster for everyone" (6) and "Two words" (2)
    assert rows["Jane Roe"].quoted_words == 6
    assert rows["John Doe"].quoted_words == 2
    assert rows["Jane Roe"].quoted_share == pytest.approx(6 / 8)
    assert sum(r.quoted_share for r in profile.speakers) == pytest.approx(1.0)
    assert sum(profile.kinds.values()) == 5
    assert sum(s.n_attributions for s in profile.sections) == 5
    table = profile.to_pandas()
    assert list(table["speaker"])[0] == "Jane Roe"
    assert profile.to_pandas("section")["n_attributions"].sum() == 5
    assert profile.to_dict()["n_attributions"] == 5


def test_profile_per_section(reference):
    profile = reference.source_profile()
    assert profile.n_attributions == len(reference.attributions)
    assert len(profile.sections) == len(reference.sections)
    assert sum(s.n_attributions for s in profile.sections) == sum(a.sentence_index is not None for a in reference.attributions)
    assert 0.0 < profile.anonymous_share < 1.0


def test_find_attributions_directly_and_empty():
    assert find_attributions(Article.read("")) == ()
    text = "Smith said the vote was fair."
    (a,) = find_attributions(Article.read(text))
    assert a.speaker == "Smith" and a.sentence_index == 0
    assert framing.analyze("", classifier="rules", attribution="rules").attributions == ()


# ----------------------------------------------------------------------------- more frames
def test_according_to_first():
    text = "According to the newspaper, the talks collapsed on Sunday."
    a = only(text)
    assert (a.source.text, a.cue.text, a.content.text) == ("the newspaper", "According to", "the talks collapsed on Sunday")
    assert a.source_kind == "organization"


def test_issued_a_statement_saying():
    text = "The Trump campaign issued a statement saying that the remarks were misunderstood."
    a = only(text)
    assert a.cue.text == "issued a statement saying"
    assert a.source.text == "The Trump campaign"
    assert a.source_kind == "organization"
    assert a.content.text == "that the remarks were misunderstood"


def test_second_frame_of_the_same_source():
    text = "Boreing said the members will still meet, but said, “It’s time we change how we do it.”"
    first, second = attributions(text)
    assert first.content.text == "the members will still meet"
    assert second.source is None and second.speaker == "Boreing"
    assert second.quote_type == "direct"
    text2 = "“We are ready,” she said, adding that the vote would be close."
    a, b = attributions("Jane Roe spoke.\n\n" + text2)
    assert b.cue.text == "adding" and b.speaker == a.speaker == "Jane Roe"


def test_relative_pronoun_source_resolves_to_antecedent():
    text = "Voters cheered Senator Tom Hale, who said the mine would stay open."
    a = only(text)
    assert a.source.text == "who"
    assert a.speaker == "Tom Hale"


def test_gendered_pronoun_skips_the_other_speaker():
    text = (
        "Mr. Adam Kerr said the budget was too small.\n\n"
        "Ms. Beth Lane said the budget was fine.\n\n"
        "He said that the vote should wait."
    )
    found = attributions(text)
    assert [a.speaker for a in found] == ["Adam Kerr", "Beth Lane", "Adam Kerr"]


def test_reference_no_false_frames(reference):
    texts = [a.source.text for a in reference.attributions if a.source is not None]
    assert not any("Russia under this plan" in t for t in texts)  # "areas claimed by Russia"
    assert not any(t.endswith("States") for t in texts)  # "United States" is no cue
    assert all(a.cue is None or a.cue.text != "States" for a in reference.attributions)


def test_a_title_case_headline_is_not_a_name():
    text = "Clinton Aides Ask Sestak\n\nRep. Joe Sestak ran for the Senate in May. Mr. Sestak said he had refused the offer."
    (a,) = [x for x in attributions(text) if x.cue is not None and x.cue.text == "said"]
    assert a.speaker == "Joe Sestak"
    text = "Clinton Warns On ISIS\n\nA Clinton presidency, she vowed, would bring better-paying jobs."
    assert all("Warns" not in (x.speaker or "") for x in attributions(text))


def test_a_body_line_full_of_names_still_names():
    text = "Sen. John McCain, R-Ariz., and Sen. Lindsey Graham, R-S.C., met Tuesday.\n\nMr. Graham said the talks would go on."
    (a,) = [x for x in attributions(text) if x.cue is not None and x.cue.text == "said"]
    assert a.speaker == "Lindsey Graham"


@pytest.mark.parametrize(
    "phrase, kind",
    [
        ("the report issued by the Department of the Treasury Inspector General", "document"),
        ("the letter addressed to Chairman Darrell Issa (R-Calif.)", "document"),
        ("Taylor's letter to the committee", "document"),
        ("a Des Moines Register poll released Saturday", "document"),
        ("an adviser to Trump", "anonymous"),
        ("a source close to the talks", "anonymous"),
        ("one person close to the president", "anonymous"),
        ("Aides to Clinton", "collective"),
        ("Close to three dozen House Democrats", "collective"),
        ("Secretary of State Marco Rubio", "person"),
        ("the Los Angeles Times", "organization"),
    ],
)
def test_the_head_noun_decides_the_kind_not_a_name_in_its_modifier(phrase, kind):
    from framing.attribution.kinds import source_kind

    assert source_kind(phrase) == kind


def test_a_quotation_after_an_indirect_report_continues_its_speaker():
    text = "Senator Jane Roe said the plan was dead on arrival. “We will not accept it. Nobody will.”\n\nThe vote is Tuesday."
    found = attributions(text)
    assert_offsets(text, found)
    (cont,) = [a for a in found if a.continued]
    assert cont.speaker == "Jane Roe" and cont.quote_type == "direct" and cont.cue is None
    assert cont.content.text == "“We will not accept it. Nobody will.”"
    # ... and the quoted sentences are Roe's voice, read in context.
    a = framing.analyze(text, classifier="rules", attribution="rules")
    assert [s.label for s in a.sentences[1:3]] == ["attributed_quote", "attributed_quote"]


@pytest.mark.parametrize(
    "text, speakers, kinds",
    [
        # A name in an agent's modifier is whom the agent speaks for, not the speaker.
        ("A lawyer for Paul Manafort said the charges were baseless. He said his client would plead not guilty.",
         [None, None], ["anonymous", "anonymous"]),
        ('"This is a disaster," said an aide to Senator John Smith. The aide added that talks would go on.',
         [None, None], ["anonymous", "anonymous"]),
        # ... unless an appositive names the agent.
        ("A spokesman for the DNC, Brad Woodhouse, said the ad was false. He added that it would be pulled.",
         ["Brad Woodhouse", "Brad Woodhouse"], ["person", "person"]),
        # A spokesperson speaks for the institution named.
        ('A spokesperson for Google said the company cares about security. "We follow the law," the spokesperson said.',
         ["Google", "Google"], ["organization", "organization"]),
        ("A Microsoft spokesperson said the company only gives data after a court order.",
         ["Microsoft"], ["organization"]),
        # ... but a person's spokesman stays unnamed.
        ("Hillary Clinton spoke on Monday. A Clinton spokesman said the report was false.",
         [None], ["anonymous"]),
        # A name in the head phrase is still the speaker.
        ("Sen. Chuck Grassley of Iowa said the bill was dead. The senator added that he would not budge.",
         ["Chuck Grassley", "Chuck Grassley"], ["person", "person"]),
    ],
)
def test_the_speaker_is_the_head_not_a_name_in_its_modifier(text, speakers, kinds):
    for classifier in ("rules", None):  # the rule frames and the shipped span tagger
        found = [a for a in framing.analyze(text, classifier=classifier).attributions if a.source is not None]
        assert [a.speaker for a in found] == speakers, classifier
        assert [a.source_kind for a in found] == kinds, classifier


def test_headline_sources_take_the_full_name_the_body_gives_later():
    from framing.attribution.speakers import SpeakerResolver

    title = "Obama Defends NSA Programs, Says Congress Knew About Surveillance"
    text = title + "\n\nClinton spoke first. President Barack Obama said on Friday that Hillary Clinton agreed."
    starts = [0, len(title) + 2, text.index("President")]
    resolver = SpeakerResolver.for_text(text, starts, headline_end=len(title))
    assert resolver.resolve("Obama Defends NSA Programs", "person", 0) == ("Barack Obama", "person")
    resolver = SpeakerResolver.for_text(text, starts, headline_end=len(title))
    assert resolver.resolve("Clinton", "person", 0)[0] == "Hillary Clinton"  # in the headline: later names count
    assert resolver.resolve("Clinton", "person", starts[1])[0] == "Clinton"  # in the body: only earlier ones


def test_a_possessive_pronoun_office_names_its_owner():
    text = "Race Tightens\n\nSenator John Smith voted no on Tuesday. His office said the bill was flawed."
    office = [a for a in attributions(text) if a.source is not None and a.source.text == "His office"]
    assert [(a.speaker, a.source_kind) for a in office] == [("John Smith’s office", "organization")]


def test_neither_and_coordinations_are_not_part_of_a_name():
    text = (
        "Neither Donald J. Trump nor his rivals answered at first. Donald J. Trump spoke later.\n\n"
        "Both Blocher and the SVP said the vote was fair.\n\n"
        "“We will win,” Mr. Trump said. The SVP said it would appeal."
    )
    found = attributions(text)
    assert found[-2].speaker == "Donald J. Trump"
    assert found[-1].speaker != "Both Blocher and the SVP"


def test_a_description_takes_a_name_given_with_that_title():
    # No one quoted yet: "the governor" is the man the text called Gov. Scott Walker.
    text = (
        "Gov. Scott Walker toured the plant on Monday. Workers lined the road.\n\n"
        "“We will keep these jobs,” the governor said."
    )
    assert attributions(text)[-1].speaker == "Scott Walker"
    # "The former governor" is not the governor the text names.
    former = text.replace("the governor said", "the former governor said")
    assert attributions(former)[-1].speaker != "Scott Walker"


def test_the_first_words_of_a_quotation_are_no_pronoun_antecedent():
    text = (
        "President Donald Trump said on Wednesday that the policy would end.\n\n"
        "“So-called Birthright Citizenship is very unfair to our citizens,” he tweeted."
    )
    assert attributions(text)[-1].speaker == "Donald Trump"


def test_a_gendered_description_skips_a_speaker_of_the_other_sex():
    text = (
        "Rep. Blake Farenthold has hired a lawyer. Lauren Greene, his former aide, sued him in 2014.\n\n"
        "“I was treated badly,” Ms. Greene said.\n\n"
        "“I had no idea how to run an office,” the four-term congressman said."
    )
    assert attributions(text)[-1].speaker == "Blake Farenthold"


@pytest.mark.parametrize(
    "phrase, kind",
    [
        ("Mr. Fox", "person"),
        ("Former Mexican President Vicente Fox", "person"),
        ("Fox News", "organization"),
        ("Twentieth Century Fox", "organization"),
        ("the White House", "organization"),
    ],
)
def test_an_organization_word_that_is_a_surname(phrase, kind):
    from framing.attribution.kinds import source_kind

    assert source_kind(phrase) == kind


def test_a_surname_that_is_an_organization_word_resolves():
    text = (
        "Former Mexican President Vicente Fox spoke on Thursday.\n\n"
        "“I’m not going to pay for that wall,” Mr. Fox said."
    )
    found = attributions(text)
    assert (found[-1].speaker, found[-1].source_kind) == ("Vicente Fox", "person")


def test_who_is_one_rule_for_every_view(reference):
    from framing.attribution.spans import UNNAMED, Attribution, Span

    text = "“It is over,” one insider said, and the officials, agreed."
    named = Attribution(Span.of(text, 14, 25), None, None, "Jane Roe", "person", "direct")
    at = text.index("the officials")
    phrase = Attribution(Span.of(text, at, at + len("the officials,")), None, None, None, "collective", "indirect")
    nobody = Attribution(None, None, Span.of(text, 0, 13), None, "anonymous", "direct")
    assert (named.who, phrase.who, nobody.who) == ("Jane Roe", "the officials", UNNAMED)
    # the profile, the sentence table and the notebook view all name speakers by it
    whos = {x.who for x in reference.attributions}
    assert {row.speaker for row in reference.source_profile().speakers} == whos
    table = reference.to_pandas()
    assert set("; ".join(table["speaker"].dropna()).split("; ")) <= whos
