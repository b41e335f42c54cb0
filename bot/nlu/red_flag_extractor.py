"""Rasa NLU component: red-flag mentions as entities, and the last word on intent.

Runs last in the pipeline, on every message in every flow. Each red-flag
mention becomes an entity `red_flag` whose value is the canonical code, with
`negated`, `hypothetical`, `family`, `historical` and `affirmed` attributes.
When the writer affirms a red flag that is urgent or an emergency on its own,
or tells of one in someone else now, the intent becomes `report_red_flag`
(confidence 1.0) whatever the classifier said, so rules answer it in this
same turn. The classifier's own guess stays in `intent_ranking` for the
nurses' review.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.core.mention import is_red_flag_entity
from bot.core.slots import DESCRIBE_PAIN, REPORT_RED_FLAG
from bot.nlu.red_flag_detector import build_pipeline, detect


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
     DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
    is_trainable=False,
)
class RedFlagExtractor(GraphComponent):
    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage,
        resource: Resource, execution_context: ExecutionContext,
    ) -> "RedFlagExtractor":
        build_pipeline()  # load spaCy/medspaCy once, at model load, not on a user's turn
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if text.startswith("/"):
            return  # a button payload naming an intent, not free text
        mentions = detect(text)
        entities = [e for e in message.get(ENTITIES, []) if not is_red_flag_entity(e)]
        message.set(ENTITIES, entities + [m.to_entity() for m in mentions], add_to_output=True)

        intent = (message.get(INTENT) or {}).get("name")
        if any(m.needs_escalation for m in mentions):
            override_intent(message, REPORT_RED_FLAG)
        elif intent == REPORT_RED_FLAG:
            # The classifier alone never decides that something is a red flag.
            override_intent(message, self._next_best_intent(message) or DESCRIBE_PAIN)

    @staticmethod
    def _next_best_intent(message: Message) -> Optional[Text]:
        for candidate in message.get(INTENT_RANKING_KEY) or []:
            if candidate.get("name") not in (REPORT_RED_FLAG, None):
                return candidate["name"]
        return None


def override_intent(message: Message, name: Text) -> None:
    """Make `name` the intent (confidence 1.0); the classifier's guesses stay
    in the ranking for the nurses' review."""
    ranking = [i for i in message.get(INTENT_RANKING_KEY) or [] if i.get("name") != name]
    chosen = {"name": name, "confidence": 1.0}
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen] + ranking, add_to_output=True)
