"""SMS end to end: signed Twilio webhooks into the running assistant, replies
caught by a local fake of Twilio's Messages API (nothing reaches the internet)."""
import random
import uuid

import pytest

from bot.devtools.sms_sim import post_signed, send_inbound
from bot.core import sms_replies
from bot.server.channels import sms_text
from bot.server.channels.sms import sender_key
from bot.server.channels.twilio import signature
from bot.store.db import session_scope
from bot.store.models import SmsDelivery
from tests.conftest import SMS_TEST_ENV, eventually

TOKEN = SMS_TEST_ENV["TWILIO_AUTH_TOKEN"]


def new_phone() -> str:
    return f"+1612{random.randint(2000000, 9999999)}"


@pytest.fixture
def sms(server, fake_twilio):
    webhook = f"{server.url}/webhooks/sms/webhook"

    def send(phone, body, **kwargs):
        return send_inbound(webhook, TOKEN, phone, body, **kwargs)

    send.webhook = webhook
    return send


def conversation_events(server, phone):
    key = sender_key(phone, SMS_TEST_ENV["SMS_SENDER_KEY"])
    return [e for e in server.tracker(key)["events"] if e["event"] in ("user", "bot")]


def test_a_signed_question_gets_its_answer_by_sms(sms, fake_twilio):
    phone = new_phone()
    assert sms(phone, "should I stay in bed?") == 200
    replies = fake_twilio.wait_for(phone, quiet=1)
    assert replies and "moving early helps" in " ".join(replies).lower()
    assert all(sms_text.fits(r) for r in replies)


@pytest.mark.parametrize("signature_value", ["", "bm90IHRoZSByaWdodCBvbmU=",
                                             signature("wrong-token", "http://x", [])])
def test_missing_or_wrong_signature_gets_403_and_nothing_happens(sms, server, fake_twilio,
                                                                 signature_value):
    phone = new_phone()
    assert sms(phone, "i cant feel my legs", signature_override=signature_value) == 403
    assert fake_twilio.wait_for(phone, timeout=2) == []
    assert conversation_events(server, phone) == []


def test_a_signature_for_another_url_is_refused(sms, fake_twilio):
    phone = new_phone()
    assert sms(phone, "hi", signed_url="https://evil.example/webhooks/sms/webhook") == 403


# The test server has a Twilio account (a fake one), so Twilio's opt-out
# handling sends the one confirmation of each keyword: we send none, and keep
# our opt-out state the same as Twilio's block list.
@pytest.mark.parametrize("stop, start", [("STOP", "START"), ("revoke", "unstop"), ("OPTOUT", "yes"),
                                         ("stopall", "Start")])
def test_an_opt_out_keyword_means_no_more_texts_until_an_opt_in_keyword(sms, fake_twilio, server, stop, start):
    phone = new_phone()
    assert sms(phone, stop) == 200
    assert sms(phone, "what exercises help?") == 200
    assert fake_twilio.wait_for(phone, timeout=4) == []  # no confirmation from us, and no answer
    # Still stored for the nurses, even though nothing was sent.
    said = [e.get("text") for e in conversation_events(server, phone) if e["event"] == "user"]
    assert said == [stop, "what exercises help?"]
    assert sms(phone, start) == 200
    assert sms(phone, "ice or heat?") == 200
    replies = " ".join(fake_twilio.wait_for(phone, quiet=1.5))
    assert "48-72 hours" in replies and "back on" not in replies  # Twilio confirms START itself


def test_help_is_answered_by_twilio_alone_and_kept_in_the_transcript(sms, fake_twilio, server):
    phone = new_phone()
    assert sms(phone, "HELP") == 200
    assert sms(phone, "ice or heat?") == 200
    replies = fake_twilio.wait_for(phone, quiet=1.5)
    assert sms_replies.PROGRAM not in " ".join(replies) and "48-72 hours" in " ".join(replies)
    said = [e.get("text") for e in conversation_events(server, phone) if e["event"] == "user"]
    assert said[0] == "HELP"


def test_yes_from_a_subscribed_number_answers_the_question(sms, fake_twilio):
    phone = new_phone()
    assert sms(phone, "my back hurts and I think I wet myself") == 200
    assert "911" in " ".join(fake_twilio.wait_for(phone, quiet=1.5))
    count = len(fake_twilio.to(phone))
    assert sms(phone, "yes") == 200
    assert len(fake_twilio.wait_for(phone, count + 1, quiet=1.5)) > count  # an answer, not an opt-in


def test_heat_or_ice_comes_in_at_most_two_texts(sms, fake_twilio):
    phone = new_phone()
    assert sms(phone, "is ice or heat better for my back?") == 200
    replies = fake_twilio.wait_for(phone, quiet=1.5)
    assert 1 <= len(replies) <= 2 and "48-72 hours" in " ".join(replies)


def test_numbered_buttons_round_trip(sms, fake_twilio, server):
    phone = new_phone()
    sms(phone, "hi")
    greeting = " ".join(fake_twilio.wait_for(phone, quiet=1))
    assert "Reply with a number:\n1 Check my symptoms\n2 Myths" in greeting
    sms(phone, "2")  # the Myths option
    myths = " ".join(fake_twilio.wait_for(phone, len(fake_twilio.to(phone)) + 1, quiet=1.5))
    assert "myth" in myths.lower()
    chosen = [e for e in conversation_events(server, phone) if e["event"] == "user"][-1]
    assert chosen["metadata"]["sms_choice"] == {"typed": "2", "meant": "Myths"}  # for the transcript


