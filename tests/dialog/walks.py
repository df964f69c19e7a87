"""Walk-throughs the dialog tests share beside `Harness.report`: a customer's /request and a
staff member's /log for a caller without Telegram, answered as a user would. A test that
asserts on a step's text walks that step itself."""

from __future__ import annotations

from tests.dialog.harness import Chat, Harness

# /log's buttons: a fault (not a service request), a new contact, the call is now.
_LOG_LABELS = {"zh": ("故障报修", "新联系人", "现在"), "en": ("Fault", "New contact", "Now")}


async def request(h: Harness, cust: Chat, *, kind: str = "技术咨询",
                  site: str = "Village 3 office", need: str = "终端如何设置代理？",
                  preferred: str | None = None) -> int:
    """A complete /request in Chinese (no preferred time unless given); returns the new
    ticket's number."""
    await cust.send("/request")
    await cust.press(kind)
    await cust.send(site)
    await cust.send(need)
    if preferred is None:
        await cust.press("跳过")
    else:
        await cust.send(preferred)
    await cust.press("使用")
    await cust.press("确认提交")
    tickets = await h.tickets_of(cust.user_id)
    assert tickets, cust.transcript()
    return tickets[-1].id


async def log_new_contact(staff: Chat, *, lang: str = "zh", kind: str | None = None,
                          name: str = "演示联系人", unit: str = "演示单位",
                          phone: str = "13700000000", when: str | None = None,
                          reason: str | None = None) -> None:
    """/log by a staff member of one project for a caller without Telegram, until the dialog
    asks the report's first question (a fault's severity, a request's site): the kind (a
    fault unless named), a new contact, the call time (now unless `when`; a late one's
    `reason`)."""
    fault, new_contact, now = _LOG_LABELS[lang]
    await staff.send("/log")
    await staff.press(kind or fault)
    await staff.press(new_contact)
    await staff.send(name)
    await staff.send(unit)
    await staff.send(phone)
    if when is None:
        await staff.press(now)
    else:
        await staff.send(when)
    if reason is not None:
        await staff.send(reason)
