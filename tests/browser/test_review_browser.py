"""A nurse's round trip in headless Chromium (Playwright driving Debian's
/usr/bin/chromium) against the running assistant and its review workspace:
a real escalation tops the queue, the nurse opens it, sees the red flag and
the disposition, adds a note, marks it reviewed and signs out."""
import subprocess
import sys
import uuid

from bot import PROJECT_ROOT
from tests.conftest import texts

PASSWORD = "browser test password"


def add_nurse(server, name):
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "nurses", "add", name, "--role", "nurse",
         "--password-stdin"],
        input=PASSWORD + "\n", cwd=PROJECT_ROOT, env=server.env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_nurse_reviews_a_real_escalation(server, browser):
    name = f"nurse-{uuid.uuid4().hex[:6]}"
    add_nurse(server, name)
    sender = f"browser-{uuid.uuid4().hex[:8]}"
    replies = server.send(sender, "my back hurts and i wet myself, cant feel my bottom")
    assert "911" in texts(replies)

    page = browser.new_page()
    page.goto(f"{server.review_url}/queue")
    assert "/login" in page.url  # not without signing in
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/queue")

    first_row = page.locator("table.queue tbody tr").first
    assert "emergency" in first_row.inner_text()
    assert f"…{sender[-4:]}" in first_row.inner_text()
    first_row.locator("a.open").click()

    assert page.inner_text("#level") == "emergency"
    assert "Loss of bladder or bowel control" in page.inner_text("#red-flags")  # plain words,
    assert page.get_attribute("#red-flags abbr", "title") == "bladder_bowel_loss"  # the code as a tooltip
    assert "wet myself" in page.inner_text("ul.flags")  # the words that raised the flag
    assert "emergency" in page.inner_text("#handoffs")
    transcript = page.inner_text("#transcript")
    assert "i wet myself" in transcript and "911" in transcript and "triage_level" in transcript

    page.fill("#note-text", "Reached the member; they went to the ER.")
    page.click("#add-note")
    assert "Reached the member; they went to the ER." in page.inner_text("#notes")
    page.click("#toggle-review")
    assert page.inner_text("#review-status").startswith(f"Reviewed by {name}")

    page.click("#logout")
    assert "/login" in page.url and "You are signed out." in page.content()
    page.goto(f"{server.review_url}/queue")
    assert "/login" in page.url
    page.close()