def test_long_answers_arrive_whole_in_order_and_within_320(sms, fake_twilio, server):
    question = "what exercises can I do for my lower back?"
    expected = [sms_text.to_gsm(r["text"]) for r in server.send(f"rest-{uuid.uuid4().hex[:6]}",
                                                                  question) if r.get("text")]
    phone = new_phone()
    sms(phone, question)
    replies = fake_twilio.wait_for(phone, quiet=1.5)
    assert all(sms_text.fits(r) for r in replies)
    joined = "\n".join(replies)
    positions = [joined.find(text) for text in expected]
    assert -1 not in positions and positions == sorted(positions)


def test_an_emergency_gets_911_and_careline_in_the_first_text(sms, fake_twilio):
    phone = new_phone()
    assert sms(phone, "my back hurts and i cant control my bladder, legs numb") == 200
    first = fake_twilio.wait_for(phone)[0]
    assert "911" in first and "612-339-3663" in first


def test_a_repeated_message_sid_is_answered_once(sms, fake_twilio, server):
    phone, sid = new_phone(), "SM" + uuid.uuid4().hex
    assert sms(phone, "ice or heat?", message_sid=sid) == 200
    assert sms(phone, "ice or heat?", message_sid=sid) == 200
    replies = fake_twilio.wait_for(phone, quiet=2)
    assert len(replies) == len(set(replies)) and "48-72 hours" in " ".join(replies)
    assert [e["event"] for e in conversation_events(server, phone)].count("user") == 1


@pytest.mark.parametrize("body, extra", [
    ("", None),
    ("", {"NumMedia": "1", "MediaUrl0": "https://example.invalid/x.jpg"}),
])
def test_empty_and_picture_only_messages_get_a_text_only_reply(sms, fake_twilio, body, extra):
    phone = new_phone()
    assert sms(phone, body, extra=extra) == 200
    (reply,) = fake_twilio.wait_for(phone, quiet=1)
    assert "only read text" in reply and "612-339-3663" in reply


@pytest.mark.parametrize("body", ["my back hurts 😣😣 since yesterday", "ça fait mal au dos",
                                  "help " * 1500, "<script>alert(1)</script>"])
def test_odd_texts_get_a_reply(sms, fake_twilio, body):
    phone = new_phone()
    assert sms(phone, body) == 200
    replies = fake_twilio.wait_for(phone)
    assert replies and all(sms_text.fits(r) for r in replies)


def test_twilio_errors_are_retried(sms, fake_twilio):
    phone = new_phone()
    fake_twilio.fail_next = 2
    assert sms(phone, "ice or heat?") == 200
    assert "48-72 hours" in " ".join(fake_twilio.wait_for(phone, timeout=20, quiet=1))


def test_bad_requests_are_refused(server):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(f"{server.url}/webhooks/sms/webhook", data=b"\x00\xff{",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_no_phone_number_or_text_in_the_logs(sms, fake_twilio, server):
    phone = "+16125559876"
    sms(phone, "my unusual words zebra-kumquat hurt")
    fake_twilio.wait_for(phone, quiet=1)
    log = "".join(server.output)
    assert "5559876" not in log and "zebra-kumquat" not in log


def deliveries(server, phone):
    key = sender_key(phone, SMS_TEST_ENV["SMS_SENDER_KEY"])
    with session_scope(server.database_url) as session:
        return {d.message_sid: (d.status, d.escalation, d.error_code) for d in
                session.query(SmsDelivery).filter(SmsDelivery.sender_id == key)}


def test_each_text_asks_twilio_for_its_status_and_is_kept(sms, fake_twilio, server):
    phone = new_phone()
    assert sms(phone, "my back hurts and I can't feel my legs") == 200
    fake_twilio.wait_for(phone, quiet=1.5)
    forms = fake_twilio.forms_to(phone)
    assert forms and all(f["StatusCallback"] == SMS_TEST_ENV["SMS_STATUS_CALLBACK_URL"] for f in forms)
    kept = eventually(lambda: deliveries(server, phone) if len(deliveries(server, phone)) == len(forms) else None)
    assert set(kept) == {f["Sid"] for f in forms}
    assert all(escalation for _, escalation, _ in kept.values()), "the 911 reply is an escalation"


def test_an_undelivered_escalation_text_is_recorded_from_a_signed_callback(sms, fake_twilio, server):
    phone = new_phone()
    assert sms(phone, "i wet myself and my back is killing me") == 200
    fake_twilio.wait_for(phone, quiet=1.5)
    sid = fake_twilio.forms_to(phone)[0]["Sid"]
    assert eventually(lambda: sid in deliveries(server, phone))
    status_url = f"{server.url}/webhooks/sms/status"
    callback = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30003",
                "AccountSid": SMS_TEST_ENV["TWILIO_ACCOUNT_SID"]}
    assert post_signed(status_url, TOKEN, callback, signature_override="bm90IHRoZSByaWdodCBvbmU=") == 403
    assert deliveries(server, phone)[sid][0] == "queued", "a forged callback changes nothing"
    assert post_signed(status_url, TOKEN, {"MessageSid": sid}) == 400
    assert post_signed(status_url, TOKEN, callback) == 204
    assert deliveries(server, phone)[sid] == ("undelivered", True, "30003")
    late = {**callback, "MessageStatus": "sent", "ErrorCode": ""}
    assert post_signed(status_url, TOKEN, late) == 204
    assert deliveries(server, phone)[sid][0] == "undelivered", "a late callback never takes a text back"
    assert post_signed(status_url, TOKEN, {**callback, "MessageSid": "SMnotours"}) == 204
