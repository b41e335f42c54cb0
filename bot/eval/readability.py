"""Flesch-Kincaid grade level, for checking replies stay at a 6th-8th grade level.

A small, dependency-free version: syllables are counted by vowel groups with
the usual silent-e and -le corrections. Phone numbers, URLs and numbers are
dropped before counting so "612-339-3663" does not count as a long word.
"""
from __future__ import annotations

import re

_DROP = re.compile(r"https?://\S+|\b[\d][\d\-–/.,:]*\b|\(TTY[^)]*\)")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|:\s|\n+")


def syllables(word: str) -> int:
    word = word.lower().strip("'")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def grade_level(text: str) -> float:
    """Flesch-Kincaid grade of `text` (0.0 for text without words)."""
    cleaned = _DROP.sub(" ", text)
    words = _WORD.findall(cleaned)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(cleaned) if _WORD.search(s)]))
    syllable_count = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59
