"""The sandbox page in real Chromium: a customer reports, an engineer accepts, all by clicks."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.sandbox.helpers import CHROMIUM, CHROMIUM_ARGS, SandboxProcess, browser_missing

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

MISSING = browser_missing()
if MISSING and os.environ.get("HOTLINE_REQUIRE_BROWSER"):
    # CI installs Chromium and Playwright: there a missing browser is a failure, not a skip.
    raise RuntimeError(f"the browser test must run here: {MISSING}")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,  # the sandbox runs as a process
    pytest.mark.skipif(MISSING is not None, reason=MISSING or ""),
]

XSS = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxProcess]:
    process = SandboxProcess(tmp_path / "sandbox.log")
    process.start()
    yield process
    code = process.interrupt()
    output = process.output()
    assert code == 0, output[-4000:]
    assert "Traceback" not in output, output[-4000:]


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1500, "height": 900}, locale="zh-CN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
        # Nothing may be fetched from anywhere but the sandbox itself.
        foreign: list[str] = []
        page.on(
            "request",
            lambda request: None
            if re.match(r"(http://127\.0\.0\.1:\d+/|data:)", request.url)
            else foreign.append(request.url),
        )
        try:
            yield page
        finally:
            page.screenshot(path=str(tmp_path / "last.png"))
            browser.close()
        assert errors == [], errors
        assert foreign == [], foreign


def bot_says(pane: Locator, text: str) -> Locator:
    """The newest bot message in the pane containing `text`, once it is there."""
    message = pane.locator(".msg.from-bot", has_text=text).last
    message.wait_for(timeout=15_000)
    return message


def test_report_accept_and_customer_sees_it(sandbox: SandboxProcess, page: Page) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)  # a slow CI machine
    page.goto(sandbox.url)
    customer = page.get_by_test_id("pane-left")
    engineer = page.get_by_test_id("pane-right")
    expect(customer.get_by_test_id("persona")).to_have_value("3001")  # Demo Customer 1
    expect(engineer.get_by_test_id("persona")).to_have_value("2001")  # Demo Engineer A
    expect(page.locator("#live")).to_have_text("live")

    # The customer has not opened the bot yet: Join sends /start DEMOVILLAGE and fills in
    # the profile questions, visibly.
    join = customer.get_by_test_id("join")
    expect(join).to_be_visible()
    # Until then nothing can be typed or sent: input, 📍, 📷 and the command chips are off.
    for control in ("compose", "send", "send-location", "send-photo"):
        expect(customer.get_by_test_id(control)).to_be_disabled()
    expect(customer.locator(".chip:enabled")).to_have_count(0)
    join.click()
    bot_says(customer, "已保存")
    expect(customer.locator(".join-banner")).to_be_hidden()
    expect(customer.get_by_test_id("compose")).to_be_enabled()
    expect(customer.locator(".chip", has_text="/report")).to_be_enabled()
    # The customer's command menu (setMyCommands) is offered as chips.
    customer.locator(".chip", has_text="/report").click()

    # Two plain questions find the level: the whole system is down -> A.
    question = bot_says(customer, "整个系统")
    question.locator(".kb button", has_text="是").click()
    # The question is edited live: the answer is recorded, the buttons go away.
    expect(question.locator(".edited")).to_be_visible()
    expect(question.locator(".kb")).to_have_count(0)
    level = bot_says(customer, "故障级别")
    expect(level.locator("b").first).to_contain_text("A 特大故障")  # bold, as sent
    bot_says(customer, "故障地点")
    customer.get_by_test_id("send-location").click()

    # A-level: paged as soon as the site is known.
    page_message = bot_says(engineer, "新故障 #1")
    expect(page_message).to_contain_text("A 特大故障")
    expect(page_message.locator("b").first).to_have_text("新故障 #1")

    # What the customer types is shown as text, never run as HTML.
    bot_says(customer, "故障现象")
    customer.get_by_test_id("compose").fill(f"查询终端全部黑屏 {XSS}")
    customer.get_by_test_id("compose").press("Enter")
    details = bot_says(engineer, "查询终端全部黑屏")
    expect(details).to_contain_text("<script>")
    assert page.locator("img[src='x']").count() == 0
    assert page.title() != "pwned"

    # The engineer accepts on the page message.
    page_message.locator(".kb button", has_text="接单").click()
    card = bot_says(engineer, "工单 #1")
    expect(card.locator(".kb button", has_text="已出发")).to_be_visible()

    # The customer sees who took it.
    accepted = bot_says(customer, "Demo Engineer A")
    expect(accepted).to_contain_text("#1")

    # The side panel: ticket #1, level A, owned by Demo Engineer A, deadline counting down.
    ticket = page.locator("#ticket-list .ticket[data-ticket='1']")
    expect(ticket).to_contain_text("Demo Engineer A")
    expect(ticket.locator(".level")).to_have_text("A")
    # In the language of the persona chosen last (Demo Engineer A: Chinese).
    expect(ticket.locator(".countdown")).to_have_text(re.compile(r"\d+:\d\d 剩余"))

    # The next step also reaches the customer live.
    card.locator(".kb button", has_text="已出发").click()
    bot_says(customer, "已出发")
    expect(ticket.locator(".ticket-status")).to_have_text("工程师在路上")

    # Another persona in the same pane: Demo Engineer B (English) sees the page turned
    # into "taken by".
    engineer.get_by_test_id("persona").select_option("2002")
    taken = bot_says(engineer, "was taken by Demo Engineer A")
    expect(taken.locator(".edited")).to_be_visible()
    expect(taken.locator(".kb button", has_text="Accept")).to_have_count(0)
    # The tickets panel now speaks the persona's language.
    expect(ticket.locator(".ticket-status")).to_have_text("engineer on the way")
    expect(page.locator("#tickets-open-title")).to_have_text("Open")
    expect(page.locator("#tickets-closed")).to_be_hidden()


def _resolved_with_a_report(sb: SandboxProcess) -> None:
    """Through the page's JSON API (the clicks are the test above): the customer joins and
    reports an A-level fault, Demo Engineer A takes and resolves it; the report is sent."""
    from tests.sandbox.helpers import CUSTOMER, ENGINEER_A

    sb.post("/api/join", {"user_id": CUSTOMER})
    sb.wait_for(CUSTOMER, "已保存")
    sb.post("/api/join", {"user_id": ENGINEER_A})
    mark = sb.last_id(CUSTOMER)
    sb.post("/api/send", {"user_id": CUSTOMER, "text": "/report"})
    sb.press(CUSTOMER, sb.wait_for(CUSTOMER, "整个系统", after=mark), "是")
    sb.wait_for(CUSTOMER, "故障地点")
    sb.post("/api/location", {"user_id": CUSTOMER})
    sb.wait_for(CUSTOMER, "故障现象")
    sb.post("/api/send", {"user_id": CUSTOMER, "text": "黑屏"})
    sb.wait_for(CUSTOMER, "如有照片")
    sb.post("/api/send", {"user_id": ENGINEER_A, "text": "/take 1"})
    sb.wait_for(CUSTOMER, "已由工程师")
    mark = sb.last_id(ENGINEER_A)
    sb.post("/api/send", {"user_id": ENGINEER_A, "text": "/resolve 1 更换电源"})
    sb.press(ENGINEER_A, sb.wait_for(ENGINEER_A, "原因", after=mark), "电源")
    sb.wait_for(CUSTOMER, "售后服务报告")


def test_documents_are_attachments_that_download(sandbox: SandboxProcess, page: Page) -> None:
    """The service report (PDF) and the complaint ledger (XLSX) show as attachments in the
    chat whose link downloads the very file, with its name and type."""
    import io

    import pypdf
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    from tests.sandbox.helpers import CUSTOMER, CUSTOMER_MANAGER

    expect.set_options(timeout=15_000)
    _resolved_with_a_report(sandbox)
    page.goto(sandbox.url)
    customer = page.get_by_test_id("pane-left")
    expect(page.locator("#live")).to_have_text("live")
    document = customer.locator(".msg.from-bot[data-kind='document']").last
    expect(document).to_contain_text("售后服务报告（第 1 版")
    link = document.locator("a.file-link")
    expect(link).to_have_text("📄 service-report-1.pdf")
    expect(link).to_have_attribute("download", "service-report-1.pdf")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == "service-report-1.pdf"
    data = Path(download.path()).read_bytes()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "售后服务报告" in text and "更换电源" in text
    href = link.get_attribute("href")
    assert href is not None
    response = page.request.get(sandbox.url + href)
    assert response.ok and response.body() == data
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="service-report-1.pdf"' in response.headers["content-disposition"]

    # A spreadsheet: the customer manager's complaint ledger, typed by its name (its bytes
    # only say "a ZIP").
    mark = sandbox.last_id(CUSTOMER)
    sandbox.post("/api/send", {"user_id": CUSTOMER, "text": "/cancel"})  # the photos step
    sandbox.wait_for(CUSTOMER, "已停止补充信息", after=mark)
    sandbox.post("/api/send", {"user_id": CUSTOMER, "text": "/complain"})
    sandbox.press(CUSTOMER, sandbox.wait_for(CUSTOMER, "您要投诉什么", after=mark), "其他")
    sandbox.wait_for(CUSTOMER, "请描述发生了什么")
    sandbox.post("/api/send", {"user_id": CUSTOMER, "text": "=1+1 没人接电话"})
    sandbox.wait_for(CUSTOMER, "C-1 已受理")
    manager = page.get_by_test_id("pane-right")
    manager.get_by_test_id("persona").select_option(str(CUSTOMER_MANAGER))
    manager.get_by_test_id("compose").fill("/ledger")
    manager.get_by_test_id("compose").press("Enter")
    ledger = manager.locator(".msg.from-bot[data-kind='document']").last
    ledger.wait_for(timeout=15_000)
    sheet_link = ledger.locator("a.file-link")
    expect(sheet_link).to_have_text(re.compile(r"📄 complaints-.+\.xlsx"))
    with page.expect_download() as info:
        sheet_link.click()
    sheet = info.value
    assert sheet.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(sheet.path()).read_bytes()))
    assert book.active is not None and book.active["B2"].value == "C-1"
    response = page.request.get(sandbox.url + (sheet_link.get_attribute("href") or ""))
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
