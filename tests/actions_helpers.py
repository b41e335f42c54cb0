"""Run rasa_sdk actions without a server (in the style of covidflow's ActionTestCase)."""
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    intent: str = "greet", text: str = "", slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict]] = None, sender_id: str = "test-user",
) -> Tracker:
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message={
            "intent": {"name": intent, "confidence": 1.0},
            "text": text,
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(action: Action, tracker: Tracker, domain: Dict) -> Tuple[List[Dict], List[Dict]]:
    """Returns (events, messages sent)."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, domain)
    return events, dispatcher.messages
