"""Deterministic red-flag detection with spaCy + medspaCy (no Rasa imports).

Pipeline: the text normalised (lower case, misspellings, the third person),
spaCy's blank English tokenizer, a rule-based sentencizer, the lookup
lemmatizer, medspaCy's TargetMatcher with the red-flag phrase patterns
(bot/core/red_flag_rules.yml), the concept finder (bot/nlu/red_flag_concepts.py,
bot/core/red_flag_concepts.yml) and medspaCy's ConText with our context rules
(bot/core/context_rules.yml).
No statistical model is involved, so the same text always gives the same
result, and no classifier can talk the detector out of a red flag.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, List, Tuple

import spacy
from medspacy.context import ConTextRule  # importing registers the spaCy factories
from medspacy.target_matcher import TargetRule
from spacy.language import Language

from bot.core.clean_text import fold_lookalikes
from bot.core.mention import RedFlagMention
from bot.core.red_flag_rules import concepts, context_patterns, red_flags
from bot.nlu import red_flag_concepts  # noqa: F401  registers the "red_flag_concepts" component

SPAN_GROUP = "red_flags"
_CATEGORY = {
    "negated": "NEGATED_EXISTENCE",
    "hypothetical": "HYPOTHETICAL",
    "family": "FAMILY",
    "historical": "HISTORICAL",
    "terminate": "TERMINATE",
    "pseudo": "PSEUDO",
    "self": "SELF",
    "self_past": "SELF_PAST",
}
_DIRECTION = {"forward": "FORWARD", "question_start": "FORWARD", "forward_list": "FORWARD", "backward": "BACKWARD",
              "both": "BIDIRECTIONAL", "terminate": "TERMINATE", "pseudo": "PSEUDO",
              "self": "BIDIRECTIONAL", "self_past": "BIDIRECTIONAL"}
# The writer turning to themself ("and I'm numb") ends some modifiers
# (context_rules.yml, `ends`); these categories modify no red flag themselves.
_TURNS_TO_SELF = ("self", "self_past")
# A `self` modifier only limits other modifiers' reach; it modifies no red flag.
_MODIFIES_NOTHING = {"NO_RED_FLAG_HAS_THIS_TYPE"}
# Characters that patients type in place of an apostrophe, and accents
# (Spanglish: "cáncer", "caí"); replaced one-for-one so offsets stay valid.
_SAME_LENGTH = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "\u00a0": " ",
                              **{a: p for a, p in zip("áàâäéèêëíìîïóòôöúùûüñç", "aaaaeeeeiiiioooouuuunc")}})
MAX_CHARS = 5000  # longer messages are checked in overlapping windows
# The patterns are written in the first person ("my legs", "wet myself"). A
# sign in someone else ("he can't feel his legs", "she wet herself") is read
# through the same patterns by rewriting it in the first person; the context
# rules still see "my husband", so the mention stays his.
_THIRD_PERSON = {"his": "my", "her": "my", "their": "my",
                 "himself": "myself", "herself": "myself", "themselves": "myself", "themself": "myself"}


# Someone else's back pain now ("his back is killing him", "she has new back
# pain"): with it, that person's risk factor ("my dad has cancer") is theirs
# to act on. Read on what was written, before "his" becomes "my".
_THEIR_BACK_PAIN = re.compile(
    r"\b(?:his|her|their)\s+(?:\w+\s+){0,2}back\b"
    r"|\b(?:he|she|they)(?:'s|'re|\s)[^.!?]{0,40}\bback\s*(?:pain|hurts?|hurting|aches?|is|has)\b"
    r"|\bcomplain\w* (?:of|about) (?:\w+ )?back"
    # "my husband ... has new low back pain": the writer not named in between
    r"|(?:\bmy\s+|^\W*)(?:husband|wife|partner|spouse|mom|mum|mother|dad|father|son|daughter|brother|sister"
    r"|grandma|grandmother|grandpa|grandfather|friend|roommate|boyfriend|girlfriend)\b"
    r"(?:(?!\b(?:my|i|i'm|im)\b)[^.!?;]){0,120}\b(?:has|have|with|having|got|new)\b"
    r"(?:(?!\b(?:my|i|i'm|im)\b)[^.!?;]){0,30}\bback\s*(?:pain|ache)",
    re.IGNORECASE)


@lru_cache(maxsize=1)
def _rewrites() -> Tuple[Dict[str, str], "re.Pattern[str]"]:
    """Whole words read as another word: misspellings ("numd"), contractions
    ("cudnt"), and the third person."""
    words = {**concepts().spellings, **_THIRD_PERSON}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return words, re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])")


def _lower(text: str) -> str:
    """Lower case, one character for one (the lemma tables are lower case)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def normalise(text: str) -> Tuple[str, List[int]]:
    """The text the patterns read, and for each of its characters (and its
    end) the position in `text` it came from, so spans point at what was written."""
    # Lower case first, so capital accented letters ("É") fold too.
    text = _lower(fold_lookalikes(text)).translate(_SAME_LENGTH)
    words, pattern = _rewrites()
    parts, positions, done = [], [], 0
    for match in pattern.finditer(text):
        parts.append(text[done:match.start()])
        positions.extend(range(done, match.start()))
        word = words[match.group(0)]
        parts.append(word)
        positions.extend([match.start()] * (len(word) - 1) + [match.end() - 1])
        done = match.end()
    parts.append(text[done:])
    positions.extend(range(done, len(text) + 1))
    return "".join(parts), positions


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", "\n", ";"]})
    # Lemmas from spacy-lookups-data's table, so a concept's "wipe" is also "wiping".
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"}).initialize()
    # A span group (not doc.ents) and no pruning, so overlapping red flags
    # ("chest pain going into my left arm") are all kept.
    matcher = nlp.add_pipe(
        "medspacy_target_matcher",
        config={"result_type": "group", "span_group_name": SPAN_GROUP, "prune": False},
    )
    matcher.add([
        TargetRule(literal=f"{flag.code}:{i}", category=flag.code, pattern=pattern)
        for flag in red_flags().values()
        for i, pattern in enumerate(flag.patterns)
    ])
    nlp.add_pipe("red_flag_concepts", config={"span_group": SPAN_GROUP})
    context = nlp.add_pipe(
        "medspacy_context",
        config={"rules": None, "input_span_type": "group", "span_group_name": SPAN_GROUP},
    )
    patterns = context_patterns()
    ended_by = {}  # category -> the ConText categories that end it
    for p in patterns:
        if p.category in _TURNS_TO_SELF:
            for ended in p.ends:
                ended_by.setdefault(ended, set()).add(_CATEGORY[p.category])
    context.add([
        ConTextRule(
            literal=p.pattern, category=_CATEGORY[p.category], pattern=p.pattern,
            direction=_DIRECTION[p.direction], max_scope=p.max_scope,
            allowed_types=_MODIFIES_NOTHING if p.category in _TURNS_TO_SELF else None,
            terminated_by=ended_by.get(p.category),
        )
        for p in patterns
    ])
    return nlp


