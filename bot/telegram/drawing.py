"""A separate process for drawing a busy month's chart and PDF.

The chart (matplotlib) and the printable PDF (WeasyPrint) of a month with 100 000 faults take
about 2 s of Python, and so does its workbook. In threads of one process they take turns
under the GIL; in a spawned process the pictures are drawn on the other core while the
workbook is written here. The process is started only for a large month, as its job begins
(its ~2 s of imports overlap the month's SQL), and ended `KEEP_SECONDS` after its last job
(it holds ~160 MB): the summaries of the 1st of the month, one after another, share it. A
process that died is replaced by drawing in the calling thread, never by a lost document.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


def _ready() -> None:
    """Imported once in the new process, before the first picture is asked for."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot
    import weasyprint  # noqa: F401


class DrawingProcess:
    KEEP_SECONDS = 600.0

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._idle: threading.Timer | None = None
        self._uses = 0  # a release that is not the last use's does not end the process

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self) -> None:
        """Start the process (once) and let it import what drawing needs."""
        with self._lock:
            self._uses += 1
            if self._idle is not None:
                self._idle.cancel()
                self._idle = None
            if self._pool is None:
                context = multiprocessing.get_context("spawn")  # no copy of the bot's threads
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
                self._pool.submit(_ready)

    def release(self) -> None:
        """A job is done with the process: it ends `KEEP_SECONDS` later unless used again."""
        with self._lock:
            if self._pool is None:
                return
            if self._idle is not None:
                self._idle.cancel()
            self._idle = threading.Timer(self.KEEP_SECONDS, self._end_if_unused, (self._uses,))
            self._idle.daemon = True
            self._idle.start()

    def _end_if_unused(self, uses: int) -> None:
        with self._lock:
            if uses != self._uses:
                return  # started again since: a job may be using it
            pool, self._pool, self._idle = self._pool, None, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def run(self, draw: Callable[..., T], *args: object) -> T:
        """`draw(*args)` in the process (its arguments and result are pickled), or here if
        the process is not running or died."""
        pool = self._pool
        if pool is not None:
            try:
                return pool.submit(draw, *args).result()
            except BrokenProcessPool:
                log.warning("the drawing process died; drawing in the bot's process instead")
                with self._lock:
                    if self._pool is pool:
                        self._pool = None
            except RuntimeError:  # closed meanwhile (the bot is stopping): draw it here
                pass
        return draw(*args)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            if self._idle is not None:
                self._idle.cancel()
                self._idle = None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
