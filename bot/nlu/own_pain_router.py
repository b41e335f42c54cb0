"""Rasa NLU component: a report of one's own pain leads to the symptom check.

When the writer tells of their own back pain now (bot/nlu/own_pain.py), the
intent becomes `describe_pain`, so the check starts in this turn. A question
asked in the same message ("my back is killing me, is it sciatica?") is kept
as the entity `asked` (its intent name), and answered before the check
starts (actions/disposition.py). Explicit requests (a nurse, benefits, stop,
goodbye) are left alone. Runs before the red-flag extractor, which still has
the last word.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.core.slots import ASKED, DESCRIBE_PAIN, REPORT_RED_FLAG, START_SYMPTOM_CHECK, STOP
from bot.nlu.own_pain import own_current_pain
from bot.nlu.red_flag_extractor import override_intent

# What the person asked for is what they get, pain or not.
LEFT_ALONE = frozenset({DESCRIBE_PAIN, START_SYMPTOM_CHECK, STOP, "talk_to_person",
                        "ask_benefits", "goodbye", "thanks", "bot_challenge"})
# Not questions: nothing to answer before the check. (The classifier's guess
# of a red flag is not trusted: the red-flag extractor decides that next.)
NOTHING_ASKED = frozenset({"greet", "help", "out_of_scope", "nlu_fallback", REPORT_RED_FLAG})


def route(intent: str, text: str) -> tuple:
    """(new intent or None to leave it, the question asked or None)."""
    if intent in LEFT_ALONE or not own_current_pain(text):
        return None, None
    return DESCRIBE_PAIN, (None if intent in NOTHING_ASKED or not intent else intent)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OwnPainRouter(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "OwnPainRouter":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button payload naming an intent
            intent, asked = route((message.get(INTENT) or {}).get("name") or "", text)
            if intent is None:
                continue
            override_intent(message, intent)
            if asked:
                entity = {"entity": ASKED, "value": asked, "start": 0, "end": 0,
                          "confidence_entity": 1.0, "extractor": "OwnPainRouter"}
                message.set(ENTITIES, (message.get(ENTITIES) or []) + [entity], add_to_output=True)
        return messages
