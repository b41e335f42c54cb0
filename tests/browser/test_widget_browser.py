"""The web chat widget as a person meets it, in headless Chromium (Playwright
driving Debian's /usr/bin/chromium) on the demo page of the running assistant:
the greeting and its topic chips, a conversation with quick replies, the
history after a reload, the 911 call card (desktop and phone), keyboard-only
use of the dialog, starting over, a 320 px phone screen and an axe-core audit.

Assertions are on the DOM. Waits use locators: the demo page's CSP forbids
eval, which Playwright's wait_for_function needs."""
import json
import sqlite3
from pathlib import Path

import pytest

REPLY_TIMEOUT = 60_000  # ms; the first replies of a fresh server can take a few seconds
GREETING_CHIPS = ["Check my symptoms", "Myths", "Home care", "Exercises", "Treatments",
                  "Talk to a nurse"]
CHIPS = ".bpw-replies .bpw-reply"
REPLIES = ".bpw-bot:not(.bpw-greeting)"  # the assistant's answers, not its greeting


@pytest.fixture
def open_page(browser, server):
    """open_page(width=1280, **context options) -> a fresh visitor (own storage) on the demo."""
    contexts = []

    def make(width=1280, height=800, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server.url}/webhooks/widget/demo")
        page.locator(".bpw-launcher").wait_for()
        return page

    yield make
    for context in contexts:
        context.close()


def open_panel(page):
    """Click the launcher and wait until the greeting (and any history) is shown."""
    page.click(".bpw-launcher")
    page.locator(".bpw-greeting").wait_for()
    page.locator(".bpw-log:not([aria-busy])").wait_for()


def send(page, text):
    """Type and press Enter, as a person does; wait until the reply is shown."""
    before = page.locator(REPLIES).count()
    page.fill("#bpw-input", text)
    page.press("#bpw-input", "Enter")
    wait_for_reply(page, before)


def wait_for_reply(page, replies_before):
    page.locator(REPLIES).nth(replies_before).wait_for(timeout=REPLY_TIMEOUT)
    page.locator(".bpw-status:empty").wait_for(state="attached", timeout=REPLY_TIMEOUT)


def click_chip(page, title):
    before = page.locator(REPLIES).count()
    page.locator(CHIPS, has_text=title).first.click()
    wait_for_reply(page, before)


def focused(page, selector):
    return page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector)


def focused_text(page):
    return page.evaluate("document.activeElement.textContent")


def user_texts(page):
    """What the person said, without the screen-reader label "You:"."""
    return [t.replace("You:", "", 1).strip() for t in page.locator(".bpw-user").all_inner_texts()]


def chip_titles(page):
    return page.locator(CHIPS).all_inner_texts()


def session_id(page):
    return page.evaluate("localStorage.getItem('backPainWidget.sessionId')")


def stored_events(server, sender=None):
    """Rows of the tracker store (the server's SQLite file), of one sender or all."""
    with sqlite3.connect(server.db) as db:
        if sender:
            return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]
        return db.execute("SELECT COUNT(*) FROM events").fetchone()[0]


def fake_replies(page, replies):
    """The webhook answers with `replies`, one per message sent, in order."""
    answers = iter(replies)
    page.route("**/webhooks/widget/webhook",
               lambda route: route.fulfill(status=200, content_type="application/json",
                                           body=json.dumps(next(answers))))


