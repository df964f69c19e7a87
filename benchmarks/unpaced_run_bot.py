"""run_bot.py with the sender's per-chat pacing off, for `bench_update_cost.py --unpaced`.

The echo bot keeps no pacing: when its users answer at once it runs at hundreds of updates a
second, while the hotline, keeping Telegram's one message a second per chat, runs at 20. CPU
per update is not comparable across such different rates (a process woken 20 times a second
runs with cold caches). With pacing off, both bots get the same load. Benchmarks only: the
real bot always paces.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.telegram import sender  # noqa: E402  (after the path is set)


def _never_wait(self: sender.PrivatePacer, chat_id: int) -> float:
    return 0.0


sender.PrivatePacer.take = _never_wait  # type: ignore[method-assign]
sys.argv = [str(ROOT / "run_bot.py"), *sys.argv[1:]]
runpy.run_path(str(ROOT / "run_bot.py"), run_name="__main__")
