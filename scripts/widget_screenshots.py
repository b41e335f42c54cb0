"""Screenshots of the web chat widget on its demo page, for a person to look at.

    .venv/bin/python scripts/widget_screenshots.py [RASA_URL]   # default http://127.0.0.1:5005

Needs a running assistant (`make run`) and Debian's Chromium (`make browser`).
Plays a short conversation (a myth question, a quick reply, a red flag) at
1280 px and at 320 px wide and writes reports/widget-*.png. The tests do not
run it; they check the same things on the DOM.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
WIDTHS = {"desktop": (1280, 800), "mobile": (320, 640)}


def ask(page, text: str) -> None:
    """Type a message, send it, wait until the reply is in."""
    bots = page.locator(".bpw-bot").count()
    page.fill("#bpw-input", text)
    page.keyboard.press("Enter")
    wait_for_reply(page, bots)


def wait_for_reply(page, bots_before: int) -> None:
    # Locators, not wait_for_function: the demo page's CSP forbids eval.
    page.locator(".bpw-bot").nth(bots_before).wait_for()
    page.wait_for_selector(".bpw-status:empty", state="attached")


def shoot(page, path: Path) -> None:
    page.screenshot(path=str(path))
    print(path.relative_to(ROOT))


def main() -> None:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5005").rstrip("/")
    out = ROOT / "reports"
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        for name, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{base}/webhooks/widget/demo")
            page.wait_for_selector(".bpw-launcher")
            shoot(page, out / f"widget-{name}-closed.png")

            page.click(".bpw-launcher")
            ask(page, "do i need bed rest?")
            shoot(page, out / f"widget-{name}-myth.png")

            ask(page, "hi")
            bots = page.locator(".bpw-bot").count()
            page.locator(".bpw-reply:enabled").first.focus()  # show the focus ring too
            shoot(page, out / f"widget-{name}-quick-replies.png")
            page.keyboard.press("Enter")
            wait_for_reply(page, bots)

            ask(page, "i wet myself and cant feel my legs")
            shoot(page, out / f"widget-{name}-red-flag.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
