"""SMS keywords in the channel, without servers: each keyword changes the
opt-out state, and exactly one confirmation goes out: Twilio's, or ours when
there is no Twilio (SMS_KEYWORD_REPLIES)."""
import asyncio

import pytest

from bot import PROJECT_ROOT
from bot.core import sms_replies
from bot.server.channels import sms
from bot.settings import KEYWORDS_ANSWERED_BY_TWILIO, KEYWORDS_ANSWERED_BY_US, SettingsError

ENV = {"TWILIO_ACCOUNT_SID": "ACtest", "TWILIO_AUTH_TOKEN": "test-auth-token-not-a-secret",
       "TWILIO_FROM_NUMBER": "+15550100000", "TWILIO_API_BASE": "http://127.0.0.1:9",
       "SMS_SENDER_KEY": "test-sender-key-not-a-secret"}


class Channel:
    """The SMS channel with its database rows and its sending kept in memory."""

    def __init__(self, monkeypatch, answered_by):
        self.opted_out = set()
        self.recorded, self.sent = [], []
        monkeypatch.setattr(sms.sms_store, "is_opted_out", lambda sender: sender in self.opted_out)
        monkeypatch.setattr(sms.sms_store, "set_opted_out",
                            lambda sender, out: (self.opted_out.add if out else self.opted_out.discard)(sender))
        self.input = sms.SmsInput({**ENV, "SMS_KEYWORD_REPLIES": answered_by})

        async def record(request, sender, text, replies):
            self.recorded.append((text, replies))

        self.input._record = record
        self.input._send_later = lambda sender, phone, texts, even_if_opted_out=False: self.sent.append(
            (texts, even_if_opted_out))

    def text(self, body):
        asyncio.run(self.input._answer(None, None, "sms-abc", "+16125550100", {"Body": body}))


@pytest.mark.parametrize("body, word, opted_out", [("STOP", "stop", True), ("revoke", "stop", True),
                                                   ("HELP", "help", False), ("start", "start", False)])
def test_without_twilio_we_send_the_one_confirmation(monkeypatch, body, word, opted_out):
    channel = Channel(monkeypatch, KEYWORDS_ANSWERED_BY_US)
    channel.text(body)
    reply = sms_replies.keyword_reply(word)
    assert channel.sent == [([reply], word == "stop")]  # a STOP is confirmed although opted out
    assert channel.recorded == [(body, [reply])]
    assert ("sms-abc" in channel.opted_out) == opted_out


@pytest.mark.parametrize("body", ["STOP", "OPTOUT", "HELP", "UNSTOP"])
def test_with_twilio_we_send_nothing_and_keep_the_state(monkeypatch, body):
    channel = Channel(monkeypatch, KEYWORDS_ANSWERED_BY_TWILIO)
    channel.text(body)
    assert channel.sent == [] and channel.recorded == [(body, [])]
    assert ("sms-abc" in channel.opted_out) == (body in ("STOP", "OPTOUT"))


def test_yes_opts_back_in_a_number_that_opted_out(monkeypatch):
    channel = Channel(monkeypatch, KEYWORDS_ANSWERED_BY_TWILIO)
    channel.text("STOP")
    channel.text("yes")
    assert "sms-abc" not in channel.opted_out


def test_an_unknown_keyword_setting_is_refused():
    with pytest.raises(SettingsError, match="SMS_KEYWORD_REPLIES"):
        sms.SmsInput({**ENV, "SMS_KEYWORD_REPLIES": "both"})


def test_the_readme_gives_the_deployment_the_same_keyword_replies():
    """The Messaging Service's opt-out replies are pasted from the README:
    they must be the texts the assistant sends without Twilio."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    for word, label in (("stop", "Opt-out"), ("start", "Opt-in"), ("help", "Help")):
        assert f"- {label}: `{sms_replies.keyword_reply(word)}`" in readme
