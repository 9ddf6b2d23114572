from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framing
from framing.text.layout import ArticleLayout, Block, parse_layout
from framing.errors import FramingInputError

TITLE = "US Presents Draft Plan Demanding Ukraine Cede Territory to End War with Russia"
BODY_HEADINGS = [
    None,
    "The Draft’s Stark Demands",
    "Washington’s Quiet Diplomacy",
    "What Ukraine Says—And Doesn’t Say",
    "Why This Matters Now",
    "What Comes Next?",
]
FAQ_QUESTIONS = [
    "What does the U.S. gain from this plan?",
    "How does this affect Ukrainian civilians?",
    "Why is Kirill Dmitriev involved in these talks?",
    "Has the U.S. ever recognized Russian annexation before?",
    "What’s the timeline for this plan?",
    "What are the chances Ukraine will accept this?",
]


def all_blocks(layout: ArticleLayout) -> list[Block]:
    blocks = [b for b in (layout.title, layout.byline) if b] + list(layout.skipped)
    for section in layout.sections:
        if section.heading:
            blocks.append(section.heading)
        if section.group_heading and all(section.group_heading is not b for b in blocks):
            blocks.append(section.group_heading)
        blocks.extend(section.paragraphs)
    return blocks


def assert_offsets(text: str, layout: ArticleLayout) -> None:
    blocks = sorted(all_blocks(layout), key=lambda b: b.start)
    for a, b in zip(blocks, blocks[1:]):
        assert a.end <= b.start, f"overlapping blocks {a} {b}"
    for block in blocks:
        assert text[block.start : block.end] == block.text
        assert block.text and block.text == block.text.strip()
        assert block.text.strip("\ufeff") == block.text
    for section in layout.sections:
        assert section.paragraphs, "never an empty section"


def headings(layout: ArticleLayout) -> list[str | None]:
    return [s.heading.text if s.heading else None for s in layout.sections]


# --------------------------------------------------------------------------- reference article


@pytest.fixture(scope="module")
def reference_layout(reference_text: str) -> ArticleLayout:
    return parse_layout(reference_text)


def test_reference_title_and_byline(reference_layout):
    assert reference_layout.title.text == TITLE
    assert reference_layout.title.kind == "title"
    assert reference_layout.byline.text == "Nov, 29 2025 World Caelum Braxton"
    assert reference_layout.byline.kind == "byline"


def test_reference_sections_in_order(reference_layout):
    assert headings(reference_layout) == BODY_HEADINGS + FAQ_QUESTIONS
    assert len(set(headings(reference_layout))) == len(reference_layout.sections)


def test_reference_body_and_faq_sections(reference_layout):
    body = reference_layout.sections[: len(BODY_HEADINGS)]
    faq = reference_layout.sections[len(BODY_HEADINGS) :]
    assert all(s.kind == "body" and s.group is None for s in body)
    assert all(s.kind == "faq" and s.group == "Frequently Asked Questions" for s in faq)
    assert all(s.heading.is_question for s in faq)
    assert all(len(s.paragraphs) == 1 for s in faq)
    assert faq[0].group_heading.text == "Frequently Asked Questions"
    assert "Frequently Asked Questions" not in headings(reference_layout)
    assert body[-1].heading.is_question  # "What Comes Next?"
    assert not body[1].heading.is_question
    assert [len(s.paragraphs) for s in body] == [1, 2, 2, 2, 2, 2]


def test_reference_lede(reference_layout, reference_text):
    lede = reference_layout.lede
    assert lede.kind == "paragraph"
    assert lede.text.startswith("On November 20, 2025, the Trump administration delivered")
    assert lede.text.endswith("before it could rally international support.")
    assert reference_layout.sections[0].heading is None
    assert reference_layout.sections[0].paragraphs == (lede,)


def test_reference_repeats_are_skipped(reference_layout, reference_text):
    skipped = [(b.kind, b.text) for b in reference_layout.skipped]
    assert skipped == [
        ("title", TITLE),
        ("heading", "What Ukraine Says—And Doesn’t Say"),
        ("heading", "What Comes Next?"),
    ]
    # The kept copy is the first one printed.
    assert reference_layout.title.start == 0
    assert reference_layout.skipped[0].start > reference_layout.title.end
    assert_offsets(reference_text, reference_layout)


