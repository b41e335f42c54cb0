"""Speed-ups for Rasa 3.6 internals, applied in the Rasa server process.
Each one was found by profiling the server under load (bench/load.py with
py-spy); each gives exactly what Rasa's own code gives (tests/
test_rasa_speedups.py compares them). The tracker store's share is in
bot/server/tracker_store.py.

Action responses: Rasa checks every action server response with
`jsonschema.validate(result, schema)`. That call first re-validates the
schema itself against its meta-schema, every time, which once took a quarter
of the server's CPU. We build the validator once and use it
for every response; responses are checked exactly as before and an invalid
one still raises jsonschema's ValidationError with Rasa's message.

Event types: turning a stored event back into an object looks its class up by
name with `Event.resolve_by_type`, which walks the whole Event class tree
(and checks each class for abstract methods) for every event of every
tracker read. We remember the class found for each name; unknown names still
go through Rasa's own lookup (its default, or its error).

Graph runs: every message runs two model graphs (NLU, then the policies for
each next action) through `dask.get`, dask's threaded-scheduler machinery
run synchronously; its bookkeeping cost about a tenth of the server's time.
The graphs are small chains of plain function calls, so we evaluate them with
dask's simple in-order evaluator (`dask.core.get`): same tasks, same inputs,
same results and errors.

Rules: RulePolicy finds the rules that fit a conversation by checking every
rule (some 300 here) against each turn, going back over the whole
conversation, and parses each rule's stored text again for each check. We
keep each rule's turns parsed, file the rules by a value their newest turn
needs (see _RuleIndex), and stop going back once every rule still in the
running is shorter than the turns already checked (from there on Rasa keeps
them all anyway). Whether a rule's turn fits is decided by Rasa's own check.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Set, Text, Tuple

import dask.core
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.events import Event

_validator = None
# Rasa's own versions, for the tests that compare.
_rasa_resolve_by_type = Event.resolve_by_type
_rasa_run_graph = DaskGraphRunner.run
_rasa_get_possible_keys = RulePolicy._get_possible_keys
_event_classes: Dict[Text, type] = {}


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


def _resolve_by_type(type_name: Text, default: Optional[type] = None) -> Optional[type]:
    found = _event_classes.get(type_name)
    if found is not None:
        return found
    try:
        found = _rasa_resolve_by_type(type_name)
    except ValueError:
        found = None
    if found is None:  # unknown, or the legacy "topic": Rasa's own answer, not kept
        return _rasa_resolve_by_type(type_name, default)
    _event_classes[type_name] = found
    return found


def _run_graph(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
               targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """DaskGraphRunner.run, evaluated with dask.core.get."""
    run_targets = targets if targets else self._graph_schema.target_names
    run_graph = self._build_dask_graph(self._graph_schema.minimal_graph_schema(run_targets))
    if inputs:
        self._add_inputs_to_graph(inputs, run_graph)
    try:
        return dict(dask.core.get(run_graph, run_targets))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error


class _RuleIndex:
    """A lookup's rules, parsed once, and grouped for the newest turn.

    A rule whose newest turn has a previous action only fits a conversation
    whose newest turn has every value the rule asks for; we file such a rule
    under one of them (its intent, say), so the newest turn is checked only
    against rules filed under a value the conversation has. Rules with
    nothing to file under are always checked."""

    def __init__(self, lookup: Dict[Text, Text]) -> None:
        self.lookup = lookup
        self.always: List[Tuple[Text, List[Dict]]] = []
        self.filed: Dict[Tuple[Text, Text, Text], List[Tuple[Text, List[Dict]]]] = {}
        for key in lookup:
            turns = list(reversed(json.loads(key)))
            anchor = _anchor(turns[0]) if turns else None
            (self.filed.setdefault(anchor, []) if anchor else self.always).append((key, turns))

    def candidates(self, newest: Dict) -> List[Tuple[Text, List[Dict]]]:
        found = list(self.always)
        for state_type, values in newest.items():
            for name, value in values.items():
                if isinstance(value, str):
                    found.extend(self.filed.get((state_type, name, value), ()))
        return found


def _anchor(turn: Dict) -> Optional[Tuple[Text, Text, Text]]:
    if not turn.get(PREVIOUS_ACTION):
        return None  # a conversation-start turn fits without its values being checked
    for preferred in (USER, PREVIOUS_ACTION):
        for name, value in turn.get(preferred, {}).items():
            if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET:
                return preferred, name, value
    return None


_rule_indexes: Dict[int, _RuleIndex] = {}


def _turn_fits(turns: List[Dict], turn_index: int, state: Dict) -> bool:
    """RulePolicy._is_rule_applicable, on a rule already parsed."""
    if turn_index >= len(turns):
        return True
    current_previous_action = state.get(PREVIOUS_ACTION)
    rule_previous_action = turns[turn_index].get(PREVIOUS_ACTION)
    if not rule_previous_action and not current_previous_action:
        return True
    if not rule_previous_action or not current_previous_action:
        return False
    return RulePolicy._does_rule_match_state(turns[turn_index], state)


def _get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text], states: List[Dict]) -> Set[Text]:
    index = _rule_indexes.get(id(lookup))
    if index is None or index.lookup is not lookup:
        index = _rule_indexes[id(lookup)] = _RuleIndex(lookup)
    if not states:
        return set(lookup)
    newest_first = list(reversed(states))
    candidates = index.candidates(newest_first[0])
    for turn_index, state in enumerate(newest_first):
        candidates = [(key, turns) for key, turns in candidates
                      if _turn_fits(turns, turn_index, state)]
        if all(len(turns) <= turn_index + 1 for _, turns in candidates):
            break  # older turns are beyond every remaining rule: all of them fit
    return {key for key, _ in candidates}


def apply() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    DaskGraphRunner.run = _run_graph
    RulePolicy._get_possible_keys = _get_possible_keys
