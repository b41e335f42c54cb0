"""Intent classification on the frozen blind batch (never trained on): it must
not fall below its first run (tests/sets/__init__.py, BLIND_FLOORS)."""
from bot.eval import intent_scoring
from tests.sets import BLIND, BLIND_FLOORS


def test_blind_intent_accuracy_holds_its_floor(nlu_parser):
    examples = intent_scoring.load_examples(BLIND / "nlu.yml")
    predicted = [r["intent"]["name"] for r in nlu_parser([text for text, _ in examples])]
    figures = intent_scoring.score([intent for _, intent in examples], predicted)
    print(intent_scoring.report(figures))
    assert figures["messages"] == 336
    assert figures["accuracy"] >= BLIND_FLOORS["intent accuracy"]