def test_the_greeting_and_its_topic_chips_store_nothing(open_page, server):
    # A visitor with a session id the server has never seen (a look on an old
    # device): the history and the greeting are read, nothing is written.
    page = open_page()
    unknown = "web-" + "ab" * 16
    page.evaluate("id => localStorage.setItem('backPainWidget.sessionId', id)", unknown)
    page.reload()
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url.split("/webhooks/widget/")[-1])))
    events_before = stored_events(server)
    open_panel(page)

    greeting = page.locator(".bpw-greeting")
    assert greeting.count() == 1 and greeting.locator(".bpw-text").inner_text().startswith(
        "Hi! I'm an automated assistant, not a nurse.")
    assert page.locator(".bpw-empty").is_hidden()
    bar = page.locator(".bpw-replies")
    assert bar.get_attribute("role") == "group" and bar.get_attribute("aria-label") == "Quick replies"
    assert chip_titles(page) == GREETING_CHIPS
    assert "/" not in " ".join(chip_titles(page))
    note = greeting.locator(".bpw-choices").inner_text()
    assert "quick reply" in note and "Myths" in note, "screen readers hear that there are choices"

    page.wait_for_load_state("networkidle")
    assert sorted(requests) == [("GET", "greeting"),
                                ("GET", f"history?session_id={unknown}")]
    assert stored_events(server, unknown) == 0
    assert stored_events(server) == events_before


def test_without_the_greeting_the_panel_still_says_what_to_ask(open_page):
    page = open_page()
    page.route("**/webhooks/widget/greeting", lambda route: route.abort())
    page.click(".bpw-launcher")
    empty = page.locator(".bpw-empty")
    empty.wait_for()
    assert empty.inner_text().startswith("Ask a question about back pain")
    assert page.locator(".bpw-replies").is_hidden()
    send(page, "do i need bed rest?")  # the person can still write
    assert empty.is_hidden()


