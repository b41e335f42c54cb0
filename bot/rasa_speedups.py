"""Speed-ups for Rasa 3.6 internals, applied in the Rasa server process.

Rasa checks every action server response with `jsonschema.validate(result,
schema)`. That call first re-validates the schema itself against its
meta-schema, every time: profiling the server under load (bench/load.py with
py-spy) put a quarter of its CPU there. We build the validator once and use it
for every response; responses are checked exactly as before and an invalid
one still raises jsonschema's ValidationError with Rasa's message.
"""
from __future__ import annotations

from typing import Any, Dict, Text

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_validator = None


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    global _validator
    if _validator is None:
        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)  # once, not per response
        _validator = cls(schema)
    try:
        _validator.validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format "
            f"visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error


def apply() -> None:
    RemoteAction._validate_action_result = _validate_action_result
