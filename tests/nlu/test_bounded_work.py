"""The work per message is bounded (issue 14, finding 3): the classifier reads
at most MAX_TOKENS words, and the detector reads a text once per process."""
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import red_flag_detector
from bot.nlu.bounded_tokenizer import MAX_TOKENS, BoundedWhitespaceTokenizer


def test_the_classifier_reads_at_most_max_tokens_words():
    tokenizer = BoundedWhitespaceTokenizer(BoundedWhitespaceTokenizer.get_default_config())
    long = Message(data={TEXT: "my back hurts " * 2000})
    short = Message(data={TEXT: "my back hurts since monday"})
    assert len(tokenizer.tokenize(long, TEXT)) == MAX_TOKENS
    assert [t.text for t in tokenizer.tokenize(short, TEXT)] == ["my", "back", "hurts", "since", "monday"]


def test_the_detector_reads_each_text_once_and_gives_the_same_mentions():
    text = "story " * 3000 + "and now i cant feel my legs"
    first = red_flag_detector.detect(text)
    hits = red_flag_detector._detect_cached.cache_info().hits
    again = red_flag_detector.detect(text)
    assert red_flag_detector._detect_cached.cache_info().hits == hits + 1
    assert again == first and [m.code for m in first] == ["leg_weakness_bilateral"]
    again.clear()  # a caller changing its list does not change the cache
    assert red_flag_detector.detect(text) == first
