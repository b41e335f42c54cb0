"""Does the writer tell of their own back pain, now? (issue 13, layer 4)

Someone who says "my back is killing me, is it sciatica?" needs the symptom
check, whose last question screens for red flags, more than a myth. This
reads what the classifier cannot: a first-person report of current pain
anywhere in the message, even beside a question. Pure functions on text; the
Rasa component that routes on it is bot/nlu/own_pain_router.py.

It is a router, not a safety net: red flags are read by the red-flag
detector whatever this says.
"""
from __future__ import annotations

import re

from bot.core.red_flag_rules import concepts

_SITE = (r"(?:back|bak|bck|spine|lower back|upper back|low back|mid back|tail ?bone|hips?|"
         r"sciatic nerve|butt(?:ocks?)?|legs?|neck|shoulder ?blades?|espalda|lumbar)")
_PAIN = (r"(?:hurt\w*|hurtin|pain\w*|ache?s?|aching|achy|sore\w*|killing me|killin|kills|grump\w*|grumbl\w*|cranky|mad at me|throb\w*|stiff\w*|"
         r"spasm\w*|seiz\w* up|locked up|tight|burn\w*|shoot\w*|stab\w*|twing\w*|sciatica|"
         r"pinched|out of whack|acting up|messed up|jacked up|wrecked|screwed up|bad|agony|"
         r"killing|on fire|went out|gone out|is out|gave out|duele|dolor|tweaked|pulled|done in|bother\w*|nag\w*|"
         r"on and off|off and on|flar\w*|broken|dying|screaming|went(?=\s*(?:[.!?,;]|$)))")
_DESCRIBING = r"(?:lower|upper|low|mid|middle|left|right|whole|entire|poor|stupid|damn|dang|bad|old|lumbar|own)"
_INJURED = r"(?:hurt|pulled|tweaked|threw|thrown|strained|injured|wrenched|twisted|messed up|did something to|put out|jacked|screwed up|busted)"

_OWN_PAIN = [
    # "my lower back is killing me", "my back has been bad since Monday"
    re.compile(rf"\bmy\s+(?:{_DESCRIBING}\s+){{0,2}}{_SITE}\b(?P<between>[^.!?]{{0,40}}?)\b{_PAIN}"),
    # "pain shooting down my leg", "a sharp ache in my lower back"
    re.compile(rf"\b(?:{_PAIN}|pain)\b(?P<between>[^.!?]{{0,30}}?)\b(?:in|down|into|across|along|through|at|"
               rf"above|below|near|around|on) (?:the (?:\w+ ){{0,2}}of )?my\s+(?:{_DESCRIBING}\s+){{0,2}}{_SITE}\b"),
    # "ugh my back", "ouch, my lower back"
    re.compile(rf"\b(?:ugh+|ouch|ow+|argh+|omg)\b(?P<between>[^.!?]{{0,6}}?)\bmy\s+(?:{_DESCRIBING}\s+){{0,2}}{_SITE}\b"),
    # "I hurt my back lifting", "threw out my back"
    re.compile(rf"\b{_INJURED}\s+(?:out\s+)?my\s+(?:{_DESCRIBING}\s+){{0,2}}{_SITE}\b(?P<between>)"),
    # "i just pulled mine at the gym", "mine just hurts normal from work"
    re.compile(rf"\b{_INJURED}\s+(?:out\s+)?mine\b(?P<between>)"),
    re.compile(r"\bmine (?:just |really |still |only |also )?(?:hurts|aches|is (?:sore|bad|killing|stiff))(?P<between>)"),
    # "this back pain is killin me"
    re.compile(rf"\bthis\s+(?:{_DESCRIBING}\s+){{0,2}}(?:back ?pain|backache|back)\b(?P<between>[^.!?]{{0,20}}?)\b{_PAIN}"),
    # "now mild low back ache", "I now have some back pain", "también back ache"
    re.compile(r"\b(?:now|currently|presently|also|tambi[eé]n)\b (?:have |having |got )?(?:a |some )?(?:\w+ ){0,2}"
               r"(?:back ?pain|backache|back ache|back spasms?|(?:back|lumbar) (?:strain|sprain))(?P<between>)"),
    # "no fever, just my low back from lifting", "just a sore back"
    re.compile(rf"\bjust my\s+(?:{_DESCRIBING}\s+){{0,2}}(?:back|bak|spine)\b(?P<between>)"),
    re.compile(r"\bjust (?:a |my )?(?:sore|stiff|achy|aching|bad|tight|tweaked|pulled) (?:lower |upper |low )?back\b(?P<between>)"),
    # clinical shorthand: "Left-sided L5 radicular pain ..."
    re.compile(r"^\W*(?:left|right)?[- ]?(?:sided )?(?:[ls]\d[- ])?(?:radicular pain|radiculopathy)(?P<between>)"),
    # "I have back pain", "been having sciatica", "dealing with a backache"
    re.compile(r"\b(?:i have|i (?:currently|still|now|also|really|do|just) have|i've got|ive got|i got|i'?m having|i am having|been having|having|dealing with|"
               r"suffering from|i get|i'?ve had|ive had|i keep getting|tengo)\b(?P<between>[^.!?]{0,25}?)\b"
               r"(?:back ?pain|backache|back ache|bak pain|sciatica|back spasms?|pain in my|dolor de espalda|"
               r"lower back pain|upper back pain|back problems?|a bad back|a sore back|slipped disc|herniated disc|ciatica|"
               r"(?:\w+ )?(?:back|lumbar) (?:strain|sprain))"),
    # "me duele la espalda", "la espalda me duele", "con la espalda tiesa"
    re.compile(r"\bme duele (?:mucho )?(?:la|mi) espalda(?P<between>)"),
    re.compile(r"\b(?:la|mi) espalda me duele(?P<between>)"),
    re.compile(r"\bcon (?:la|mi) espalda (?:tiesa|adolorida|dura)(?P<between>)"),
    # "I woke up with a sore back", "im so stiff in my lower back"
    re.compile(r"\b(?:i|i'?ve|i'?m|im)\b(?P<between>[^.!?]{0,25}?)\b(?:sore|achy|aching|stiff|painful|tight|hurting|"
               r"bad|cranky|crick in my)\s+(?:lower |upper |low |mid )?(?:back|neck)\b"),
    # telegraphic: "back pain since monday", "bak hurts rn", "back is really bad today"
    re.compile(r"\b(?:(?:lower |upper |low )?(?:back|tail ?bone|neck|hip|lumbar) ?(?:pain|hurts?|spasms?|ache|sore|soreness|stiff|stiffness)|"
               r"backache|lbp|radicular pain|(?:lumbar|back) (?:strain|sprain)|(?:left|right)?[- ]?(?:sided )?sciatica|"
               r"back(?:'s| is| has been|'s been| been| was) "
               r"(?:\w+ )?(?:bad|sore|killing|aching|achy|hurting|stiff|tight|acting up|out|screaming)|"
               r"(?:sore|achy|aching|stiff) (?:lower |upper )?back)\b(?P<between>[^.!?]{0,20}?)"
               r"\b(?:since|for (?:a|the|\d+|two|three|four|five|few|couple|past|several)|started|starting|"
               r"today|yesterday|this morning|last night|rn|right now|all day|all week|won'?t go away|from|"
               r"for about|been going|after|again|on (?:one|the|my left|my right) side|when i|x ?\d|"
               r"\d+ ?(?:days?|wks?|weeks?|months?)|every (?:day|month|morning|night)|this (?:week|month)|lately|"
               r"recently|too|radiat\w*|down (?:my|one|the|both|into)|for (?:days|weeks|months|years)|on and off|off and on)\b"),
]
_OWN_PAIN.append(
    # a statement that ends there: "bak sor.", "lower back's stiff"
    re.compile(r"\b(?:lower |upper |low )?back(?:'s| is)? (?:sore|stiff|hurts?|hurting|aching|achy|killing me|"
               r"screaming)(?P<between>)\s*[.!]?\s*$"))
