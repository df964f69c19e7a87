"""The service report with the satisfaction survey in it: once the survey is complete (the
comment given or skipped, or never given in time), the report is re-issued as a "rated" version
that prints the stars, the comment and when. It is archived like the others and not pushed to
the customer; /doc N sends it."""

from __future__ import annotations

import hashlib

from tests.dialog.harness import Chat, Harness
from tests.dialog.test_service_report import (
    archived,
    documents,
    flat,
    pdf_text,
    resolve_with_model,
)

STARS_ZH = "请为本次服务打分"
STARS_EN = "Please rate our service"
HOSTILE = "等了太久 <b>&amp;</b> *_[x](y)~`> ‮رسالة‍ 😡🔧"


async def press_stars(cust: Chat, question: str, label: str) -> None:
    """Press exactly `label` (one star is part of every label) on the stars question."""
    ask = cust.find(question)
    await cust.press_data(ask.message_id, dict(ask.buttons())[label])


async def resolve_in_english(h: Harness, cust: Chat, eng: Chat) -> None:
    await cust.send("/report")
    await cust.press("No")
    await cust.press("Yes")
    await cust.send("Village 3 office")
    await cust.send("Terminal freezes")
    await cust.press("Done")
    await cust.send("S5720-28X")
    await cust.press("Use")
    await cust.press("Confirm")
    await eng.send("/take 1")
    await eng.send("/resolve 1 Replaced the power module")
    await eng.press("硬件")


async def test_a_low_score_and_its_comment_are_printed_in_a_rated_version(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    await cust.press("确认")
    await press_stars(cust, STARS_ZH, "⭐")
    # Waiting for the comment: no rated version yet.
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued", "confirmed"]
    await cust.send(HOSTILE)
    rows = await archived(h, 1)
    assert [(v, k) for v, k, _, _ in rows] == [(1, "issued"), (2, "confirmed"), (3, "rated")]
    _, _, path, sha = rows[-1]
    data = (h.tmp / "reports" / path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha
    # Not pushed: the customer has the two copies of before.
    assert len(documents(cust)) == 2
    await cust.send("/doc 1")
    latest = documents(cust)[-1]
    assert latest.file is not None and latest.file[1] == data
    assert "第 3 版" in latest.text and "含满意度评价" in latest.text
    text = pdf_text(latest)
    assert "满意度调查" in text and "客户意见" in text and "评价时间" in text
    assert "★★★★★（1 / 5 星）" in text  # one glyph, 1 dark and 4 light (Rating)
    # The comment, hostile characters and all (right-to-left text may come back reordered).
    for piece in ("等了太久<b>&amp;</b>*_[x](y)~`>", "رسالة", "😡", "🔧"):
        assert piece in flat(text), piece
    # The sign-off is still printed in the rated version.
    assert "已由Customer(Telegramid5001)" in flat(text)


async def test_a_skipped_comment_in_english(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer(language="en-US")
    await resolve_in_english(h, cust, eng)
    await cust.press("Confirm fixed")
    await press_stars(cust, STARS_EN, "⭐⭐⭐⭐")
    await cust.press("Skip")
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued", "confirmed", "rated"]
    await cust.send("/doc 1")
    latest = documents(cust)[-1]
    assert "version 3" in latest.text and "with the customer's rating" in latest.text
    text = pdf_text(latest)
    assert "Satisfaction survey" in text and "Customer's comment" in text
    assert "★★★★★ (4 / 5 stars)" in text
    assert "(none given)" in text


async def test_an_english_comment_is_printed(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer(language="en-US")
    await resolve_in_english(h, cust, eng)
    await cust.press("Confirm fixed")
    await press_stars(cust, STARS_EN, "⭐⭐⭐⭐⭐")
    await cust.send("Quick and <careful> work & a clean site")
    await cust.send("/doc 1")
    text = pdf_text(documents(cust)[-1])
    assert "★★★★★ (5 / 5 stars)" in text
    assert "Quick and <careful> work & a clean site" in text


async def test_a_comment_never_given_still_makes_the_rated_version(h: Harness) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    await cust.press("确认")
    await press_stars(cust, STARS_ZH, "⭐⭐⭐")
    before = cust.count()
    await h.tick(hours=25)  # past the comment draft's lifetime
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued", "confirmed", "rated"]
    assert cust.since(before) == []  # silently
    await cust.send("/doc 1")
    text = pdf_text(documents(cust)[-1])
    assert "★★★★★（3 / 5 星）" in text and "（未填写）" in text
    # Only once: time passing makes no more versions.
    await h.tick(days=3)
    assert len(await archived(h, 1)) == 3


async def test_a_new_report_drops_the_comment_and_the_stars_alone_are_printed(
    h: Harness,
) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    await cust.press("确认")
    await press_stars(cust, STARS_ZH, "⭐⭐")
    await cust.send("/report")  # a new fault beats the comment
    await h.tick(hours=25)
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued", "confirmed", "rated"]


async def test_stars_given_in_the_middle_of_another_form_complete_the_survey_at_once(
    h: Harness,
) -> None:
    eng = await h.staff(1001)
    cust = await h.customer()
    await resolve_with_model(h, cust, eng)
    await cust.press("确认")
    await cust.send("/complain")  # a form is open: no comment is asked over it
    await press_stars(cust, STARS_ZH, "⭐⭐⭐⭐⭐")
    assert cust.last().text == "感谢您的评价，我们会继续改进服务。"
    assert [k for _, k, _, _ in await archived(h, 1)] == ["issued", "confirmed", "rated"]
