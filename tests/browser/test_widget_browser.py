"""The web chat widget as a person meets it, in headless Chromium (Playwright
driving Debian's /usr/bin/chromium) on the demo page of the running assistant:
a conversation with quick replies, the history after a reload, the 911 call
card, keyboard-only use, a 320 px phone screen and an axe-core audit.

Assertions are on the DOM. Waits use locators: the demo page's CSP forbids
eval, which Playwright's wait_for_function needs."""
import json
from pathlib import Path

import pytest

REPLY_TIMEOUT = 60_000  # ms; the first replies of a fresh server can take a few seconds


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


def send(page, text):
    """Type and press Enter, as a person does; wait until the reply is shown."""
    before = page.locator(".bpw-bot").count()
    page.fill("#bpw-input", text)
    page.press("#bpw-input", "Enter")
    wait_for_reply(page, before)


def wait_for_reply(page, bots_before):
    page.locator(".bpw-bot").nth(bots_before).wait_for(timeout=REPLY_TIMEOUT)
    page.locator(".bpw-status:empty").wait_for(state="attached", timeout=REPLY_TIMEOUT)


def focused(page, selector):
    return page.evaluate("s => document.activeElement && document.activeElement.matches(s)",
                         selector)


def user_texts(page):
    return page.locator(".bpw-user").all_inner_texts()


