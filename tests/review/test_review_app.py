"""The review workspace over HTTP (Flask's test client): access control, CSRF,
sessions, escaping, masking, exports and the audit log."""
import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bot.devtools import synthetic as syn
from bot.review import accounts
from bot.review.app import create_app
from bot.store.db import session_scope
from bot.store import sms as sms_store
from bot.store.models import AuditEntry, LoginSession, Note, Review
from tests.review.conversations import T0, add, convo

PASSWORD = "correct horse battery"
PHONE_TEXT = "<script>alert('x')</script> call me at 612-555-0134"


@pytest.fixture
def app(db_url):
    with session_scope(db_url) as session:
        accounts.add_nurse(session, "ann", "nurse", PASSWORD)
        accounts.add_nurse(session, "sue", "supervisor", PASSWORD)
    add(db_url, "+16125550199", convo(T0, "emergency", "bladder_bowel_loss", channel="sms")
        + [syn.user(T0 + 9, PHONE_TEXT, "nlu_fallback", 0.3, "sms")])
    add(db_url, "web-visitor-1", convo(T0 + 100))
    application = create_app(db_url, secret_key="test-only")
    application.config["DB"] = db_url
    return application


def csrf(page_text):
    return re.search(r'name="csrf_token" value="([^"]+)"', page_text).group(1)


def login(client, name="ann", password=PASSWORD):
    token = csrf(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token})


def first_conversation(client):
    page = client.get("/queue").text
    return int(re.search(r'href="/conversations/(\d+)"', page).group(1))


