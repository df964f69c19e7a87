"""The database's lock file: a running bot holds `<database>.lock` (an exclusive flock), so a
second bot, or a restore, on the same database is refused instead of corrupting it.

The kernel drops the lock when the process ends, however it ends (SIGKILL, a crash): a stale
lock file never blocks anything. The file itself stays; it names the last holder's pid.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path


class DatabaseLocked(Exception):
    """Someone else holds the database's lock."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    def __init__(self, database: Path) -> None:
        self.path = lock_path(Path(database))
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, purpose: str = "bot") -> None:
        """Take the lock now or raise DatabaseLocked (naming the holder's pid, if known)."""
        if self._fd is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode(errors="replace").strip()
            os.close(fd)
            raise DatabaseLocked(holder or "another process") from None
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{purpose} pid {os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
