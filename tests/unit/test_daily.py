"""The daily maintenance report's pure rules (which tickets and lines a day has, time on site,
local-day boundaries, freezing and the addendum) and its insert-only storage."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.daily import (
    DailyContent,
    DailyLine,
    Signature,
    SignedPart,
    WorkItem,
    cutoff_of,
    day_bounds,
    file_name,
    line_of,
    local_day,
    next_at,
    touched,
    unsigned_part,
)
from bot.domain.ticket import Status
from bot.domain.timeline import TimelineEntry
from bot.storage.db import Database
from bot.storage.uow import unit_of_work
from tests.unit.storage_helpers import draft_ticket

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 23)
T0 = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def entry(minutes: float, actor: str, kind: str, **detail: str) -> TimelineEntry:
    return TimelineEntry(1, at(minutes), actor, kind, dict(detail))


def ticket(**kw: object):  # type: ignore[no-untyped-def]
    return replace(draft_ticket(site="Point 3", symptom="黑屏"), id=1, **kw)  # type: ignore[arg-type]


END = at(24 * 60)


# ------------------------------------------------------------------ local days
def test_a_local_day_runs_from_local_midnight_to_local_midnight() -> None:
    start, end = day_bounds(DAY, SHANGHAI)
    assert start == datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert local_day(datetime(2026, 11, 23, 15, 59, tzinfo=UTC), SHANGHAI) == DAY
    assert local_day(datetime(2026, 11, 23, 16, 0, tzinfo=UTC), SHANGHAI) == date(2026, 11, 24)


def test_a_day_with_a_daylight_saving_change_has_its_true_length() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start, end = day_bounds(date(2026, 3, 29), berlin)
    assert end - start == timedelta(hours=23)


def test_the_next_evening_is_strictly_after_now() -> None:
    eight = time(20, 0)
    assert next_at(T0, eight, SHANGHAI) == datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    exactly = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert next_at(exactly, eight, SHANGHAI) == exactly + timedelta(days=1)


def test_today_is_cut_at_now_a_past_day_at_its_end() -> None:
    assert cutoff_of(DAY, T0, SHANGHAI) == T0 + timedelta(microseconds=1)
    later = T0 + timedelta(days=3)
    assert cutoff_of(DAY, later, SHANGHAI) == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)


# ------------------------------------------------------------------ which tickets
def test_a_ticket_is_in_the_report_of_whoever_touched_it_that_day() -> None:
    start, end = day_bounds(DAY, SHANGHAI)
    events = [
        entry(0, "customer:5001", "reported"),
        entry(5, "staff:eng1", "accepted"),
        entry(60, "staff:eng2", "note", text="helped"),
        entry(9 * 60 + 59, "staff:eng3", "note", text="23:59 local"),
        entry(10 * 60, "staff:eng4", "note", text="00:00 local the next day"),
    ]
    assert touched(events, "eng1", start, end)
    assert touched(events, "eng2", start, end)
    assert touched(events, "eng3", start, end)
    assert not touched(events, "eng4", start, end)  # the next day's report
    assert not touched(events, "eng", start, end)  # a prefix of a key is not the key
    assert not touched(events, "5001", start, end)


# ------------------------------------------------------------------ the line
def test_time_on_site_runs_from_arrival_to_resolution() -> None:
    events = [
        entry(5, "staff:eng1", "accepted"),
        entry(40, "staff:eng1", "arrived"),
        entry(115, "staff:eng1", "resolved", cause="hardware", note="swapped"),
    ]
    line = line_of(ticket(status=Status.RESOLVED, cause="hardware"), events, END)
    assert line == DailyLine(1, "Point 3", "黑屏", True, "hardware", 75 * 60, False, "B")


def test_solved_remotely_has_no_time_on_site() -> None:
    events = [entry(5, "staff:eng1", "accepted"), entry(20, "staff:eng1", "resolved",
                                                         cause="software")]
    line = line_of(ticket(status=Status.RESOLVED, cause="software"), events, END)
    assert line.solved and line.remote and line.on_site_seconds is None
    assert line.cause == "software"


def test_an_open_ticket_shows_its_blocking_reason_as_of_the_cut_off() -> None:
    events = [
        entry(5, "staff:eng1", "accepted"),
        entry(30, "staff:eng1", "arrived"),
        entry(50, "staff:eng1", "blocked", old="", new="power"),
        entry(24 * 60 + 10, "staff:eng1", "blocked", old="power", new="transmission"),
    ]
    t = ticket(status=Status.ON_SITE, blocking_reason="transmission")
    line = line_of(t, events, END)
    assert (line.solved, line.cause, line.on_site_seconds) == (False, "power", None)
    assert line_of(t, events, END + timedelta(hours=1)).cause == "transmission"
    # A reason set before the timeline recorded changes: the ticket's own.
    assert line_of(t, events[:2], END).cause == "transmission"


def test_a_reopened_ticket_is_not_solved_and_a_later_resolution_counts_from_a_new_arrival(
) -> None:
    events = [
        entry(10, "staff:eng1", "arrived"),
        entry(20, "staff:eng1", "resolved", cause="other"),
        entry(30, "customer:5001", "reopened"),
    ]
    t = ticket(status=Status.ACCEPTED)
    assert not line_of(t, events, END).solved
    events += [entry(100, "staff:eng1", "arrived"), entry(130, "staff:eng1", "resolved",
                                                          cause="hardware")]
    line = line_of(replace(t, status=Status.RESOLVED), events, END)
    assert line.solved and line.cause == "hardware" and line.on_site_seconds == 30 * 60


def test_the_day_s_line_ignores_what_happened_after_its_end() -> None:
    events = [entry(10, "staff:eng1", "accepted"),
              entry(24 * 60 + 30, "staff:eng1", "resolved", cause="power")]
    line = line_of(ticket(status=Status.RESOLVED, cause="power"), events, END - timedelta(
        hours=14))
    assert not line.solved and line.cause == ""


# ------------------------------------------------------------------ freezing, addenda
LINE = DailyLine(1, "Point 3", "黑屏", True, "hardware", 600.0, False, "B")
WORK = WorkItem(1, at(30), "巡检 3 号点位 <b>&amp;</b> 🔥")


def content(part: int = 1, lines=(LINE,), work=(WORK,)) -> DailyContent:  # type: ignore[no-untyped-def]
    return DailyContent("eng1", "village", DAY, part, tuple(lines), tuple(work))


def test_the_signed_content_round_trips_and_its_hash_is_of_the_canonical_json() -> None:
    c = content()
    assert DailyContent.from_json(c.to_json()) == c
    assert c.sha256 == DailyContent.from_json(c.to_json()).sha256
    assert len(c.digest) == 8 and c.sha256.startswith(c.digest)
    assert content(work=(replace(WORK, text="changed"),)).sha256 != c.sha256
    assert "巡检 3 号点位 <b>&amp;</b> 🔥" in c.to_json()  # text kept as typed


def test_what_a_signed_part_says_is_never_in_the_next_part() -> None:
    signed = [SignedPart(content(), Signature(at(60), 1001, "Eng"), content().sha256)]
    # Nothing new: nothing to sign.
    assert unsigned_part(signed, "eng1", "village", DAY, [LINE], [WORK]).empty
    later = WorkItem(2, at(90), "routine care")
    changed = replace(LINE, solved=False, cause="power")
    new_line = replace(LINE, ticket_id=2)
    part = unsigned_part(signed, "eng1", "village", DAY, [changed, new_line], [WORK, later])
    assert part.part == 2
    assert part.lines == (changed, new_line)  # a changed line is said again, as it is now
    assert part.work == (later,)
    # The signed part is untouched by all of this.
    assert signed[0].content == content()


def test_file_names_say_the_part() -> None:
    assert file_name("eng1", DAY, 1) == "daily-report-eng1-2026-11-23.pdf"
    assert file_name("eng1", DAY, 3) == "daily-report-eng1-2026-11-23-addendum-2.pdf"


# ------------------------------------------------------------------ storage
async def test_a_part_is_signed_once_and_work_and_tickets_are_found_by_day(db: Database) -> None:
    async with unit_of_work(db) as uow:
        t = await uow.tickets.add(draft_ticket(project_key="village"))
        other = await uow.tickets.add(draft_ticket(project_key="other"))
        start, end = day_bounds(DAY, SHANGHAI)
        await uow.timeline.append(t.id, at(5), "staff:eng1", "accepted")
        await uow.timeline.append(other.id, at(5), "staff:eng1", "accepted")
        await uow.timeline.append(t.id, end, "staff:eng2", "note", text="tomorrow")
        assert await uow.daily.touched_tickets("eng1", "village", start, end) == [t.id]
        assert await uow.daily.touched_tickets("eng2", "village", start, end) == []
        item = await uow.daily.add_work("eng1", "village", DAY, at(30), "巡检")
        assert await uow.daily.work_of("eng1", "village", DAY) == [item]
        assert await uow.daily.work_of("eng1", "village", DAY + timedelta(days=1)) == []
        part = SignedPart(content(), Signature(at(60), 1001, "Eng"), content().sha256)
        assert await uow.daily.sign(part)
        again = SignedPart(content(work=()), Signature(at(61), 1001, "Eng"), "x")
        assert not await uow.daily.sign(again)  # insert-only: the first signature stands
        assert await uow.daily.signed("eng1", "village", DAY) == [part]
        await uow.daily.add_file(part.content, "zh", "a.pdf", "aa")
        await uow.daily.add_file(part.content, "zh", "b.pdf", "bb")
        assert await uow.daily.file(part.content, "zh") == ("a.pdf", "aa")
        assert await uow.daily.file(part.content, "en") is None


def test_a_service_requests_line_names_its_kind_not_a_level() -> None:
    events = [entry(5, "staff:eng1", "accepted"), entry(20, "staff:eng1", "resolved")]
    request = ticket(status=Status.RESOLVED, kind="training")
    assert line_of(request, events, END).level == "training"
    assert line_of(ticket(status=Status.RESOLVED), events, END).level == "B"
