"""A slow start-up (many overdue timers) must not leave the bot mute."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr

from bot.app import build
from bot.config import EnvSettings
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from tests.dialog.harness import TOKEN, Harness


async def test_sending_starts_even_after_a_start_up_longer_than_the_misfire_grace(
    tmp_path: Path,
) -> None:
    h = Harness(tmp_path)
    env = EnvSettings(
        telegram_bot_token=SecretStr(TOKEN), telegram_api_base_url="http://recording.invalid/bot"
    )
    hb = build(h.settings, env, clock=h.clock, request=h.request)
    await hb.app.initialize()
    try:
        await hb.startup(background=True)
        assert hb.app.job_queue is not None
        jobs = hb.app.job_queue.get_jobs_by_name("start-sender")
        assert len(jobs) == 1
        # APScheduler's default grace of 1 s would skip the job after a start-up of 20 s
        # (10,000 overdue timers), and nothing would ever be sent.
        assert jobs[0].job.misfire_grace_time is None
    finally:
        await hb.shutdown()
        await hb.app.shutdown()


async def test_late_timers_fire_after_polling_begins_and_their_first_sweep_is_never_skipped(
    tmp_path: Path,
) -> None:
    h = Harness(tmp_path)
    env = EnvSettings(
        telegram_bot_token=SecretStr(TOKEN), telegram_api_base_url="http://recording.invalid/bot"
    )
    db = Database(h.settings.database)
    await db.open()
    async with unit_of_work(db) as uow:  # fell due an hour ago, while the bot was down
        await uow.timers.schedule("late", "daily_check", h.clock.now() - timedelta(hours=1))
    await db.close()
    hb = build(h.settings, env, clock=h.clock, request=h.request)
    await hb.app.initialize()
    try:
        await hb.startup(background=True)
        # post_init returns at once: polling is not held up by the timer...
        assert hb.waker.fired == 0
        async with unit_of_work(hb.db) as uow:
            assert [t.key for t in await uow.timers.due(h.clock.now())] == ["late"]
        # ...which the first sweep fires once polling has begun, however late that is.
        assert hb.app.job_queue is not None
        sweeps = hb.app.job_queue.get_jobs_by_name("timer-sweep")
        assert len(sweeps) == 1 and sweeps[0].job.misfire_grace_time is None
        # While the application is not running (stopping, say), a sweep fires nothing: the
        # JobQueue's stop waits for it, and what it leaves fires at the next start.
        assert await hb.waker.fire_due() == 0
        await hb.app.start()  # what polling's start does: the JobQueue runs, the sweep comes
        try:
            for _ in range(100):
                if hb.waker.fired:
                    break
                await asyncio.sleep(0.05)
            assert hb.waker.fired == 1
        finally:
            await hb.app.stop()
    finally:
        await hb.shutdown()
        await hb.app.shutdown()