def test_reference_with_other_line_breaks(reference_text):
    expected = headings(parse_layout(reference_text))
    for newline in ("\r\n", "\r", "\u2028"):
        text = "\ufeff" + reference_text.replace("\n", " \t" + newline)
        layout = parse_layout(text)
        assert headings(layout) == expected, repr(newline)
        assert layout.title.text == TITLE
        assert layout.byline.text == "Nov, 29 2025 World Caelum Braxton"
        assert_offsets(text, layout)


# --------------------------------------------------------------------------- markdown

MARKDOWN = """\ufeff# The **Big** Deal\r
*By Jane Doe, March 3, 2024*\r
\r
Lede paragraph here. It has two sentences.\r
\r
## First Part ##\r
Body one,\r
hard-wrapped.\r
\r
---\r
\r
## Frequently Asked Questions\r
\r
### **Why now?**\r
\r
Because the vote is near.\r
\r
### How much will it cost?\r
A lot.\r
\r
## Empty Heading\r
"""


def test_markdown_layout():
    layout = parse_layout(MARKDOWN)
    assert_offsets(MARKDOWN, layout)
    assert layout.title.text == "The **Big** Deal"
    assert layout.byline.text == "By Jane Doe, March 3, 2024"
    assert headings(layout) == [None, "First Part", "Why now?", "How much will it cost?"]
    assert layout.lede.text == "Lede paragraph here. It has two sentences."
    assert layout.sections[1].paragraphs[0].text == "Body one,\r\nhard-wrapped."
    faq = layout.sections[2:]
    assert [s.kind for s in faq] == ["faq", "faq"]
    assert {s.group for s in faq} == {"Frequently Asked Questions"}
    assert [b.text for b in layout.skipped] == ["Empty Heading"]


def test_markdown_autodetect_and_override():
    text = "Intro line that is a paragraph.\n\n# Not a heading when markdown=False\n\nBody."
    assert headings(parse_layout(text)) == [None, "Not a heading when markdown=False"]
    plain = parse_layout(text, markdown=False)
    assert headings(plain) == [None]
    assert plain.sections[0].paragraphs[1].text.startswith("# Not")


def test_markdown_same_level_headings_do_not_group():
    layout = parse_layout("# Title\n\n## A\n\n## B\n\ntext b\n\n## C\n\ntext c")
    assert headings(layout) == ["B", "C"]
    assert all(s.group is None for s in layout.sections)
    assert [b.text for b in layout.skipped] == ["A"]


# --------------------------------------------------------------------------- plain-text rules


def test_no_headings_is_one_section():
    text = "The cat sat on the mat. It was warm.\n\nThe dog slept\nall day. It snored."
    layout = parse_layout(text)
    assert layout.title is None and layout.byline is None
    assert headings(layout) == [None]
    assert [p.text for p in layout.sections[0].paragraphs] == [
        "The cat sat on the mat. It was warm.",
        "The dog slept\nall day. It snored.",
    ]


def test_wrapped_first_line_is_not_a_title():
    layout = parse_layout("The cat sat on the mat and\nthen it slept.\n\nSecond para.")
    assert layout.title is None
    assert layout.lede.text == "The cat sat on the mat and\nthen it slept."


def test_one_paragraph_per_line_without_blank_lines(reference_text):
    import re

    compact = re.sub(r"\n+", "\n", reference_text)
    layout, expected = parse_layout(compact), parse_layout(reference_text)
    assert headings(layout) == headings(expected)
    assert layout.title.text == TITLE
    assert layout.byline.text == "Nov, 29 2025 World Caelum Braxton"
    assert layout.lede.text == expected.lede.text
    assert [len(s.paragraphs) for s in layout.sections] == [len(s.paragraphs) for s in expected.sections]
    assert_offsets(compact, layout)


def test_short_author_question_paragraph_is_not_a_heading():
    text = "Title Here\n\nIntro paragraph.\n\nWho benefits from that?\n\nNot the voters."
    layout = parse_layout(text)
    assert headings(layout) == [None]
    assert len(layout.sections[0].paragraphs) == 3


def test_byline_by_and_dateline_left_in_body():
    text = "Senate Passes the Bill\nBy Jane Doe\n\nWASHINGTON (AP) — The Senate voted.\n\nMore."
    layout = parse_layout(text)
    assert layout.title.text == "Senate Passes the Bill"
    assert layout.byline.text == "By Jane Doe"
    assert layout.lede.text == "WASHINGTON (AP) — The Senate voted."


def test_u2029_is_a_paragraph_break():
    text = "Title Here\u2029Para one is here.\u2029A Heading Now\u2029Para two."
    layout = parse_layout(text)
    assert layout.title.text == "Title Here"
    assert headings(layout) == [None, "A Heading Now"]
    assert_offsets(text, layout)


