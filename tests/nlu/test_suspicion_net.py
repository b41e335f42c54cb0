"""The suspicion net's pure parts (issue 13, layer 3): bot/nlu/suspicion_net.py."""
import numpy as np

from bot.nlu.suspicion_net import NONE, SuspicionModel, clauses, in_context, load_phrasings
from bot.core.suspicion import GROUPS


def test_a_long_message_is_also_scored_sentence_by_sentence():
    text = "Long story about my week. My legs feel like rubber now. Anyway, do you cover massage?"
    parts = clauses(text)
    assert parts[0] == text and "My legs feel like rubber now." in parts


def test_context_words_leave_a_clause_to_the_rules():
    assert in_context("no numbness down there") and in_context("what if my legs go numb")
    assert in_context("my mom had cancer") and not in_context("my legs feel like rubber")


def test_the_phrasings_cover_every_group_and_ordinary_messages():
    phrasings = load_phrasings()
    assert set(phrasings) == set(GROUPS) | {NONE}
    assert all(len(texts) >= 40 for texts in phrasings.values())


class FakeClassifier:
    classes_ = np.array(["both_legs", NONE, "tearing"])

    def predict_proba(self, features):
        return np.array([[0.7, 0.1, 0.2]] * features)


def test_groups_the_rules_already_read_are_not_asked_again():
    model = SuspicionModel(vector_of=None, classifier=FakeClassifier(), threshold=0.5)
    model._features = len  # one row per clause, without vectors
    assert model.suspect("legs like rubber") == ("both_legs", 0.7)
    assert model.suspect("legs like rubber", read_by_rules={"both_legs"}) is None
    assert model.suspect("no, my legs are fine") is None  # a context word: the rules read it