# Before the report (within BEFORE_CHARS): it is a question about pain in
# general, or not now.
BEFORE_CHARS = 30
_BEFORE = re.compile(
    r"\b(?:if|what if|whenever|when my|in case|how (?:do|can|would) (?:i|you) (?:know|tell|keep|stop|prevent|avoid)|"
    r"keep (?:my|your) back from|prevent\w*|avoid\w*|protect\w*|used to|when i was|"
    r"(?:doesn'?t|does not|don'?t|never|isn'?t|is not|not|no) (?:really )?(?:hurt|have|ache|get))\b")
# Just after it: the pain is over.
_AFTER = re.compile(
    r"^[^.!?]{0,30}?\b(?:years? ago|last year|went away|is gone|are gone|no longer|anymore|"
    r"(?:is|feels?|are) (?:fine|better|good|ok|okay|great) now|got better)\b")
# Typos seen in pain reports ("mu back", "back pian"), with the red-flag
# lexicon's spellings ("bak"): one list, bot/core/red_flag_concepts.yml.
_SPELLINGS = {**concepts().spellings, "mu": "my", "pian": "pain", "paine": "pain", "soer": "sore",
              "ahve": "have", "hurst": "hurts", "bakc": "back", "sor": "sore", "brokin": "broken",
              "evry": "every", "mnths": "months", "realy": "really", "achin": "aching"}
_SPELLING = re.compile(r"(?<![\w'])(?:" + "|".join(
    re.escape(w) for w in sorted(_SPELLINGS, key=len, reverse=True)) + r")(?![\w'])")
# Someone else named earlier in the sentence: "my son ... his back hurts",
# "roommate wants to know ... back pain". A match without "my"/"I" is theirs.
_SOMEONE_ELSE = re.compile(
    r"\b(?:he|she|they|his|her|their|him|hes|shes|husband|husban|wife|son|sun|daughter|mom|mum|mother|"
    r"dad|father|roommate|sister|brother|hermano|hermana|friend|coworker|kid|child|boss|partner|"
    r"boyfriend|girlfriend|grandma|grandpa|patient|client)\b")
_FIRST_PERSON = re.compile(r"\b(?:my|mine|i|i'?m|im|i'?ve|ive|me)\b")
_NEGATION_BETWEEN = re.compile(r"(?:\b(?:not|no|never|fine|better|ok|okay|good|doesnt|dont|isnt|wont)\b|n't\b)")


def own_current_pain(text: str) -> bool:
    """True when some sentence of `text` reports the writer's own back or leg pain now."""
    if not text:
        return False
    lowered = _SPELLING.sub(lambda m: _SPELLINGS[m.group(0)], text.lower().replace("\u2019", "'"))
    for sentence in re.split(r"(?<=[.!?\n;])\s+|\bbut\b", lowered):
        for pattern in _OWN_PAIN:
            for match in pattern.finditer(sentence):
                if (_NEGATION_BETWEEN.search(match.group("between") or "")
                        or (not _FIRST_PERSON.search(sentence[match.start():match.start("between")])
                            and _SOMEONE_ELSE.search(sentence[:match.start()]))
                        or _BEFORE.search(sentence[max(0, match.start() - BEFORE_CHARS):match.start()])
                        or _AFTER.search(sentence[match.end():])):
                    continue
                return True
    return False
