"""Dense word-vector features: unseen words land near related words."""
import numpy as np
import pytest
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.word_vectors import WordVectorFeaturizer, WordVectorTable, sentence_vector
from bot.ops import vectors


@pytest.fixture(scope="module")
def table():
    return WordVectorTable(vectors.VECTORS_DIR)


def cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_medical_words_are_near_their_meaning(table):
    assert cosine(table.vector("sciatica"), table.vector("nerve")) > 0.3
    assert cosine(table.vector("sciatica"), table.vector("pizza")) < 0.15
    assert cosine(table.vector("oxycodone"), table.vector("painkillers")) > 0.4


def test_capitals_do_not_change_the_meaning(table):
    assert np.array_equal(table.vector("Sciatica"), table.vector("sciatica"))


def test_an_unknown_word_is_zeros_and_leaves_the_mean_alone(table):
    assert not table.vector("qwzxyq").any()
    with_unknown = sentence_vector(table.sequence(["back", "pain", "qwzxyq"]))
    without = sentence_vector(table.sequence(["back", "pain"]))
    assert np.allclose(with_unknown, without)
    assert np.isclose(np.linalg.norm(without), 1.0)


def test_no_known_word_gives_a_zero_sentence_vector(table):
    assert not sentence_vector(table.sequence(["qwzxyq"])).any()
    assert table.sequence([]).shape == (1, table.dim)


def test_the_featurizer_adds_one_row_per_token_and_one_for_the_message(table):
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = WordVectorFeaturizer(
        {**WordVectorFeaturizer.get_default_config(), "alias": "word_vectors"}, "vectors", table)
    message = Message({TEXT: "my lumbago is back"})
    tokenizer.process([message])
    featurizer.process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence.features.shape == (4, table.dim)
    assert sentence.features.shape == (1, table.dim)


def test_a_missing_table_is_a_clear_error(tmp_path):
    from unittest.mock import Mock
    with pytest.raises(vectors.VectorsError, match="make setup"):
        WordVectorFeaturizer.create({"vectors_dir": str(tmp_path)}, Mock(), Mock(), Mock())
