"""Send prepared messages (dicts for `utter_message`) through the dispatcher."""
from typing import Dict, Iterable

from rasa_sdk.executor import CollectingDispatcher


def send(dispatcher: CollectingDispatcher, messages: Iterable[Dict]) -> None:
    for message in messages:
        dispatcher.utter_message(**message)
