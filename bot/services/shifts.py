"""The staff's own commands about the roster: who is on duty (/oncall), the next 7 days and
my shifts (/schedule, and its .ics file), a manager's /cover, and shift swaps between
engineers. A cover or a swap under way now is a hand-off at once (`Roster.hand_off`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.config import ProjectConfig, Settings, StaffConfig
from bot.domain.roster import Override, Shift, member_shifts, to_ics
from bot.domain.swaps import Swap
from bot.services.notices import Notice, Outcome, Params
from bot.services.roster import HORIZON, Period, Roster
from bot.services.uow import UnitOfWork

# One project's part of /schedule: its shifts and its gaps (nobody on duty).
ScheduleRow = tuple[ProjectConfig, list[Shift], list[tuple[datetime, datetime]]]


@dataclass(frozen=True)
class DutyView:
    """One project's duty now and next, for /oncall."""

    project: ProjectConfig
    now: dict[str, list[StaffConfig]]  # layer -> people
    always: list[StaffConfig]
    next_at: datetime | None
    next_now: dict[str, list[StaffConfig]]
    gap: bool


@dataclass(frozen=True)
class DutyViews(Params):
    """roster.oncall: the duty of each of my projects."""

    views: list[DutyView]


@dataclass(frozen=True)
class Schedule(Params):
    """roster.schedule: each project's next 7 days, and my own shifts."""

    rows: list[ScheduleRow]
    mine: list[Shift]


@dataclass(frozen=True)
class IcsFile(Params):
    """roster.ics: my shifts as an .ics calendar file, and how many there are."""

    data: bytes
    count: int


@dataclass(frozen=True)
class UnknownStaff(Params):
    """roster.unknown_staff: the staff key /cover was given."""

    staff: str


@dataclass(frozen=True)
class NoTeam(Params):
    """roster.no_team: the staff member who is in none of my projects' rosters."""

    name: str


@dataclass(frozen=True, kw_only=True)
class Covered(Period):
    """roster.covered: whom the manager put on duty."""

    name: str


@dataclass(frozen=True, kw_only=True)
class CoveredBy(Period):
    """roster.you_cover: the manager who put me on duty."""

    by: str


@dataclass(frozen=True)
class ShiftChoice(Params):
    """roster.pick_shift: my next shifts (with their team's key) to pick one to swap."""

    shifts: list[tuple[str, Shift]]


@dataclass(frozen=True)
class SwapColleagues(Params):
    """roster.pick_colleague: the drafted swap, and the colleagues it may go to."""

    swap: Swap
    colleagues: list[StaffConfig]


@dataclass(frozen=True)
class SwapOffer(Params):
    """roster.swap_offer: a colleague offers the swap's shift."""

    swap: Swap
    owner: StaffConfig


@dataclass(frozen=True)
class SwapNews(Params):
    """roster.swap_sent, roster.swap_declined (with the colleague), roster.swap_accepted,
    roster.swap_done, roster.swap_told (with the colleague and the shift's owner)."""

    swap: Swap
    target: StaffConfig | None = None
    owner: StaffConfig | None = None


