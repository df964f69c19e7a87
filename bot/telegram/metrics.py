"""Health and metrics: what the bot counts as it runs, and what it reads at scrape time.

Counters and the timer-lateness histogram are kept in the process (prometheus-client, in a
registry of this bot's own, so two bots in one test process never mix); they are fed by hooks
the composition root wraps around the sender's and the timer waker's callbacks, so neither of
those modules knows about metrics. Gauges are read from the database when someone asks
(`Monitor.facts`: /healthz, /metrics and /health in chat all show the same facts).

Metrics (all prefixed ``hotline_``): updates_handled_total, messages_sent_total{priority},
timer_lateness_seconds{kind} (histogram), timer_oldest_due_seconds, outbox_backlog,
outbox_oldest_due_age_seconds, open_tickets{level}, open_breaches{clock}, unreachable_staff,
last_backup_age_seconds, backups_failed_total, updates_age_seconds, database_writable,
healthy.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder
from telegram.request import BaseRequest, RequestData

from bot.clock import Clock
from bot.domain.delivery import Priority
from bot.domain.health import HealthFacts, HealthLimits, Problem, problems
from bot.services.notices import Outcome
from bot.services.uow import OutboxRow, Timer, UnitOfWork
from bot.storage import backup
from bot.storage.db import Database
from bot.storage.health import DatabaseFacts, probe_write, read_facts

SentHook = Callable[[UnitOfWork, OutboxRow, int | None, str], Awaitable[Outcome]]
TimerHook = Callable[[UnitOfWork, Timer], Awaitable[Outcome]]

# Seconds: from "on time" to "the bot was down for a day".
LATENESS_BUCKETS = (0.5, 1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600)
# A write probe at most this often (a scraper every second must not mean an fsync a second).
PROBE_EVERY = 10.0


class FetchWatch(BaseRequest):
    """The getUpdates request, wrapped: when Telegram last answered it (real seconds)."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner
        self.first_call: float | None = None
        self.last_answer: float | None = None

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self.first_call is None:
            self.first_call = time.monotonic()
        code, payload = await self.inner.do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if code == 200:
            self.last_answer = time.monotonic()
        return code, payload

    def age(self) -> float | None:
        """Seconds since getUpdates last answered (since polling began, before the first
        answer); None when the bot does not poll."""
        since = self.last_answer or self.first_call
        return None if since is None else time.monotonic() - since


