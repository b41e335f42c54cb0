"""SMS formatting and Twilio signatures, without servers."""
import pytest

from bot.core import sms_replies
from bot.server.channels import sms_text
from bot.server.channels.sms import sender_key
from bot.server.channels.twilio import signature, valid_signature

TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
TWILIO_PARAMS = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675309", "Digits": "1234",
                 "From": "+14158675309", "To": "+18005551212"}


def test_signature_matches_twilios_documented_examples():
    assert signature("12345", TWILIO_URL, TWILIO_PARAMS.items()) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"),
                ("Digits", "1234"), ("Digits", "1234")]
    assert signature("12345", TWILIO_URL, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


@pytest.mark.parametrize("token, url, params, given", [
    ("12345", TWILIO_URL, {**TWILIO_PARAMS, "Digits": "9999"}, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
    ("12345", TWILIO_URL + "&x=1", TWILIO_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
    ("54321", TWILIO_URL, TWILIO_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
    ("12345", TWILIO_URL, TWILIO_PARAMS, ""),
    ("12345", TWILIO_URL, TWILIO_PARAMS, None),
    ("", TWILIO_URL, TWILIO_PARAMS, signature("", TWILIO_URL, TWILIO_PARAMS.items())),
])
def test_tampered_or_missing_signatures_are_refused(token, url, params, given):
    assert not valid_signature(token, url, params.items(), given)


@pytest.mark.parametrize("signed, checked", [
    ("https://bot.example.org/webhooks/sms/webhook", "https://bot.example.org:443/webhooks/sms/webhook"),
    ("https://bot.example.org:443/webhooks/sms/webhook", "https://bot.example.org/webhooks/sms/webhook"),
])
def test_a_url_signed_with_or_without_the_default_port_is_accepted(signed, checked):
    assert valid_signature("12345", checked, TWILIO_PARAMS.items(),
                           signature("12345", signed, TWILIO_PARAMS.items()))


def test_another_port_is_another_url():
    signed = signature("12345", "https://bot.example.org:8443/webhooks/sms/webhook", TWILIO_PARAMS.items())
    assert not valid_signature("12345", "https://bot.example.org/webhooks/sms/webhook",
                               TWILIO_PARAMS.items(), signed)


def test_sender_key_is_a_keyed_hash_of_the_number():
    key = sender_key("+1 612 555 0134", "secret")
    assert key == sender_key("+16125550134", "secret") and key.startswith("sms-")
    assert "6125550134" not in key and key != sender_key("+16125550134", "other secret")


@pytest.mark.parametrize("body, word", [
    ("STOP", "stop"), ("stop", "stop"), (" Stop! ", "stop"), ("unsubscribe", "stop"),
    ("CANCEL", "stop"), ("end", "stop"), ("quit", "stop"), ("STOPALL", "stop"), ("REVOKE", "stop"),
    ("optout", "stop"), ("START", "start"), ("unstop", "start"), ("HELP", "help"), ("info", "help"),
    ("stop the check", None), ("yes", None), ("help me my back hurts", None), ("", None),
    ("never mind", None),
])
def test_keywords_are_twilios_defaults(body, word):
    assert sms_text.keyword(body, opted_out=False) == word


def test_yes_opts_back_in_only_a_number_that_opted_out():
    """As Twilio does; otherwise "yes" answers the assistant's question."""
    assert sms_text.keyword("YES", opted_out=True) == "start"
    assert sms_text.keyword("yes", opted_out=False) is None
    assert sms_text.keyword("yes please", opted_out=True) is None


@pytest.mark.parametrize("word, needs", [("stop", "START"), ("start", "STOP"), ("help", "911")])
def test_each_keyword_has_its_confirmation(word, needs):
    text = sms_replies.keyword_reply(word)
    assert needs in text and sms_replies.PROGRAM in text and sms_text.fits(text)


def test_help_names_the_program_careline_and_how_to_stop():
    text = sms_replies.help_text()
    assert sms_replies.PROGRAM in text and "612-339-3663" in text and "STOP" in text
    assert "911" in text and sms_text.fits(text)


def test_gsm_units_count_extended_characters_twice_and_reject_emoji():
    assert sms_text.gsm_units("abc") == 3
    assert sms_text.gsm_units("a{b}") == 6
    assert sms_text.gsm_units("back pain 😣") is None
    assert sms_text.fits("x" * 320) and not sms_text.fits("x" * 321)
    assert sms_text.fits("😣" * 134) and not sms_text.fits("😣" * 135)


def test_buttons_become_numbered_options_and_numbers_map_back():
    out = sms_text.render([{"text": "What would you like to know?", "buttons": [
        {"title": "Myths", "payload": "/myths_overview"},
        {"title": "Talk to a nurse", "payload": "/talk_to_person"}]}])
    assert out.texts == ["What would you like to know?\nReply with a number:\n1 Myths\n2 Talk to a nurse"]
    assert sms_text.choose("2", out.menu) == ("Talk to a nurse", "/talk_to_person")
    assert sms_text.choose(" 1. ", out.menu) == ("Myths", "/myths_overview")
    assert sms_text.choose("3", out.menu) is None and sms_text.choose("7/10", out.menu) is None
    assert sms_text.choose("1", []) is None


def test_a_handoff_puts_911_and_careline_first():
    handoff = {"level": "emergency", "line": "911", "phones": ["911", "612-339-3663"],
               "tty": "952-883-5474", "reasons": ["x"]}
    out = sms_text.render([{"text": "This could be serious. " * 12}, {"custom": {"handoff": handoff}},
                           {"text": "If you are not sure, call CareLine."}])
    assert "911" in out.texts[0] and "612-339-3663" in out.texts[0]
    assert out.texts[0].startswith("CALL 911 NOW")
    urgent = sms_text.render([{"custom": {"handoff": {**handoff, "level": "urgent",
                                                      "phones": ["612-339-3663"]}}}])
    assert urgent.texts[0].startswith("Call a CareLine nurse now") and "911" in urgent.texts[0]


def test_the_reference_code_is_in_the_first_text_with_the_numbers():
    handoff = {"level": "urgent", "line": "careline", "phones": ["612-339-3663"],
               "tty": "952-883-5474", "reasons": ["x"], "code": "K7Q-4MP"}
    out = sms_text.render([{"text": "Please talk to a CareLine nurse now. " * 6},
                           {"custom": {"handoff": handoff}}])
    assert "Code for the nurse: K7Q-4MP." in out.texts[0] and "612-339-3663" in out.texts[0]
    without = sms_text.render([{"custom": {"handoff": {**handoff, "code": None}}}])
    assert "Code" not in without.texts[0]


def test_a_handoff_for_someone_else_says_to_call_for_them():
    handoff = {"level": "emergency", "line": "911", "phones": ["911", "612-339-3663"],
               "tty": "952-883-5474", "reasons": ["x"], "for_someone_else": True}
    out = sms_text.render([{"text": "This could be serious for them."}, {"custom": {"handoff": handoff}}])
    assert out.texts[0].startswith("CALL 911 NOW for them or get them to the nearest ER")
    urgent = {**handoff, "level": "urgent", "line": "careline", "phones": ["612-339-3663"]}
    out = sms_text.render([{"text": "They should talk to a nurse."}, {"custom": {"handoff": urgent}}])
    assert out.texts[0].startswith("Call a CareLine nurse for them now")


def test_long_replies_split_at_sentences_in_order():
    sentences = [f"Sentence number {n} says something useful about backs." for n in range(20)]
    out = sms_text.render([{"text": " ".join(sentences)}])
    assert len(out.texts) > 1 and all(sms_text.fits(t) for t in out.texts)
    assert " ".join(out.texts).split() == " ".join(sentences).split()
    assert all(t.endswith(".") for t in out.texts)


def test_a_single_enormous_word_is_cut_not_lost():
    out = sms_text.pack(["x" * 1000])
    assert "".join(out) == "x" * 1000 and all(sms_text.fits(t) for t in out)


def test_links_and_typography_become_plain_gsm_text():
    out = sms_text.render([{"text": "See [our page](https://example.org/back) – it’s “short”…"}])
    assert out.texts == ["See our page: https://example.org/back - it's \"short\"..."]
    assert sms_text.gsm_units(out.texts[0]) is not None
