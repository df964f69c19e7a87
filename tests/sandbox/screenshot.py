"""Make docs/sandbox.png: the sandbox page mid-dialog, customer left, engineer right.

    python -m tests.sandbox.screenshot [OUT.png]

Needs Debian's Chromium (/usr/bin/chromium) and Playwright (the dev extras).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tests.sandbox.helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, SandboxProcess

if TYPE_CHECKING:
    from playwright.sync_api import Locator


def says(pane: Locator, text: str) -> Locator:
    """The newest bot message in the pane containing `text`, once it is there."""
    message = pane.locator(".msg.from-bot", has_text=text).last
    message.wait_for(timeout=15_000)
    return message


def main(out: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        sandbox = SandboxProcess(Path(tmp) / "sandbox.log")
        sandbox.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": 1440, "height": 860})
                # Customer left (Chinese), an on-duty engineer right (English).
                page.goto(f"{sandbox.url}/?left=3001&right=2002")
                customer = page.get_by_test_id("pane-left")
                engineer = page.get_by_test_id("pane-right")

                customer.get_by_test_id("join").click()
                says(customer, "已保存")
                customer.locator(".chip", has_text="/report").click()
                says(customer, "整个系统").locator(".kb button", has_text="是").click()
                says(customer, "故障地点")
                customer.get_by_test_id("compose").fill("县局机房，3 号机柜")
                customer.get_by_test_id("send").click()
                says(customer, "故障现象")
                customer.get_by_test_id("compose").fill("所有查询终端黑屏，无法登录系统")
                customer.get_by_test_id("send").click()
                says(customer, "照片")
                customer.get_by_test_id("send-photo").click()
                says(customer, "1 张照片").locator(".kb button", has_text="完成").click()
                # The engineer receives the very picture the customer sent.
                engineer.locator(".msg[data-kind='photo'] img").wait_for(timeout=15_000)
                new_fault = says(engineer, "New fault #1")
                new_fault.locator(".kb button", has_text="Accept").click()
                says(customer, "Demo Engineer B")
                says(engineer, "Ticket #1")
                expect(page.locator("#ticket-list .countdown")).to_have_count(1)
                page.wait_for_timeout(4500)  # let the toasts fade
                page.mouse.move(0, 0)
                out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(out))
                browser.close()
        finally:
            code = sandbox.interrupt()
            time.sleep(0.1)
        if code != 0:
            raise SystemExit(f"the sandbox ended with {code}:\n{sandbox.output()[-3000:]}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "sandbox.png")
