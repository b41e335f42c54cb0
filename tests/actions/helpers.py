"""Run rasa_sdk actions without a server (in the style of covidflow's ActionTestCase)."""
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    intent: str = "greet", text: str = "", slots: Optional[Dict[str, Any]] = None,
    entities: Optional[List[Dict]] = None, sender_id: str = "test-user",
    confidence: float = 1.0, active_loop: Optional[str] = None,
    events: Optional[List[Dict]] = None,
) -> Tracker:
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message={
            "intent": {"name": intent, "confidence": confidence},
            "text": text,
            "entities": entities or [],
        },
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def red_flag_entities(text: str) -> List[Dict]:
    """Entities exactly as the NLU component would add them."""
    from bot.nlu.red_flag_detector import detect

    return [m.to_entity() for m in detect(text)]


def run_action(action: Action, tracker: Tracker, domain: Dict) -> Tuple[List[Dict], List[Dict]]:
    """Returns (events, messages sent)."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, domain)
    return events, dispatcher.messages


def slot_events(events: List[Dict]) -> Dict[str, Any]:
    """{slot: value} of the SlotSet events an action returned."""
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}