def test_generic_group_heading():
    text = "Title\n\nLede text here.\n\nAnalysis\n\nThe Short View\n\nText one.\n\nThe Long View\n\nText two."
    layout = parse_layout(text)
    assert headings(layout) == [None, "The Short View", "The Long View"]
    assert [s.group for s in layout.sections] == [None, "Analysis", "Analysis"]
    assert all(s.kind == "body" for s in layout.sections)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t\r\n", "\ufeff", "One line", "A.", "#", "# ", "##\n##", "Alpha Beta\n\nGamma Delta",
     "# A\n## B\n## C", "?\n\n?\n\n?", "**\n\n__", "Title\n\n\n\nTitle\n\nTitle"],
)
def test_odd_inputs_never_raise(text):
    layout = parse_layout(text)
    assert_offsets(text, layout)


def test_heading_like_lines_with_no_body_are_read_as_paragraphs():
    # A heading heads something: with no body text at all, the lines are the body (and the
    # guess is said), where reading them as headings of nothing would leave no sentences.
    layout = parse_layout("Alpha Beta\n\nGamma Delta\n\nEpsilon Zeta")
    assert layout.title.text == "Alpha Beta"
    assert [[p.text for p in s.paragraphs] for s in layout.sections] == [["Gamma Delta", "Epsilon Zeta"]]
    assert layout.lede.text == "Gamma Delta"
    assert layout.skipped == ()
    assert len(layout.notes) == 1 and "read as paragraphs" in layout.notes[0]
    assert_offsets("Alpha Beta\n\nGamma Delta\n\nEpsilon Zeta", layout)


def test_markdown_headings_alone_stay_headings():
    layout = parse_layout("# Alpha\n\n## Beta\n\n## Gamma")
    assert layout.sections == () and layout.lede is None and layout.notes == ()
    assert [b.text for b in layout.skipped] == ["Beta", "Gamma"]


def test_a_body_keeps_its_headings():
    layout = parse_layout("Alpha Beta\n\nGamma Delta\n\nThe council met on Tuesday.")
    assert [s.heading.text for s in layout.sections] == ["Gamma Delta"]
    assert layout.notes == ()


def test_one_line_is_a_paragraph_not_a_title():
    layout = parse_layout("Just one line")
    assert layout.title is None
    assert layout.lede.text == "Just one line"


def test_rejects_non_str():
    with pytest.raises(FramingInputError):
        parse_layout(b"bytes")  # type: ignore[arg-type]


def test_large_inputs_are_linear():
    t0 = time.process_time()
    parse_layout("word " * 200_000)  # 1 MB single paragraph
    parse_layout("#" * 1_000_000)
    parse_layout("A Heading Here\n\nSome text.\n\n" * 5_000)
    assert time.process_time() - t0 < 3.0


_pieces = st.sampled_from(
    ["Title Case Line", "A sentence.", "Why Not?", "what now?", "# Head", "## Sub", "\n", "\n\n",
     "\r\n", "\r", "\u2028", "\u2029", "\t", "  ", "\ufeff", "**Bold**", "By Jane Doe",
     "Nov 3, 2025", "“Quoted.”", "—", "é", "FAQ", "---"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_pieces | st.text(max_size=8), max_size=30).map("".join))
def test_layout_offsets_always_map_back(text):
    layout = parse_layout(text)
    assert_offsets(text, layout)
    starts = [b.start for b in all_blocks(layout)]
    assert len(starts) == len(set(starts)), "no block reported twice"


def test_faq_short_answers_and_bold_questions_under_markdown_heading():
    text = (
        "# T\n\nLede.\n\n## FAQ\n\n**Is it over?**\n\nYes\n\n**Why?**\n\nNo Reason Given"
        "\n\n## After\n\nText."
    )
    layout = parse_layout(text)
    assert headings(layout) == [None, "Is it over?", "Why?", "After"]
    assert [s.kind for s in layout.sections] == ["body", "faq", "faq", "body"]
    assert [s.paragraphs[0].text for s in layout.sections[1:3]] == ["Yes", "No Reason Given"]
    assert_offsets(text, layout)


def test_setext_rules_and_list_items():
    text = (
        "Big Title\n=========\n\nLede.\n\nPart One\n--------\nText one.\n\n- List Item Here"
        "\n\nMore.\n\n***\n\nEnd."
    )
    layout = parse_layout(text)
    assert layout.title.text == "Big Title"
    assert headings(layout) == [None, "Part One"]
    assert [p.text for p in layout.sections[1].paragraphs] == [
        "Text one.", "- List Item Here", "More.", "End."
    ]