def detect(text: str) -> List[RedFlagMention]:
    """All red-flag mentions in `text`, affirmed or not, in reading order."""
    return list(_detect_cached(text or ""))


# The Rasa server reads a message twice: in the NLU pipeline, and in the
# channel's safety net when the reply has no 911. The same text gives the same
# mentions (frozen dataclasses), so the second reading costs nothing.
@lru_cache(maxsize=256)
def _detect_cached(text: str) -> Tuple[RedFlagMention, ...]:
    if not text.strip():
        return ()
    clean, positions = normalise(text)
    mentions: Dict[tuple, RedFlagMention] = {}
    step = MAX_CHARS - 500
    for offset in range(0, max(1, len(clean)), step):
        for mention in _detect_window(clean[offset: offset + MAX_CHARS], offset, text, positions):
            mentions.setdefault((mention.code, mention.start), mention)
        if offset + MAX_CHARS >= len(clean):
            break
    return tuple(sorted(mentions.values(), key=lambda m: (m.start, m.code)))


def _detect_window(window: str, offset: int, original: str, positions: List[int]) -> List[RedFlagMention]:
    doc = build_pipeline()(window)
    their_back_hurts = bool(_THEIR_BACK_PAIN.search(original))
    flags = red_flags()
    found = []
    for span in doc.spans.get(SPAN_GROUP, []):
        start = positions[offset + span.start_char]
        end = positions[offset + span.end_char - 1] + 1
        context = _context_of(span)
        flag = flags[span.label_]
        negated, hypothetical = "NEGATED_EXISTENCE" in context, "HYPOTHETICAL" in context
        family, historical = "FAMILY" in context, "HISTORICAL" in context
        found.append(RedFlagMention(
            code=flag.code, level=flag.level, start=start, end=end, text=original[start:end],
            negated=negated, hypothetical=hypothetical, family=family, historical=historical,
            # The writer's own red flag, now (or in the past, where history counts).
            affirmed=not (negated or hypothetical or family)
            and not (historical and not flag.history_counts),
            # Someone else's sign, now: their emergency is still an emergency.
            someone_else_now=family and not (negated or hypothetical)
            and ((flag.risk_factor and their_back_hurts) or not (historical or flag.risk_factor)),
        ))
    return found


def _context_of(span) -> set:
    """Categories of the modifiers that apply to a red-flag span.

    A modifier made of the red flag's own words ("can't" in "can't pee", "if i"
    in "better off if I was dead") never applies. medspaCy skips such modifiers
    only when they touch the span's edge, so the check is repeated here for
    modifiers inside the span.
    """
    return {
        modifier.category
        for modifier in span._.modifiers
        if not (span.start <= modifier.modifier_span[0] and modifier.modifier_span[1] <= span.end)
    }


def affirmed_codes(text: str) -> List[str]:
    """Codes of the red flags the writer affirms, without duplicates, in order."""
    seen: List[str] = []
    for mention in detect(text):
        if mention.affirmed and mention.code not in seen:
            seen.append(mention.code)
    return seen
