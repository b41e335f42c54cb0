"""The suspicion net's question (issue 13, layer 3): when the learned net
(bot/nlu/suspicion_net.py) suspects a red flag that the rules did not
confirm, the assistant asks one plain yes/no question naming the symptom,
with buttons, and escalates on yes. Pure: the groups and their questions,
reading the answer, and the pending question kept in a slot.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from bot.core.answers import NONE_ANSWER, parse_yes_no
from bot.core.contact_replies import Message
from bot.core.contacts import EMERGENCY_NUMBER

YES, NO = "yes", "no"


@dataclass(frozen=True)
class Group:
    codes: Tuple[str, ...]  # the red flags a "yes" confirms
    question: str           # one plain yes/no question naming the symptom
    summary: str            # what they said yes to, for the handoff reason


GROUPS: Dict[str, Group] = {
    "cauda_equina": Group(("bladder_bowel_loss", "saddle_numbness"),
                          "Do you have new trouble peeing or controlling your bladder or bowels, "
                          "or numbness between your legs or when you wipe?",
                          "Trouble with the bladder or bowels, or numbness between the legs"),
    "both_legs": Group(("leg_weakness_bilateral",),
                       "Are both of your legs weak or numb, or do they give way?",
                       "Weak or numb legs"),
    "one_leg_weak": Group(("leg_weakness",),
                          "Is one of your legs getting weaker, or does your foot drag or catch?",
                          "A leg getting weaker"),
    "heart_lungs": Group(("chest_pain",),
                         "Do you have chest pain or pressure, trouble breathing, or pain going "
                         "into your arm or jaw?",
                         "Chest pain, trouble breathing, or pain into the arm or jaw"),
    "tearing": Group(("tearing_pain",),
                     "Did this pain come on suddenly and feel like tearing or ripping?",
                     "Sudden tearing pain"),
    "self_harm": Group(("self_harm",),
                       "Are you having thoughts of hurting yourself or ending your life?",
                       "Thoughts of self-harm"),
    "infection": Group(("fever",),
                       "Do you have a fever or chills, or a recent infection?",
                       "Fever, chills or a recent infection"),
    "cancer_weight_night": Group(("cancer_history",),
                                 "Have you had cancer, lost weight without trying, or does the "
                                 "pain wake you up at night?",
                                 "Cancer, weight loss without trying, or pain at night"),
    "injury": Group(("trauma",),
                    "Did you have a bad fall, a car crash, or a hard hit to your back?",
                    "A fall, crash or hit"),
}



# Every red flag by group: when the rules read one of a group's red flags in
# context (denied, a question about later, the past, someone else's), the net
# does not ask about that group again.
GROUP_OF: Dict[str, str] = {code: group for group, codes in {
    "cauda_equina": ("bladder_bowel_loss", "urinary_retention", "saddle_numbness", "sexual_dysfunction"),
    "both_legs": ("leg_weakness_bilateral",),
    "one_leg_weak": ("leg_weakness",),
    "heart_lungs": ("chest_pain", "breathing_trouble", "arm_jaw_pain", "sweating_fainting"),
    "tearing": ("tearing_pain",),
    "self_harm": ("self_harm",),
    "infection": ("fever", "recent_infection", "iv_drug_use", "immunosuppressed"),
    "cancer_weight_night": ("cancer_history", "weight_loss", "night_pain"),
    "injury": ("trauma",),
}.items() for code in codes}


def read_answer(text: str) -> Optional[str]:
    """yes, no, or None when it cannot tell (the question is asked again)."""
    t = (text or "").strip().lower()
    if NONE_ANSWER.search(t) or re.search(r"\b(?:no|nope|nah|not really|don'?t think so)\b", t):
        return NO
    if re.search(r"^\W*(?:yes|yeah|ya|yep|yup|y|si|sí|i do|i am|i did|kind of|kinda|a (?:little|bit)|"
                 r"sort of|maybe|sometimes|think so)\b", t):
        return YES  # a hedged yes is a yes: the safe reading
    answer = parse_yes_no(t)
    return {True: YES, False: NO}.get(answer)


def pending(group: str, asked_intent: Optional[str], tries: int = 0) -> str:
    """The slot value that keeps the question open: "group|intent|tries"."""
    return f"{group}|{asked_intent or ''}|{tries}"


def read_pending(value: Optional[str]) -> Optional[Tuple[str, Optional[str], int]]:
    parts = (value or "").split("|")
    if len(parts) != 3 or parts[0] not in GROUPS:
        return None
    return parts[0], parts[1] or None, int(parts[2]) if parts[2].isdigit() else 0


def question(group: str, again: bool = False) -> List[Message]:
    first = "Sorry, please answer yes or no. " if again else "Before I go on, one question. "
    return [{"text": first + GROUPS[group].question,
             "buttons": [{"title": "Yes", "payload": YES}, {"title": "No", "payload": NO}]}]


def thanks_for_no() -> List[Message]:
    return [{"text": f"Thank you. If that changes, call {EMERGENCY_NUMBER} or a CareLine nurse right away."}]
