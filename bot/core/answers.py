"""Understand free-text answers to the symptom-check questions.

Each parser returns None when it cannot tell, so the form asks again rather
than guessing. Pure functions; `today` is a parameter for testing.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

from bot.core.slots import AGE, PAIN_DURATION, PAIN_PATTERN, PAIN_SEVERITY

_NUMBER_WORDS = {
    "zero": 0, "none": 0, "one": 1, "a": 1, "an": 1, "single": 1, "two": 2, "couple": 2,
    "a couple": 2, "three": 3, "few": 3, "a few": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 4, "un": 1, "una": 1,
}
_UNIT_DAYS = {"day": 1, "night": 1, "week": 7, "wk": 7, "month": 30, "mo": 30, "mth": 30,
              "year": 365, "yr": 365,
              # Spanish, as people mix it in ("4 dias", "2 semanas")
              "dia": 1, "día": 1, "semana": 7, "mes": 30, "año": 365, "ano": 365}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_QUANTITY = r"(\d+(?:\.\d+)?|a couple(?: of)?|a few|couple(?: of)?|few|several|one|two|three|four|five|six|seven|eight|nine|ten|an?|single|una?)"
_UNIT = r"(days?|nights?|weeks?|wks?|months?|mos?|mths?|years?|yrs?|d[ií]as?|semanas?|mes(?:es)?|a[ñn]os?)"


def _quantity(word: str) -> float:
    word = word.replace(" of", "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    return float(_NUMBER_WORDS[word])


def parse_duration_days(text: str, today: Optional[date] = None) -> Optional[int]:
    """'about 3 days' -> 3, 'a couple of weeks' -> 14, 'since last Tuesday' -> days since."""
    t = text.lower().strip()
    today = today or date.today()
    match = re.search(rf"{_QUANTITY}\s*{_UNIT}(\s+and a half)?", t)
    if match:
        unit = match.group(2)
        unit = unit if unit in _UNIT_DAYS else re.sub(r"(?:es|s)$", "", unit)  # "weeks", "meses"
        days = _quantity(match.group(1)) * _UNIT_DAYS[unit]
        if match.group(3):
            days += _UNIT_DAYS[unit] / 2
        return int(round(days))
    for i, name in enumerate(_WEEKDAYS):
        if re.search(rf"\b{name[:3]}\w*\b", t) and re.search(r"\b(since|last|on|from)\b", t):
            back = (today.weekday() - i) % 7 or 7
            return back + (7 if re.search(r"\b(?:week before|before last)\b", t) else 0)
    simple = [
        (r"\b(?:just now|today|this (?:morning|afternoon|evening)|tonight|few hours|an hour|hours?|"
         r"mins?|minutes?|since (?:lunch|breakfast|dinner|noon|work))\b", 0),
        (r"\b(?:yesterday|last night)\b", 1),
        (r"\b(?:day before yesterday)\b", 2),
        (r"\b(?:this week|past week|last week|a week)\b", 7),
        (r"\b(?:last month|a month|this month)\b", 30),
        (r"\b(?:weekend)\b", 2),
        (r"\b(?:ages|forever|years|yeers|yeres|yers|yrs)\b", 365),
        (r"\b(?:months|munths|mnths)\b", 60),
    ]
    for pattern, days in simple:
        if re.search(pattern, t):
            return days
    return None


_SEVERITY_WORDS = {
    "no pain": 0, "mild": 3, "a little": 2, "slight": 2, "not bad": 3, "moderate": 5,
    "medium": 5, "pretty bad": 7, "bad": 7, "really bad": 8, "severe": 8, "terrible": 9,
    "awful": 9, "excruciating": 10, "unbearable": 10, "worst": 10,
}


def parse_severity(text: str) -> Optional[int]:
    """'8', '8/10', 'eight', 'pretty bad like a 7' -> 0..10."""
    t = text.lower()
    numbers = [int(n) for n in re.findall(r"(?<![\d.])(\d{1,2})(?!\d|\.\d)", t) if int(n) <= 10]
    if numbers:
        return numbers[0]
    for word, value in _NUMBER_WORDS.items():
        if len(word) > 2 and re.search(rf"\b{word}\b", t) and value <= 10:
            return value
    for phrase in sorted(_SEVERITY_WORDS, key=len, reverse=True):
        if re.search(rf"\b{phrase}\b", t):
            return _SEVERITY_WORDS[phrase]
    return None


def parse_location(text: str) -> Optional[str]:
    """'lower' -> 'lower back'; 'between my shoulder blades' -> 'upper back'."""
    t = text.lower()
    checks = [
        ("neck", r"\bneck\b|cervical"),
        ("upper back", r"\bupper\b|\btop\b|shoulder ?blades?|between (?:my |the )?shoulders|thoracic|\bupper back"),
        ("middle back", r"\bmid(?:dle)?\b|\bcent(?:er|re)\b|ribs?"),
        ("lower back", r"\blow(?:er)?\b|\bbottom\b|lumbar|tail ?bone|\bhips?\b|\bsacr|\bbutt|\bbum\b"),
    ]
    for name, pattern in checks:
        if re.search(pattern, t):
            return name
    if re.search(r"\b(?:whole|all over|everywhere|entire)\b", t):
        return "whole back"
    return None


def parse_leg_spread(text: str) -> Optional[str]:
    """Does the pain go into the legs: 'both', 'one' or 'none' (None if not said)."""
    t = text.lower()
    if re.search(r"\b(?:doesn'?t|does not|don'?t|do not|isn'?t|not|no|never|nothing)\b[^.!?]{0,25}\b(?:legs?|thighs?|feet|foot)\b", t):
        return "none"
    if re.search(r"\bboth (?:of (?:my )?)?(?:legs|sides)\b|\blegs\b|left and right", t):
        return "both"
    if re.search(r"\b(?:left|right|one|my|a) (?:leg|thigh|calf|foot)\b|\bleg\b|sciatica", t):
        return "one"
    if re.search(r"\b(?:just|only) (?:my |the )?back\b|\bno\b|\bnot\b|\bneither\b|doesn'?t|\bnope\b", t):
        return "none"
    return None


def parse_pattern(text: str) -> Optional[str]:
    """first_time | repeat | persistent."""
    t = text.lower()
    if re.search(r"all the ti\w*|constant|chronic|every ?day|never (?:goes|stops)|persistent|"
                 r"non ?stop|always|for (?:years|months)|live with|siempre|todo el tiempo", t):
        return "persistent"
    if re.search(r"not (?:the |my )?(?:first|1st)", t):
        return "repeat"
    if re.search(r"\bfirs?t?\b|\bfirst|never had|never (?:like|been like) this|\bnew\b|only once|1st|"
                 r"primera vez", t):
        return "first_time"
    if re.search(r"come?s? (?:back|and go)|keeps? (?:coming|happening)|again|on and off|off and on|"
                 r"flare|repeat|recurr|befor|happened? (?:a lot|often)|\bused to\b|\btimes\b|"
                 r"sometimes|some ?time|now and then|once in a while|happens|a veces|me ha pasado|otra vez|"
                 r"comes? (?:n|&) goes?|occasional|episodes?|once (?:a|per|every)|every (?:few|couple|other|\d+) "
                 r"(?:weeks|months|years)|(?:a|per|each) year", t):
        return "repeat"
    return None


def parse_yes_no(text: str) -> Optional[bool]:
    t = text.lower().strip()
    if re.search(r"\b(?:can'?t|cannot|cant|unable|stops? me|keeps? me|missed|off work|"
                 r"couldn'?t|hard to|struggl|called (?:out|in sick)|stayed (?:in bed|home)|in bed|"
                 r"on the couch|had to (?:leave|stop|quit|skip|miss|go home|give up)|but slowly|barely)", t):
        return True
    if re.search(r"\bwork (?:thru|through) it|\bmanag(?:e|eable|ing)\b|full shifts?|\bi work\b|full duty|"
                 r"\bminimal(?:ly)?\b|\b(?:i'?m|im|i am) (?:still )?working\b|\bnormal(?:ly)?\b", t):
        return False
    if re.search(r"^(?:no|nope|nah|not really|not at all|n)\b|\bno\b|\bnot\b|\bstill\b|\bfine\b", t):
        return False
    if re.search(r"^(?:yes|yeah|ya|yah|yep|yup|y|sure|definitely|totally|kind of|kinda|a bit|a little|"
                 r"some|sometimes|somewhat)\b|\byes\b|\ba lot\b", t):
        return True
    return None


def parse_age(text: str) -> Optional[int]:
    """'im 62' -> 62; '50s' -> 55; 'over 70' -> 71; 'under 18' -> 17."""
    t = text.lower()
    band = re.search(r"\b(\d)0\s*'?s\b|\b(?:in my )?(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b", t)
    words = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
             "seventies": 7, "eighties": 8, "nineties": 9}
    if band:
        decade = int(band.group(1)) if band.group(1) else words[band.group(2)]
        return decade * 10 + 5
    over = re.search(r"\b(?:over|above|older than)\s*(\d{2})\b", t)
    if over:
        return int(over.group(1)) + 1
    under = re.search(r"\b(?:under|below|younger than)\s*(\d{2})\b", t)
    if under:
        return int(under.group(1)) - 1
    numbers = [int(n) for n in re.findall(r"(?<![\d.])(\d{1,3})(?!\d|\.\d)", t)]
    plausible = [n for n in numbers if 1 <= n <= 110]
    return plausible[0] if plausible else None


# An answer the check could not read twice: it moves on rather than loop, and
# the disposition treats the gap with care (bot/core/disposition.py).
UNCLEAR = "unclear"
NONE_ANSWER = re.compile(
    r"^\W*(?:no+|nope|nah|none|none of (?:those|them|these|the above)|no to all|nothing|"
    r"negative|neither|n|all no|not really|no i don'?t|i don'?t|don'?t have any|"
    r"nada|ninguno|ninguna|ningun[oa]? de (?:esos|esas|esto)|todo (?:bien|normal))\b", re.I
)
_EXCEPT = re.compile(r"\b(?:besides|except|apart from|other than|but|only|pero|excepto|menos|solo)\b", re.I)


def is_no_to_all(text: str) -> bool:
    """The red-flag screen answered with a plain 'none of those' (not 'none except ...')."""
    return bool(NONE_ANSWER.search(text.strip())) and not _EXCEPT.search(text)


# "No, but years ago I had ...": a no, and the rest is over and done.
_OVER_AND_DONE = re.compile(
    r"\b(?:\d+|a few|several|many|some|couple of|two|three) (?:years?|yrs?|months?) ago|years ago|long gone|"
    r"(?:went|go|gone) away|cleared up|all better|resolved|healed|used to|in the past|when i was|back in|"
    r"not anymore|no longer|hace (?:\d+|unos|muchos|varios) (?:años|anos|meses)", re.I)


def is_no_with_nothing_current(text: str) -> bool:
    """A no to the screen that only adds something long over ("nope, i had a
    cold 2 months ago but it's long gone") or denies more of the list ("no,
    docter say my bons thin but no fall"). Nothing on the list is named; a
    vague "not feeling right down there" is not a no."""
    if not NONE_ANSWER.search(text.strip()) or screen_items(text):
        return False
    rest = _EXCEPT.split(text, maxsplit=1)[-1]
    parts = [p for p in re.split(r"[,;.!?]|\band\b|\balso\b", rest.lower()) if p.strip()]
    return bool(_OVER_AND_DONE.search(rest)) or all(
        _NEGATED_PART.search(p) and any(re.search(item, p) for _, item in _SCREEN_ITEMS) for p in parts)


# Short answers to the red-flag screening question name an item of its list
# ("the leg", "peeing", "fever"). Only used for that question, and only when the
# detector found nothing: the words are read as a "yes" to that item.
_SCREEN_ITEMS = [
    ("urinary_symptoms", r"pee\w*[^.]{0,20}(?:more|often|a lot|burn|sting)|(?:more|often|burn\w*|sting\w*)[^.]{0,20}pee"),
    ("bladder_bowel_loss", r"\b(?:pee\w*|wee|urin\w*|bladder|bowels?|poo\w*|toilet|wet)\b"),
    ("leg_weakness_bilateral", r"\bboth legs\b|\blegs\b"),
    ("leg_weakness", r"\b(?:leg|foot|walk\w*)\b"),
    ("saddle_numbness", r"\bnumb\w*|between (?:my|the) legs|groin"),
    ("fever", r"\bfever\w*|\btemp\w*|chills"),
    ("cancer_history", r"\bcancer\b|tumou?r"),
    ("weight_loss", r"\bweight\b"),
    ("night_pain", r"\bnight\b|\bsleep\w*|\bwake\w*"),
    ("trauma", r"\bfall\b|\bfell\b|accident|crash"),
    ("chest_pain", r"\bchest\b"),
    ("breathing_trouble", r"\bbreath\w*"),
]
# "none besides the peeing" after reporting frequent peeing points back at it.
_SAME_PART_OF_BODY = [
    {"bladder_bowel_loss", "urinary_retention", "urinary_symptoms"},
    {"leg_weakness", "leg_weakness_bilateral", "sciatica"},
]


def prefer_known(items: set, known: set) -> set:
    """Read a vague screen answer as the matching thing already reported."""
    result = set(items)
    for group in _SAME_PART_OF_BODY:
        said_before = known & group
        if result & group and said_before:
            result = (result - group) | said_before
    return result


_NEGATED_PART = re.compile(
    r"\b(?:no|not|none|never|don'?t|dont|without|fine|normal|ok|okay|good|great)\b", re.I
)


def screen_items(text: str) -> set:
    """Items of the screening list that a short answer says yes to."""
    after = _EXCEPT.split(text, maxsplit=1)
    text = after[1] if len(after) > 1 and NONE_ANSWER.search(after[0]) else text
    found = set()
    for part in re.split(r"[,;.!?]|\band\b|\balso\b|\bbut\b", text.lower()):
        if _NEGATED_PART.search(part):
            continue
        for code, pattern in _SCREEN_ITEMS:
            if re.search(pattern, part):
                found.add(code)
                if code == "urinary_symptoms":
                    break  # "peeing more often" is not "can't control my bladder"
    if "leg_weakness_bilateral" in found:
        found.discard("leg_weakness")
    return found


# What a first message may already tell the symptom check (issue 13, layer 4).
# Stricter than the answers to a question: only wording that cannot mean
# anything else, so the check never skips a question on a guess. "Where is
# the pain? Does it go down into one leg or both?" is always asked: it is
# where people tell of pain into the legs or the arm and jaw.
_OPENING_DURATION = re.compile(
    r"\b(?:for|since|about|past|last|over|almost|nearly)\b[^.!?]{0,25}?\b(?:\d+|an?|one|two|three|four|five|"
    r"six|few|couple|several)\s*(?:days?|weeks?|wks?|months?|years?|yrs?)\b|"
    r"\bsince (?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\bsince (?:yesterday|last night|this morning|the weekend)\b|"
    r"\b(?:\d+|two|three|four|five|a few|a couple of) (?:days?|weeks?|months?) (?:ago|now)\b")
_OPENING_PATTERN = re.compile(r"first time|never had (?:back )?pain|never (?:had|felt) (?:this|anything like)|"
                              r"\bagain\b|keeps? coming back|comes and goes|flare[sd]? up|\bflare\b|"
                              r"for years|chronic|all the time|every ?day|constant")
_OPENING_SEVERITY = re.compile(r"\b(\d{1,2})\s*(?:/|out of)\s*10\b")
_OPENING_AGE = re.compile(r"\b(?:i'?m|i am|im|age|aged)\s+(\d{2})\b(?!\s*(?:lbs?|pounds|kg|min|minutes|hours|"
                          r"days|weeks|months|%|mg|times))|\b(\d{2})\s*(?:years old|yrs old|yo|y/o)\b")


def prefill(text: str, today: Optional[date] = None) -> dict:
    """Slot values (by slot name) that a first message gives without doubt."""
    t = (text or "").lower()
    found: dict = {}
    if _OPENING_DURATION.search(t):
        found[PAIN_DURATION] = parse_duration_days(t, today)
    pattern = _OPENING_PATTERN.search(t)
    if pattern:
        found[PAIN_PATTERN] = parse_pattern(pattern.group(0))
    severity = _OPENING_SEVERITY.search(t)
    if severity and int(severity.group(1)) <= 10:
        found[PAIN_SEVERITY] = int(severity.group(1))
    age = _OPENING_AGE.search(t)
    if age:
        found[AGE] = int(age.group(1) or age.group(2))
    return {slot: value for slot, value in found.items() if value is not None}
