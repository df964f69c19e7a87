"""Drains the outbox: paced, in order per chat, retried until Telegram takes each message.

The sender keeps Telegram's limits itself, so that Telegram never has to answer 429: at most
``per_second`` calls over all chats, a private chat gets a small burst and then about one
message a second, a group 20 a minute. A message whose chat must wait is deferred (its chat
waits as a whole, so the order per chat holds) while other chats go on. The limits are in real
seconds, as Telegram counts them, also when the bot's clock runs faster (sandbox ``--speed``).

RetryAfter waits as long as Telegram asks; network errors and 5xx back off and retry forever
(a message is never dropped for a transient fault); Forbidden marks the recipient unreachable
and tells the managers; "message is not modified" counts as done.

What a refused or a sent message means to the hotline is the hooks' business (services): the
sender records the result and calls its hook in one transaction, run by the dispatcher, so
what the hook says is queued and any timer it schedules reaches the timer waker.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import logging
import time
import warnings
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram import Bot, InputFile
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.warnings import PTBUserWarning

from bot.clock import Clock
from bot.services.notices import Outcome
from bot.services.uow import OutboxRow, UnitOfWork
from bot.storage.db import Database
from bot.storage.uow import reading, unit_of_work
from bot.telegram.background import woken_within
from bot.telegram.dispatch import UseCase

log = logging.getLogger(__name__)

# The outbox stores raw Bot API payloads and replays them with do_api_request on purpose.
warnings.filterwarnings("ignore", message="Please use 'Bot.", category=PTBUserWarning)

# Called inside the transaction that records a Forbidden, with (uow, row, reason).
ForbiddenHook = Callable[[UnitOfWork, OutboxRow, str], Awaitable[Outcome]]
# Called inside the transaction that records a sent message, with (uow, row, message_id, the
# row's status before: "cancelled" for a page cancelled while it was in flight).
SentHook = Callable[[UnitOfWork, OutboxRow, int | None, str], Awaitable[Outcome]]
# Runs a use case in one transaction and queues its Outcome (the dispatcher).
Run = Callable[[UseCase], Awaitable[Outcome]]


GROUP_PER_MINUTE = 20
# Telegram: "avoid sending more than one message per second in a particular chat. We may allow
# short bursts that go over this limit". The burst keeps a dialog snappy and lets a storm of
# pages reach an engineer at once; past it, one a second. Half of the ~20 Telegram lets through
# (the emulator's model), so network jitter cannot add up to a 429.
PRIVATE_BURST = 10
PRIVATE_PER_SECOND = 1.0
# The calls Telegram counts as messages in a chat (menus, chat actions, answers do not count).
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendLocation",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)
# A row deferred by pacing comes due a little after its slot: the clocks differ by a hair.
PACING_SLACK = 0.02
# A row whose document is being typeset looks again this soon (it is released when done).
DOCUMENT_WAIT = 1.0
# A queue longer than this is read on aiosqlite's thread (Outbox.due: `long`).
LONG_QUEUE = 500
# finish(): how long past the grace a call already in flight may take before it is cut.
FINISH_SLACK = 5.0


class Files(Protocol):
    """Where archived documents live (the service reports' archive): read by name."""

    def read(self, name: str) -> bytes: ...


class DocumentUnavailable(Exception):
    """An outbox row's archived document is gone or no longer has its SHA-256."""


def _prepared(row: OutboxRow, files: Files | None = None) -> dict[str, Any]:
    """The payload as PTB sends it: a document stored as base64, or a document or photo
    referred to by its path in the archive (with its SHA-256), becomes an upload."""
    payload = dict(row.payload)
    data = payload.pop("document_b64", None)
    if data is not None:
        field = "photo" if row.method == "sendPhoto" else "document"
        payload[field] = InputFile(
            base64.b64decode(data), filename=payload.pop("filename", "file.bin")
        )
    for field in ("document", "photo"):
        path = payload.pop(f"{field}_path", None)
        if path is not None:
            content = _archived(files, str(path), payload.pop(f"{field}_sha256", None))
            payload[field] = InputFile(content, filename=payload.pop("filename", "file.bin"))
    return payload


def _archived(files: Files | None, path: str, sha: object) -> bytes:
    """An archived file's bytes, if it still has the SHA-256 it was archived with."""
    try:
        if files is None:
            raise OSError("no archive to read it from")
        content = files.read(path)
    except OSError as e:
        raise DocumentUnavailable(f"archived document {path} cannot be read: {e}") from e
    if hashlib.sha256(content).hexdigest() != sha:
        raise DocumentUnavailable(f"archived document {path} no longer has its SHA-256")
    return content


class RateLimiter:
    """A token bucket in real time: Telegram's limits are in real seconds."""

    def __init__(self, per_second: float, burst: int | None = None) -> None:
        self.per_second = per_second
        self.capacity = float(burst or max(1, int(per_second)))
        self.tokens = self.capacity
        self.last = asyncio.get_running_loop().time() if _loop_running() else 0.0

    async def take(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.per_second)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / self.per_second)


