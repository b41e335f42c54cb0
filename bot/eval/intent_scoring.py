"""Intent classification scored on a labelled set, the way a patient meets it.

`predicted` is the intent the running assistant acts on (after the fallback
classifier): a wrong intent is a confident wrong answer, `nlu_fallback` gets
the topics-and-CareLine reply (not right, but not misleading either).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from bot.core.mention import entity_value
from bot.core.slots import ASKED

FALLBACK = "nlu_fallback"


def load_examples(path: Path) -> List[Tuple[str, str]]:
    """(text, intent) pairs of a Rasa NLU training-data file."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def answered_intent(parse: Dict) -> str:
    """The intent whose answer the person gets: a question asked beside a report
    of one's own pain is answered before the symptom check (entity `asked`)."""
    return entity_value(parse.get("entities"), ASKED) or (parse.get("intent") or {}).get("name")


def classify(model: Path, texts: Sequence[str]) -> List[str]:
    """The intent the assistant would act on for each text, from a trained model."""
    import asyncio
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa logs every parsed text at debug level
    agent = Agent.load(str(model))

    async def parse_all():
        return [answered_intent(await agent.parse_message(text)) for text in texts]

    return asyncio.run(parse_all())


def score_file(model: Path, path: Path) -> Dict:
    examples = load_examples(path)
    predicted = classify(model, [text for text, _ in examples])
    return score([intent for _, intent in examples], predicted)


def score(expected: Sequence[str], predicted: Sequence[str]) -> Dict:
    pairs = list(zip(expected, predicted))
    total = len(pairs)
    right = sum(e == p for e, p in pairs)
    fallback = sum(p == FALLBACK for _, p in pairs)
    per_intent = []
    for intent in sorted(set(expected)):
        tp = sum(e == intent and p == intent for e, p in pairs)
        fp = sum(e != intent and p == intent for e, p in pairs)
        fn = sum(e == intent and p != intent for e, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent.append({"intent": intent, "support": tp + fn, "f1": f1})
    confusions = Counter((e, p) for e, p in pairs if e != p and p != FALLBACK)
    return {
        "messages": total,
        "accuracy": right / total if total else None,
        "macro_f1": sum(i["f1"] for i in per_intent) / len(per_intent) if per_intent else None,
        "confident_wrong_rate": (total - right - fallback) / total if total else None,
        "fallback_rate": fallback / total if total else None,
        "per_intent": per_intent,
        "top_confusions": [{"expected": e, "predicted": p, "count": n}
                           for (e, p), n in confusions.most_common(15)],
    }


def report(figures: Dict) -> str:
    weak = sorted(figures["per_intent"], key=lambda i: i["f1"])[:8]
    return "\n".join([
        f"messages:        {figures['messages']}",
        f"accuracy:        {figures['accuracy']:.3f}",
        f"macro F1:        {figures['macro_f1']:.3f}",
        f"confident wrong: {figures['confident_wrong_rate']:.1%}",
        f"fallback:        {figures['fallback_rate']:.1%}",
        "lowest F1:       " + ", ".join(f"{i['intent']} {i['f1']:.2f}" for i in weak),
    ])
