from datetime import datetime, timezone

import pytest

from bot.core import contact_replies
from bot.core.contacts import CARELINE, CENTRAL, NURSE_NAVIGATOR, all_phone_numbers


def central(*args):
    return datetime(*args, tzinfo=CENTRAL)


# 2026-11-23 is a Monday.
@pytest.mark.parametrize(
    "when, is_open",
    [
        (central(2026, 11, 23, 7, 29), False),
        (central(2026, 11, 23, 7, 30), True),
        (central(2026, 11, 27, 17, 59), True),   # Friday before closing
        (central(2026, 11, 27, 18, 0), False),   # Friday at closing
        (central(2026, 11, 28, 12, 0), False),   # Saturday
        (central(2026, 11, 29, 12, 0), False),   # Sunday
    ],
)
def test_nurse_navigator_hours(when, is_open):
    assert NURSE_NAVIGATOR.is_open(when) is is_open


def test_hours_are_central_whatever_the_callers_zone():
    # 13:00 UTC on a Monday in November is 7:00 a.m. in Chicago: still closed.
    assert not NURSE_NAVIGATOR.is_open(datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc))
    assert NURSE_NAVIGATOR.is_open(datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        NURSE_NAVIGATOR.is_open(datetime(2026, 11, 23, 9, 0))


def test_next_opening_after_friday_close_is_monday_morning():
    opening = NURSE_NAVIGATOR.next_opening(central(2026, 11, 27, 18, 30))
    assert opening == central(2026, 11, 30, 7, 30)
    assert NURSE_NAVIGATOR.next_opening(central(2026, 11, 24, 6, 0)) == central(2026, 11, 24, 7, 30)
    assert NURSE_NAVIGATOR.next_opening(central(2026, 11, 24, 9, 0)) is None


def test_careline_is_always_open():
    assert CARELINE.is_open(central(2026, 11, 29, 3, 0))
    assert CARELINE.next_opening(central(2026, 11, 29, 3, 0)) is None


def test_numbers_match_the_plan_page():
    assert CARELINE.phones == ("612-339-3663", "800-551-0859")
    assert CARELINE.tty == "952-883-5474"
    assert NURSE_NAVIGATOR.phones == ("952-883-5000", "800-883-2177")
    assert NURSE_NAVIGATOR.tty == "952-883-5127"
    assert "911" in all_phone_numbers()


def test_benefits_reply_when_closed_points_to_careline():
    texts = [m["text"] for m in contact_replies.benefits(central(2026, 11, 28, 10, 0))]
    joined = " ".join(texts)
    assert "closed now" in joined and "Monday" in joined
    assert "612-339-3663" in joined and "952-883-5000" in joined


def test_benefits_reply_when_open_says_so():
    texts = [m["text"] for m in contact_replies.benefits(central(2026, 11, 24, 10, 0))]
    assert "open now" in texts[-1] and "closed" not in " ".join(texts)


def test_talk_to_person_gives_careline_tty_and_911():
    texts = " ".join(m["text"] for m in contact_replies.talk_to_person(central(2026, 11, 24, 10, 0)))
    for number in ("612-339-3663", "800-551-0859", "952-883-5474", "911", "952-883-5000"):
        assert number in texts
    assert "automated" in texts


@pytest.mark.parametrize("when", [central(2026, 11, 24, 10, 0), central(2026, 11, 28, 23, 0)])
def test_contact_messages_fit_in_an_sms(when):
    for message in contact_replies.talk_to_person(when) + contact_replies.benefits(when):
        assert len(message["text"]) <= 320
