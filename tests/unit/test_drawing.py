"""The drawing process (bot/telegram/drawing.py): work runs there once started, and here when
it is not running."""

from __future__ import annotations

import os

from bot.telegram.drawing import DrawingProcess


def test_runs_in_another_process_once_started_and_here_otherwise() -> None:
    drawing = DrawingProcess()
    assert drawing.run(os.getpid) == os.getpid()  # not started: drawn in this process
    drawing.start()
    drawing.start()  # once
    try:
        assert drawing.started
        assert drawing.run(os.getpid) != os.getpid()
        assert drawing.run(max, 3, 7) == 7  # arguments and the result travel pickled
    finally:
        drawing.close()
    assert not drawing.started
    assert drawing.run(os.getpid) == os.getpid()


def test_ends_a_while_after_its_last_job_unless_used_again() -> None:
    import time

    drawing = DrawingProcess()
    drawing.KEEP_SECONDS = 0.3
    try:
        drawing.start()
        drawing.release()
        drawing.start()  # used again before the end: the first release does not end it
        time.sleep(0.6)
        assert drawing.started
        drawing.release()
        deadline = time.monotonic() + 10
        while drawing.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not drawing.started  # ended after its last job
    finally:
        drawing.close()


def test_a_closed_process_still_draws_here() -> None:
    import os

    drawing = DrawingProcess()
    drawing.start()
    pool = drawing._pool
    assert pool is not None
    pool.shutdown(wait=True)  # closed under a job's feet (the bot stopping)
    assert drawing.run(os.getpid) == os.getpid()  # drawn here instead of failing the job
    drawing.close()
