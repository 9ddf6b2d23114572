"""Plain text, no model: what an article's characters say before anything is learned.

``validate`` (is this analyzable text?), ``layout`` (title, byline, headings, paragraphs),
``sentences`` (sentence spans with exact offsets), ``quotes`` (quotation regions), ``tokens``
(an offset-exact tokenizer for the attribution rules) and ``html`` (a web page to text). Every
module here imports only ``framing.errors``, ``framing.lexicon`` and each other.
"""