class Shifts:
    def __init__(self, settings: Settings, clock: Clock, roster: Roster) -> None:
        self.settings = settings
        self.clock = clock
        self.roster = roster

    def _projects_of(self, staff: StaffConfig) -> list[ProjectConfig]:
        if staff.has_role("admin"):
            return list(self.settings.projects)
        return self.settings.projects_of_staff(staff.key)

    # ------------------------------------------------------------------ views
    async def duty(self, uow: UnitOfWork, project: ProjectConfig) -> DutyView:
        now = self.clock.now()
        team = await self.roster.team(uow, project)
        on_call = team.on_call(now)
        nxt = team.next_change(now)
        later = team.on_call(nxt) if nxt else {}
        tiers = team.tiers(now)
        gap = not tiers or not tiers[0]
        people = self.roster.people
        return DutyView(
            project=project,
            now={k: people(v) for k, v in on_call.items()},
            always=people(list(team.always)),
            next_at=nxt,
            next_now={k: people(v) for k, v in later.items()},
            gap=gap,
        )

    async def oncall(self, uow: UnitOfWork, uid: int) -> Outcome:
        """/oncall: who is on duty now and next, per project."""
        staff = self.settings.staff_by_telegram_id(uid)
        if staff is None:
            return Outcome([Notice(uid, "refuse.staff_only")])
        views = [await self.duty(uow, p) for p in self._projects_of(staff)]
        return Outcome([Notice(uid, "roster.oncall", params=DutyViews(views))])

    async def my_shifts(self, uow: UnitOfWork, staff: StaffConfig) -> list[tuple[str, Shift]]:
        now = self.clock.now()
        seen: set[str] = set()
        out: list[tuple[str, Shift]] = []
        for project in self._projects_of(staff):
            team = await self.roster.team(uow, project)
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
        rows: list[ScheduleRow] = []
        for project in self._projects_of(staff):
            team = await self.roster.team(uow, project)
            shifts = team.shifts_between(now, now + HORIZON)
            rows.append((project, shifts, team.gaps(now, now + HORIZON)))
        mine = await self.my_shifts(uow, staff)
        return Outcome(
            [Notice(uid, "roster.schedule", params=Schedule(rows, [s for _, s in mine]))]
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
            [Notice(uid, "roster.ics", params=IcsFile(data, len(mine)))], toast="toast.ok"
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
            return Outcome([Notice(uid, "roster.unknown_staff", params=UnknownStaff(member_key))])
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
            was = await self.roster.on_duty_sets(uow, team.key, now)
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
                handed.notices.extend(
                    (await self.roster.hand_off(uow, team.key, was, tag)).notices
                )
        if not done:
            return Outcome([Notice(uid, "roster.no_team", params=NoTeam(member.name))])
        await self.roster.arm(uow)  # the cover's start and end are hand-offs, with a reminder
        out = Outcome(
            [Notice(uid, "roster.covered", params=Covered(start, end, name=member.name))]
        )
        if member.telegram_id != uid:
            out.add(
                Notice(
                    member.telegram_id,
                    "roster.you_cover",
                    params=CoveredBy(start, end, by=staff.name),
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
        return Outcome([Notice(uid, "roster.pick_shift", params=ShiftChoice(mine[:8]))])

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
            [Notice(uid, "roster.pick_colleague", params=SwapColleagues(swap, colleagues))],
            clear_buttons=True,
        )

    def _colleagues(self, staff: StaffConfig, team_key: str) -> list[StaffConfig]:
        keys: list[str] = []
        for project in self.settings.projects:
            if self.settings.team(project).key == team_key:
                keys += self.settings.project_staff_keys(project)
        people = self.roster.people(list(dict.fromkeys(keys)))
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
        out.add(Notice(uid, "roster.swap_sent", params=SwapNews(swap, target=target)))
        return out.add(
            Notice(target.telegram_id, "roster.swap_offer", params=SwapOffer(swap, staff))
        )

    async def answer_swap(self, uow: UnitOfWork, uid: int, swap_id: int, take: bool) -> Outcome:
        staff = self.settings.staff_by_telegram_id(uid)
        swap = await uow.rosters.swap(swap_id)
        if (
            staff is None
            or swap is None
            or swap.to_member != staff.key
            or self.settings.find_staff(swap.from_member) is None  # who offered it has left
        ):
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
                    params=SwapNews(swap, target=staff),
                )
            )
        was = await self.roster.on_duty_sets(uow, swap.team, now)
        override_id = await uow.rosters.add_override(
            Override(
                swap.team, swap.layer, staff.key, swap.start, swap.end, replaces=swap.from_member
            ),
            "swap",
            f"staff:{staff.key}",
            now,
        )
        await self.roster.arm(uow)  # the colleague is reminded of the shift, not the owner
        params = SwapNews(swap, target=staff, owner=owner)
        out.add(Notice(owner.telegram_id, "roster.swap_accepted", params=params))
        out.add(Notice(uid, "roster.swap_done", params=params))
        if swap.start <= now < swap.end:
            # The shift is under way: the colleague takes it over now (a hand-off).
            out.notices.extend(
                (await self.roster.hand_off(uow, swap.team, was, f"swap:{override_id}")).notices
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
