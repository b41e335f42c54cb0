"""Intent classification on the blind intent batches (never trained on): each
must hold its floor (tests/sets/__init__.py, INTENT_FLOORS)."""
import pytest

from bot.eval import intent_scoring
from tests.sets import INTENT_FLOORS
from bot.eval.intent_scoring import answered_intent


@pytest.mark.parametrize("batch", sorted(INTENT_FLOORS), ids=lambda p: p.name)
def test_blind_intent_accuracy_holds_its_floor(nlu_parser, batch):
    examples = intent_scoring.load_examples(batch / "nlu.yml")
    predicted = [answered_intent(r) for r in nlu_parser([text for text, _ in examples])]
    figures = intent_scoring.score([intent for _, intent in examples], predicted)
    print(intent_scoring.report(figures))
    assert figures["messages"] >= 300
    assert figures["accuracy"] >= INTENT_FLOORS[batch]
