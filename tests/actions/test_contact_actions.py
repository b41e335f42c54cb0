import pytest

from actions.contacts import ActionBenefits, ActionTalkToPerson
from tests.actions.helpers import make_tracker, run_action


def test_talk_to_person_gives_careline_and_911(domain):
    events, messages = run_action(
        ActionTalkToPerson(), make_tracker("talk_to_person", "can i talk to a nurse"), domain
    )
    assert events == []
    first = messages[0]["text"]
    assert "612-339-3663" in first and "800-551-0859" in first and "TTY 952-883-5474" in first
    assert "911" in first
    assert "Nurse Navigator" in messages[1]["text"]


def test_benefits_gives_navigator_numbers_and_status(domain):
    _, messages = run_action(ActionBenefits(), make_tracker("ask_benefits", "is pt covered"), domain)
    assert "952-883-5000" in messages[0]["text"] and "800-883-2177" in messages[0]["text"]
    assert messages[1]["text"].startswith("Nurse Navigator is")


@pytest.mark.parametrize("action", [ActionBenefits(), ActionTalkToPerson()])
def test_every_action_is_declared_in_the_domain(domain, action):
    assert action.name() in domain["actions"]
