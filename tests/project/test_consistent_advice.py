"""The informational answers say the same as the triage rules (issue 13,
layer 6): every sign the "when to get care" answer lists sits under the level
the symptom check would give for it, and every sign on the plan's own
"call your doctor right away" list (seed page 003) is listed there, at the
level triage gives it."""
import pytest
import yaml

from bot import PROJECT_ROOT
from bot.core.disposition import Facts, decide
from bot.core.levels import EMERGENCY, ROUTINE, URGENT
from bot.nlu.red_flag_detector import affirmed_codes

# Seed page 003, "If you have any of these symptoms, call your doctor right away."
SEED_003 = [
    "Unexplained weight loss",
    "Fever",
    "Pain that keeps you up all night or is not relieved by lying down",
    "Changes in controlling your bowel or bladder",
    "Leg weakness that gets worse",
    "Numbness and tingling in the upper part of your legs, along with back pain",
]
SECTION_LEVELS = {"Call 911": EMERGENCY, "Call the CareLine": URGENT, "Book a visit": ROUTINE}


def when_to_get_care_items():
    """(level of the section, item) for each listed sign in the answer."""
    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]
    items, level = [], None
    for name in ("utter_when_to_get_care", "utter_when_to_get_care_2"):
        for line in responses[name][0]["text"].splitlines():
            line = line.strip()
            heading = next((lv for start, lv in SECTION_LEVELS.items() if line.startswith(start)), None)
            if heading:
                level = heading
            elif line.startswith("- "):
                items.append((level, line[2:]))
    return items


def triage_level(text):
    codes = affirmed_codes(f"I have {text[0].lower()}{text[1:]}")
    return codes, decide(Facts(red_flags=frozenset(codes))).level


@pytest.mark.parametrize("level, item", when_to_get_care_items(), ids=lambda x: str(x)[:40])
def test_each_listed_sign_is_under_the_level_triage_gives_it(level, item):
    codes, given = triage_level(item)
    if codes:  # duration, repeat and impact lines are not red flags
        assert given == level, (item, codes)


@pytest.mark.parametrize("sign", SEED_003)
def test_each_sign_on_the_plans_list_is_caught_and_listed_at_its_triage_level(sign):
    codes, given = triage_level(sign)
    assert codes, f"the detector does not read the plan's own wording: {sign!r}"
    assert given in (EMERGENCY, URGENT)  # "call your doctor right away"
    listed = {code: level for level, item in when_to_get_care_items() for code in triage_level(item)[0]}
    assert any(listed.get(code) == given for code in codes), (sign, codes, listed)