class PrivatePacer:
    """A token bucket per private chat, in real seconds: ``burst`` at once, then ``per_second``.

    A chat whose bucket is full again is forgotten, so the table stays as small as the set of
    chats spoken to in the last few seconds."""

    def __init__(
        self,
        per_second: float = PRIVATE_PER_SECOND,
        burst: int = PRIVATE_BURST,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second = per_second
        self.burst = float(burst)
        self.now = now
        self._chats: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)
        self._prune_at = 1024  # table size that triggers forgetting (amortized: doubles)

    def take(self, chat_id: int) -> float:
        """0.0: the chat may get a message now (counted). Else: seconds until it may."""
        now = self.now()
        tokens = self._tokens(chat_id, now)
        if tokens < 1.0:
            return (1.0 - tokens) / self.per_second
        self._chats[chat_id] = (tokens - 1.0, now)
        if len(self._chats) > self._prune_at:
            self._forget_rested(now)
        return 0.0

    def _tokens(self, chat_id: int, now: float) -> float:
        tokens, at = self._chats.get(chat_id, (self.burst, now))
        return min(self.burst, tokens + max(0.0, now - at) * self.per_second)

    def _forget_rested(self, now: float) -> None:
        self._chats = {
            chat: state
            for chat, state in self._chats.items()
            if self._tokens(chat, now) < self.burst
        }
        self._prune_at = max(1024, 2 * len(self._chats))