def test_a_conversation_with_quick_replies_history_and_a_red_flag(open_page):
    page = open_page()
    log = page.locator(".bpw-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    open_panel(page)
    notice = page.locator(".bpw-notice")
    assert notice.inner_text() == "Not for emergencies. If this is an emergency, call 911."
    assert notice.locator('a[href="tel:911"]').count() == 1

    # A greeting chip sends its payload and shows its title as the person's message.
    myths = page.locator(CHIPS, has_text="Myths").element_handle()
    click_chip(page, "Myths")
    assert user_texts(page) == ["Myths"]
    assert not myths.evaluate("chip => chip.isConnected"), "a used quick reply is gone"

    send(page, "do i need bed rest?")
    assert "Myth:" in log.inner_text()
    titles = chip_titles(page)
    assert len(titles) >= 2
    used = page.locator(CHIPS).first.element_handle()
    click_chip(page, titles[0])
    assert user_texts(page)[-1].endswith(titles[0])
    assert "/" not in user_texts(page)[-1]  # not the payload
    assert not used.evaluate("chip => chip.isConnected"), "a used quick reply is gone"
    assert log.locator(".bpw-reply").count() == 0, "no chips inside the conversation"
    shown_before_reload = log.inner_text()
    chips_before_reload = chip_titles(page)

    # A reload keeps the conversation: the greeting, then the history from the server.
    session = session_id(page)
    page.reload()
    open_panel(page)
    page.locator(".bpw-user").nth(2).wait_for(timeout=REPLY_TIMEOUT)
    assert session_id(page) == session
    assert page.locator(".bpw-msg").first.get_attribute("class") == "bpw-msg bpw-bot bpw-greeting"
    assert user_texts(page)[0] == "Myths", "the greeting's chip by its title, not /myths_overview"
    assert log.inner_text() == shown_before_reload
    # only the newest reply's quick replies can still be used
    assert chip_titles(page) == chips_before_reload
    assert log.locator(".bpw-reply").count() == 0
    newest_reply = page.locator(".bpw-user").last.locator("xpath=following-sibling::*")
    notes = log.locator(".bpw-choices").count()
    assert notes == newest_reply.locator(".bpw-choices").count() and (notes > 0) == bool(
        chips_before_reload), "only the newest reply tells screen readers about its choices"

    send(page, "i wet myself and cant feel my legs")
    card = page.locator(".bpw-card").last
    assert card.locator("h3").inner_text() == "Call 911 now"
    assert page.locator('.bpw-text a[href="tel:911"]').count() >= 1, "911 in the text is a link too"

    # Start over (confirmed): a new session, the greeting again; nothing is sent.
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/webhook" in r.url else None)
    page.click(".bpw-restart")
    page.click(".bpw-confirm-yes")
    assert page.locator(".bpw-user").count() == 0
    assert page.locator(".bpw-msg").count() == 1 and page.locator(".bpw-greeting").count() == 1
    assert chip_titles(page) == GREETING_CHIPS
    assert session_id(page) != session
    assert requests == []
    page.reload()
    open_panel(page)
    page.wait_for_load_state("networkidle")
    assert page.locator(".bpw-msg").count() == 1

    # Escape closes the panel and gives focus back to the launcher.
    page.press("#bpw-input", "Escape")
    assert page.locator(".bpw-panel").is_hidden()
    assert focused(page, ".bpw-launcher")


def test_keyboard_only(open_page):
    page = open_page()
    for _ in range(20):  # past the page's own links to the launcher
        page.keyboard.press("Tab")
        if focused(page, ".bpw-launcher"):
            break
    assert focused(page, ".bpw-launcher"), "the launcher is reachable with Tab"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused launcher has a visible outline"

    page.keyboard.press("Enter")
    assert focused(page, "#bpw-input"), "opening moves focus into the panel, to the text box"
    page.locator(".bpw-greeting").wait_for()
    page.keyboard.type("do i need bed rest?")
    before = page.locator(REPLIES).count()
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    assert "Myth:" in page.locator(".bpw-log").inner_text()
    assert focused(page, "#bpw-input"), "the text box keeps focus for the next question"

    # Shift+Tab from the text box reaches the newest quick replies; Enter uses one.
    page.keyboard.press("Shift+Tab")
    assert focused(page, CHIPS), "the quick replies come right before the text box"
    title = focused_text(page)
    assert title == chip_titles(page)[0], "the bar is one stop, entered at its first chip"
    before = page.locator(REPLIES).count()
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    assert user_texts(page)[-1].endswith(title)
    assert focused(page, "#bpw-input")

    # Start over from the keyboard: the question takes focus, its Start over confirms.
    page.focus(".bpw-restart")
    page.keyboard.press("Enter")
    assert focused(page, ".bpw-confirm-no")
    page.keyboard.press("Shift+Tab")
    assert focused(page, ".bpw-confirm-yes")
    page.keyboard.press("Enter")
    assert focused(page, "#bpw-input")
    page.locator(".bpw-greeting").wait_for()

    # Logical order inside the panel, each with a visible outline, wrapping around.
    page.focus(".bpw-restart")
    order = [".bpw-close", '.bpw-notice a[href="tel:911"]', ".bpw-log", CHIPS, "#bpw-input",
             ".bpw-send", ".bpw-restart"]
    for selector in order:
        page.keyboard.press("Tab")
        assert focused(page, selector), selector
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    page.keyboard.press("Escape")
    assert page.locator(".bpw-panel").is_hidden()
    assert focused(page, ".bpw-launcher"), "closing gives focus back to the launcher"


def test_the_open_panel_is_a_modal_dialog(open_page):
    page = open_page()
    panel = page.locator(".bpw-panel")
    open_panel(page)
    assert panel.get_attribute("role") == "dialog" and panel.get_attribute("aria-modal") == "true"

    page.focus(".bpw-send")
    page.keyboard.press("Tab")
    assert focused(page, ".bpw-restart"), "Tab from the last stop wraps to the first"
    page.keyboard.press("Shift+Tab")
    assert focused(page, ".bpw-send"), "Shift+Tab from the first stop wraps to the last"
    for _ in range(25):  # round and round: focus never leaves the panel
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('.bpw-panel').contains(document.activeElement)")
    for _ in range(25):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.querySelector('.bpw-panel').contains(document.activeElement)")

    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert panel.get_attribute("aria-modal") is None
    assert focused(page, ".bpw-launcher")


def test_the_newest_quick_replies_are_one_tab_after_the_log(open_page):
    page = open_page()
    open_panel(page)
    # Replies with phone links in the log (the greeting's 911, the exercise's CareLine numbers).
    send(page, "show me exercises for lower back")
    log = page.locator(".bpw-log")
    assert log.locator("a[href]").count() >= 4
    titles = chip_titles(page)
    assert titles == ["Pelvic tilt", "Knee raise", "Partial press-up"]

    page.focus(".bpw-log")
    page.keyboard.press("Tab")
    assert focused(page, CHIPS) and focused_text(page) == titles[0], "the first reply is one Tab away"
    page.keyboard.press("Tab")
    assert focused(page, "#bpw-input"), "the bar is one Tab stop"
    page.keyboard.press("Shift+Tab")
    assert focused(page, CHIPS)

    # Arrow keys, Home and End move between the chips.
    for key, expected in [("ArrowRight", 1), ("ArrowDown", 2), ("ArrowRight", 0), ("ArrowLeft", 2),
                          ("ArrowUp", 1), ("Home", 0), ("End", 2)]:
        page.keyboard.press(key)
        assert focused_text(page) == titles[expected], key
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert focused_text(page) == titles[2], "the bar remembers the chip last moved to"

    # The links in the log stay reachable: Enter on the log goes to the first
    # link in view, then Tab goes through them all; Escape comes back to the log.
    links = log.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    log.evaluate("log => { log.scrollTop = 0; }")
    page.focus(".bpw-log")
    assert page.locator(".bpw-log-hint").is_visible()
    assert log.get_attribute("aria-describedby") == "bpw-log-hint"
    page.keyboard.press("Enter")
    visited = []
    while focused(page, ".bpw-log a[href]") and len(visited) <= len(links):
        visited.append(page.evaluate("document.activeElement.href"))
        page.keyboard.press("Tab")
    assert visited == links
    assert focused(page, CHIPS), "after the last link, the quick replies"
    page.focus(".bpw-log")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert focused(page, ".bpw-log") and page.locator(".bpw-panel").is_visible()
    page.keyboard.press("Tab")
    assert focused(page, CHIPS), "back on the log, Tab skips its links again"


def test_start_over_asks_first_inside_the_panel(open_page):
    page = open_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a browser dialog: {dialog.message}"))
    open_panel(page)
    send(page, "do i need bed rest?")
    session, shown = session_id(page), page.locator(".bpw-log").inner_text()
    confirm = page.locator(".bpw-confirm")
    restart = page.locator(".bpw-restart")

    for cancel in ("Escape", "Cancel"):
        restart.click()
        assert confirm.is_visible() and restart.get_attribute("aria-expanded") == "true"
        assert confirm.get_attribute("role") == "group"
        assert confirm.inner_text().startswith(
            "Start a new conversation? This clears the chat on this device.")
        assert focused(page, ".bpw-confirm button"), "focus moves into the question"
        if cancel == "Escape":
            page.keyboard.press("Escape")
        else:
            page.click(".bpw-confirm-no")
        assert confirm.is_hidden() and restart.get_attribute("aria-expanded") == "false"
        assert focused(page, ".bpw-restart"), cancel
        assert page.locator(".bpw-panel").is_visible()
        assert session_id(page) == session
        assert page.locator(".bpw-log").inner_text() == shown

    requests = []
    page.on("request", lambda r: requests.append(r.url))
    restart.click()
    page.click(".bpw-confirm-yes")
    assert confirm.is_hidden()
    assert session_id(page) != session
    assert page.locator(".bpw-user").count() == 0
    assert page.locator(".bpw-status").inner_text() == "Started a new conversation."
    assert focused(page, "#bpw-input")
    page.locator(".bpw-greeting").wait_for()
    assert chip_titles(page) == GREETING_CHIPS, "the greeting shows again"
    assert requests == [], "starting over sends nothing"


def test_exercise_steps_are_a_numbered_list(open_page):
    page = open_page()
    open_panel(page)
    send(page, "show me exercises for lower back")
    steps = page.locator(".bpw-bot", has=page.locator("ol.bpw-steps")).last
    assert steps.locator(".bpw-text > p").inner_text() == "For the lower back:"
    items = steps.locator("ol.bpw-steps > li").all_inner_texts()
    assert len(items) == 2
    assert items[0].startswith("Knee to chest: lie on your back.")
    assert items[1].startswith("Cat-cow: get on your hands and knees.")
    # the next message has no steps: a paragraph, its links as before
    after = page.locator(".bpw-bot").last
    assert after.locator("ol, ul").count() == 0
    assert after.locator('p.bpw-text a[href="tel:6123393663"]').count() == 1

    click_chip(page, "Pelvic tilt")
    items = page.locator(".bpw-bot", has=page.locator("ol.bpw-steps")).last.locator("li")
    assert items.all_inner_texts() == [
        "Lie on your back. Bend your knees and put your feet flat. Relax.",
        "Tighten your belly muscles.",
        "Tilt your hips so your lower back is flat on the floor.",
        "Hold for 10 seconds. Then relax. Keep breathing.",
    ]


def test_the_call_card_on_a_desktop(open_page):
    page = open_page()  # 1280 x 800, a mouse: tel: links do nothing here
    open_panel(page)
    send(page, "i wet myself and cant feel my legs")
    card = page.locator(".bpw-card").last
    assert card.locator("h3").inner_text() == "Call 911 now"
    dial = card.locator(".bpw-dial").all_inner_texts()
    assert dial == ["From your phone, dial 911", "CareLine 612-339-3663", "CareLine 800-551-0859"]
    size = card.locator(".bpw-dial-first .bpw-number").evaluate("n => parseFloat(getComputedStyle(n).fontSize)")
    assert size >= 24, "the number to dial is in large text"
    assert card.locator(".bpw-call").count() == 0
    assert card.locator('a[href="tel:9528835474"]').inner_text() == "TTY 952-883-5474"

    # The whole card is in view, without scrolling.
    box = card.bounding_box()
    log = page.locator(".bpw-log").bounding_box()
    assert box["y"] >= log["y"] and box["y"] + box["height"] <= log["y"] + log["height"], (box, log)

    # The CareLine numbers are given once, in the card, not again in the reply's texts.
    reply = page.locator(".bpw-user").last.locator("xpath=following-sibling::*")
    texts = " ".join(reply.locator(".bpw-text").all_inner_texts())
    assert "numbers in the call card" in texts
    assert "612-339-3663" not in texts and "952-883-5474" not in texts
    # ... but a reply without a card keeps them
    send(page, "show me exercises for lower back")
    reply = page.locator(".bpw-user").last.locator("xpath=following-sibling::*")
    assert "612-339-3663" in " ".join(reply.locator(".bpw-text").all_inner_texts())


def test_the_call_card_on_a_phone_is_tap_to_call(open_page):
    page = open_page(width=390, height=844, is_mobile=True, has_touch=True)
    open_panel(page)
    send(page, "i wet myself and cant feel my legs")
    card = page.locator(".bpw-card").last
    assert card.locator(".bpw-call").all_inner_texts() == [
        "Call 911", "CareLine 612-339-3663", "CareLine 800-551-0859"]
    assert card.locator('.bpw-call[href="tel:911"]').count() == 1
    assert card.locator(".bpw-dial").count() == 0
    assert card.locator('a[href="tel:9528835474"]').inner_text() == "TTY 952-883-5474"


def test_the_call_card_shows_the_reference_code(open_page):
    page = open_page()
    handoff = {"level": "urgent", "line": "careline", "phones": ["612-339-3663", "800-551-0859"],
               "tty": "952-883-5474", "reasons": ["x"]}
    fake_replies(page, [
        [{"text": "Please talk to a CareLine nurse now."},
         {"custom": {"handoff": {**handoff, "code": "K7Q-4MP"}}}],
        [{"text": "Please talk to a CareLine nurse now."}, {"custom": {"handoff": handoff}}],
    ])
    open_panel(page)
    send(page, "help")
    card = page.locator(".bpw-card").last
    assert card.locator(".bpw-code").inner_text() == "Your reference code: K7Q-4MP"
    assert card.locator(".bpw-code-why").inner_text() == (
        "Give it to the CareLine nurse so they can see this chat.")
    assert card.locator(".bpw-dial").first.inner_text() == "From your phone, dial 612-339-3663"
    send(page, "help")
    card = page.locator(".bpw-card").last
    assert card.locator(".bpw-code, .bpw-code-why").count() == 0, "no code, no code line"
    assert page.locator(".bpw-card").count() == 2


def test_tabs_of_the_site_share_the_conversation(open_page, server):
    first = open_page()
    open_panel(first)
    send(first, "do i need bed rest?")
    second = first.context.new_page()  # same site, same localStorage
    second.goto(f"{server.url}/webhooks/widget/demo")
    second.click(".bpw-launcher")
    second.locator(".bpw-user").first.wait_for(timeout=REPLY_TIMEOUT)
    assert user_texts(second)[0].endswith("do i need bed rest?")
    first.click(".bpw-restart")  # starting over in one tab starts over in the other
    first.click(".bpw-confirm-yes")
    second.locator(".bpw-user").first.wait_for(state="detached")
    second.locator(".bpw-greeting").wait_for()


def test_the_page_can_set_the_title_and_open_the_panel(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script("window.BackPainWidget = {title: 'Ask about your back', open: true};")
    page.goto(f"{server.url}/webhooks/widget/demo")
    page.locator(".bpw-panel").wait_for()
    assert page.inner_text("#bpw-title") == "Ask about your back"
    assert page.get_attribute(".bpw-panel", "aria-labelledby") == "bpw-title"
    assert not focused(page, "#bpw-input"), "opened by the page, so focus stays where it was"
    context.close()


def no_horizontal_scroll(page):
    """Neither the page scrolls sideways nor does any widget box hide content
    sideways (the screen-reader-only labels are 1 px boxes on purpose)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
        " && document.body.scrollWidth <= window.innerWidth"
        " && [...document.querySelectorAll('.bpw, .bpw *:not(.bpw-sr)')].every("
        "    e => e.scrollWidth <= e.clientWidth + 1 || getComputedStyle(e).overflowX === 'visible')")


@pytest.mark.parametrize("touch", [False, True], ids=["narrow-window", "phone"])
def test_works_at_320_px_without_horizontal_scrolling(open_page, touch):
    page = open_page(width=320, height=640, is_mobile=touch, has_touch=touch)
    assert no_horizontal_scroll(page)
    open_panel(page)
    box = page.locator(".bpw-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert no_horizontal_scroll(page), "the greeting's chips wrap"
    send(page, "hi")
    send(page, "i wet myself and cant feel my legs")
    send(page, "see https://example.org/" + "a-very-long-path-segment-" * 8 + " please")
    send(page, "show me exercises for lower back")
    assert page.locator(".bpw-card").count() >= 1
    assert page.locator("ol.bpw-steps").count() >= 1
    page.click(".bpw-restart")  # the question, with its two buttons
    assert no_horizontal_scroll(page)
    for selector in (".bpw-send", ".bpw-restart", ".bpw-close", ".bpw-card",
                     ".bpw-call" if touch else ".bpw-dial-number", ".bpw-reply",
                     ".bpw-confirm-yes", ".bpw-confirm-no"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, selector


def test_typing_indicator_and_an_unreachable_server(open_page):
    page = open_page()
    held = []
    page.route("**/webhooks/widget/webhook", lambda route: held.append(route))
    open_panel(page)
    page.fill("#bpw-input", "do i need bed rest?")
    page.press("#bpw-input", "Enter")
    status = page.locator(".bpw-status")
    status.filter(has_text="Assistant is typing…").wait_for()
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    held[0].abort()  # the assistant cannot be reached
    error = page.locator(".bpw-error")
    error.wait_for()
    assert error.locator(".bpw-text").inner_text() == (
        "Sorry, I could not reach the assistant. If you need help now call 612-339-3663; "
        "in an emergency call 911.")
    assert error.locator('a[href="tel:6123393663"]').count() == 1
    assert error.locator('a[href="tel:911"]').count() == 1
    assert status.inner_text() == ""
    assert page.locator(".bpw-replies").is_hidden(), "the greeting's chips went with the new turn"


def test_bot_text_is_rendered_safely_with_links(open_page):
    page = open_page()
    fake = [
        {"text": "<img src=x onerror=\"window.pwned=1\"> <b>bold</b> [notes](javascript:alert(1))"},
        {"text": "Read [our guide](https://example.org/back?a=1&b=2) or https://example.org/x. "
                 "Call 800-551-0859 or 911."},
        {"text": "If it hurts: 1. Stop. 2. Call <b>988</b> or see https://example.org/steps."},
        {"custom": {"handoff": {"level": "urgent", "line": "careline",
                                "phones": ["612-339-3663", "800-551-0859"],
                                "tty": "952-883-5474", "reasons": ["x"],
                                "code": "<img src=x onerror=\"window.pwned=1\">"}}},
        {"text": "Pick one.", "buttons": [{"title": "<b>Myths</b>", "payload": "/myths_overview"}]},
    ]
    fake_replies(page, [fake])
    open_panel(page)
    send(page, "hello")
    log = page.locator(".bpw-log")
    assert page.locator(".bpw img, .bpw b, .bpw script").count() == 0
    assert "<img src=x" in log.inner_text() and "<b>bold</b>" in log.inner_text()
    assert page.evaluate("window.pwned === undefined")
    assert log.locator('a[href^="javascript:"]').count() == 0
    guide = log.locator('a:text-is("our guide")')
    assert guide.get_attribute("href") == "https://example.org/back?a=1&b=2"
    assert guide.get_attribute("target") == "_blank" and guide.get_attribute("rel") == "noopener"
    assert log.locator('a[href="https://example.org/x"]').count() == 1, "no trailing dot in the URL"
    assert log.locator('.bpw-text a[href="tel:8005510859"]').count() == 1
    assert log.locator('.bpw-text a[href="tel:911"]').count() >= 1
    # steps in a list, their links still links
    steps = log.locator("ol.bpw-steps > li")
    assert steps.all_inner_texts() == ["Stop.", "Call <b>988</b> or see https://example.org/steps."]
    assert steps.nth(1).locator('a[href="tel:988"]').count() == 1
    assert steps.nth(1).locator('a[href="https://example.org/steps"]').count() == 1
    card = log.locator(".bpw-card")
    assert card.locator("h3").inner_text() == "Talk to a CareLine nurse now"
    assert card.locator(".bpw-dial").all_inner_texts() == ["From your phone, dial 612-339-3663",
                                                           "CareLine 800-551-0859"]
    assert card.locator('a[href="tel:9528835474"]').count() == 1
    assert card.locator(".bpw-code").count() == 0, "not a code: not shown"
    assert chip_titles(page) == ["<b>Myths</b>"]
    first_of_reply = page.locator(".bpw-user").last.locator("xpath=following-sibling::*[1]")
    assert first_of_reply.locator(".bpw-card").count() == 1, "the reply's call card comes first"


def axe_path() -> Path:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


def axe_violations(page):
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert results["testEngine"]["name"] == "axe-core"  # axe did run
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"] if v["impact"] in ("moderate", "serious", "critical")
    ]


def test_axe_finds_no_moderate_serious_or_critical_violations(open_page):
    # axe is injected as an inline script, which the demo page's CSP would block.
    page = open_page(bypass_csp=True)
    page.add_script_tag(path=str(axe_path()))
    open_panel(page)
    assert page.locator(CHIPS).count() == len(GREETING_CHIPS)
    assert axe_violations(page) == [], "the greeting and its chips"

    send(page, "show me exercises for lower back")  # steps, links, the quick-reply bar
    page.focus(".bpw-log")  # the hint for the links shows
    assert page.locator(".bpw-log-hint").is_visible() and page.locator(CHIPS).count() == 3
    assert axe_violations(page) == [], "a reply with steps and quick replies"

    send(page, "i wet myself and cant feel my legs")  # the call card
    page.click(".bpw-restart")  # the Start over question, open
    assert page.locator(".bpw-card").is_visible() and page.locator(".bpw-confirm").is_visible()
    assert axe_violations(page) == [], "the call card and the Start over question"
