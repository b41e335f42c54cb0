"""The warm handoff end to end: a real escalation on the running assistant
gives a reference code (call card, SMS), and a CareLine nurse who types it into
the running review workspace sees where the assistant stopped; a wrong code
gets nothing."""
import re
import subprocess
import sys
import uuid

import requests

from bot import PROJECT_ROOT
from bot.core import reference_code
from bot.devtools.sms_sim import send_inbound
from bot.store.handoffs import handoffs_for
from tests.conftest import SMS_TEST_ENV

PASSWORD = "warm handoff test password"
CODE_SHAPE = re.compile(rf"[{reference_code.ALPHABET}]{{3}}-[{reference_code.ALPHABET}]{{3}}")


def nurse_session(server):
    name = f"careline-{uuid.uuid4().hex[:6]}"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "nurses", "add", name, "--role", "nurse", "--password-stdin"],
        input=PASSWORD + "\n", cwd=PROJECT_ROOT, env=server.env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    session = requests.Session()
    session.post(f"{server.review_url}/login", data={
        "name": name, "password": PASSWORD, "csrf_token": csrf(session.get(f"{server.review_url}/login").text)})
    return session


def csrf(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def look_up(server, session, code):
    token = csrf(session.get(f"{server.review_url}/handoff").text)
    return session.post(f"{server.review_url}/handoff", data={"code": code, "csrf_token": token})


def card_of(replies):
    (card,) = [r["custom"]["handoff"] for r in replies if (r.get("custom") or {}).get("handoff")]
    return card


def test_a_careline_nurse_finds_a_web_escalation_by_its_code(server):
    sender = f"warm-{uuid.uuid4().hex[:8]}"
    for answer in ("my lower back hurts", "lower back", "first time", "about 3 weeks"):
        server.send(sender, answer)
    card = card_of(server.send(sender, "i peed myself this morning and didnt notice"))
    assert card["level"] == "emergency" and CODE_SHAPE.fullmatch(card["code"])
    # Hesitating keeps the same card, with the same code.
    assert card_of(server.send(sender, "its probably nothing"))["code"] == card["code"]

    nurse = nurse_session(server)
    page = look_up(server, nurse, card["code"].lower().replace("-", " ")).text
    for words in (f"Code {card['code']}", "Call 911 now", "i peed myself this morning",
                  "Loss of bladder or bowel control", "“peed myself”", "lower back", "first time",
                  "about 3 weeks", "They wrote 1 more message after this."):
        assert words in page, words

    wrong = look_up(server, nurse, "AAA-AAA")
    assert wrong.status_code == 200 and "No escalation matches that code." in wrong.text
    assert "peed myself" not in wrong.text


def test_an_sms_escalation_texts_the_code_that_finds_it(server, fake_twilio):
    phone = f"+1612{uuid.uuid4().int % 8000000 + 2000000}"
    assert send_inbound(f"{server.url}/webhooks/sms/webhook", SMS_TEST_ENV["TWILIO_AUTH_TOKEN"], phone,
                        "my back hurts and i cant control my bladder") == 200
    first = fake_twilio.wait_for(phone)[0]
    code = CODE_SHAPE.search(first.split("Code for the nurse:")[1]).group(0)
    assert "911" in first and "612-339-3663" in first
    page = look_up(server, nurse_session(server), code).text
    assert "Loss of bladder or bowel control" in page and "sms" in page
    assert phone not in page, "nurses do not see the phone number"
    stored = [h["reference_code"] for h in handoffs_for_phone(server, phone)]
    assert reference_code.parse(code) in stored


def handoffs_for_phone(server, phone):
    from bot.server.channels.sms import sender_key

    return handoffs_for(sender_key(phone, SMS_TEST_ENV["SMS_SENDER_KEY"]), server.database_url)
