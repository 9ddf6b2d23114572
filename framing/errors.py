"""Typed errors. Callers catch these; anything else escaping the library is a bug."""

from __future__ import annotations


class FramingError(Exception):
    """Base class for every error ``framing`` raises on purpose."""


class FramingInputError(FramingError, ValueError):
    """The input is not text the library can analyze (None, bytes, binary junk, too large...)."""


class FramingModelError(FramingError, RuntimeError):
    """A model folder is missing, incomplete, tampered with or of an unknown format."""
