"""After the assistant told someone to call 911 or a CareLine nurse, that
advice stays in force for the rest of the conversation (issue 13, layer 5).

A message that is not a question (hesitation, "it's probably nothing", off
topic, unclear, hello) gets the advice again, with why it matters and the
call card; never a menu of home care and exercises. A question still gets
its answer, and the answer ends with a short reminder.

Pure functions: the handoff payload that was given (the call card in the
conversation, see triage_replies.handoff_payload) and the message in,
messages for `dispatcher.utter_message(**message)` out.
"""
from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Sequence

from bot.core.contact_replies import Message, careline_numbers
from bot.core.contacts import EMERGENCY_NUMBER
from bot.core.levels import EMERGENCY
from bot.core.triage_replies import CRISIS_LINE

# Answered with the advice again, not with their usual reply: a hello, "what
# can you do" and off-topic messages get a menu of topics otherwise.
NOT_QUESTIONS = frozenset({"greet", "help", "out_of_scope"})
# Asking for a person or for numbers while putting off the call ("I don't want
# to call 911"): the advice again already gives the numbers.
CONTACT_REQUESTS = frozenset({"talk_to_person", "ask_benefits"})
# Someone putting off the call, for themselves or for the person they wrote
# about ("he says he's fine and doesn't want to go"). Read whatever the
# classifier thought, so that "its probably nothing, can I take ibuprofen?"
# gets the advice again first.
HESITANT = re.compile(
    r"\b(?:probably (?:nothing|fine|ok|okay)|it'?s nothing|not (?:that|so) (?:bad|serious)|"
    r"(?:don'?t|do not|dont|doesn'?t|does not|doesnt) (?:want|wanna|need|have time|like)(?: to)?(?: call| go| bother| be)?|"
    r"refus\w*|"
    r"(?:won'?t|wont|will not|not going to|not gonna|can'?t|cant|cannot) (?:call|go|afford|leave|get there|drive)|"
    r"i'?ll (?:wait|see|just|be fine|be ok)|wait (?:and see|until|till|it out)|maybe (?:later|tomorrow)|"
    r"overreact\w*|too (?:expensive|busy|far|embarrass\w*)|no (?:ride|car|one to|money|insurance|way)|"
    r"(?:i'?m|he'?s|hes|she'?s|shes|they'?re|theyre) (?:fine|ok|okay)|feel(?:s|ing)? (?:fine|better|ok)|"
    r"no thanks|nah|sleep it off|"
    r"is (?:that|it) (?:really )?(?:necessary|needed|serious)|do i (?:really|have to)|"
    r"(?:i|we) (?:don'?t|dont) think so)\b",
    re.IGNORECASE,
)


def hesitant(text: str) -> bool:
    return bool(HESITANT.search(text or ""))


def last_handoff(bot_payloads: Iterable[Optional[Dict]]) -> Optional[Dict]:
    """The most recent call card among the bot's message payloads, oldest first."""
    last = None
    for payload in bot_payloads:
        if isinstance(payload, dict) and isinstance(payload.get("handoff"), dict):
            last = payload["handoff"]
    return last


def _what(reasons: Sequence[str]) -> str:
    plain = [re.sub(r"\s*\(.*?\)", "", r).strip() for r in reasons[:2]]
    plain = [r[0].lower() + r[1:] for r in plain if r]
    return "; ".join(plain) or "what you told me"


def advice_again(handoff: Dict) -> List[Message]:
    """The advice repeated with empathy and the same call card."""
    for_them = bool(handoff.get("for_someone_else"))
    what = _what(handoff.get("reasons", []))
    if handoff.get("line") == CRISIS_LINE:
        first = (f"I'm still here, and I'm glad you're talking to me. Please call or text "
                 f"{CRISIS_LINE} now{' with them' if for_them else ''}; they answer day and night. "
                 f"If {'they' if for_them else 'you'} might act on it, call {EMERGENCY_NUMBER}.")
    elif handoff.get("level") == EMERGENCY:
        who, get = ("for them", "get them") if for_them else ("", "go")
        first = (f"I hear you, and I know it can feel like a lot. But {what} can be a sign of "
                 f"a serious problem that needs care right away, and waiting can make it worse. "
                 f"Please call {EMERGENCY_NUMBER} {who} now or {get} to the nearest emergency "
                 f"room. {'They' if for_them else 'You'} should not drive.").replace("  ", " ")
    else:
        first = (f"I understand. Even if it feels small, {what} is something a nurse should "
                 f"hear about today, so they can tell {'them' if for_them else 'you'} what to do. "
                 f"Please call a CareLine nurse {'with them ' if for_them else ''}now: "
                 f"{careline_numbers()}. If it gets worse, call {EMERGENCY_NUMBER}.")
    return [
        {"text": first, "json_message": {"handoff": handoff}},
        {"text": "You can still ask me a question. I'm an automated assistant, not a nurse."},
    ]


def reminder(handoff: Dict) -> List[Message]:
    """The line that ends every answer while the advice is in force."""
    them = " for them" if handoff.get("for_someone_else") else ""
    if handoff.get("line") == CRISIS_LINE:
        line = f"call or text {CRISIS_LINE}{them} now"
    elif handoff.get("level") == EMERGENCY:
        line = f"call {EMERGENCY_NUMBER}{them} now or go to the nearest emergency room"
    else:
        line = f"call a CareLine nurse{them} now: {careline_numbers()}"
    return [{"text": f"Please don't wait: {line}."}]


def reply(text: str, handoff: Dict, answer: Sequence[Message]) -> List[Message]:
    """What to say while the advice is in force. `answer` is the usual answer
    when the message is a question (empty when it is not)."""
    answer = list(answer)
    if not answer:
        return advice_again(handoff)
    if hesitant(text):
        return advice_again(handoff) + answer
    return answer + reminder(handoff)
