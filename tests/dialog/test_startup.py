"""A slow start-up (many overdue timers) must not leave the bot mute."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from bot.app import build
from bot.config import EnvSettings
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
