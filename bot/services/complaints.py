"""Complaints (投诉): the customer's /complain dialog, the customer managers' page and Take,
the owner's answers, notes and result, the customer's "satisfied?", the complaint clocks
(respond, resolve) and the ledger's rows.

A complaint is numbered on its own (C-N) and never mixed with tickets. Its clocks reuse the
domain's pieces (targets, calendars, warning points) and the timers in the database, not the
ticket SLA service, which is ticket-shaped: `complaint_warn`, `complaint_breach` and
`complaint_escalate` timers, keyed per complaint and clock, fired through `bot/app.py`'s timer
handlers. A missed clock is escalated again every `escalate_every` until it is handled.
Every step is a row of the complaint's own timeline (who, when, what).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import PolicyConfig, ProjectConfig, Settings, StaffConfig
from bot.domain.calendar import Calendar
from bot.domain.clocks import Target, parse_warn
from bot.domain.complaints import (
    COMPLAINT_CLOCKS,
    MAX_COMPLAINT,
    MAX_COMPLAINT_PHOTOS,
    Complaint,
    ComplaintClock,
    ComplaintDraft,
    ComplaintEntry,
)
from bot.domain.literals import one_of
from bot.domain.people import User
from bot.services.access import Access, customer_actor, staff_actor
from bot.services.drafts import Drafts, Input
from bot.services.notices import Limit, Notice, Outcome, Params
from bot.services.uow import Timer, UnitOfWork

STAFF_STEPS = ("answer", "note", "result")


@dataclass(frozen=True)
class ComplaintNews(Params):
    """A complaint and what just happened to it (`complaint.*`): the answer, note or result
    (`text`), the staff member (`who`), the clock and its due time."""

    complaint: Complaint
    number: str
    text: str = ""
    who: str = ""
    clock: str = ""
    due: datetime | None = None
    customer: User | None = None
    step: int = 0  # a repeated escalation: how many times it has been escalated
    over: float = 0.0  # seconds past the due time when escalated again


@dataclass(frozen=True)
class AboutChoice(Params):
    """What the complaint is about: the customer's recent tickets, or something else."""

    ticket_ids: tuple[int, ...]


@dataclass(frozen=True)
class ComplaintAboutTicket(Params):
    """The ticket a complaint being written is about (None: something else)."""

    ticket_id: int | None


@dataclass(frozen=True)
class ComplaintList(Params):
    """`/complaints`: the open complaints of my projects."""

    complaints: tuple[Complaint, ...]


@dataclass(frozen=True)
class LedgerRow:
    """One complaint with its timeline and its people, for the ledger."""

    complaint: Complaint
    customer: User | None
    timeline: tuple[ComplaintEntry, ...]


@dataclass(frozen=True)
class LedgerFile(Params):
    """`/ledger`: the month's complaints of a project, made into a file by the renderer."""

    project: ProjectConfig
    month: str  # YYYY-MM
    rows: tuple[LedgerRow, ...]


@dataclass(frozen=True)
class _Number(Params):
    """A complaint a refusal or question is about, as people see it (C-7)."""

    number: str


def _refuse(uid: int, key: str, via_button: bool, number: str = "") -> Outcome:
    if via_button:
        return Outcome(toast=key, toast_alert=True)
    return Outcome([Notice(uid, key, params=_Number(number))])


