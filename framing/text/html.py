"""HTML to article text that :func:`framing.text.layout.parse_layout` reads.

``html_to_text(html)`` runs trafilatura (the optional extra ``framing[html]``) to drop navigation,
ads and footers, then writes the main content back out as light Markdown: ``# Title``, a byline
line from the page metadata ("By Jane Doe, 2025-11-29"), ``##``..``######`` headings at their
HTML level, and one paragraph per block, separated by blank lines. Inline markup is flattened to
its text, so sentence offsets index clean prose (offsets are into the returned string, not into the
HTML).

Safety: nothing is fetched (no URL is passed to trafilatura and lxml's HTML parser does no network
access), and the document type declaration, where custom entities would be declared, is cut
before parsing, so no entity is ever expanded beyond HTML's own (``&amp;`` and friends).
"""

from __future__ import annotations

from framing.errors import FramingInputError

__all__ = ["html_to_text"]

_INSTALL_HINT = "html_to_text needs trafilatura: pip install 'framing[html]' (or: pip install trafilatura)"


def _without_doctype(html: str) -> str:
    """Cut ``<!DOCTYPE ...>`` including an internal subset ``[...]``. Linear: str.find only."""
    low = html[:4096].lower()
    i = low.find("<!doctype")
    if i < 0:
        return html
    gt = html.find(">", i)
    bracket = html.find("[", i)
    if bracket >= 0 and (gt < 0 or bracket < gt):
        close = html.find("]", bracket)
        gt = html.find(">", close) if close >= 0 else -1
    return html[:i] + html[gt + 1 :] if gt >= 0 else html[:i]


def _text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def html_to_text(html: str) -> str:
    """Main text of an HTML page as Markdown-flavoured plain text (see the module docstring)."""
    if not isinstance(html, str):
        raise FramingInputError(f"html_to_text expects str, got {type(html).__name__}")
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FramingInputError(_INSTALL_HINT) from exc

    html = _without_doctype(html)
    if "<!entity" in html[:65536].lower():
        raise FramingInputError("HTML with entity declarations is not accepted")
    doc = trafilatura.bare_extraction(
        html,
        url=None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        include_formatting=True,
        favor_recall=True,
    )
    if doc is None or doc.body is None:
        raise FramingInputError("no article text found in the HTML")

    blocks: list[str] = []
    title = " ".join((doc.title or "").split())
    if title:
        blocks.append(f"# {title}")
    byline = ", ".join(x for x in (doc.author and f"By {doc.author}", doc.date) if x)
    if byline:
        blocks.append(byline)
    for element in doc.body:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "list":
            items = [_text_of(item) for item in element.iter("item")]
            blocks.extend(f"- {t}" for t in items if t)
            continue
        text = _text_of(element)
        if not text:
            continue
        if tag == "head":
            rend = element.get("rend", "h2")
            level = int(rend[1]) if len(rend) == 2 and rend[1] in "123456" else 2
            if level == 1 and title and " ".join(text.split()).casefold() == title.casefold():
                continue  # the page's own <h1> repeats the title already written
            blocks.append("#" * max(level, 2) + " " + text)
        else:
            blocks.append(text)
    return "\n\n".join(blocks) + "\n"