# --------------------------------------------------------------------------- html (optional extra)

PAGE = """<!DOCTYPE html><html><head><title>Draft Plan Demands Territory</title>
<meta name="author" content="Caelum Braxton"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Draft Plan Demands Territory</h1>
<p>On November 20, 2025, the administration delivered a <b>startling</b> 28-point
 <a href="x">peace</a> proposal to Kyiv. The draft &amp; its annexes were secret.</p>
<h2>The Draft’s Stark Demands</h2><p>The proposal is a chilling blueprint. Ukraine would withdraw.</p>
<h3>Frequently Asked Questions</h3><h4>What does the U.S. gain from this plan?</h4>
<p>The administration hopes to end its involvement in the war quickly, officials said.</p>
</article><footer>Copyright 2025</footer></body></html>"""


def test_html_to_text_feeds_parse_layout():
    pytest.importorskip("trafilatura")
    from framing.text.html import html_to_text

    text = html_to_text(PAGE)
    assert "Home" not in text and "Copyright" not in text and "<b>" not in text
    assert "The draft & its annexes were secret." in text
    layout = parse_layout(text)
    assert layout.title.text == "Draft Plan Demands Territory"
    assert layout.byline.text.startswith("By Caelum Braxton")
    assert headings(layout) == [None, "The Draft’s Stark Demands", "What does the U.S. gain from this plan?"]
    assert layout.sections[-1].kind == "faq"
    assert layout.lede.text.startswith("On November 20, 2025")


def test_html_entities_are_not_expanded():
    pytest.importorskip("trafilatura")
    from framing.text.html import html_to_text

    bomb = (
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><article>'
        "<p>&b; &xxe; A paragraph long enough for the extractor to keep it as main text.</p>"
        "</article></body></html>"
    )
    text = html_to_text(bomb)
    assert "aaaaaaaaaa" not in text and "root:" not in text


def test_html_to_text_rejects_non_html():
    pytest.importorskip("trafilatura")
    from framing.text.html import html_to_text

    with pytest.raises(FramingInputError):
        html_to_text("")
    with pytest.raises(FramingInputError):
        html_to_text(b"<p>bytes</p>")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "line, is_byline",
    [
        ("Nov, 29 2025 World Caelum Braxton", True),
        ("By Jane Doe.", True),
        ("March 3, 2024", True),
        ("Updated Nov. 29, 2025, 3:45 p.m.", True),
        ("2025-11-29 | Jane Doe", True),
        ("On May 5 it rained.", False),
        ("The vote is on Nov 29.", False),
    ],
)
def test_byline_candidates(line, is_byline):
    layout = parse_layout(f"Some Title\n{line}\n\nBody text here. More body.")
    assert (layout.byline is not None) == is_byline
    if not is_byline:
        assert layout.lede.text == line


def test_dash_speaker_line_is_not_a_heading():
    text = (
        "Title Here\n\nLede para. More.\n\n“We will fight on,” the statement said.\n\n"
        "— Commissioner Jane Smith\n\nThe talks resumed on Monday."
    )
    layout = parse_layout(text)
    assert headings(layout) == [None]
    assert layout.sections[0].paragraphs[2].text == "— Commissioner Jane Smith"


@pytest.mark.parametrize(
    "first, is_title",
    [
        ("Republican seeks new Clinton inquiry.", True),  # headlinese, as PolNeAR prints titles
        ("Pence: Gennifer Flowers Won’t Be at Debate, Trump Was ‘Mocking’ Clinton Camp.", True),
        ("Clinton Pick Gives Trump An Opening.", True),
        ("It was a cold night.", False),  # a one-line opening paragraph
        ("Intro line that is a paragraph.", False),
        ("The council met on Monday.", False),
        ("Stocks fell. Bonds rose.", False),  # two sentences
        ("Black Lawmakers Rip Donald Trump As A ‘Disgusting Fraud.’", True),  # period inside quotes
        ("He called it ‘a fraud.’", False),
    ],
)
def test_a_headline_printed_with_a_final_period_is_the_title(first, is_title):
    text = f"{first}\n\nThe council met on Monday and voted to raise taxes by five percent.\n\nCritics said it was unfair."
    layout = parse_layout(text)
    assert (layout.title is not None and layout.title.text == first) == is_title
    body = [p.text for s in layout.sections for p in s.paragraphs]
    assert (first in body) != is_title  # nothing lost: the line is the title or the lede


