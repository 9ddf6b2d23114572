"""Attribution frames found by rule, without a model: ``phrases`` (noun phrases and verb groups
inside one sentence) and ``frames`` (the frame patterns and :func:`detect_frames`). The rules
read the title and "— Name" lines beside the trained span tagger, and everything when
``attribution="rules"``."""

from framing.attribution.rules.frames import detect_frames

__all__ = ["detect_frames"]
