"""Reply texts of the SMS channel's own: keyword answers, the picture-only
reply, and the call line that leads an escalation's first text. Pure."""
from __future__ import annotations

from typing import Dict

from bot.core.contacts import CARELINE, EMERGENCY_NUMBER
from bot.core.levels import EMERGENCY

PROGRAM = "Back-pain help line"


def help_text() -> str:
    return (f"{PROGRAM}: facts about back pain from your health plan. Not for emergencies: "
            f"call 911. To talk to a nurse, call CareLine 24/7 at {CARELINE.phones[0]}. "
            "Reply STOP to stop texts. Msg&data rates may apply.")


def stop_text() -> str:
    return (f"{PROGRAM}: you will get no more texts from us. Reply START to get them again. "
            "In an emergency call 911.")


def welcome_back_text() -> str:
    return (f"{PROGRAM}: texts are back on. Ask me about back pain. In an emergency "
            "call 911. Reply HELP for help, STOP to stop.")


def keyword_reply(word: str) -> str:
    """The one confirmation of a keyword ("stop", "start", "help"): sent by
    Twilio's Advanced Opt-Out in a deployment, by us without Twilio."""
    return {"stop": stop_text, "start": welcome_back_text, "help": help_text}[word]()


def media_only_text() -> str:
    return ("I can only read text, not pictures or files. Please type your question. "
            f"To talk to a nurse, call {CARELINE.phones[0]}. In an emergency call 911.")


def handoff_line(handoff: Dict) -> str:
    """The call line for a handoff payload, numbers written out, then the
    reference code the person can give a CareLine nurse."""
    phones = [p for p in handoff.get("phones") or [] if p != EMERGENCY_NUMBER]
    careline = " or ".join(phones) or CARELINE.phones[0]
    tty = f" (TTY {handoff['tty']})" if handoff.get("tty") else ""
    them = handoff.get("for_someone_else")
    code = f" Code for the nurse: {handoff['code']}." if handoff.get("code") else ""
    if handoff.get("level") == EMERGENCY:
        where = "get them to" if them else "go to"
        return (f"CALL 911 NOW{' for them' if them else ''} or {where} the nearest ER. "
                f"Not sure? CareLine nurses 24/7: {careline}{tty}.{code}")
    if them:
        return (f"Call a CareLine nurse for them now, 24/7: {careline}{tty}.{code} "
                "If it gets worse, call 911.")
    return f"Call a CareLine nurse now, 24/7: {careline}{tty}.{code} If it gets worse, call 911."
