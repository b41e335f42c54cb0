"""The suspicion net's question and its answer (issue 13, layer 3): bot/core/suspicion.py."""
import pytest

from bot.core import suspicion


@pytest.mark.parametrize("text, answer", [
    ("yes", "yes"), ("Yes", "yes"), ("yeah kind of", "yes"), ("a little", "yes"), ("maybe", "yes"),
    ("no", "no"), ("nope", "no"), ("none of those", "no"), ("i dont think so", "no"),
    ("idk", None), ("what do you mean", None),
])
def test_the_answer_is_read_as_yes_no_or_unclear(text, answer):
    assert suspicion.read_answer(text) == answer


def test_every_group_asks_one_plain_question_with_yes_and_no_buttons():
    for group in suspicion.GROUPS:
        (message,) = suspicion.question(group)
        assert message["text"].endswith("?")
        assert [b["payload"] for b in message["buttons"]] == ["yes", "no"]


def test_the_pending_question_survives_the_slot():
    value = suspicion.pending("both_legs", "ice_or_heat", 1)
    assert suspicion.read_pending(value) == ("both_legs", "ice_or_heat", 1)
    assert suspicion.read_pending(suspicion.pending("both_legs", None)) == ("both_legs", None, 0)
    assert suspicion.read_pending("junk") is None and suspicion.read_pending(None) is None


def test_a_yes_confirms_known_red_flags():
    from bot.core.red_flag_rules import red_flags
    assert all(code in red_flags() for g in suspicion.GROUPS.values() for code in g.codes)
