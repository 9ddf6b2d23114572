"""Input checks that run before any analysis, so bad input fails early with a clear message."""

from __future__ import annotations

import re

from framing.errors import FramingInputError

#: Largest text analyze() accepts, in characters (about 100 times a long feature article).
#: Larger inputs are almost always concatenated corpora or binary files read as text.
MAX_CHARS = 5_000_000

# Control characters other than the usual whitespace; many of them mean binary data.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
_BINARY_SHARE = 0.05


#: A UTF-16 surrogate code point: in a Python str, always half a character.
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def replace_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, one code point for one, so every
    offset into the result is an offset into ``text``."""
    return _SURROGATE.sub("\ufffd", text)


def check_text(text: object) -> str:
    """Return ``text`` unchanged if it can be analyzed; raise FramingInputError otherwise."""
    if text is None:
        raise FramingInputError("text is None; pass the article as a str")
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise FramingInputError(
            "text is bytes; decode it first, e.g. data.decode('utf-8', errors='replace')"
        )
    if not isinstance(text, str):
        raise FramingInputError(f"text must be a str, not {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise FramingInputError(
            f"text has {len(text):,} characters, over the limit of {MAX_CHARS:,}; "
            "split the corpus into articles and use framing.analyze_many"
        )
    if "\x00" in text:
        raise FramingInputError("text contains NUL characters: it looks like binary data, not an article")
    lone = _SURROGATE.search(text)
    if lone is not None:
        raise FramingInputError(
            f"text contains a lone surrogate (U+{ord(lone.group()):04X} at position {lone.start()}): half of a "
            "character, as text read with errors='surrogateescape' or cut mid-emoji has, which no encoder "
            "can read; framing.replace_surrogates(text) puts U+FFFD in its place and keeps every offset"
        )
    sample = text[:100_000]
    if sample:
        odd = sum(1 for ch in sample if (ch < " " and ch not in _ALLOWED_CONTROLS) or ch == "\ufffd")
        if odd / len(sample) > _BINARY_SHARE:
            raise FramingInputError(
                f"{odd / len(sample):.0%} of the text is control or replacement characters: "
                "it looks like binary data or a wrongly decoded file"
            )
    return text


# Frequent English function words: a news article in English has 30–50% of its words among
# these, other languages, code and link lists far fewer.
_ENGLISH_FUNCTION_WORDS = frozenset(
    """the a an and or but of to in on at for with by from as is are was were be been has have
    had it its this that these those he she they we you i not no said will would can could
    which who what when where there their his her our your than then so if into about after""".split()
)
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_CODE_CHARS = frozenset("{}[]();=<>|\\$#*_/")
#: Whitespace as str.isspace() defines it (the regex engine uses the same test).
_SPACE = re.compile(r"\s+")


def content_warnings(text: str) -> list[str]:
    """Reasons not to trust the labels of this text: not English, code, tables, link lists.

    The classifier is trained on English news prose; on anything else it would still return
    confident-looking labels, so the analysis says so instead of staying silent.
    """
    sample = text[:200_000]
    words = _WORDS.findall(sample)
    warnings: list[str] = []
    if len(words) >= 20:
        english = sum(1 for w in words if w.lower() in _ENGLISH_FUNCTION_WORDS) / len(words)
        if english < 0.12:
            warnings.append(
                f"text does not look like English prose (only {english:.0%} English function words); "
                "labels are unreliable"
            )
    # Counted by the regex engine and str.count, not a Python loop over every character: for
    # short rule-classified articles this loop was a visible share of the whole analysis.
    non_space = len(sample) - sum(len(run) for run in _SPACE.findall(sample))
    if non_space >= 40:
        code_share = sum(map(sample.count, _CODE_CHARS)) / non_space
        if code_share > 0.08:
            warnings.append(f"text looks like code, markup or a table ({code_share:.0%} symbol characters)")
        url_chars = sum(len(m) for m in _URL.findall(sample))
        if url_chars / non_space > 0.3:
            warnings.append("text is mostly links")
    return warnings
