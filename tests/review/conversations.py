"""Small synthetic conversations in Rasa's event format, written straight into
the events table: for the store, review and workspace tests."""
from datetime import datetime

import sqlalchemy as sa

from bot.devtools import synthetic as syn

NOW = datetime(2026, 11, 20, 12, 0)
T0 = NOW.timestamp() - 3600  # an hour before NOW, as a POSIX time


def convo(ts, level=None, code=None, text="ice or heat?", intent="ice_or_heat",
          confidence=0.95, channel="rest", negated=None):
    """A small conversation; with `level`, a red flag and its disposition."""
    events = [syn.user(ts, text, intent, confidence, channel), syn.bot(ts + 1, "An answer.")]
    if negated:
        events.append(syn.user(ts + 2, f"no {negated}", "deny", 0.9, channel,
                               [syn.red_flag_entity(negated, "urgent", negated, affirmed=False,
                                                    negated=True)]))
    if level:
        events += [syn.user(ts + 3, "i wet myself", "report_red_flag", 1.0, channel,
                            [syn.red_flag_entity(code, level, "wet myself")]),
                   syn.slot(ts + 4, "red_flags", [code]), syn.slot(ts + 4, "triage_level", level),
                   syn.bot(ts + 5, "Call 911 now.", {"level": level, "phones": ["911"]})]
    return events


def add(url, sender, events):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        syn.insert(connection, sender, events)
    engine.dispose()
