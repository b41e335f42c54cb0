"""The nurses' net (issue 13, layer 7): could a message hide a red flag that
nothing escalated? A broad symptom word near a body site ("my legs feel
strange", "burning down there") is enough to put the conversation beside the
escalations in the review queue. Pure and cheap (no spaCy): the review
workspace runs it while indexing.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Tuple

from bot.core.red_flag_rules import concepts

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def _lexicon() -> Tuple[Tuple[Tuple[str, ...], ...], Tuple[Tuple[str, ...], ...], int, dict]:
    lexicon = concepts()
    net = lexicon.possible
    phrases = lambda words: tuple(tuple(_WORD.findall(w.lower())) for w in words)  # noqa: E731
    return phrases(net.symptoms), phrases(net.sites), net.within, lexicon.spellings


def _positions(words: List[str], phrases) -> List[int]:
    """Where any phrase starts; a one-word phrase also matches its plural and -ed/-ing forms."""
    found = []
    for i in range(len(words)):
        for phrase in phrases:
            window = words[i:i + len(phrase)]
            if len(phrase) == 1 and window:
                word, stem = window[0], phrase[0]
                if word == stem or (word.startswith(stem) and word[len(stem):] in ("s", "es", "ed", "ing", "y")):
                    found.append(i)
                    break
            elif window == list(phrase):
                found.append(i)
                break
    return found


def possible_red_flag(text: str) -> bool:
    symptoms, sites, within, spellings = _lexicon()
    words = [spellings.get(w, w) for w in _WORD.findall((text or "").lower().replace("\u2019", "'"))]
    words = [part for w in words for part in _WORD.findall(w)]  # "can't" from a spelling stays one word
    near = [(s, t) for s in _positions(words, symptoms) for t in _positions(words, sites)]
    return any(abs(s - t) <= within for s, t in near)
