"""Each speed-up of Rasa's internals gives exactly what Rasa's own code gives."""
import json
import random

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server import rasa_speedups

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



# Event types -------------------------------------------------------------

def all_event_classes():
    from rasa.shared.utils.common import all_subclasses

    return [cls for cls in all_subclasses(Event) if getattr(cls, "type_name", None)]


def test_event_lookup_gives_rasas_class_for_every_event_type():
    for cls in all_event_classes():
        expected = rasa_speedups._rasa_resolve_by_type(cls.type_name)
        assert rasa_speedups._resolve_by_type(cls.type_name) is expected
        assert rasa_speedups._resolve_by_type(cls.type_name) is expected  # from the cache


def test_event_lookup_of_unknown_names_behaves_like_rasa():
    with pytest.raises(ValueError, match="Unknown event name"):
        rasa_speedups._resolve_by_type("no_such_event")
    assert rasa_speedups._resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    assert rasa_speedups._resolve_by_type("topic") is None  # Rasa's legacy answer
    assert "no_such_event" not in rasa_speedups._event_classes


# Graph runs --------------------------------------------------------------

def test_graph_runs_give_what_dask_get_gives(agent):
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER

    runner = agent.processor.graph_runner
    nlu_target = agent.processor.model_metadata.nlu_target
    core_target = agent.processor.model_metadata.core_target
    for text in ["is bed rest good for back pain?", "I can't feel my legs and I wet myself",
                 "hello", "xkcd qwerty"]:
        results = []
        for run in (rasa_speedups._rasa_run_graph, rasa_speedups._run_graph):
            message = UserMessage(text)
            tracker = DialogueStateTracker("graph-test", agent.domain.slots)
            parsed = run(runner, {PLACEHOLDER_MESSAGE: [message], PLACEHOLDER_TRACKER: tracker},
                         [nlu_target])[nlu_target][0]
            results.append((parsed.get("intent"), parsed.get("intent_ranking"),
                            parsed.get("entities")))
        assert results[0] == results[1]
        assert results[0][0]["name"]

    tracker = DialogueStateTracker.from_events("graph-test", [
        ActionExecuted("action_listen"),
        UserUttered("hi", intent={"name": "greet", "confidence": 1.0}),
    ], slots=agent.domain.slots)
    predictions = [run(runner, {PLACEHOLDER_TRACKER: tracker}, [core_target])[core_target]
                   for run in (rasa_speedups._rasa_run_graph, rasa_speedups._run_graph)]
    assert predictions[0].probabilities == predictions[1].probabilities
    assert predictions[0].policy_name == predictions[1].policy_name
    assert max(predictions[0].probabilities) > 0


def test_a_failing_graph_node_still_raises():
    from rasa.engine.runner.dask import DaskGraphRunner

    runner = DaskGraphRunner.__new__(DaskGraphRunner)

    def boom(*_):
        raise KeyError("broken node")

    class Schema:
        target_names = ["node"]

        def minimal_graph_schema(self, targets):
            return self

    runner._graph_schema = Schema()
    runner._build_dask_graph = lambda schema: {"node": (boom,)}
    with pytest.raises(KeyError, match="broken node"):
        rasa_speedups._run_graph(runner)


# Rules ---------------------------------------------------------------------

def rule_policy(agent):
    from rasa.core.policies.rule_policy import RulePolicy

    policies = [node._component for node in agent.processor.graph_runner._instantiated_nodes.values()
                if isinstance(node._component, RulePolicy)]
    assert len(policies) == 1
    return policies[0]


def as_conversation_state(state):
    """A rule's stored turn as Rasa builds a live one (tuples, not lists)."""
    return {kind: {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
            for kind, values in state.items()}


def conversations_from_rules(lookup, rng, count):
    """Turn sequences that fit some rules and not others: each rule's own turns,
    turns of other rules in front, shortened, or mixed."""
    rules = [[as_conversation_state(s) for s in json.loads(key)] for key in lookup]
    all_turns = [turn for rule in rules for turn in rule]
    cases = [rule for rule in rules] + [[], [{}]]
    while len(cases) < count:
        rule = rng.choice(rules)
        shape = rng.randrange(4)
        if shape == 0:
            cases.append(rng.choice(rules) + rule)
        elif shape == 1:
            cases.append(rule[: rng.randint(0, len(rule))])
        elif shape == 2:
            cases.append([rng.choice(all_turns) for _ in range(rng.randrange(1, 8))])
        else:
            longer = [rng.choice(all_turns) for _ in range(rng.randrange(0, 30))] + rule
            cases.append(longer)
    return cases


def test_rule_lookup_finds_exactly_the_rules_rasa_finds(agent):
    policy = rule_policy(agent)
    rng = random.Random(7)
    checked = matched = 0
    for name, lookup in policy.lookup.items():
        if not isinstance(lookup, dict) or not lookup:
            continue
        for states in conversations_from_rules(lookup, rng, 1500):
            expected = rasa_speedups._rasa_get_possible_keys(policy, lookup, states)
            assert rasa_speedups._get_possible_keys(policy, lookup, states) == expected, states
            checked += 1
            matched += bool(expected)
    assert checked > 2000 and 0 < matched < checked  # both outcomes were exercised


def handmade_rules():
    """Rule shapes the trained model may lack: conversation starts, values
    that must not be set, list values, loops and slots, an empty rule."""
    listen, no = {"action_name": "action_listen"}, "should_not_be_set"
    rules = [
        [],
        [{}],
        [{"user": {"intent": "greet"}}],
        [{"slots": {"pain_area": (1.0,)}}, {"prev_action": listen, "user": {"intent": "greet"}}],
        [{"prev_action": {"action_name": no}, "user": {"intent": no}}],
        [{"prev_action": listen, "user": {"intent": "inform", "entities": ["body_part"]}}],
        [{"prev_action": listen, "user": {"text": "help"}}],
        [{"prev_action": listen, "user": {"intent": no}}],
        [{"prev_action": {"action_name": "symptom_form"}, "active_loop": {"name": "symptom_form"}},
         {"prev_action": listen, "user": {"intent": "stop"}, "active_loop": {"name": "symptom_form"}}],
        [{"prev_action": listen, "user": {"intent": "greet"}, "slots": {"pain_area": no}}],
        [{"prev_action": {"action_name": "utter_greet"}, "user": {"intent": "greet"}}],
    ]
    return {json.dumps(rule): f"action_{n}" for n, rule in enumerate(rules)}


def test_rule_lookup_matches_rasa_on_every_rule_shape(agent):
    policy = rule_policy(agent)
    lookup = handmade_rules()
    index = rasa_speedups._RuleIndex(lookup)
    assert index.always and index.filed  # both paths are exercised
    rng = random.Random(11)
    matched = set()
    for states in conversations_from_rules(lookup, rng, 3000):
        expected = rasa_speedups._rasa_get_possible_keys(policy, lookup, states)
        assert rasa_speedups._get_possible_keys(policy, lookup, states) == expected, states
        matched |= expected
    assert matched == set(lookup)  # every rule was found at least once


def test_apply_replaces_the_slow_parts():
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.engine.runner.dask import DaskGraphRunner

    rasa_speedups.apply()
    assert DaskGraphRunner.run is rasa_speedups._run_graph
    assert RulePolicy._get_possible_keys is rasa_speedups._get_possible_keys
    assert Event.resolve_by_type("slot") is SlotSet
