"""The services, one per area of the hotline, as the composition root (`bot/app.py`) built
them: what the Telegram adapter calls."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.access import Access
from bot.services.blocking import Blocking
from bot.services.checks import Checks
from bot.services.complaints import Complaints
from bot.services.daily import Daily
from bot.services.dialogs import Dialogs
from bot.services.drafts import Drafts
from bot.services.equipment import Equipment
from bot.services.events import Events
from bot.services.export import Export
from bot.services.handover import Handover
from bot.services.intake import Intake
from bot.services.jobs import DocumentJobs
from bot.services.monthly import Monthly
from bot.services.onboarding import Onboarding
from bot.services.pauses import Pauses
from bot.services.records import Records
from bot.services.retention import Retention
from bot.services.roster import Roster
from bot.services.shifts import Shifts
from bot.services.sla import Sla
from bot.services.surveys import Surveys
from bot.services.tasks import Tasks
from bot.services.tracking import Tracking
from bot.services.views import Views
from bot.services.work import Work


@dataclass(frozen=True)
class Services:
    access: Access  # who is who; the acting staff member and their ticket, or the refusal
    drafts: Drafts  # open dialogs and their expiry
    onboarding: Onboarding  # /start, joining by invite, the profile dialog
    intake: Intake  # the report dialog; a ticket opens
    dialogs: Dialogs  # a message goes to the open dialog
    work: Work  # accept, on my way, arrived, resolve, notes, regrade, promised steps
    handover: Handover  # the owner hands a ticket to another engineer
    pauses: Pauses  # force majeure and waiting for the customer
    views: Views  # /my, /status, /queue, /mine, /sla
    checks: Checks  # reachability, start-up and daily checks
    roster: Roster  # who is on duty, paging, hand-offs
    shifts: Shifts  # /oncall, /schedule and its .ics, /cover, shift swaps
    sla: Sla  # the contract's clocks, reminders and escalation
    tracking: Tracking  # a ticket's shown deadlines, card and group mirror
    surveys: Surveys  # the satisfaction survey and the call-back after a low score
    complaints: Complaints  # /complain, Take, answers, result, satisfied?, clocks, ledger
    records: Records  # service reports: issued, signed off, archived; /doc
    daily: Daily  # the daily maintenance report: drafts, work, signing, reminders; /daily
    blocking: Blocking  # why an open ticket is not fixed yet: the card's button, /blocked
    export: Export  # the auditor's export: /export and `run_bot.py export`
    monthly: Monthly  # the monthly summary: /monthly and on the 1st of each month
    jobs: DocumentJobs  # documents made after the command's transaction (the export)
    events: Events  # major events (重大活动): /event, /events, /standby
    retention: Retention  # the nightly pruning of the delivery log and fired timers
    tasks: Tasks | None = None  # the contract's calendar: planning, reminders, /tasks
    equipment: Equipment | None = None  # the equipment register, its labels, /device
