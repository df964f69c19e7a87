"""Who is on duty, and paging that never dead-ends.

New fault → the first tier (primary shift + always-on-duty people); not accepted within
`ack_timeout` → the next tier (secondary), then the escalation chain one level at a time.
A page refused by Telegram (blocked, never started) moves to the next tier at once. At each
hand-off the incoming engineers get a digest of open tickets, and tickets nobody accepted are
paged to them again. Overrides (/cover) and accepted swaps beat the rotation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.domain.paging import Paging
from bot.domain.roster import Override, Shift, Team, member_shifts, to_ics
from bot.domain.ticket import Status, Ticket
from bot.services.notices import Notice, Outcome
from bot.services.uow import Timer, UnitOfWork

HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class DutyView:
    """One project's duty now and next, for /oncall."""

    project: ProjectConfig
    now: dict[str, list[StaffConfig]]  # layer -> people
    always: list[StaffConfig]
    next_at: datetime | None
    next_now: dict[str, list[StaffConfig]]
    gap: bool


class Roster:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    def _staff(self, keys: list[str]) -> list[StaffConfig]:
        return [self.settings.staff_by_key(k) for k in keys]

    async def team(self, uow: UnitOfWork, project: ProjectConfig) -> Team:
        team = self.settings.team(project)
        if not team.layers:
            return team
        since = self.clock.now() - timedelta(days=1)
        return team.with_overrides(await uow.rosters.overrides(team.key, since))

    async def on_duty(
        self, uow: UnitOfWork, project: ProjectConfig, at: datetime | None = None
    ) -> list[StaffConfig]:
        """The first tier now: the primary shift plus the always-on-duty people."""
        team = await self.team(uow, project)
        tiers = team.tiers(at or self.clock.now())
        return self._staff(tiers[0]) if tiers else []

    # ------------------------------------------------------------------ paging
    def ack_timeout(self, project: ProjectConfig, ticket: Ticket) -> timedelta:
        if project.ack_timeout is not None:
            base = project.ack_timeout
        else:
            spec = self.settings.sla_policy(project.key).clock("respond")
            seconds = spec.targets[ticket.level].amount if spec else 900.0
            base = timedelta(seconds=seconds / 2)
        if self._heightened(project):
            base = base / 2
        return base

    def _heightened(self, project: ProjectConfig) -> bool:
        day = self.clock.now().astimezone(self.settings.tz).date()
        return self.settings.heightened_on(project.key, day) is not None

    async def start_paging(self, uow: UnitOfWork, ticket: Ticket) -> list[Notice]:
        """Page a new ticket's first reachable tier and arm the next step."""
        project = self.settings.project(ticket.project_key)
        team = await self.team(uow, project)
        tiers = [t for t in team.tiers(self.clock.now()) if t]
        if self._heightened(project):
            # 重大活动: two engineers at once — the first two people of the tiers.
            flat = list(dict.fromkeys(k for t in tiers for k in t))
            if len(flat) >= 2 and len(tiers[0]) < 2:
                tiers = [flat[:2], *[[k for k in t if k not in flat[:2]] for t in tiers[1:]]]
                tiers = [t for t in tiers if t]
        chain = [[k] for k in project.escalation]
        plan = Paging(
            ticket.id, [*tiers, *chain], -1, self.ack_timeout(project, ticket).total_seconds()
        )
        await uow.rosters.put_paging(plan)
        return await self._page_next(uow, ticket, plan)

    async def _reachable(self, uow: UnitOfWork, keys: list[str]) -> list[StaffConfig]:
        people = self._staff(keys)
        users = await uow.users.many(p.telegram_id for p in people)
        return [
            p
            for p in people
            if (u := users.get(p.telegram_id)) is None or u.unreachable_at is None
        ]

    async def _page_next(self, uow: UnitOfWork, ticket: Ticket, plan: Paging) -> list[Notice]:
        """Advance to the next tier with someone reachable; page them; arm the timeout."""
        step = plan.step
        notices: list[Notice] = []
        while step + 1 < len(plan.tiers):
            if not await uow.rosters.advance_paging(ticket.id, step):
                return []  # someone else advanced it meanwhile
            step += 1
            people = await self._reachable(uow, plan.tiers[step])
            if not people:
                continue  # nobody reachable in this tier: the next one, at once
            for person in people:
                # Managers of the chain cannot accept: they are told nobody has, and act.
                key = "ticket.page" if person.has_role("engineer") else "ticket.page_chain"
                notices.append(
                    Notice(
                        person.telegram_id,
                        key,
                        ticket=ticket,
                        purpose="page",
                        params={"tier": step},
                        dedupe=f"page:{ticket.id}:{person.key}",
                    )
                )
            if step + 1 < len(plan.tiers):
                await uow.timers.schedule(
                    f"page:{ticket.id}",
                    "page_next",
                    self.clock.now() + timedelta(seconds=plan.ack_seconds),
                    ticket_id=ticket.id,
                    payload={"step": step},
                )
            return notices
        return notices

    async def page_timeout(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """Nobody accepted within ack_timeout: page the next tier."""
        if timer.ticket_id is None:
            return Outcome()
        ticket = await uow.tickets.get(timer.ticket_id)
        plan = await uow.rosters.paging(timer.ticket_id)
        if ticket is None or plan is None or ticket.status != Status.NEW:
            return Outcome()
        if plan.step != int(timer.payload.get("step", -2)):
            return Outcome()  # already moved on (a failed page advanced it)
        return Outcome(await self._page_next(uow, ticket, plan))

    async def page_refused(self, uow: UnitOfWork, ticket_id: int, chat_id: int) -> list[Notice]:
        """A page could not be delivered: if it was the current tier, page the next at once."""
        ticket = await uow.tickets.get(ticket_id)
        plan = await uow.rosters.paging(ticket_id)
        if ticket is None or plan is None or ticket.status != Status.NEW or plan.step < 0:
            return []
        current = self._staff(plan.tiers[plan.step])
        if chat_id not in {p.telegram_id for p in current}:
            return []
        still = await self._reachable(uow, plan.tiers[plan.step])
        if still:
            return []  # someone of this tier still has the page
        await uow.timers.cancel(f"page:{ticket_id}")
        return await self._page_next(uow, ticket, plan)

    async def stop_paging(self, uow: UnitOfWork, ticket_id: int) -> None:
        await uow.timers.cancel(f"page:{ticket_id}")

    # ------------------------------------------------------------------ views
    async def duty(self, uow: UnitOfWork, project: ProjectConfig) -> DutyView:
        now = self.clock.now()
        team = await self.team(uow, project)
        on_call = team.on_call(now)
        nxt = team.next_change(now)
        later = team.on_call(nxt) if nxt else {}
        tiers = team.tiers(now)
        gap = not tiers or not tiers[0]
        return DutyView(
            project=project,
            now={k: self._staff(v) for k, v in on_call.items()},
            always=self._staff(list(team.always)),
            next_at=nxt,
            next_now={k: self._staff(v) for k, v in later.items()},
            gap=gap,
        )

    def _projects_of(self, staff: StaffConfig) -> list[ProjectConfig]:
        if staff.has_role("admin"):
            return list(self.settings.projects)
        return self.settings.projects_of_staff(staff.key)

    async def oncall(self, uow: UnitOfWork, uid: int) -> Outcome:
        """/oncall: who is on duty now and next, per project."""
        staff = self.settings.staff_by_telegram_id(uid)
        if staff is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        views = [await self.duty(uow, p) for p in self._projects_of(staff)]
        return Outcome([Notice(uid, "roster.oncall", params={"views": views})])

    async def my_shifts(self, uow: UnitOfWork, staff: StaffConfig) -> list[tuple[str, Shift]]:
        now = self.clock.now()
        seen: set[str] = set()
        out: list[tuple[str, Shift]] = []
        for project in self._projects_of(staff):
            team = await self.team(uow, project)
            if not team.layers or team.key in seen:
                continue
            seen.add(team.key)
            for shift in member_shifts(team, staff.key, now, now + HORIZON):
                out.append((team.key, shift))
        return sorted(out, key=lambda x: x[1].start)

    async def schedule(self, uow: UnitOfWork, uid: int) -> Outcome:
        """/schedule: the next 7 days of each project, my own shifts, and an .ics button."""
        staff = self.settings.staff_by_telegram_id(uid)
        if staff is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        now = self.clock.now()
        rows = []
        for project in self._projects_of(staff):
            team = await self.team(uow, project)
            shifts = team.shifts_between(now, now + HORIZON)
            rows.append((project, shifts, team.gaps(now, now + HORIZON)))
        mine = await self.my_shifts(uow, staff)
        return Outcome(
            [Notice(uid, "roster.schedule", params={"rows": rows, "mine": [s for _, s in mine]})]
        )

    async def ics(self, uow: UnitOfWork, uid: int) -> Outcome:
        """The engineer's own shifts as an .ics calendar file."""
        staff = self.settings.staff_by_telegram_id(uid)
        if staff is None:
            return Outcome(toast="refuse.staff_only", toast_alert=True)
        mine = [s for _, s in await self.my_shifts(uow, staff)]
        data = to_ics(
            mine,
            summary="On call / 值班",
            calendar_name=f"On call: {staff.name}",
            stamp=self.clock.now(),
        )
        return Outcome(
            [Notice(uid, "roster.ics", params={"data": data, "count": len(mine)})],
            toast="toast.ok",
        )

    # ------------------------------------------------------------------ cover and swap
    async def cover(
        self, uow: UnitOfWork, uid: int, member_key: str, start: datetime, end: datetime
    ) -> Outcome:
        """/cover: a manager puts `member_key` on duty (primary layer) for a period."""
        staff = self.settings.staff_by_telegram_id(uid)
        if staff is None or not staff.is_manager:
            return Outcome([Notice(uid, "refuse.managers_only_roster")])
        try:
            member = self.settings.staff_by_key(member_key)
        except KeyError:
            return Outcome([Notice(uid, "roster.unknown_staff", params={"staff": member_key})])
        now = self.clock.now()
        start = max(start, now)  # the past cannot be covered any more
        if end <= start:
            return Outcome([Notice(uid, "usage.cover")])
        done: list[str] = []
        handed = Outcome()
        for project in self._projects_of(staff):
            team = self.settings.team(project)
            if not team.layers or member.key not in self.settings.project_staff_keys(project):
                continue
            if team.key in done:
                continue
            was = await self._on_duty_sets(uow, team.key, now)
            layer = team.layers[0].name
            override_id = await uow.rosters.add_override(
                Override(team.key, layer, member.key, start, end),
                "cover",
                f"staff:{staff.key}",
                now,
            )
            done.append(team.key)
            if start <= now:
                # Under way now: a hand-off at once (open tickets, unaccepted ones paged).
                tag = f"cover:{override_id}"
                handed.notices.extend((await self._hand_off(uow, team.key, was, tag)).notices)
        if not done:
            return Outcome([Notice(uid, "roster.no_team", params={"name": member.name})])
        await self.arm(uow)  # the cover's start and end are hand-offs, with a reminder
        out = Outcome(
            [
                Notice(
                    uid, "roster.covered", params={"name": member.name, "start": start, "end": end}
                )
            ]
        )
        if member.telegram_id != uid:
            out.add(
                Notice(
                    member.telegram_id,
                    "roster.you_cover",
                    params={"start": start, "end": end, "by": staff.name},
                )
            )
        out.notices.extend(handed.notices)
        return out

    async def begin_swap(self, uow: UnitOfWork, uid: int) -> Outcome:
        """/swap: pick one of my shifts to hand to a colleague."""
        staff = self.settings.staff_by_telegram_id(uid)
        if staff is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        mine = await self.my_shifts(uow, staff)
        if not mine:
            return Outcome([Notice(uid, "roster.no_shifts")])
        return Outcome([Notice(uid, "roster.pick_shift", params={"shifts": mine[:8]})])

    async def pick_shift(self, uow: UnitOfWork, uid: int, start_epoch: int) -> Outcome:
        staff = self.settings.staff_by_telegram_id(uid)
        if staff is None:
            return Outcome(toast="button.stale")
        mine = await self.my_shifts(uow, staff)
        found = [(t, s) for t, s in mine if int(s.start.timestamp()) == start_epoch]
        if not found:
            return Outcome(toast="button.stale")
        team_key, shift = found[0]
        swap = await uow.rosters.add_swap(
            team_key, shift.layer, staff.key, shift.start, shift.end, self.clock.now()
        )
        colleagues = self._colleagues(staff, team_key)
        if not colleagues:
            return Outcome([Notice(uid, "roster.no_colleagues")], clear_buttons=True)
        return Outcome(
            [
                Notice(
                    uid, "roster.pick_colleague", params={"swap": swap, "colleagues": colleagues}
                )
            ],
            clear_buttons=True,
        )

    def _colleagues(self, staff: StaffConfig, team_key: str) -> list[StaffConfig]:
        keys: list[str] = []
        for project in self.settings.projects:
            if self.settings.team(project).key == team_key:
                keys += self.settings.project_staff_keys(project)
        people = self._staff(list(dict.fromkeys(keys)))
        return [p for p in people if p.key != staff.key and p.has_role("engineer")]

    async def offer_swap(self, uow: UnitOfWork, uid: int, swap_id: int, to_key: str) -> Outcome:
        staff = self.settings.staff_by_telegram_id(uid)
        swap = await uow.rosters.swap(swap_id)
        if staff is None or swap is None or swap.from_member != staff.key:
            return Outcome(toast="button.stale")
        if to_key not in {c.key for c in self._colleagues(staff, swap.team)}:
            return Outcome(toast="button.stale")
        if not await uow.rosters.move_swap(swap_id, "draft", "proposed", self.clock.now(), to_key):
            return Outcome(toast="button.stale")
        target = self.settings.staff_by_key(to_key)
        swap = await uow.rosters.swap(swap_id)
        assert swap is not None
        out = Outcome(clear_buttons=True, toast="toast.ok")
        out.add(Notice(uid, "roster.swap_sent", params={"swap": swap, "target": target}))
        return out.add(
            Notice(target.telegram_id, "roster.swap_offer", params={"swap": swap, "owner": staff})
        )

    async def answer_swap(self, uow: UnitOfWork, uid: int, swap_id: int, take: bool) -> Outcome:
        staff = self.settings.staff_by_telegram_id(uid)
        swap = await uow.rosters.swap(swap_id)
        if staff is None or swap is None or swap.to_member != staff.key:
            return Outcome(toast="button.stale")
        now = self.clock.now()
        if not await uow.rosters.move_swap(
            swap_id, "proposed", "accepted" if take else "declined", now
        ):
            return Outcome(toast="button.stale")
        owner = self.settings.staff_by_key(swap.from_member)
        out = Outcome(clear_buttons=True, toast="toast.ok")
        if not take:
            return out.add(
                Notice(
                    owner.telegram_id,
                    "roster.swap_declined",
                    params={"swap": swap, "target": staff},
                )
            )
        was = await self._on_duty_sets(uow, swap.team, now)
        override_id = await uow.rosters.add_override(
            Override(
                swap.team, swap.layer, staff.key, swap.start, swap.end, replaces=swap.from_member
            ),
            "swap",
            f"staff:{staff.key}",
            now,
        )
        await self.arm(uow)  # the colleague is reminded of the shift, not the owner
        params = {"swap": swap, "target": staff, "owner": owner}
        out.add(Notice(owner.telegram_id, "roster.swap_accepted", params=params))
        out.add(Notice(uid, "roster.swap_done", params=params))
        if swap.start <= now < swap.end:
            # The shift is under way: the colleague takes it over now (a hand-off).
            out.notices.extend(
                (await self._hand_off(uow, swap.team, was, f"swap:{override_id}")).notices
            )
        managers: dict[int, StaffConfig] = {}
        for project in self.settings.projects:
            if self.settings.team(project).key != swap.team:
                continue
            for key in self.settings.project_staff_keys(project):
                person = self.settings.staff_by_key(key)
                if person.is_manager:
                    managers[person.telegram_id] = person
        for tid in managers:
            out.add(Notice(tid, "roster.swap_told", params=params))
        return out

    # ------------------------------------------------------------------ hand-off and checks
    async def arm(self, uow: UnitOfWork) -> None:
        """Arm each team's next hand-off and the shift reminders of the next day (idempotent:
        the keys are unique per shift)."""
        now = self.clock.now()
        for project in self.settings.projects:
            team = await self.team(uow, project)
            if not team.layers:
                continue
            nxt = team.next_change(now)
            if nxt is not None:
                await uow.timers.schedule_once(
                    f"handoff:{team.key}:{nxt.astimezone(UTC).isoformat()}",
                    "handoff",
                    nxt,
                    payload={"team": team.key, "project": project.key},
                )
            for shift in team.shifts_between(now, now + timedelta(hours=26)):
                remind_at = shift.start - self.settings.shift_reminder
                if remind_at <= now:
                    continue
                person = self.settings.staff_by_key(shift.member)
                await uow.timers.schedule_once(
                    f"shift:{team.key}:{shift.layer}:{shift.member}:"
                    f"{int(shift.start.timestamp())}",
                    "shift_reminder",
                    remind_at,
                    payload={
                        "team": team.key,
                        "project": project.key,
                        "layer": shift.layer,
                        "member": person.key,
                        "start": shift.start.isoformat(),
                        "end": shift.end.isoformat(),
                    },
                )

    async def shift_reminder(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        p = timer.payload
        try:
            person = self.settings.staff_by_key(str(p["member"]))
            project = self.settings.project(str(p["project"]))
        except KeyError:
            return Outcome()
        start = datetime.fromisoformat(str(p["start"]))
        team = await self.team(uow, project)
        if person.key not in team.on_call(start).get(str(p.get("layer", "")), []):
            return Outcome()  # swapped away or covered since the reminder was armed
        return Outcome(
            [
                Notice(
                    person.telegram_id,
                    "roster.shift_soon",
                    params={
                        "start": datetime.fromisoformat(str(p["start"])),
                        "end": datetime.fromisoformat(str(p["end"])),
                        "layer": p.get("layer", ""),
                    },
                )
            ]
        )

    async def handoff(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """Hand-off: the incoming engineers get the open tickets; unaccepted ones are paged."""
        team_key = str(timer.payload.get("team", ""))
        was = await self._on_duty_sets(uow, team_key, timer.due_at - timedelta(seconds=1))
        out = await self._hand_off(uow, team_key, was, timer.key)
        await self.arm(uow)
        return out

    async def _on_duty_sets(
        self, uow: UnitOfWork, team_key: str, at: datetime
    ) -> dict[str, set[str]]:
        """Everyone paged for each project of the team at `at` (every tier)."""
        out: dict[str, set[str]] = {}
        for project in self.settings.projects:
            team = await self.team(uow, project)
            if team.key == team_key:
                out[project.key] = {k for t in team.tiers(at) for k in t}
        return out

    async def _hand_off(
        self, uow: UnitOfWork, team_key: str, was: dict[str, set[str]], tag: str
    ) -> Outcome:
        """Who is on the first tier now and was not on duty (`was`) gets the open tickets of
        the project; the unaccepted ones are paged to them (once per hand-off `tag`)."""
        now = self.clock.now()
        out = Outcome()
        for project in self.settings.projects:
            team = await self.team(uow, project)
            if team.key != team_key:
                continue
            before = was.get(project.key, set())
            incoming = [k for t in team.tiers(now)[:1] for k in t if k not in before]
            if not incoming:
                continue
            tickets = await uow.tickets.open_of_projects([project.key])
            for key in incoming:
                person = self.settings.staff_by_key(key)
                out.add(
                    Notice(
                        person.telegram_id,
                        "roster.handoff",
                        params={"project": project.name, "tickets": tickets},
                    )
                )
                for ticket in tickets:
                    if ticket.status == Status.NEW:
                        out.add(
                            Notice(
                                person.telegram_id,
                                "ticket.page",
                                ticket=ticket,
                                purpose="page",
                                # Once per hand-off: they may have been paged before.
                                dedupe=f"page:{ticket.id}:{key}:{tag}",
                            )
                        )
        return out

    async def gaps_report(self, uow: UnitOfWork) -> Outcome:
        """Gaps (nobody on duty) in the next 7 days, told to the project managers ahead."""
        now = self.clock.now()
        day = now.astimezone(self.settings.tz).date().isoformat()
        out = Outcome()
        for project in self.settings.projects:
            team = await self.team(uow, project)
            gaps = team.gaps(now, now + HORIZON)
            if not gaps:
                continue
            # The digest names the roster's gaps of whole days, not of [now, now + 7 days):
            # a restart a minute later (now inside a gap) is not a new report.
            midnight = datetime.combine(
                now.astimezone(self.settings.tz).date(), time(0), tzinfo=self.settings.tz
            )
            whole_days = team.gaps(midnight, midnight + HORIZON + timedelta(days=1))
            digest = hashlib.sha1(repr(whole_days).encode()).hexdigest()[:10]
            people = [
                self.settings.staff_by_key(k) for k in self.settings.project_staff_keys(project)
            ]
            pms = [p for p in people if p.has_role("project_manager", "admin")]
            users = await uow.users.many(p.telegram_id for p in pms)
            for pm in pms:
                user = users.get(pm.telegram_id)
                if user is None or user.started_at is None or user.unreachable_at is not None:
                    # Not reachable: a failed send would use up today's report (dedupe); they
                    # get it at the next start-up or daily check once they start the bot.
                    continue
                out.add(
                    Notice(
                        pm.telegram_id,
                        "roster.gaps",
                        params={"project": project.name, "gaps": gaps},
                        dedupe=f"gaps:{project.key}:{pm.key}:{day}:{digest}",
                    )
                )
        return out
