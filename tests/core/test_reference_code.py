"""Reference codes of escalations: easy to read out, hard to mistake or guess."""
import re

from bot.core import reference_code as rc


def test_new_codes_use_only_the_unambiguous_alphabet_and_differ():
    codes = {rc.new_code() for _ in range(500)}
    assert len(codes) == 500  # about 240 million possible: no repeats in 500 draws
    assert all(re.fullmatch(f"[{rc.ALPHABET}]{{6}}", code) for code in codes)
    assert not set("0O1IL5S2Z8B") & set(rc.ALPHABET), "no look-alike characters"


def test_a_code_is_shown_in_two_halves_and_read_back_however_it_is_typed():
    assert rc.shown("K7Q4MP") == "K7Q-4MP"
    for typed in ("K7Q-4MP", "k7q4mp", " k7q 4mp ", "K7Q - 4MP"):
        assert rc.parse(typed) == "K7Q4MP", typed


def test_anything_that_cannot_be_a_code_is_refused():
    for typed in (None, "", "K7Q4M", "K7Q4MPX", "K7Q4M0", "KIQ4MP", "<script>", "K7Q4MP" * 10, 123456,
                  "ＫＱ７４ＭＰ"):
        assert rc.parse(typed) is None, typed


def test_stamp_puts_the_code_in_call_cards_only_and_leaves_the_originals_alone():
    card = {"handoff": {"level": "emergency", "phones": ["911"]}}
    messages = [{"text": "Call 911 now.", "json_message": card}, {"text": "More."},
                {"custom": {"handoff": {"level": "urgent"}}}]
    stamped = rc.stamp(messages, "K7Q4MP")
    assert stamped[0]["json_message"]["handoff"]["code"] == "K7Q-4MP"
    assert stamped[2]["custom"]["handoff"]["code"] == "K7Q-4MP"
    assert stamped[1] == {"text": "More."}
    assert "code" not in card["handoff"], "a copy: the reply builders' dicts are not changed"
    assert rc.codes_in(stamped) == {"K7Q4MP"} and rc.codes_in(messages) == set()