class Metrics:
    """The bot's Prometheus registry: counters fed by hooks, gauges set at scrape time."""

    def __init__(self) -> None:
        r = self.registry = CollectorRegistry(auto_describe=True)
        self.updates = Counter(
            "hotline_updates_handled", "Telegram updates handled", registry=r
        )
        self.sent = Counter(
            "hotline_messages_sent",
            "Bot API messages sent, by priority class (bot/domain/delivery.py)",
            ["priority"],
            registry=r,
        )
        for p in Priority:
            self.sent.labels(p.name.lower())  # every class shown, at 0 until it sends
        self.lateness = Histogram(
            "hotline_timer_lateness_seconds",
            "How late timers fired after they fell due, by kind",
            ["kind"],
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        self.backups_failed = Counter(
            "hotline_backups_failed", "Daily backups that failed", registry=r
        )

        def g(name: str, doc: str, *labels: str) -> Gauge:
            return Gauge(f"hotline_{name}", doc, list(labels), registry=r)

        self.backlog = g("outbox_backlog", "Outgoing messages due now")
        self.oldest_due = g(
            "outbox_oldest_due_age_seconds", "How long the oldest due message has been queued"
        )
        self.timer_due = g("timer_oldest_due_seconds", "How late the oldest unfired timer is")
        self.open_tickets = g("open_tickets", "Open tickets, by level", "level")
        self.open_breaches = g(
            "open_breaches", "Open tickets with a breached clock, by clock", "clock"
        )
        self.unreachable = g(
            "unreachable_staff", "Staff who never started the bot or blocked it"
        )
        self.backup_age = g(
            "last_backup_age_seconds", "Age of the newest backup (+Inf: none yet)"
        )
        self.updates_age = g(
            "updates_age_seconds", "Seconds since getUpdates last answered (polling)"
        )
        self.writable = g("database_writable", "1 if the database took the probe's write")
        self.healthy = g("healthy", "1 if /healthz answers 200")

    # ------------------------------------------------------------------ hooks
    def update_handled(self) -> None:
        self.updates.inc()

    def counting_sent(self, hook: SentHook | None) -> SentHook:
        """The sender's on_sent hook, counting each sent message by its class first."""

        async def sent(
            uow: UnitOfWork, row: OutboxRow, message_id: int | None, previous: str
        ) -> Outcome:
            self.sent.labels(_class(row.priority)).inc()
            return await hook(uow, row, message_id, previous) if hook else Outcome()

        return sent

    def timed(self, clock: Clock, handlers: dict[str, TimerHook]) -> dict[str, TimerHook]:
        """The timer handlers, each observing how late its timer fired."""

        def wrap(kind: str, handler: TimerHook) -> TimerHook:
            async def handle(uow: UnitOfWork, timer: Timer) -> Outcome:
                late = (clock.now() - timer.due_at).total_seconds()
                self.lateness.labels(kind).observe(max(0.0, late))
                return await handler(uow, timer)

            return handle

        return {kind: wrap(kind, h) for kind, h in handlers.items()}

    # ------------------------------------------------------------------ scrape
    def show(self, facts: HealthFacts, healthy: bool, accept: str = "") -> tuple[bytes, str]:
        """Set the gauges from the facts; the registry in the format the scraper accepts
        (Prometheus' text format, or OpenMetrics when asked for), and its content type."""
        self.backlog.set(facts.outbox_backlog)
        self.oldest_due.set(facts.outbox_oldest_age or 0.0)
        self.timer_due.set(facts.timers_oldest_age or 0.0)
        _set_all(self.open_tickets, facts.open_tickets)
        _set_all(self.open_breaches, facts.open_breaches)
        self.unreachable.set(facts.unreachable_staff)
        age = facts.last_backup_age
        self.backup_age.set(math.inf if age is None else age)
        self.updates_age.set(facts.updates_age or 0.0)
        self.writable.set(0 if facts.database_error else 1)
        self.healthy.set(1 if healthy else 0)
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type


def _class(priority: int) -> str:
    try:
        return Priority(priority).name.lower()
    except ValueError:
        return str(priority)


def _set_all(gauge: Gauge, values: dict[str, int]) -> None:
    gauge.clear()  # a level with no open ticket left must not keep its last number
    for label, value in values.items():
        gauge.labels(label).set(value)


@dataclass
class BackupState:
    """The daily backups' news, kept by the backup runner (bot/telegram/backups.py)."""

    folder: Path
    error: str = ""


class Monitor:
    """Gathers the health facts: the probe's write, the database's numbers, the in-process
    counts; judges them (bot/domain/health.py)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        limits: HealthLimits,
        staff_ids: Iterable[int],
        fetches: FetchWatch | None,
        backups: BackupState,
    ) -> None:
        self.db = db
        self.clock = clock
        self.limits = limits
        self.staff_ids = tuple(staff_ids)
        self.fetches = fetches
        self.backups = backups
        self.metrics = Metrics()
        self.last_update: float | None = None  # real seconds (monotonic)
        self.handled = 0
        self._probe: tuple[float, str] | None = None
        self._probe_lock = asyncio.Lock()

    def update_handled(self) -> None:
        self.last_update = time.monotonic()
        self.handled += 1
        self.metrics.update_handled()

    async def _database_error(self) -> str:
        async with self._probe_lock:
            if self._probe is not None and time.monotonic() - self._probe[0] < PROBE_EVERY:
                return self._probe[1]
            error = await probe_write(self.db, self.clock.now())
            self._probe = (time.monotonic(), error)
            return error

    async def facts(self) -> HealthFacts:
        now = self.clock.now()
        error = await self._database_error()
        try:
            found = await asyncio.to_thread(read_facts, Path(self.db.path), now, self.staff_ids)
        except Exception as e:
            found, error = DatabaseFacts(), error or f"{type(e).__name__}: {e}"
        polling = self.fetches is not None and self.fetches.first_call is not None
        fetched = self.fetches.age() if self.fetches is not None else None
        ages = [a for a in (self._update_age(), fetched) if a is not None]
        last = backup.latest(self.backups.folder)
        return HealthFacts(
            at=now,
            database_error=error,
            polling=polling,
            updates_age=min(ages) if ages else None,
            updates_handled=self.handled,
            outbox_backlog=found.outbox_backlog,
            outbox_oldest_age=_age(now, found.outbox_oldest_queued),
            timers_oldest_age=_age(now, found.timers_oldest_due),
            open_tickets=found.open_tickets,
            open_breaches=found.open_breaches,
            unreachable_staff=found.unreachable_staff,
            last_backup_age=_age(now, last),
            backup_error=self.backups.error,
        )

    def _update_age(self) -> float | None:
        return None if self.last_update is None else time.monotonic() - self.last_update

    def judge(self, facts: HealthFacts) -> list[Problem]:
        return problems(facts, self.limits)

    async def scrape(self, accept: str = "") -> tuple[bytes, str]:
        facts = await self.facts()
        return self.metrics.show(facts, not self.judge(facts), accept)


def _age(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else max(0.0, (now - then).total_seconds())

