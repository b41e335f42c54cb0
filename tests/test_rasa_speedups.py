"""The faster action-response check accepts and rejects exactly what Rasa's does."""
import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from bot import rasa_speedups

GOOD = [
    {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]},
    {"events": [], "responses": []},
    {},
]
BAD = [
    {"events": "not a list"},
    {"events": [{"no_event_key": True}]},
    {"responses": "text"},
    {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "noon"}]},
]


@pytest.mark.parametrize("result", GOOD + BAD)
def test_same_verdict_as_jsonschema_validate(result):
    spec = RemoteAction.action_response_format_spec()
    try:
        validate(result, spec)
        expected = True
    except ValidationError:
        expected = False
    assert expected == (result in GOOD)  # the samples are what they claim to be
    try:
        got = rasa_speedups._validate_action_result(None, result)
    except ValidationError as error:
        assert "Failed to validate Action server response" in error.message
        got = False
    assert got == expected


def test_apply_replaces_rasas_method():
    rasa_speedups.apply()
    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result