def test_every_page_needs_a_login(app):
    client = app.test_client()
    for path in ("/", "/queue", "/queue.csv", "/conversations/1", "/corrections.yml", "/audit"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    for path in ("/conversations/1/review", "/conversations/1/notes", "/logout"):
        assert client.post(path).status_code == 400  # no CSRF token, so not even looked at


def test_login_then_queue_shows_the_escalation_first(app):
    client = app.test_client()
    assert login(client).headers["Location"].endswith("/queue")
    page = client.get("/queue").text
    first_row = page[page.index("<tbody>"):page.index("</tr>", page.index("<tbody>"))]
    assert "emergency" in first_row and "bladder_bowel_loss" in first_row
    assert "…0199" in first_row and "+16125550199" not in page  # nurses see the last 4 only
    assert "Last activity (Central time)" in page and "2026-11-20 05:" in first_row and "CST" in first_row
    assert '<abbr title="bladder_bowel_loss">Loss of bladder or bowel control</abbr>' in first_row


def test_wrong_password_is_refused_and_counted(app):
    client = app.test_client()
    response = login(client, password="not the password")
    assert response.status_code == 401 and "Wrong name or password" in response.text
    assert client.get("/queue").status_code == 302
    with session_scope(app.config["DB"]) as session:
        actions = [e.action for e in session.query(AuditEntry)]
    assert actions == ["login_failed"]


def test_lockout_over_http(app):
    client = app.test_client()
    for _ in range(accounts.MAX_FAILED_LOGINS):
        login(client, password="not the password")
    assert "Too many failed attempts" in login(client).text
    assert client.get("/queue").status_code == 302


def test_csrf_token_is_required_on_every_form(app):
    client = app.test_client()
    login(client)
    conversation = first_conversation(client)
    for path, data in [(f"/conversations/{conversation}/review", {"reviewed": "1"}),
                       (f"/conversations/{conversation}/notes", {"text": "forged"}),
                       ("/logout", {})]:
        assert client.post(path, data=data).status_code == 400
        assert client.post(path, data={**data, "csrf_token": "forged"}).status_code == 400
    with session_scope(app.config["DB"]) as session:
        assert session.query(Note).count() == 0 and session.query(Review).count() == 0
    assert client.get("/queue").status_code == 200  # still signed in


def test_a_session_cannot_be_reused_after_logout(app):
    client = app.test_client()
    login(client)
    stolen = client.get_cookie("review_session").value
    client.post("/logout", data={"csrf_token": csrf(client.get("/queue").text)})
    thief = app.test_client()
    thief.set_cookie("review_session", stolen)
    response = thief.get("/queue")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_idle_sessions_are_signed_out(app):
    client = app.test_client()
    login(client)
    with session_scope(app.config["DB"]) as session:
        for row in session.query(LoginSession):
            row.last_seen_at -= accounts.IDLE_LIMIT + timedelta(seconds=5)
    response = client.get("/queue")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "15 minutes" in client.get(response.headers["Location"]).text


def test_session_cookie_flags(app):
    client = app.test_client()
    cookie = login(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure_client = app.test_client()
    token = csrf(secure_client.get("/login", base_url="https://review.example").text)
    response = secure_client.post("/login", base_url="https://review.example",
                                  data={"name": "ann", "password": PASSWORD, "csrf_token": token})
    assert "Secure" in response.headers["Set-Cookie"]


def test_pages_are_not_cached_or_framed(app):
    client = app.test_client()
    login(client)
    response = client.get("/queue")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_login_redirects_only_to_this_site(app):
    client = app.test_client()
    token = csrf(client.get("/login").text)
    response = client.post("/login?next=https://evil.example/x",
                           data={"name": "ann", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/queue")


def test_transcript_escapes_html_and_masks_identifiers_for_nurses(app):
    client = app.test_client()
    login(client)
    page = client.get(f"/conversations/{first_conversation(client)}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "612-555-0134" not in page and "0134" in page
    assert "bladder_bowel_loss" in page and 'class="turn system disposition"' in page
    assert "Call 911 now." in page


def test_supervisors_see_identifiers_and_the_audit_log(app):
    nurse = app.test_client()
    login(nurse)
    assert nurse.get("/audit").status_code == 403
    supervisor = app.test_client()
    login(supervisor, "sue")
    conversation = first_conversation(supervisor)
    page = supervisor.get(f"/conversations/{conversation}").text
    assert "612-555-0134" in page and "+16125550199" in page
    audit_page = supervisor.get("/audit").text
    assert "view" in audit_page and "+16125550199" in audit_page


def test_note_review_tag_and_correction_round_trip(app):
    client = app.test_client()
    login(client)
    conversation = first_conversation(client)
    url = f"/conversations/{conversation}"
    page = client.get(url).text
    event_id = re.search(r'name="event_id" value="(\d+)"', page).group(1)
    for path, data in [("/notes", {"text": "Spoke with member <b>today</b>."}),
                       ("/review", {"reviewed": "1"}),
                       ("/tags", {"tag": "missed red flag", "on": "1"}),
                       ("/corrections", {"event_id": event_id, "intent": "ask_benefits"})]:
        response = client.post(url + path, data={**data, "csrf_token": csrf(page)})
        assert response.status_code == 302, path
    page = client.get(url).text
    assert "Spoke with member &lt;b&gt;today&lt;/b&gt;." in page
    assert "Reviewed by ann" in page and 'aria-pressed="true" class="tag on">missed red flag' in page
    assert "should be <strong>ask_benefits</strong>" in page
    exported = client.get("/corrections.yml")
    assert "intent: ask_benefits" in exported.text and exported.mimetype == "application/x-yaml"


def test_invalid_actions_are_refused(app):
    client = app.test_client()
    login(client)
    conversation = first_conversation(client)
    token = csrf(client.get("/queue").text)
    url = f"/conversations/{conversation}"
    assert client.post(url + "/tags", data={"tag": "bogus", "csrf_token": token}).status_code == 400
    assert client.post(url + "/corrections", data={"event_id": "x", "intent": "greet",
                                                    "csrf_token": token}).status_code == 400
    assert client.post(url + "/corrections", data={"event_id": "1", "intent": "not_an_intent",
                                                    "csrf_token": token}).status_code == 400
    assert client.post(url + "/notes", data={"text": "x" * 5000, "csrf_token": token}
                       ).status_code == 302  # refused with a message, nothing stored
    assert client.get("/conversations/999999").status_code == 404
    with session_scope(app.config["DB"]) as session:
        assert session.query(Note).count() == 0


@pytest.mark.parametrize("query", [
    "level=emergency' OR '1'='1", "channel=sms%27--", "q=%25", "q=' OR 1=1 --",
    "red_flag=<script>", "page=999999", "from=not-a-date", "intent[]=x",
])
def test_hostile_filters_neither_fail_nor_widen_results(app, query):
    client = app.test_client()
    login(client)
    response = client.get(f"/queue?{query}")
    assert response.status_code == 200 and "<script>" not in response.text.split("<main>")[1]
    shown = response.text.count('class="open"')
    assert shown <= 2


def test_csv_export_follows_filters_masks_and_defuses_formulas(app):
    add(app.config["DB"], "=HYPERLINK(\"http://evil\")", convo(T0 + 200))
    client = app.test_client()
    login(client)
    rows = list(csv.reader(io.StringIO(client.get("/queue.csv").text)))
    assert rows[0][0] == "conversation" and len(rows) == 4
    assert all(not cell.startswith("=") for row in rows for cell in row)
    emergency_only = list(csv.reader(io.StringIO(client.get("/queue.csv?level=emergency").text)))
    assert len(emergency_only) == 2 and emergency_only[1][0] == "…0199"
    header, row = emergency_only
    messages, notes = row[header.index("messages")], row[header.index("notes")]
    assert "i wet myself" in messages and "call me at" in messages and "612-555-0134" not in messages
    assert notes == ""
    with session_scope(app.config["DB"]) as session:
        assert session.execute(sa.select(AuditEntry.action).where(
            AuditEntry.action == "export_csv")).scalars().all() == ["export_csv", "export_csv"]


def test_an_escalation_text_that_never_arrived_is_flagged_first(app):
    db_url = app.config["DB"]
    add(db_url, "sms-undelivered", convo(T0 + 200, "urgent", "fever", channel="sms"))
    add(db_url, "sms-chatty", convo(T0 + 300, channel="sms"))
    sms_store.record_sent("SMesc", "sms-undelivered", True, "queued", url=db_url)
    sms_store.update_status("SMesc", "undelivered", "30003", url=db_url)
    sms_store.record_sent("SMfaq", "sms-chatty", False, "queued", url=db_url)  # not an escalation
    sms_store.update_status("SMfaq", "failed", "30005", url=db_url)
    client = app.test_client()
    login(client, "sue")  # a supervisor sees the ids
    page = client.get("/queue").text
    first_row = page[page.index("<tbody>"):page.index("</tr>", page.index("<tbody>"))]
    assert "sms-undelivered" in first_row and "escalation text not delivered" in first_row
    assert page.count("escalation text not delivered</span>") == 1
    only = client.get("/queue?undelivered=1").text
    assert "sms-undelivered" in only and "sms-chatty" not in only and "+16125550199" not in only
    conversation = int(re.search(r'href="/conversations/(\d+)"', first_row).group(1))
    transcript = client.get(f"/conversations/{conversation}").text
    assert "Texts that did not reach this person" in transcript and "30003" in transcript
    rows = list(csv.reader(io.StringIO(client.get("/queue.csv?undelivered=1").text)))
    assert rows[0][8] == "escalation_text_not_delivered" and rows[1][8] == "yes"


def test_cleared_slots_are_hidden_unless_asked_and_notes_are_exported(app):
    add(app.config["DB"], "web-reset", convo(T0 + 400) + [syn.slot(T0 + 410, "pain_location", None)])
    client = app.test_client()
    login(client, "sue")
    page = client.get("/queue").text
    conversation = int(re.search(r'href="/conversations/(\d+)">Open web-reset', page).group(1))
    assert "(cleared)" not in client.get(f"/conversations/{conversation}").text
    assert "(cleared)" in client.get(f"/conversations/{conversation}?slots=all").text
    token = csrf(client.get(f"/conversations/{conversation}").text)
    client.post(f"/conversations/{conversation}/notes", data={"text": "Called back, fine.", "csrf_token": token})
    rows = list(csv.reader(io.StringIO(client.get("/queue.csv?q=ice").text)))
    notes = {r[0]: r[rows[0].index("notes")] for r in rows[1:]}
    assert notes["web-reset"] == "Called back, fine."
