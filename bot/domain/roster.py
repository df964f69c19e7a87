"""Who is on duty (pure): rotations, overrides and swaps, shifts, gaps, and .ics export.

A team has layers (primary first, then an optional secondary). Each layer rotates its members
in order: daily or weekly at a hand-off time, or through fixed shifts (08:00–20:00 /
20:00–08:00), each shift going to the next member. Overrides (a manager's /cover, or an
accepted swap) beat the rotation for their period. The plain `on_duty` list of a project is
a layer whose members are always on duty.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_SHIFTS = 10_000  # bound any walk over shifts


@dataclass(frozen=True)
class Shift:
    """One member on duty in one layer from `start` to `end` (aware UTC)."""

    layer: str
    member: str
    start: datetime
    end: datetime

    def covers(self, at: datetime) -> bool:
        return self.start <= at < self.end


@dataclass(frozen=True)
class Layer:
    name: str
    members: tuple[str, ...]
    rotation: str  # "daily" | "weekly" | "shifts" | "always"
    tz: ZoneInfo
    start: date = date(2026, 1, 1)
    handoff: time = time(8, 0)
    shifts: tuple[tuple[time, time], ...] = ()

    def _slots(self, day: date) -> list[tuple[datetime, datetime]]:
        """The shift windows that begin on `day` (local), as aware UTC."""
        if self.rotation == "shifts":
            out = []
            for opens, closes in self.shifts:
                s = datetime.combine(day, opens, tzinfo=self.tz)
                e_day = day if closes > opens else day + timedelta(days=1)
                e = datetime.combine(e_day, closes, tzinfo=self.tz)
                out.append((s.astimezone(UTC), e.astimezone(UTC)))
            return out
        length = 1
        if self.rotation == "weekly":
            # One shift a week, from the hand-off on the start date's weekday.
            if (day - self.start).days % 7:
                return []
            length = 7
        s = datetime.combine(day, self.handoff, tzinfo=self.tz)
        e = datetime.combine(day + timedelta(days=length), self.handoff, tzinfo=self.tz)
        return [(s.astimezone(UTC), e.astimezone(UTC))]

    def _member_for(self, day: date, slot: int) -> str:
        days = (day - self.start).days
        if self.rotation == "weekly":
            index = days // 7
        elif self.rotation == "shifts":
            index = days * max(1, len(self.shifts)) + slot
        else:
            index = days
        return self.members[index % len(self.members)]

    def shifts_between(self, a: datetime, b: datetime) -> list[Shift]:
        """Every shift of this layer overlapping [a, b), in time order."""
        if not self.members or b <= a:
            return []
        if self.rotation == "always":
            return [Shift(self.name, m, a, b) for m in self.members]
        out: list[Shift] = []
        back = 7 if self.rotation == "weekly" else 1  # the shift under way at `a` began then
        day = a.astimezone(self.tz).date() - timedelta(days=back)
        for _ in range(MAX_SHIFTS):
            for i, (s, e) in enumerate(self._slots(day)):
                if e > a and s < b:
                    out.append(Shift(self.name, self._member_for(day, i), s, e))
            day += timedelta(days=1)
            if datetime.combine(day, time(0), tzinfo=self.tz) > b + timedelta(days=1):
                break
        return sorted(out, key=lambda x: x.start)


@dataclass(frozen=True)
class Override:
    """`member` is on duty in `layer` of `team` from `start` to `end`, instead of the rotation.

    `replaces` names the member covered (a swap covers one person's shift); empty: the whole
    layer is covered by `member` (a manager's /cover)."""

    team: str
    layer: str
    member: str
    start: datetime
    end: datetime
    replaces: str = ""
    id: int = 0

    def covers(self, at: datetime) -> bool:
        return self.start <= at < self.end


@dataclass(frozen=True)
class Team:
    key: str
    layers: tuple[Layer, ...]
    overrides: tuple[Override, ...] = field(default_factory=tuple)
    # People always on duty (a project's plain `on_duty` list): paged with the first layer.
    always: tuple[str, ...] = ()

    def with_overrides(self, overrides: Iterable[Override]) -> Team:
        mine = tuple(o for o in overrides if o.team == self.key)
        return Team(self.key, self.layers, mine, self.always)

    def layer(self, name: str) -> Layer | None:
        return next((layer for layer in self.layers if layer.name == name), None)

    def tiers(self, at: datetime) -> list[list[str]]:
        """Whom to page, tier by tier: the first layer's shift with the always-on-duty people,
        then each further layer's shift."""
        on_call = self.on_call(at)
        tiers: list[list[str]] = []
        for i, layer in enumerate(self.layers):
            people = list(on_call[layer.name])
            if i == 0:
                people += [m for m in self.always if m not in people]
            tiers.append(people)
        if not self.layers:
            tiers.append(list(self.always))
        return tiers

    def shifts_between(self, a: datetime, b: datetime) -> list[Shift]:
        """The effective shifts: rotations cut by overrides, overrides added."""
        out: list[Shift] = []
        for layer in self.layers:
            ovs = [
                o for o in self.overrides if o.layer == layer.name and o.end > a and o.start < b
            ]
            for shift in layer.shifts_between(a, b):
                cutters = [o for o in ovs if not o.replaces or o.replaces == shift.member]
                out.extend(_cut(shift, cutters))
            for o in ovs:
                out.append(Shift(layer.name, o.member, max(o.start, a), min(o.end, b)))
        return sorted(out, key=lambda s: (s.start, s.layer))

    def on_call(self, at: datetime) -> dict[str, list[str]]:
        """Who is on duty at `at`, per layer, in layer order (overrides first)."""
        result: dict[str, list[str]] = {layer.name: [] for layer in self.layers}
        for shift in self.shifts_between(at, at + timedelta(seconds=1)):
            if shift.covers(at) and shift.member not in result[shift.layer]:
                result[shift.layer].append(shift.member)
        return result

    def next_change(self, at: datetime, horizon: timedelta = timedelta(days=8)) -> datetime | None:
        """The next moment after `at` when anyone's duty starts or ends (a shift followed by
        the same member's next shift is no change)."""
        moments = sorted(
            {m for s in self.shifts_between(at, at + horizon) for m in (s.start, s.end) if m > at}
        )

        def duty(when: datetime) -> dict[str, set[str]]:
            return {layer: set(people) for layer, people in self.on_call(when).items()}

        current = duty(at)
        for moment in moments:
            if moment >= at + horizon:
                break
            if duty(moment) != current:
                return moment
        return None

    def gaps(
        self, a: datetime, b: datetime, layer: str | None = None
    ) -> list[tuple[datetime, datetime]]:
        """Periods in [a, b) when nobody is on duty in `layer` (default: the first layer)."""
        if self.always and layer is None:
            return []  # someone is always on duty
        name = layer or (self.layers[0].name if self.layers else "")
        shifts = [s for s in self.shifts_between(a, b) if s.layer == name]
        gaps: list[tuple[datetime, datetime]] = []
        cursor = a
        for s in sorted(shifts, key=lambda x: x.start):
            if s.start > cursor:
                gaps.append((cursor, s.start))
            cursor = max(cursor, s.end)
        if cursor < b:
            gaps.append((cursor, b))
        return gaps


def _cut(shift: Shift, overrides: list[Override]) -> Iterator[Shift]:
    """The parts of `shift` not covered by any of `overrides`."""
    pieces = [(shift.start, shift.end)]
    for o in overrides:
        nxt = []
        for s, e in pieces:
            if o.end <= s or o.start >= e:
                nxt.append((s, e))
                continue
            if o.start > s:
                nxt.append((s, o.start))
            if o.end < e:
                nxt.append((o.end, e))
        pieces = nxt
    for s, e in pieces:
        if e > s:
            yield Shift(shift.layer, shift.member, s, e)


def member_shifts(team: Team, member: str, a: datetime, b: datetime) -> list[Shift]:
    """One member's own shifts in [a, b), adjacent pieces joined."""
    mine = sorted(
        (s for s in team.shifts_between(a, b) if s.member == member), key=lambda s: s.start
    )
    joined: list[Shift] = []
    for s in mine:
        if joined and joined[-1].layer == s.layer and joined[-1].end >= s.start:
            last = joined[-1]
            joined[-1] = Shift(last.layer, last.member, last.start, max(last.end, s.end))
        else:
            joined.append(s)
    return joined


def _ics_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _ics_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def to_ics(
    shifts: Iterable[Shift],
    *,
    summary: str,
    calendar_name: str,
    stamp: datetime,
    uid_domain: str = "hotline-bot",
) -> bytes:
    """An iCalendar (RFC 5545) file of shifts, as on-call tools export them."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Hotline Bot//On-call schedule//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_escape(calendar_name)}",
    ]
    for s in shifts:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_ics_time(s.start)}-{s.layer}-{s.member}@{uid_domain}",
            f"DTSTAMP:{_ics_time(stamp)}",
            f"DTSTART:{_ics_time(s.start)}",
            f"DTEND:{_ics_time(s.end)}",
            f"SUMMARY:{_ics_escape(summary)} ({_ics_escape(s.layer)})",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def _fold(line: str) -> str:
    """Fold lines longer than 75 octets, as RFC 5545 asks."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    while data:
        cut = 75 if not parts else 74
        chunk = data[:cut]
        while True:  # never split a UTF-8 character
            try:
                text = chunk.decode("utf-8")
                break
            except UnicodeDecodeError:
                chunk = chunk[:-1]
        parts.append(text)
        data = data[len(chunk) :]
    return "\r\n ".join(parts)