def test_a_conversation_with_quick_replies_history_and_a_red_flag(open_page):
    page = open_page()
    log = page.locator(".bpw-log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite"
    page.click(".bpw-launcher")
    notice = page.locator(".bpw-notice")
    assert notice.inner_text() == "Not for emergencies. If this is an emergency, call 911."
    assert notice.locator('a[href="tel:911"]').count() == 1

    send(page, "do i need bed rest?")
    assert "Myth:" in log.inner_text()

    # A quick reply sends its payload and shows its title as the person's message.
    replies = page.locator(".bpw-reply:enabled")
    assert replies.count() >= 2
    title = replies.first.inner_text()
    before = page.locator(".bpw-bot").count()
    replies.first.click()
    wait_for_reply(page, before)
    assert user_texts(page)[-1].endswith(title)
    assert "/" not in user_texts(page)[-1]  # not the payload
    assert page.locator(".bpw-bot").count() > before
    assert page.locator(f'.bpw-reply:disabled:text-is("{title}")').count() == 1, \
        "a used quick reply is disabled"
    shown_before_reload = log.inner_text()

    # A reload keeps the conversation: the history comes back from the server.
    session = page.evaluate("localStorage.getItem('backPainWidget.sessionId')")
    page.reload()
    page.click(".bpw-launcher")
    page.locator(".bpw-user").nth(1).wait_for(timeout=REPLY_TIMEOUT)
    assert page.evaluate("localStorage.getItem('backPainWidget.sessionId')") == session
    assert log.inner_text() == shown_before_reload
    # only the newest reply's quick replies can still be used
    last_turn = page.locator(".bpw-user").last.locator("xpath=following-sibling::*")
    assert page.locator(".bpw-reply:enabled").count() == last_turn.locator(".bpw-reply").count()

    send(page, "i wet myself and cant feel my legs")
    card = page.locator(".bpw-card").last
    assert card.locator("h3").inner_text() == "Call 911 now"
    assert card.locator('a[href="tel:911"]').inner_text() == "Call 911"
    assert card.locator('a[href="tel:6123393663"]').inner_text() == "CareLine 612-339-3663"
    assert card.locator('a[href="tel:9528835474"]').inner_text() == "TTY 952-883-5474"
    assert page.locator('.bpw-text a[href="tel:911"]').count() >= 1, "911 in the text is a link too"

    # Start over: a new session and an empty list; nothing is sent.
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/webhook" in r.url else None)
    page.click(".bpw-restart")
    assert page.locator(".bpw-msg").count() == 0
    assert page.evaluate("localStorage.getItem('backPainWidget.sessionId')") != session
    assert requests == []
    page.reload()
    page.click(".bpw-launcher")
    page.wait_for_load_state("networkidle")
    assert page.locator(".bpw-msg").count() == 0

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
    page.keyboard.type("do i need bed rest?")
    before = page.locator(".bpw-bot").count()
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    assert "Myth:" in page.locator(".bpw-log").inner_text()
    assert focused(page, "#bpw-input"), "the text box keeps focus for the next question"

    # Shift+Tab from the text box reaches the newest quick replies; Enter uses one.
    page.keyboard.press("Shift+Tab")
    assert focused(page, ".bpw-reply"), "the last quick reply comes right before the text box"
    title = page.evaluate("document.activeElement.textContent")
    before = page.locator(".bpw-bot").count()
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    assert user_texts(page)[-1].endswith(title)
    assert focused(page, "#bpw-input")

    # Logical order inside the panel, each with a visible outline.
    page.click(".bpw-restart")
    page.focus(".bpw-restart")
    order = [".bpw-close", '.bpw-notice a[href="tel:911"]', ".bpw-log", "#bpw-input", ".bpw-send"]
    for selector in order:
        page.keyboard.press("Tab")
        assert focused(page, selector), selector
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    page.keyboard.press("Escape")
    assert page.locator(".bpw-panel").is_hidden()
    assert focused(page, ".bpw-launcher"), "closing gives focus back to the launcher"


def test_tabs_of_the_site_share_the_conversation(open_page, server):
    first = open_page()
    first.click(".bpw-launcher")
    send(first, "do i need bed rest?")
    second = first.context.new_page()  # same site, same localStorage
    second.goto(f"{server.url}/webhooks/widget/demo")
    second.click(".bpw-launcher")
    second.locator(".bpw-user").first.wait_for(timeout=REPLY_TIMEOUT)
    assert user_texts(second)[0].endswith("do i need bed rest?")
    first.click(".bpw-restart")  # starting over in one tab starts over in the other
    second.locator(".bpw-msg").first.wait_for(state="detached")


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


def test_works_at_320_px_without_horizontal_scrolling(open_page):
    page = open_page(width=320, height=640)
    assert no_horizontal_scroll(page)
    page.click(".bpw-launcher")
    box = page.locator(".bpw-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    send(page, "hi")
    send(page, "i wet myself and cant feel my legs")
    send(page, "see https://example.org/" + "a-very-long-path-segment-" * 8 + " please")
    assert page.locator(".bpw-card").count() >= 1
    assert no_horizontal_scroll(page)
    for selector in (".bpw-send", ".bpw-restart", ".bpw-close", ".bpw-call"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, selector


def test_typing_indicator_and_an_unreachable_server(open_page):
    page = open_page()
    held = []
    page.route("**/webhooks/widget/webhook", lambda route: held.append(route))
    page.click(".bpw-launcher")
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


def test_bot_text_is_rendered_safely_with_links(open_page):
    page = open_page()
    fake = [
        {"text": "<img src=x onerror=\"window.pwned=1\"> <b>bold</b> [notes](javascript:alert(1))"},
        {"text": "Read [our guide](https://example.org/back?a=1&b=2) or https://example.org/x. "
                 "Call 800-551-0859 or 911."},
        {"custom": {"handoff": {"level": "urgent", "line": "careline",
                                "phones": ["612-339-3663", "800-551-0859"],
                                "tty": "952-883-5474", "reasons": ["x"]}}},
    ]
    page.route("**/webhooks/widget/webhook",
               lambda route: route.fulfill(status=200, content_type="application/json",
                                           body=json.dumps(fake)))
    page.click(".bpw-launcher")
    send(page, "hello")
    log = page.locator(".bpw-log")
    assert log.locator("img, b, script").count() == 0
    assert "<img src=x" in log.inner_text() and "<b>bold</b>" in log.inner_text()
    assert page.evaluate("window.pwned === undefined")
    assert log.locator('a[href^="javascript:"]').count() == 0
    guide = log.locator('a:text-is("our guide")')
    assert guide.get_attribute("href") == "https://example.org/back?a=1&b=2"
    assert guide.get_attribute("target") == "_blank" and guide.get_attribute("rel") == "noopener"
    assert log.locator('a[href="https://example.org/x"]').count() == 1, "no trailing dot in the URL"
    assert log.locator('.bpw-text a[href="tel:8005510859"]').count() == 1
    assert log.locator('.bpw-text a[href="tel:911"]').count() == 1
    card = log.locator(".bpw-card")
    assert card.locator("h3").inner_text() == "Talk to a CareLine nurse now"
    assert card.locator(".bpw-call").all_inner_texts() == ["CareLine 612-339-3663",
                                                           "CareLine 800-551-0859"]
    assert card.locator('a[href="tel:9528835474"]').count() == 1


def axe_path() -> Path:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


def test_axe_finds_no_serious_or_critical_violations(open_page):
    # axe is injected as an inline script, which the demo page's CSP would block.
    page = open_page(bypass_csp=True)
    page.click(".bpw-launcher")
    send(page, "hi")  # quick replies
    send(page, "i wet myself and cant feel my legs")  # the call card
    page.locator(".bpw-reply:disabled").first.wait_for(state="attached")
    page.add_script_tag(path=str(axe_path()))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert results["testEngine"]["name"] == "axe-core"  # axe did run