class GroupPacer:
    """At most ``per_minute`` messages in any 60 real seconds per group (Telegram: 20)."""

    def __init__(
        self, per_minute: int = GROUP_PER_MINUTE, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute
        self.now = now
        self._sent: dict[int, list[float]] = {}

    def take(self, chat_id: int) -> float:
        """0.0: one of the group's sends of the last minute is taken. Else: seconds to wait."""
        now = self.now()
        sent = [t for t in self._sent.get(chat_id, []) if now - t < 60.0]
        self._sent[chat_id] = sent
        if len(sent) >= self.per_minute:
            return max(0.5, 60.0 - (now - min(sent)))
        sent.append(now)
        return 0.0


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class OutboxSender:
    # The longest the loop sleeps with nothing due: a safety net only, since every commit
    # that queues a row wakes it and a retry time or a paced chat sets a shorter sleep.
    IDLE_SECONDS = 5.0

    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        *,
        per_second: float = 25.0,
        run: Run,
        on_forbidden: ForbiddenHook | None = None,
        on_sent: SentHook | None = None,
        pace_private_chats: bool = True,
        files: Files | None = None,
    ) -> None:
        self.db = db
        self.bot = bot
        self.clock = clock
        # A sandbox clock may run faster than real time; Telegram's waits are real seconds.
        self.scale = float(getattr(clock, "speed", 1.0))
        self.per_second = per_second
        self.on_forbidden = on_forbidden
        self.on_sent = on_sent
        self.run = run
        self.files = files  # archived documents that outbox rows refer to by path
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._limiter: RateLimiter | None = None
        # Off only in dialog tests, whose clock stands still while they send at once.
        self.pace_private_chats = pace_private_chats
        self.private_pacer = PrivatePacer()
        self.group_pacer = GroupPacer()
        self.sent = 0
        # Chats the pacing holds back: chat -> monotonic time of its next slot. Kept in memory
        # (a restart forgets it harmlessly), so pacing costs no write to the database.
        self._paced: dict[int, float] = {}
        # This round's sent messages, recorded together when the round ends.
        self._round: list[tuple[OutboxRow, int | None]] = []
        # The most urgent class queued since the round began: a reply interrupts a round of
        # reminders instead of waiting for its end (bot/domain/delivery.py).
        self._urgent: int | None = None
        # Set by finish(): the monotonic time by which sending stops.
        self._until: float | None = None
        # The earliest later retry time of a pending row, as last read (see _next_retry).
        self._retry_at: datetime | None = None
        self._retry_stale = True
        # The last round found a long queue: the next reads it off the event loop.
        self._long_queue = True

    def wake(self, urgent: int | None = None) -> None:
        """Something was queued; `urgent`: the most urgent class of it, if known."""
        if urgent is not None and (self._urgent is None or urgent < self._urgent):
            self._urgent = urgent
        self._wake.set()

    def start(self) -> None:
        self._limiter = RateLimiter(self.per_second)
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def finish(self, grace: float) -> None:
        """A clean stop: send what is queued for up to `grace` seconds, stopping between two
        messages (never within one), then stop; what is left goes out at the next start."""
        task = self._task
        if task is not None and grace > 0 and not task.done():
            self._until = time.monotonic() + grace
            self._wake.set()
            # A call in flight when time is up has its own timeouts; a little slack for it.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), grace + FINISH_SLACK)
            async with reading(self.db) as uow:
                left = await uow.outbox.pending_count()
            if left:
                log.info("%d queued messages left for the next start", left)
        await self.stop()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.drain()
                # Rows due now but held back behind a deferred row of their chat must not make
                # this loop spin: wait for the next retry time instead.
                nxt = await self._next_retry()
                timeout = self.IDLE_SECONDS
                if nxt is not None:
                    wait = (nxt - self.clock.now()).total_seconds() / self.scale
                    timeout = min(self.IDLE_SECONDS, max(0.02, wait))
                if self._paced:
                    wait = min(at - self._real_now(c) for c, at in self._paced.items())
                    timeout = min(timeout, max(0.02, wait))
                if self._until is not None:  # finishing: done when nothing more fits in time
                    left = self._until - time.monotonic()
                    if (nxt is None and not self._paced) or left <= 0 or timeout > left:
                        return
                await woken_within(self._wake, timeout)
                self._wake.clear()
            except asyncio.CancelledError:
                raise
            except InvalidToken:
                log.error("Telegram refused the bot token; the sender stops")
                return
            except Exception:
                log.exception("outbox sender failed; retrying in 1 s")
                await asyncio.sleep(1)

    async def drain(self) -> int:
        """Send everything that is due now; returns how many calls succeeded."""
        done = 0
        while True:
            self._wake.clear()
            self._urgent = None
            async with reading(self.db) as uow:
                rows = await uow.outbox.due(
                    self.clock.now(), skip=self._paced_chats(), long=self._long_queue
                )
                behind = uow.outbox.behind
                if rows:  # (none due, or all held back by pacing: no news of the length)
                    self._long_queue = uow.outbox.waiting > LONG_QUEUE
            if not rows:
                return done
            blocked: set[int] = set()  # chats that must wait: keep their order
            progressed = False
            try:
                for row in rows:
                    if self._until is not None and time.monotonic() >= self._until:
                        return done  # finishing, and time is up: the rest at the next start
                    if row.chat_id in blocked:
                        continue
                    if self._urgent is not None and self._urgent < row.priority:
                        progressed = True  # something more urgent came: a new round for it
                        break
                    ok = await self._send(row)
                    progressed = progressed or ok is not None
                    if ok:
                        done += 1
                    elif ok is False:
                        blocked.add(row.chat_id)
            finally:
                # Before the next round reads the heads again (a head not yet marked sent
                # would go out twice), and even when the round ended on an error.
                await self._record_round()
            if not progressed:
                return done
            if not behind and not self._wake.is_set():
                # The round took every due row, and nothing was queued since: asking again
                # would find nothing (rows whose retry time comes wake the loop by timeout).
                return done

    async def _next_retry(self) -> datetime | None:
        """The earliest later retry time of a pending row. Only this sender defers rows (rows
        are queued due at once), so it is read again only after a deferral or once it came."""
        now = self.clock.now()
        if self._retry_stale or (self._retry_at is not None and self._retry_at <= now):
            async with reading(self.db) as uow:
                self._retry_at = await uow.outbox.next_attempt_at(after=now)
            self._retry_stale = False
        return self._retry_at

    def _paced_chats(self) -> list[int]:
        """The chats whose next slot has not come yet (those whose slot came are dropped)."""
        for chat in [c for c, at in self._paced.items() if at <= self._real_now(c)]:
            del self._paced[chat]
        return list(self._paced)

    def _real_now(self, chat_id: int) -> float:
        """The real-seconds clock of the pacer of this kind of chat."""
        return (self.group_pacer if chat_id < 0 else self.private_pacer).now()

    async def _send(self, row: OutboxRow) -> bool | None:
        """True: sent. False: deferred (retry later). None: given up (failed for good)."""
        if self._limiter is None:
            self._limiter = RateLimiter(self.per_second)
        slot = self._chat_wait(row)
        if slot > 0:
            # The chat waits for its slot as a whole (order kept); other chats go on.
            self._paced[row.chat_id] = self._real_now(row.chat_id) + slot + PACING_SLACK
            return False
        if "document_job" in row.payload:
            # Its document is being typeset: the chat waits (order kept) until it is archived
            # and the row released.
            await self._defer(row, DOCUMENT_WAIT, "document being typeset", level=logging.DEBUG)
            return False
        try:
            payload = _prepared(row, self.files)
        except DocumentUnavailable as e:
            # Never send something else than what was archived; retrying cannot mend it.
            log.error("outbox row %d (%s) to chat %d, ticket #%s not sent: %s", row.id,
                      row.method, row.chat_id, row.ticket_id or "-", e)
            async with unit_of_work(self.db) as uow:
                await uow.outbox.mark_failed(row.id, str(e))
            return None
        await self._limiter.take()
        try:
            result: Any = await self.bot.do_api_request(row.method, api_kwargs=payload)
        except RetryAfter as e:
            wait = e.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            await self._defer(row, seconds, f"RetryAfter {seconds:g}s")
            return False
        except Forbidden as e:
            await self._forbidden(row, e.message)
            return None
        except BadRequest as e:
            if "chat not found" in e.message.lower():
                # Telegram's answer for a user who never opened the bot: unreachable, as 403.
                await self._forbidden(row, e.message)
                return None
            if "message is not modified" in e.message:
                self._round.append((row, row.payload.get("message_id")))
                return True
            log.error("Telegram refused outbox row %d (%s) to chat %d, ticket #%s: %s", row.id,
                      row.method, row.chat_id, row.ticket_id or "-", e.message)
            async with unit_of_work(self.db) as uow:
                await uow.outbox.mark_failed(row.id, e.message)
            return None
        except InvalidToken:
            raise
        except NetworkError as e:  # includes TimedOut and 5xx answers
            await self._defer(row, min(2.0 ** min(row.attempts, 8), 300.0), str(e))
            return False
        message_id = result.get("message_id") if isinstance(result, dict) else None
        self._round.append((row, message_id))
        self.sent += 1
        return True

    def _chat_wait(self, row: OutboxRow) -> float:
        """Seconds the row's chat must wait for Telegram's per-chat limit; 0.0: send now."""
        if row.chat_id < 0:
            return self.group_pacer.take(row.chat_id)
        if self.pace_private_chats and row.method in MESSAGE_METHODS:
            return self.private_pacer.take(row.chat_id)
        return 0.0

    async def _defer(
        self, row: OutboxRow, seconds: float, error: str, *, level: int = logging.WARNING
    ) -> None:
        log.log(level, "outbox row %d deferred %.1fs: %s", row.id, seconds, error)
        self._retry_stale = True
        async with unit_of_work(self.db) as uow:
            await uow.outbox.retry_later(
                row.id, self.clock.now() + timedelta(seconds=seconds * self.scale), error
            )

    async def _record_round(self) -> None:
        """Mark the round's sent messages in one transaction (and run their hooks). Should
        that fail, each is recorded on its own, so one bad row costs only itself: it stays
        pending and goes out again, as any message whose recording failed."""
        sent, self._round = self._round, []
        if not sent:
            return
        try:
            await self.run(self._recording(sent))
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            if len(sent) == 1:
                raise
            log.exception("recording %d sent messages failed; recording them one by one",
                          len(sent))
        failed: Exception | None = None
        for one in sent:
            try:
                await self.run(self._recording([one]))
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.exception("outbox row %d was sent but could not be recorded", one[0].id)
                failed = e
        if failed is not None:
            raise failed

    def _recording(self, sent: list[tuple[OutboxRow, int | None]]) -> UseCase:
        async def record(uow: UnitOfWork) -> Outcome:
            out = Outcome()
            at = self.clock.now()
            for row, message_id in sent:
                previous = await uow.outbox.mark_sent(row.id, at, message_id)
                if self.on_sent is not None:
                    said = await self.on_sent(uow, row, message_id, previous)
                    out.notices.extend(said.notices)
            return out

        return record

    async def _forbidden(self, row: OutboxRow, reason: str) -> None:
        who = f"user {row.chat_id}" if row.chat_id > 0 else f"chat {row.chat_id}"  # private: id
        log.warning("%s cannot be reached (outbox row %d, ticket #%s): %s", who, row.id,
                    row.ticket_id or "-", reason)

        async def record(uow: UnitOfWork) -> Outcome:
            await uow.outbox.mark_failed(row.id, reason)
            if self.on_forbidden is None:
                return Outcome()
            return await self.on_forbidden(uow, row, reason)

        await self.run(record)
