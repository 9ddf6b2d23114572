"""Evaluation and benchmark scripts for ``framing`` (run from a checkout, with ../shared/data).

- ``python -m evals.checkthat``: one table of baselines vs the shipped model on CheckThat!
  dev_test, PolNeAR dev and the BABE held-out slice.
- ``python -m evals.bench``: classifier throughput on 2 CPU threads vs a naive transformers loop.

Reusable pieces: :mod:`evals.data` (data sets and their deterministic splits) and
:mod:`evals.metrics` (F1, ECE).
"""
