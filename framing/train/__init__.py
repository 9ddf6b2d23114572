"""Training of the ``framing-v1`` sentence classifier (``python -m framing.train --out DIR``).

Needs the extra training dependencies (torch, datasets, scikit-learn, the base encoder package)
and the shared data folder; nothing here is imported by ``framing`` itself.
"""
