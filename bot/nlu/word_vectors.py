"""Rasa NLU component: pretrained word vectors as dense features.

Each token the tokenizer made gets its 300-number vector from the table that
`bot.ops.vectors` fetched at setup (zeros for a word the table lacks), and the
message gets the mean of its known words' vectors, scaled to length 1, so a
long message and a short one weigh the same. This lets the classifier place a
word it never saw in training ("lumbago", "oxycodone") near words it did.
It works on the tokens of any tokenizer, so the pipeline keeps its whitespace
tokenizer and the red-flag component sees the same text as before.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import MEAN_POOLING

from bot.ops import vectors


class WordVectorTable:
    """Word -> vector, looked up in lower case first: the table also holds cased
    forms, and some ("Sciatica") sit far from their lower-case meaning."""

    def __init__(self, directory: Path) -> None:
        from spacy.strings import hash_string
        from spacy.vectors import Vectors

        table = Vectors(shape=(0, 0)).from_disk(str(directory))
        self._hash = hash_string
        self._rows = table.key2row
        self._data = np.asarray(table.data, dtype=np.float32)
        self.dim = self._data.shape[1]

    def vector(self, word: Text) -> np.ndarray:
        for form in (word.lower(), word):
            row = self._rows.get(self._hash(form), -1)
            if row >= 0:
                return self._data[row]
        return np.zeros(self.dim, dtype=np.float32)

    def sequence(self, words: Sequence[Text]) -> np.ndarray:
        """One row per word (at least one row, so an empty text still has a shape)."""
        if not words:
            return np.zeros((1, self.dim), dtype=np.float32)
        return np.stack([self.vector(word) for word in words])


def sentence_vector(sequence: np.ndarray) -> np.ndarray:
    """Unit-length mean of the known words' vectors (zeros if none is known)."""
    mean = DenseFeaturizer.aggregate_sequence_features(sequence, MEAN_POOLING)
    norm = np.linalg.norm(mean)
    return mean / norm if norm else mean


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class WordVectorFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "vectors_dir": None}

    def __init__(self, config: Dict[Text, Any], name: Text, table: WordVectorTable) -> None:
        super().__init__(name, config)
        self._table = table

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage,
        resource: Resource, execution_context: ExecutionContext,
    ) -> "WordVectorFeaturizer":
        directory = Path(config.get("vectors_dir") or vectors.VECTORS_DIR)
        found = vectors.problem(directory)
        if found:
            raise vectors.VectorsError(f"{found}. Run `make setup` to fetch the word vectors.")
        return cls(config, execution_context.node_name, WordVectorTable(directory))

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
                self._featurize(message, attribute)
        return messages

    def _featurize(self, message: Message, attribute: Text) -> None:
        tokens: Optional[list] = message.get(TOKENS_NAMES[attribute])
        if not tokens:
            return
        sequence = self._table.sequence([token.text for token in tokens])
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        message.add_features(Features(sequence, FEATURE_TYPE_SEQUENCE, attribute, alias))
        message.add_features(Features(sentence_vector(sequence), FEATURE_TYPE_SENTENCE, attribute, alias))
