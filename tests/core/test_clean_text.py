"""Text is made safe before anything reads it (issue 14, finding 4)."""
import pytest

from bot.core.clean_text import clean, fold_lookalikes
from bot.nlu.red_flag_detector import affirmed_codes, detect


@pytest.mark.parametrize("written, code", [
    ("ｉ ｃａｎ'ｔ ｆｅｅｌ ｍｙ ｌｅｇｓ", "leg_weakness_bilateral"),     # fullwidth
    ("i wet my\u200bself and my back hurts", "bladder_bowel_loss"),   # zero-width space
    ("i can\u2019t p\u00adee", "urinary_retention"),                   # soft hyphen inside a word
    ("i\u202e can't pee", "urinary_retention"),                        # bidi override
    ("і сапt fееl my lеgs", "leg_weakness_bilateral"),                 # Cyrillic lookalikes
    ("CAÍ POR LAS ESCALERAS Y NO SIENTO LAS PIERNAS", "leg_weakness_bilateral"),  # capital accents
])
def test_a_red_flag_cannot_hide_in_lookalike_or_invisible_characters(written, code):
    assert code in affirmed_codes(clean(written))


def test_a_lone_surrogate_becomes_a_replacement_character_and_the_rest_is_read():
    text = clean("i \ud800 cant pee")
    assert "\ufffd" in text and text.encode("utf-8")  # storable
    assert "urinary_retention" in affirmed_codes(text)


def test_control_characters_become_spaces_but_lines_stay():
    assert clean("a\x07b\x1bc\r\nd\te") == "a b c\nd\te"


def test_ordinary_text_and_other_scripts_are_kept_as_written():
    for text in ["My back hurts since Monday, 7/10.", "Мне больно", "腰が痛い", "me duele la espalda 😣"]:
        assert clean(text) == text


def test_lookalikes_are_folded_one_for_one():
    assert fold_lookalikes("сапt") == "cant" and len(fold_lookalikes("Мне")) == 3


@pytest.mark.parametrize("text", ["\ud800", "\udfff" * 10, "\x00" * 5, "\u200b" * 100])
def test_the_detector_never_throws_on_cleaned_junk(text):
    assert detect(clean(text)) == []
