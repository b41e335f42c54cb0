"""Rasa's whitespace tokenizer, reading at most MAX_TOKENS words of a message.

The classifier's cost grows faster than the text (the transformer looks at
every pair of words): a 20,000-character message held the server for a second
and everyone else's messages with it. The intent of a message is in its first
few hundred words; the red-flag detector still reads all of it (it takes the
text, not these tokens: bot/nlu/red_flag_extractor.py), and the whole message
is stored.
"""
from __future__ import annotations

from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

MAX_TOKENS = 300  # a long story told in one message is about 250 words


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class BoundedWhitespaceTokenizer(WhitespaceTokenizer):
    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        return super().tokenize(message, attribute)[:MAX_TOKENS]
