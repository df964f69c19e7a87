"""Each timer fires in its own transaction: one whose handler raises is logged with its key,
marked failed and never retried, and every other due timer still fires."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.services.notices import Notice, Outcome, Params
from bot.services.uow import Timer, UnitOfWork
from bot.storage.uow import unit_of_work
from tests.dialog.harness import CONFIG, Harness

ENG1, ENG2 = 1001, 1002
WARN = "⏰ 工单 #{n}"


@dataclass(frozen=True)
class TimerKey(Params):
    """Fills the `whoami` text with a timer's key: a plain message naming the timer."""

    id: str


async def timer_row(h: Harness, key: str) -> tuple[str, str | None, str | None]:
    """(state, failed_at, error) of the timer `key`."""
    assert h.hb is not None
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute(
            "SELECT state, failed_at, error FROM timers WHERE key = ?", (key,)
        ) as cur:
            row = await cur.fetchone()
    assert row is not None, key
    return row[0], row[1], row[2]


def failures(caplog: pytest.LogCaptureFixture, key: str) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "bot.telegram.timers" and key in r.getMessage() and r.exc_info
    ]


async def test_a_removed_engineer_fails_no_reminder(
    h: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    eng1, eng2 = await h.staff(ENG1), await h.staff(ENG2)
    cust = await h.customer()
    n1 = await h.report(cust, symptom="First fault")
    n2 = await h.report(cust, symptom="Second fault")
    await eng1.send(f"/take {n1}")
    await eng2.send(f"/take {n2}")
    # eng1 leaves the company: the operator removes him from the config and restarts. His
    # ticket still names him as its owner; once this made its reminders fail (KeyError). Now
    # the start-up settles it: unowned again, its reminders go to the on-duty engineer.
    config = CONFIG.replace(
        '[[staff]]\nkey = "eng1"\nname = "Engineer One"\ntelegram_id = 1001\n'
        'phone = "13800000001"\nroles = ["engineer"]\n',
        "",
    ).replace('on_duty = ["eng1", "eng2"]', 'on_duty = ["eng2"]')
    (tmp_path / "without-eng1.toml").write_text(config, encoding="utf-8")
    h.settings = load_settings(tmp_path / "without-eng1.toml")
    assert h.settings.staff_by_telegram_id(ENG1) is None
    await h.restart()
    caplog.set_level(logging.INFO, logger="bot.telegram.timers")

    # Half of the 2-hour arrive target: both tickets' warnings fall due in one sweep.
    await h.tick(hours=1)
    for n in (n1, n2):
        assert eng2.find(WARN.format(n=n)).text
        assert await timer_row(h, f"sla:{n}:arrive:warn:50pct") == ("fired", None, None)
        assert failures(caplog, f"sla:{n}:") == []
    assert not [m for m in eng1.messages() if m.text.startswith(WARN.format(n=n1))]
    await h.tick(minutes=36)  # the 80% point
    for n in (n1, n2):
        assert (await timer_row(h, f"sla:{n}:arrive:warn:80pct"))[0] == "fired"


async def test_a_raising_handler_does_not_roll_back_the_timers_around_it(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    assert h.hb is not None
    said: list[str] = []

    async def ok(uow: UnitOfWork, timer: Timer) -> Outcome:
        said.append(timer.key)
        return Outcome([Notice(ENG1, "whoami", params=TimerKey(timer.key))])

    async def boom(uow: UnitOfWork, timer: Timer) -> Outcome:
        await uow.timers.schedule("never", "ok", h.clock.now())  # rolled back with the rest
        raise RuntimeError("the handler broke")

    h.hb.waker.handlers.update({"ok": ok, "boom": boom})
    eng1 = await h.staff(ENG1)
    now: datetime = h.clock.now()
    async with unit_of_work(h.hb.db) as uow:
        await uow.timers.schedule("first", "ok", now)
        await uow.timers.schedule("broken", "boom", now)
        await uow.timers.schedule("last", "ok", now)
    caplog.set_level(logging.INFO, logger="bot.telegram.timers")
    fired = await h.hb.waker.fire_due()
    await h.drain()

    assert fired == 2 and said == ["first", "last"]
    assert [m.text for m in eng1.messages()][-2:] == [
        "您的 Telegram 用户 ID：first",
        "您的 Telegram 用户 ID：last",
    ]
    assert await timer_row(h, "first") == ("fired", None, None)
    state, _, error = await timer_row(h, "broken")
    assert state == "failed" and error == "RuntimeError: the handler broke"
    [record] = failures(caplog, "broken")
    assert "boom" in record.getMessage()
    async with unit_of_work(h.hb.db) as uow:
        async with uow.conn.execute("SELECT COUNT(*) FROM timers WHERE key = 'never'") as cur:
            row = await cur.fetchone()
    assert row is not None and row[0] == 0  # what the failing handler did was rolled back
    # The next sweep finds nothing to do.
    assert await h.hb.waker.fire_due() == 0
    assert len(failures(caplog, "broken")) == 1
