"""What became of each SMS we sent, on SQLite and PostgreSQL."""
from bot.server.channels import twilio
from bot.store import sms as sms_store
from bot.store.db import session_scope
from bot.store.models import SmsDelivery


def test_statuses_move_forward_only_and_unknown_texts_are_ignored(db_url):
    sms_store.record_sent("SM1", "sms-a", True, "queued", url=db_url)
    assert sms_store.update_status("SM1", "delivered", url=db_url)
    assert sms_store.update_status("SM1", "sent", url=db_url)  # a late callback
    with session_scope(db_url) as session:
        assert session.get(SmsDelivery, "SM1").status == "delivered"
    assert not sms_store.update_status("SM-never-sent", "failed", "30003", url=db_url)


def test_the_status_callback_is_on_the_public_url_when_there_is_one():
    env = {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t" * 32, "TWILIO_FROM_NUMBER": "+15550100000",
           "TWILIO_API_BASE": "https://api.twilio.com"}
    assert twilio.config_from(env).status_callback is None
    public = twilio.config_from({**env, "SMS_PUBLIC_URL": "https://bot.example.org/"})
    assert public.status_callback == "https://bot.example.org/webhooks/sms/status"