class Complaints:
    def __init__(self, settings: Settings, clock: Clock, access: Access, drafts: Drafts) -> None:
        self.settings = settings
        self.clock = clock
        self.access = access
        self.drafts = drafts

    # ------------------------------------------------------------------ the customer
    async def begin(self, uow: UnitOfWork, user: User, ticket_id: int | None = None) -> Outcome:
        """/complain (or the "file a complaint" button, with its ticket): what is it about?"""
        uid = user.telegram_id
        if self.access.staff(uid) is not None or not user.project_key:
            return Outcome([Notice(uid, "complaint.customers_only")])
        draft = await self.drafts.of(uow, uid)
        if draft is not None and not isinstance(draft, ComplaintDraft):
            return Outcome([Notice(uid, "dialog.busy")])
        if ticket_id is not None:
            ticket = await uow.tickets.get(ticket_id)
            if ticket is None or ticket.customer_id != uid:
                ticket_id = None
        if ticket_id is not None:
            return await self._ask_content(uow, user, ticket_id)
        recent = tuple(await uow.complaints.recent_ticket_ids(uid))
        await self.drafts.put(uow, uid, ComplaintDraft("about", user.project_key))
        return Outcome([Notice(uid, "complaint.ask_about", params=AboutChoice(recent))])

    async def choose_about(self, uow: UnitOfWork, user: User, ticket_id: int) -> Outcome:
        """A button under "what is it about?": one of my tickets (0: something else)."""
        uid = user.telegram_id
        draft = await self.drafts.of(uow, uid)
        if not isinstance(draft, ComplaintDraft) or draft.step != "about":
            return Outcome(toast="button.stale")
        chosen: int | None = None
        if ticket_id:
            ticket = await uow.tickets.get(ticket_id)
            if ticket is None or ticket.customer_id != uid:
                return Outcome(toast="button.stale")
            chosen = ticket_id
        out = await self._ask_content(uow, user, chosen)
        out.clear_buttons = True
        return out

    async def _ask_content(self, uow: UnitOfWork, user: User, ticket_id: int | None) -> Outcome:
        uid = user.telegram_id
        assert user.project_key is not None
        await self.drafts.put(uow, uid, ComplaintDraft("content", user.project_key, ticket_id))
        return Outcome(
            [Notice(uid, "complaint.ask_content", params=ComplaintAboutTicket(ticket_id))]
        )

    async def input(
        self, uow: UnitOfWork, user: User, draft: ComplaintDraft, inp: Input
    ) -> Outcome:
        """A message while a complaint dialog waits."""
        uid = user.telegram_id
        if draft.step in STAFF_STEPS:
            return await self._staff_input(uow, user, draft, inp)
        if draft.step == "about":
            return Outcome([self.pending(uid, draft)])
        if inp.kind == "photo":
            if len(draft.photos) >= MAX_COMPLAINT_PHOTOS:
                return Outcome([Notice(uid, "complaint.too_many_photos",
                                       params=Limit(MAX_COMPLAINT_PHOTOS))])
            draft.photos.append(inp.file_id)
            if not inp.text.strip():
                await self.drafts.put(uow, uid, draft)
                return Outcome([Notice(uid, "complaint.photo_added")])
            inp = Input("text", text=inp.text)
        if inp.kind != "text" or not inp.text.strip():
            return Outcome([self.pending(uid, draft)])
        if len(inp.text) > MAX_COMPLAINT:
            return Outcome([Notice(uid, "complaint.too_long", params=Limit(MAX_COMPLAINT))])
        await self.drafts.drop(uow, uid)
        return await self._file(uow, user, draft, inp.text.strip())

    def pending(self, uid: int, draft: ComplaintDraft) -> Notice:
        """The question the complaint dialog waits on."""
        if draft.step == "about":
            return Notice(uid, "complaint.ask_about_again")
        if draft.step == "content":
            return Notice(uid, "complaint.ask_content",
                          params=ComplaintAboutTicket(draft.ticket_id))
        number = f"C-{draft.complaint_id}"
        return Notice(uid, f"complaint.ask_{draft.step}", params=_Number(number))

    async def _file(
        self, uow: UnitOfWork, user: User, draft: ComplaintDraft, content: str
    ) -> Outcome:
        now = self.clock.now()
        uid = user.telegram_id
        c = await uow.complaints.add(
            Complaint(0, draft.project_key, uid, content, now, draft.ticket_id,
                      tuple(draft.photos))
        )
        await uow.complaints.append(
            c.id, now, customer_actor(uid), "received", content=content,
            ticket_id=c.ticket_id, photos=len(c.photos)
        )
        for clock in COMPLAINT_CLOCKS:
            await self._start_clock(uow, c, clock, now)
        out = Outcome([Notice(uid, "complaint.received", params=self._news(c))])
        for staff in self._receivers(c):
            out.add(self._to_staff(staff, "complaint.page", c, customer=user, purpose="cpage"))
        return out

    async def satisfied(self, uow: UnitOfWork, user: User, cid: int, yes: bool) -> Outcome:
        """The customer answers "satisfied with the handling?"; no reopens it."""
        uid = user.telegram_id
        c = await uow.complaints.get(cid)
        if c is None or c.customer_id != uid or c.status != "closed" or c.satisfied is not None:
            return Outcome(toast="button.stale")
        now = self.clock.now()
        if yes:
            c = await uow.complaints.save(replace(c, satisfied=True))
            await uow.complaints.append(cid, now, customer_actor(uid), "satisfied")
            return Outcome([Notice(uid, "complaint.thanks", params=self._news(c))],
                           clear_buttons=True)
        c = await uow.complaints.save(
            replace(c, satisfied=False, status="taken" if c.owner_key else "new",
                    closed_at=None)
        )
        await uow.complaints.append(cid, now, customer_actor(uid), "not_satisfied")
        await uow.complaints.append(cid, now, customer_actor(uid), "reopened")
        await self._start_clock(uow, c, "resolve", now)
        out = Outcome([Notice(uid, "complaint.reopened_customer", params=self._news(c))],
                      clear_buttons=True)
        people = {s.key: s for s in self._managers_of(c)}
        owner = self.settings.find_staff(c.owner_key) if c.owner_key else None
        if owner is not None:
            people[owner.key] = owner
        for staff in people.values():
            out.add(self._to_staff(staff, "complaint.reopened", c, customer=user))
        return out

    # ------------------------------------------------------------------ the staff
    async def take(self, uow: UnitOfWork, uid: int, cid: int, via_button: bool) -> Outcome:
        """Take: the first customer manager to press it owns the complaint."""
        found = await self._staff_complaint(uow, uid, cid, via_button)
        if isinstance(found, Outcome):
            return found
        staff, c = found
        if c.owner_key is not None:
            mine = c.owner_key == staff.key
            key = "complaint.yours_already" if mine else "complaint.taken_already"
            return _refuse(uid, key, via_button, c.number)
        if not c.is_open:
            return _refuse(uid, "complaint.closed_already", via_button, c.number)
        c = await self._own(uow, staff, c)
        out = Outcome([self._to_staff(staff, "complaint.yours", c)])
        customer = await uow.users.get(c.customer_id)
        out.add(Notice(c.customer_id, "complaint.taken", params=self._news(c, who=staff.name)))
        for other in self._receivers(c):
            if other.key != staff.key:
                out.add(self._to_staff(other, "complaint.taken_by", c, who=staff.name,
                                       customer=customer))
        return out

    async def _own(self, uow: UnitOfWork, staff: StaffConfig, c: Complaint) -> Complaint:
        now = self.clock.now()
        # A second Take in the same instant finds a newer version and raises ConcurrentUpdate.
        taken = replace(c, owner_key=staff.key, status="taken", taken_at=now)
        c = await uow.complaints.save(taken)
        await uow.complaints.append(c.id, now, staff_actor(staff), "taken")
        return c

    async def begin_staff_text(
        self, uow: UnitOfWork, uid: int, cid: int, step: str, text: str = ""
    ) -> Outcome:
        """Reply / Note / Close: with the text given (a command) it is done at once, else the
        text is asked for (a button)."""
        via_button = not text
        found = await self._owner_complaint(uow, uid, cid, via_button)
        if isinstance(found, Outcome):
            return found
        staff, c = found
        if text:
            return await self._staff_text(uow, staff, c, step, text)
        draft = ComplaintDraft(step, c.project_key, complaint_id=c.id)
        await self.drafts.put(uow, uid, draft)
        return Outcome([self.pending(uid, draft)])

    async def _staff_input(
        self, uow: UnitOfWork, user: User, draft: ComplaintDraft, inp: Input
    ) -> Outcome:
        uid = user.telegram_id
        if inp.kind != "text" or not inp.text.strip():
            return Outcome([self.pending(uid, draft)])
        if len(inp.text) > MAX_COMPLAINT:
            return Outcome([Notice(uid, "complaint.too_long", params=Limit(MAX_COMPLAINT))])
        await self.drafts.drop(uow, uid)
        assert draft.complaint_id is not None
        found = await self._owner_complaint(uow, uid, draft.complaint_id, False)
        if isinstance(found, Outcome):
            return found
        staff, c = found
        return await self._staff_text(uow, staff, c, draft.step, inp.text.strip())

    async def _staff_text(
        self, uow: UnitOfWork, staff: StaffConfig, c: Complaint, step: str, text: str
    ) -> Outcome:
        now = self.clock.now()
        actor = staff_actor(staff)
        if step == "note":
            await uow.complaints.append(c.id, now, actor, "note", text=text)
            return Outcome([self._to_staff(staff, "complaint.noted", c)])
        if step == "answer":
            if c.first_response_at is None:
                c = await uow.complaints.save(replace(c, first_response_at=now))
                await self._stop_clock(uow, c, "respond")
            await uow.complaints.append(c.id, now, actor, "answered", text=text)
            return Outcome([
                Notice(c.customer_id, "complaint.answer",
                       params=self._news(c, text=text, who=staff.name)),
                self._to_staff(staff, "complaint.answered", c),
            ])
        c = await uow.complaints.save(
            replace(c, status="closed", closed_at=now, result=text, satisfied=None,
                    first_response_at=c.first_response_at or now)
        )
        for clock in COMPLAINT_CLOCKS:
            await self._stop_clock(uow, c, clock)
        await uow.complaints.append(c.id, now, actor, "closed", result=text)
        return Outcome([
            Notice(c.customer_id, "complaint.closed",
                   params=self._news(c, text=text, who=staff.name)),
            self._to_staff(staff, "complaint.closed_ok", c),
        ])

    async def open_list(self, uow: UnitOfWork, uid: int) -> Outcome:
        """/complaints: the open complaints of my projects (managers, admins)."""
        staff = self.access.staff(uid)
        if staff is None or not staff.is_manager:
            return Outcome([Notice(uid, "complaint.managers_only")])
        found = await uow.complaints.open_of_projects(self.access.staff_projects(staff))
        return Outcome([Notice(uid, "complaint.list", params=ComplaintList(tuple(found)))])

    async def ledger(
        self, uow: UnitOfWork, uid: int, project_key: str | None, month: str | None
    ) -> Outcome:
        """/ledger [PROJECT] [YYYY-MM]: the month's complaints of a project as a file."""
        staff = self.access.staff(uid)
        if staff is None or not staff.is_manager:
            return Outcome([Notice(uid, "complaint.managers_only")])
        mine = self.access.staff_projects(staff)
        key = project_key or (mine[0] if mine else "")
        project = self.settings.find_project(key)
        if project is None or key not in mine:
            return Outcome([Notice(uid, "complaint.ledger_no_project")])
        tz = self.settings.tz
        today = self.clock.now().astimezone(tz)
        try:
            start = (datetime.strptime(month, "%Y-%m") if month else today).replace(
                day=1, hour=0, minute=0, second=0, microsecond=0, tzinfo=tz
            )
        except ValueError:
            return Outcome([Notice(uid, "usage.ledger")])
        end = (start + timedelta(days=32)).replace(day=1)
        rows = []
        for c in await uow.complaints.received_between(key, start, end):
            rows.append(LedgerRow(c, await uow.users.get(c.customer_id),
                                  tuple(await uow.complaints.timeline(c.id))))
        ledger = LedgerFile(project, start.strftime("%Y-%m"), tuple(rows))
        return Outcome([Notice(uid, "complaint.ledger", params=ledger)])

    # ------------------------------------------------------------------ the clocks
    def _target(self, c: Complaint, clock: ComplaintClock) -> tuple[Target, Calendar]:
        policy: PolicyConfig = self.settings.policy_of(c.project_key)
        target = policy.complaint_respond if clock == "respond" else policy.complaint_resolve
        name = policy.calendar
        if target.business and name == "24x7":
            name = "5x8"  # working days need working hours; a 24x7 policy has none
        return target, self.settings.calendar(name)

    async def _start_clock(
        self, uow: UnitOfWork, c: Complaint, clock: ComplaintClock, start: datetime
    ) -> None:
        """Arm the clock's warning points and its breach, counted from `start`."""
        await self._stop_clock(uow, c, clock)
        if self.settings.find_project(c.project_key) is None:
            return
        target, cal = self._target(c, clock)
        seconds = target.seconds(cal)
        policy = self.settings.policy_of(c.project_key)
        payload = {"complaint_id": c.id, "clock": clock}
        due = cal.add(start, seconds)
        for text in policy.warn:
            point = parse_warn(text)
            consumed = point.consumed_at(seconds)
            if consumed is not None and 0 < consumed < seconds:
                await uow.timers.schedule(
                    f"complaint:{c.id}:{clock}:warn:{point.key}", "complaint_warn",
                    cal.add(start, consumed), payload={**payload, "due": due.isoformat()},
                )
        await uow.timers.schedule(
            f"complaint:{c.id}:{clock}:breach", "complaint_breach", due, payload=payload
        )

    async def _stop_clock(self, uow: UnitOfWork, c: Complaint, clock: ComplaintClock) -> None:
        policy = self.settings.find_project(c.project_key)
        warn = self.settings.policy_of(c.project_key).warn if policy is not None else []
        for text in warn:
            await uow.timers.cancel(f"complaint:{c.id}:{clock}:warn:{parse_warn(text).key}")
        await uow.timers.cancel(f"complaint:{c.id}:{clock}:breach")
        await uow.timers.cancel(f"complaint:{c.id}:{clock}:escalate")

    async def _escalate_again(
        self, uow: UnitOfWork, c: Complaint, clock: ComplaintClock, due: datetime, step: int
    ) -> None:
        """After a miss, the clock is escalated again every `escalate_every` (one timer per
        clock, moved on each time) until the complaint is answered or closed."""
        every = self.settings.policy_of(c.project_key).escalate_every
        await uow.timers.schedule(
            f"complaint:{c.id}:{clock}:escalate", "complaint_escalate", self.clock.now() + every,
            payload={"complaint_id": c.id, "clock": clock, "due": due.isoformat(), "step": step},
        )

    async def fire(self, uow: UnitOfWork, timer: Timer) -> Outcome:
        """A complaint clock's warning (to whoever must act) or breach (escalated to the
        project manager and lead, and recorded)."""
        c = await uow.complaints.get(int(timer.payload["complaint_id"]))
        clock = one_of(str(timer.payload["clock"]), COMPLAINT_CLOCKS, "complaint clock")
        if c is None or not c.is_open:
            return Outcome()
        if clock == "respond" and c.first_response_at is not None:
            return Outcome()
        owner = self.settings.find_staff(c.owner_key) if c.owner_key else None
        actors = [owner] if owner is not None else self._receivers(c)
        out = Outcome()
        customer = await uow.users.get(c.customer_id)
        if timer.kind == "complaint_warn":
            due = datetime.fromisoformat(str(timer.payload["due"]))
            for staff in actors:
                out.add(self._to_staff(staff, "complaint.warn", c, clock=clock, due=due,
                                       customer=customer))
            return out
        now = self.clock.now()
        chain = self._chain(c)
        await uow.complaints.append(c.id, now, "bot", "escalated", clock=clock,
                                    to=[s.key for s in chain])
        people = {s.key: s for s in [*actors, *chain]}
        if timer.kind == "complaint_escalate":
            # Still not handled: the one who must act and the whole chain (the project
            # managers and leads, already the top of a complaint's chain) are told again.
            due = datetime.fromisoformat(str(timer.payload["due"]))
            step = int(timer.payload.get("step", 1))
            news = self._news(c, clock=clock, due=due, customer=customer, step=step + 1,
                              over=(now - due).total_seconds())
            for staff in people.values():
                out.add(Notice(staff.telegram_id, "complaint.escalated", params=news))
            await self._escalate_again(uow, c, clock, due, step + 1)
            return out
        for staff in people.values():
            out.add(self._to_staff(staff, "complaint.breach", c, clock=clock, due=timer.due_at,
                                   customer=customer))
        await self._escalate_again(uow, c, clock, timer.due_at, 1)
        return out

    # ------------------------------------------------------------------ who
    def _project(self, c: Complaint) -> ProjectConfig | None:
        return self.settings.find_project(c.project_key)

    def _receivers(self, c: Complaint) -> list[StaffConfig]:
        """Who is paged for a new complaint: the project's customer managers (else its
        managers, else the admins)."""
        project = self._project(c)
        if project is None:
            return self.access.keepers(None)
        staff = self.access.project_staff(project)
        cms = [s for s in staff if s.has_role("customer_manager")]
        return cms or self.access.keepers(project)

    def _managers_of(self, c: Complaint) -> list[StaffConfig]:
        """The project manager(s) (else the keepers): told when a customer is not satisfied."""
        project = self._project(c)
        if project is None:
            return self.access.keepers(None)
        return self.access.approvers(project) or self.access.keepers(project)

    def _chain(self, c: Complaint) -> list[StaffConfig]:
        """A missed complaint deadline goes to the project manager(s) and lead(s)."""
        project = self._project(c)
        if project is None:
            return self.access.keepers(None)
        staff = self.access.project_staff(project)
        chain = [s for s in staff if s.has_role("project_manager", "project_lead")]
        return chain or self.access.keepers(project)

    def _may_handle(self, staff: StaffConfig, c: Complaint) -> bool:
        if staff.has_role("admin"):
            return True
        return staff.is_manager and self.access.can_work(staff, c.project_key)

    async def _staff_complaint(
        self, uow: UnitOfWork, uid: int, cid: int, via_button: bool
    ) -> tuple[StaffConfig, Complaint] | Outcome:
        """The acting manager and a complaint of their projects, or the polite refusal (a
        customer pressing a staff button changes nothing)."""
        staff = self.access.staff(uid)
        if staff is None or not staff.is_manager:
            return _refuse(uid, "complaint.managers_only", via_button)
        c = await uow.complaints.get(cid)
        if c is None or not self._may_handle(staff, c):
            return _refuse(uid, "complaint.not_found", via_button, f"C-{cid}")
        return staff, c

    async def _owner_complaint(
        self, uow: UnitOfWork, uid: int, cid: int, via_button: bool
    ) -> tuple[StaffConfig, Complaint] | Outcome:
        """The owner and their open complaint; an untaken one is taken by whoever answers."""
        found = await self._staff_complaint(uow, uid, cid, via_button)
        if isinstance(found, Outcome):
            return found
        staff, c = found
        if not c.is_open:
            return _refuse(uid, "complaint.closed_already", via_button, c.number)
        if c.owner_key is None:
            c = await self._own(uow, staff, c)
        elif c.owner_key != staff.key:
            return _refuse(uid, "complaint.not_owner", via_button, c.number)
        return staff, c

    # ------------------------------------------------------------------ notices
    @staticmethod
    def _news(
        c: Complaint,
        *,
        text: str = "",
        who: str = "",
        clock: str = "",
        due: datetime | None = None,
        customer: User | None = None,
        step: int = 0,
        over: float = 0.0,
    ) -> ComplaintNews:
        return ComplaintNews(c, c.number, text, who, clock, due, customer, step, over)

    def _to_staff(
        self,
        staff: StaffConfig,
        key: str,
        c: Complaint,
        *,
        purpose: str = "",
        who: str = "",
        clock: str = "",
        due: datetime | None = None,
        customer: User | None = None,
    ) -> Notice:
        news = self._news(c, who=who, clock=clock, due=due, customer=customer)
        return Notice(staff.telegram_id, key, params=news, purpose=purpose)
