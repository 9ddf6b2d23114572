"""Input checks that run before any analysis, so bad input fails early with a clear message."""

from __future__ import annotations

from framing.errors import FramingInputError

#: Largest text analyze() accepts, in characters (about 100 times a long feature article).
#: Larger inputs are almost always concatenated corpora or binary files read as text.
MAX_CHARS = 5_000_000

# Control characters other than the usual whitespace; many of them mean binary data.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
_BINARY_SHARE = 0.05


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
    sample = text[:100_000]
    if sample:
        odd = sum(1 for ch in sample if (ch < " " and ch not in _ALLOWED_CONTROLS) or ch == "\ufffd")
        if odd / len(sample) > _BINARY_SHARE:
            raise FramingInputError(
                f"{odd / len(sample):.0%} of the text is control or replacement characters: "
                "it looks like binary data or a wrongly decoded file"
            )
    return text
