"""The usual answer to a question, for actions that answer it themselves (the
symptom check's opening, and the advice in force): the responses and contact
replies that the answer rules in data/rules/ give for its intent."""
from functools import lru_cache
from typing import Dict, List, Optional

from bot.core import contact_replies
from bot.core.contact_replies import Message
from bot.core.interruptions import answer_actions
from bot.core.mention import entity_value
from bot.core.slots import ASKED

# The answers that custom actions give (data/rules/contacts.yml), by action name.
_ACTION_ANSWERS = {
    "action_talk_to_person": contact_replies.talk_to_person,
    "action_benefits": contact_replies.benefits,
}


@lru_cache(maxsize=1)
def _answers() -> Dict[str, tuple]:
    return answer_actions()


def usual_answer(intent: Optional[str]) -> List[Message]:
    """What `intent` gets outside an escalation or a check; empty when it has no answer rule."""
    answer: List[Message] = []
    for action in _answers().get(intent or "", ()):
        answer += _ACTION_ANSWERS[action]() if action in _ACTION_ANSWERS else [{"response": action}]
    return answer


def asked_beside_pain(message: Dict) -> Optional[str]:
    """The question asked beside a report of one's own pain (bot/nlu/own_pain_router.py)."""
    return entity_value(message.get("entities"), ASKED)
