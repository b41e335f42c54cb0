"""Rasa NLU component: the learned suspicion net (bot/nlu/suspicion_net.py).

Trained with the model, on the red-flag group phrasings and on the intent
training data as ordinary messages. On a message where the rules confirmed
no red flag but a symptom word sits near a body site (the nurses' net,
bot/core/possible_red_flag.py), a suspected group becomes the entity `suspected` and the intent
`report_red_flag`, so the red-flag action asks its yes/no question in this
turn (actions/suspicion.py). Runs after the red-flag extractor.
"""
from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.core.mention import mentions_in
from bot.core.possible_red_flag import possible_red_flag
from bot.core.slots import REPORT_RED_FLAG, SUSPECTED
from bot.core.suspicion import GROUP_OF
from bot.nlu.red_flag_extractor import override_intent
from bot.nlu.suspicion_net import SuspicionModel, training_set, word_vector_of
from bot.ops import vectors

MODEL_FILE = "suspicion_net.pkl"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER],
    is_trainable=True,
)
class SuspicionExtractor(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Chosen on data (`bot eval suspicion`, bot/eval/suspicion_threshold.py).
        return {"threshold": 0.6, "vectors_dir": None}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[SuspicionModel] = None) -> None:
        self.config, self._storage, self._resource = config, model_storage, resource
        self.model = model

    @staticmethod
    def _vector_of(config: Dict[Text, Any]):
        return word_vector_of(Path(config.get("vectors_dir") or vectors.VECTORS_DIR))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SuspicionExtractor":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = training_set((e.get(TEXT), e.get(INTENT)) for e in training_data.intent_examples)
        model = SuspicionModel(self._vector_of(self.config), threshold=float(self.config["threshold"]))
        model.fit(texts, labels)
        with self._storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(pickle.dumps((model.classifier, model.ngrams)))
        self.model = model
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SuspicionExtractor":
        with model_storage.read_from(resource) as directory:
            # Our own model file, written by train() above into Rasa's model archive.
            classifier, ngrams = pickle.loads((directory / MODEL_FILE).read_bytes())  # noqa: S301
        model = SuspicionModel(cls._vector_of(config), classifier, ngrams, float(config["threshold"]))
        return cls(config, model_storage, resource, model)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if self.model is None or not text.strip() or text.startswith("/"):
                continue
            mentions = mentions_in(message.get(ENTITIES))
            if any(m.needs_escalation for m in mentions):
                continue  # the rules confirmed it: nothing to ask
            if not possible_red_flag(text):
                continue  # no symptom word near a body site: the net alone is too noisy to ask
            read = {GROUP_OF[m.code] for m in mentions if m.code in GROUP_OF}
            found = self.model.suspect(text[:2000], read_by_rules=read)
            if found is None:
                continue
            group, probability = found
            entity = {"entity": SUSPECTED, "value": group, "start": 0, "end": 0,
                      "confidence_entity": round(probability, 3), "extractor": "SuspicionExtractor"}
            message.set(ENTITIES, (message.get(ENTITIES) or []) + [entity], add_to_output=True)
            override_intent(message, REPORT_RED_FLAG)
        return messages
