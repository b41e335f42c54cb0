"""Fuzz what reads a person's words: no input may raise (issue 14).

    make fuzz                       # 100,000 inputs for each target
    .venv/bin/python scripts/fuzz.py --examples 2000

Hypothesis generates text of every kind (any Unicode, lone surrogates,
control characters, long runs, mixtures of red-flag words and noise) and
feeds it, as a channel would, through `clean` and then to the red-flag
detector, the symptom-check answer parsers, the own-pain reader and the SMS
option picker. Any exception is a failure and Hypothesis prints the smallest
input that raises it. Not part of `make test` (it takes a while).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bot.core import answers  # noqa: E402
from bot.core.clean_text import clean  # noqa: E402
from bot.nlu.own_pain import own_current_pain  # noqa: E402
from bot.nlu.red_flag_detector import detect  # noqa: E402
from bot.server.channels import sms_text  # noqa: E402

WORDS = ["i", "my", "can't", "cant", "feel", "legs", "numb", "wet", "myself", "pee", "back", "pain",
         "no", "not", "mom", "years", "ago", "if", "what", "fever", "cancer", "fell", "weak", "both",
         "down", "there", "wipe", "since", "3", "days", "10/10", "y", "me", "duele", "?", ".", ",", "'"]
TEXT = st.one_of(
    st.text(max_size=300),  # any code point, surrogates included
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=2000),
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=5)), max_size=60).map(" ".join),
)
PARSERS = [answers.parse_location, answers.parse_pattern, answers.parse_duration_days,
           answers.parse_severity, answers.parse_yes_no, answers.parse_age, answers.parse_leg_spread,
           answers.is_no_to_all, answers.screen_items, answers.prefill, own_current_pain]
MENU = [("Lower back", "lower back"), ("Middle back", "middle back"), ("Neck", "/neck")]


def read_everything(text: str) -> None:
    text = clean(text)
    text.encode("utf-8")  # storable
    detect(text)
    for parse in PARSERS:
        parse(text)
    sms_text.choose(text, MENU)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100_000)
    args = parser.parse_args(argv)
    started = time.monotonic()

    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(TEXT)
    def fuzz(text: str) -> None:
        read_everything(text)

    fuzz()
    print(f"{args.examples} inputs, no exception, {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