def test_a_stopped_title_needs_a_blank_line_and_two_paragraphs_after_it():
    two = "Republican seeks new Clinton inquiry.\n\nThe council met on Monday and voted."
    assert parse_layout(two).title is None
    per_line = "Republican seeks new Clinton inquiry.\nThe council met.\nIt voted.\nTaxes rose."
    assert parse_layout(per_line).title is None


def test_a_title_case_stopped_title_over_one_long_paragraph():
    body = ("Tuesday marks four weeks since Donald Trump won the Indiana primary, forcing his rivals "
            "out of the race and earning him the mantle of presumptive nominee.")
    layout = parse_layout(f"How Paul Ryan Thinks About Donald Trump.\n\n{body}")
    assert layout.title is not None and layout.title.text == "How Paul Ryan Thinks About Donald Trump."
    assert layout.lede.text == body
    # A short paragraph under it, or a plain (not Title Case) line: still two paragraphs.
    assert parse_layout("How Paul Ryan Thinks About Donald Trump.\n\nHe waits.").title is None
    assert parse_layout(f"Clinton wins primary in New York.\n\n{body}").title is None


HEADLINE_AND_DEK = (
    "Candidates vie for vets' support; \nVeterans weigh the records of both parties on care.\n\n"
    "The race for veterans' votes heated up on Monday. Both campaigns ran ads.\n\nCritics were unmoved."
)


def test_a_headline_and_dek_paragraph_is_the_title():
    layout = parse_layout(HEADLINE_AND_DEK)
    dek_end = HEADLINE_AND_DEK.index("care.") + len("care.")
    assert (layout.title.start, layout.title.end) == (0, dek_end)
    assert layout.lede.text.startswith("The race for veterans' votes")
    a = framing.analyze(HEADLINE_AND_DEK, classifier="rules", attribution="rules")
    assert a.title == "Candidates vie for vets' support; Veterans weigh the records of both parties on care."
    assert all(s.start > dek_end for s in a.sentences)


@pytest.mark.parametrize(
    "first_paragraph",
    [
        "The mayor spoke for an hour on Monday;\nthe council voted against the plan.",  # a wrapped sentence
        "Candidates vie for vets' support;\nVeterans weigh the records. Both parties care.",  # two sentences
        "Candidates vie for vets' support\nVeterans weigh the records of both parties.",  # no semicolon
    ],
)
def test_a_two_line_first_paragraph_is_not_taken_for_headline_and_dek(first_paragraph):
    text = f"{first_paragraph}\n\nThe race heated up on Monday.\n\nCritics were unmoved."
    layout = parse_layout(text)
    assert layout.title is None
    assert layout.lede.text == first_paragraph


EXPORT = (
    "Obama on Climate Change: The Trends Are 'Terrifying.'\n\nABSTRACT.\n\n"
    "Mr. Obama believes his climate efforts will define his legacy.\n\nFULL TEXT.\n\n"
    "MIDWAY ATOLL - A naval battle was fought here. Bombs may not be falling.\n\nThe rest of the story."
)


def test_an_archive_export_header_is_set_aside():
    layout = parse_layout(EXPORT)
    assert layout.title.text == "Obama on Climate Change: The Trends Are 'Terrifying.'"
    assert layout.lede.text.startswith("MIDWAY ATOLL")
    assert [b.text for b in layout.skipped] == [
        "ABSTRACT.", "Mr. Obama believes his climate efforts will define his legacy.", "FULL TEXT."
    ]
    assert any("FULL TEXT" in note for note in layout.notes)
    a = framing.analyze(EXPORT, classifier="rules", attribution="rules")
    assert a.sentences[0].text.startswith("MIDWAY ATOLL")
    assert any("FULL TEXT" in w for w in a.warnings)


@pytest.mark.parametrize(
    "text",
    [
        "A Title Here\n\nABSTRACT.\n\nA summary of it.\n\nThe body goes on. And on.",  # no FULL TEXT
        "A Title Here\n\nThe body opens. It says ABSTRACT.\n\nFULL TEXT.\n\nMore body.",  # not at the top
        "A Title Here\n\nABSTRACT.\n\nA summary of it.\n\nFULL TEXT.",  # nothing after it
    ],
)
def test_export_markers_are_dropped_only_as_a_header_over_body_text(text):
    layout = parse_layout(text)
    assert not layout.skipped and not layout.notes
