"""The schema, as the migrations that build it: the database's PRAGMA user_version is how many
of these it has run (`Database.open` runs the rest, each in its own transaction). A migration is
never changed once released; a change to the schema is a new one at the end."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the core
    """
    CREATE TABLE users (
        telegram_id INTEGER PRIMARY KEY,
        first_name TEXT NOT NULL DEFAULT '',
        language TEXT,
        project_key TEXT,
        name TEXT NOT NULL DEFAULT '',
        unit TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        profile_done INTEGER NOT NULL DEFAULT 0,
        started_at TEXT,
        unreachable_at TEXT,
        unreachable_reason TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE tickets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_key TEXT NOT NULL,
        customer_id INTEGER NOT NULL,
        level TEXT NOT NULL,
        status TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        respond_due TEXT NOT NULL,
        arrive_due TEXT NOT NULL,
        repair_due TEXT,
        site TEXT NOT NULL DEFAULT '',
        latitude REAL,
        longitude REAL,
        symptom TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL DEFAULT '',
        contact_name TEXT NOT NULL DEFAULT '',
        contact_unit TEXT NOT NULL DEFAULT '',
        contact_phone TEXT NOT NULL DEFAULT '',
        photos TEXT NOT NULL DEFAULT '[]',
        owner_key TEXT,
        handover_to TEXT,
        accepted_at TEXT,
        on_way_at TEXT,
        on_site_at TEXT,
        resolved_at TEXT,
        closed_at TEXT,
        cause TEXT NOT NULL DEFAULT '',
        resolution TEXT NOT NULL DEFAULT '',
        reopen_count INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX tickets_by_status ON tickets(status, project_key);
    CREATE INDEX tickets_by_customer ON tickets(customer_id, status);
    CREATE INDEX tickets_by_owner ON tickets(owner_key, status);
    CREATE TABLE ticket_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id INTEGER NOT NULL REFERENCES tickets(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX ticket_events_by_ticket ON ticket_events(ticket_id, id);
    CREATE TABLE drafts (
        user_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        step TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id INTEGER NOT NULL,
        method TEXT NOT NULL,
        payload TEXT NOT NULL,
        dedupe_key TEXT UNIQUE,
        ticket_id INTEGER,
        purpose TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        message_id INTEGER,
        error TEXT
    );
    CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
    CREATE INDEX outbox_by_ticket ON outbox(ticket_id, purpose);
    CREATE INDEX outbox_by_chat ON outbox(chat_id, status, id);
    CREATE TABLE timers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        ticket_id INTEGER,
        user_id INTEGER,
        due_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        payload TEXT NOT NULL DEFAULT '{}',
        fired_at TEXT
    );
    CREATE INDEX timers_due ON timers(state, due_at);
    """,
    # 2: SLA clocks per ticket, and pauses (force majeure, waiting for the customer)
    """
    CREATE TABLE ticket_clocks (
        ticket_id INTEGER NOT NULL REFERENCES tickets(id),
        name TEXT NOT NULL,
        started_at TEXT NOT NULL,
        target_seconds REAL NOT NULL,
        business INTEGER NOT NULL DEFAULT 0,
        stopped_at TEXT,
        paused_since TEXT,
        paused_seconds REAL NOT NULL DEFAULT 0,
        paused_wall REAL NOT NULL DEFAULT 0,
        breached_at TEXT,
        PRIMARY KEY (ticket_id, name)
    );
    CREATE TABLE ticket_pauses (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id INTEGER NOT NULL REFERENCES tickets(id),
        kind TEXT NOT NULL,
        reason TEXT NOT NULL,
        state TEXT NOT NULL,
        proposed_by TEXT NOT NULL,
        decided_by TEXT,
        proposed_at TEXT NOT NULL,
        started_at TEXT,
        ended_at TEXT
    );
    CREATE INDEX ticket_pauses_by_ticket ON ticket_pauses(ticket_id, state);
    CREATE INDEX timers_by_ticket ON timers(ticket_id, state);
    """,
    # 3: the roster: overrides (/cover, accepted swaps), swap proposals, paging state
    """
    CREATE TABLE overrides (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        team TEXT NOT NULL,
        layer TEXT NOT NULL,
        member TEXT NOT NULL,
        start_at TEXT NOT NULL,
        end_at TEXT NOT NULL,
        replaces TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX overrides_by_team ON overrides(team, end_at);
    CREATE TABLE swaps (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        team TEXT NOT NULL,
        layer TEXT NOT NULL,
        from_member TEXT NOT NULL,
        to_member TEXT NOT NULL DEFAULT '',
        start_at TEXT NOT NULL,
        end_at TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        decided_at TEXT
    );
    CREATE TABLE paging (
        ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
        tiers TEXT NOT NULL,
        step INTEGER NOT NULL,
        ack_seconds REAL NOT NULL
    );
    """,
    # 4: a timer whose handler raised is marked failed (state 'failed'), never retried
    """
    ALTER TABLE timers ADD COLUMN failed_at TEXT;
    ALTER TABLE timers ADD COLUMN error TEXT;
    """,
    # 5: the updates already handled: Telegram re-delivers an update whose confirmation was
    # lost (the bot died before its next getUpdates), and it must take effect only once
    """
    CREATE TABLE handled_updates (
        update_id INTEGER PRIMARY KEY,
        handled_at TEXT NOT NULL
    );
    CREATE INDEX handled_updates_by_time ON handled_updates(handled_at);
    """,
    # 6: a pause is agreed (双方协商): the customer's answer and the project manager's, each
    # with who and when. A force-majeure pause approved before this kept its approver; the
    # approval started the clocks, so its moment is the pause's start.
    """
    ALTER TABLE ticket_pauses ADD COLUMN customer_answer TEXT;
    ALTER TABLE ticket_pauses ADD COLUMN customer_by TEXT;
    ALTER TABLE ticket_pauses ADD COLUMN customer_at TEXT;
    ALTER TABLE ticket_pauses ADD COLUMN manager_answer TEXT;
    ALTER TABLE ticket_pauses ADD COLUMN decided_at TEXT;
    UPDATE ticket_pauses SET manager_answer = 'agreed', decided_at = started_at
        WHERE kind = 'force_majeure' AND decided_by IS NOT NULL AND started_at IS NOT NULL;
    """,
    # 7: the satisfaction survey of a confirmed ticket (one per ticket, never changed), and
    # the customer manager's call-back after a low score; the proof of arrival (metres from
    # the site to the engineer's shared location)
    """
    ALTER TABLE tickets ADD COLUMN arrival_distance_m REAL;
    CREATE TABLE surveys (
        ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
        customer_id INTEGER NOT NULL,
        stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
        comment TEXT,
        at TEXT NOT NULL,
        callback_by TEXT,
        callback_at TEXT,
        callback_note TEXT
    );
    """,
    # 8: complaints (投诉), numbered on their own (C-N), and their timeline (insert-only: its
    # repository has no update or delete)
    """
    CREATE TABLE complaints (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_key TEXT NOT NULL,
        customer_id INTEGER NOT NULL,
        ticket_id INTEGER,
        content TEXT NOT NULL,
        photos TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL,
        owner_key TEXT,
        received_at TEXT NOT NULL,
        taken_at TEXT,
        first_response_at TEXT,
        closed_at TEXT,
        result TEXT NOT NULL DEFAULT '',
        satisfied INTEGER,
        version INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX complaints_by_project ON complaints(project_key, received_at);
    CREATE INDEX complaints_by_customer ON complaints(customer_id);
    CREATE TABLE complaint_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        complaint_id INTEGER NOT NULL REFERENCES complaints(id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX complaint_events_by_complaint ON complaint_events(complaint_id, id);
    """,
    # 9: service reports: the product's serial number apart from its model (older tickets keep
    # both in `model`), and every issued report, insert-only (a version is never changed)
    """
    ALTER TABLE tickets ADD COLUMN serial TEXT NOT NULL DEFAULT '';
    CREATE TABLE service_reports (
        ticket_id INTEGER NOT NULL REFERENCES tickets(id),
        version INTEGER NOT NULL,
        kind TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        language TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (ticket_id, version)
    );
    """,
    # 10: why an open ticket is not fixed yet, how it reached the hotline, and whether it
    # closed without the customer's sign-off (earlier such closings are found in the timeline).
    """
    ALTER TABLE tickets ADD COLUMN blocking_reason TEXT NOT NULL DEFAULT '';
    ALTER TABLE tickets ADD COLUMN channel TEXT NOT NULL DEFAULT 'chat';
    ALTER TABLE tickets ADD COLUMN closed_unconfirmed INTEGER NOT NULL DEFAULT 0;
    UPDATE tickets SET closed_unconfirmed = 1
        WHERE id IN (SELECT ticket_id FROM ticket_events WHERE kind = 'closed_unconfirmed');
    """,
    # 11: daily maintenance reports: work that is not a ticket (insert-only), signed parts
    # (insert-only: a part is signed once, never changed) and their archived PDFs per language;
    # a staff member's timeline entries by time, to find the tickets they touched on a day.
    """
    CREATE TABLE daily_work (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        staff_key TEXT NOT NULL,
        project_key TEXT NOT NULL,
        day TEXT NOT NULL,
        at TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX daily_work_by_day ON daily_work(staff_key, project_key, day);
    CREATE TABLE daily_reports (
        staff_key TEXT NOT NULL,
        project_key TEXT NOT NULL,
        day TEXT NOT NULL,
        part INTEGER NOT NULL,
        signed_at TEXT NOT NULL,
        signed_by_id INTEGER NOT NULL,
        signed_by_name TEXT NOT NULL,
        content TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (staff_key, project_key, day, part)
    );
    CREATE TABLE daily_report_files (
        staff_key TEXT NOT NULL,
        project_key TEXT NOT NULL,
        day TEXT NOT NULL,
        part INTEGER NOT NULL,
        language TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (staff_key, project_key, day, part, language)
    );
    CREATE INDEX ticket_events_by_actor ON ticket_events(actor, at);
    """,
    # 12: a service report version laid out (HTML) in its transaction and typeset after the
    # commit: the row waits here until its PDF is archived (or typesetting failed: error).
    """
    CREATE TABLE report_jobs (
        ticket_id INTEGER NOT NULL REFERENCES tickets(id),
        version INTEGER NOT NULL,
        kind TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        language TEXT NOT NULL,
        html TEXT NOT NULL,
        error TEXT,
        PRIMARY KEY (ticket_id, version)
    );
    """,
    # 13: the auditor's export finds a project's tickets by the day they were reported.
    """
    CREATE INDEX IF NOT EXISTS tickets_by_project_reported ON tickets(project_key, reported_at);
    """,
    # 14: the monthly summary counts a project's month inside SQLite: tickets by report,
    # resolution and closing time (covering the columns it sums; the report-time index of 13
    # grows into a covering one), surveys by answer time, complaints by closing time
    """
    DROP INDEX IF EXISTS tickets_by_project_reported;
    CREATE INDEX tickets_by_project_reported ON tickets(project_key, reported_at, level,
        channel, resolved_at, reopen_count);
    CREATE INDEX tickets_by_project_resolved ON tickets(project_key, resolved_at, reported_at,
        blocking_reason);
    CREATE INDEX tickets_by_project_closed ON tickets(project_key, closed_at,
        closed_unconfirmed);
    CREATE INDEX surveys_by_time ON surveys(at);
    CREATE INDEX complaints_by_project_closed ON complaints(project_key, closed_at);
    """,
    # 15: documents made after their command's transaction (the auditor's export, …): the
    # request is recorded here, read and made off the write lock, archived, then delivered.
    """
    CREATE TABLE document_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        requester INTEGER NOT NULL,
        chat INTEGER NOT NULL,
        params TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        error TEXT,
        path TEXT,
        sha256 TEXT
    );
    CREATE INDEX document_jobs_pending ON document_jobs(state, id);
    """,
    # 16: faults phoned in (/log): a caller without Telegram is kept in the ticket's contact
    # fields (customer_id 0) and the staff member who logged the call relays their updates.
    """
    ALTER TABLE tickets ADD COLUMN relay_staff INTEGER;
    """,
    # 17: the contract's calendar: tasks planned from the config (inserted by their key, so
    # planning again adds nothing twice), their results (insert-only records with SHA-256)
    # and the inspection reports' archived PDFs per language.
    """
    CREATE TABLE contract_tasks (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        project_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        due TEXT NOT NULL,
        number INTEGER NOT NULL DEFAULT 0,
        assignee TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'open',
        origin TEXT NOT NULL DEFAULT 'contract',
        created_at TEXT NOT NULL,
        closed_at TEXT
    );
    CREATE INDEX contract_tasks_by_due ON contract_tasks(project_key, due);
    CREATE TABLE task_results (
        task_id INTEGER PRIMARY KEY REFERENCES contract_tasks(id),
        recorded_at TEXT NOT NULL,
        by_id INTEGER NOT NULL,
        by_name TEXT NOT NULL,
        content TEXT NOT NULL,
        sha256 TEXT NOT NULL
    );
    CREATE TABLE task_result_files (
        task_id INTEGER NOT NULL REFERENCES task_results(task_id),
        language TEXT NOT NULL,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (task_id, language)
    );
    """,
    # 18: major events and sensitive periods (重大活动) added from chat: days inclusive, for a
    # project or every one ('*'; NULL while the manager still picks the project), ended from
    # chat (the days stay as planned); and each event's on-site standby engineers.
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        project_key TEXT,
        name TEXT NOT NULL,
        start_day TEXT NOT NULL,
        end_day TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        ended_by TEXT,
        ended_at TEXT
    );
    CREATE INDEX events_by_end ON events(end_day);
    CREATE TABLE event_standby (
        event_id INTEGER NOT NULL REFERENCES events(id),
        staff_key TEXT NOT NULL,
        named_by TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (event_id, staff_key)
    );
    """,
    # 19: free (in warranty) or paid, decided when a ticket is filed: '', 'free' or 'paid'.
    # Tickets filed before are left '' (not marked): their billing was never decided.
    """
    ALTER TABLE tickets ADD COLUMN billing TEXT NOT NULL DEFAULT '';
    """,
    # 20: outgoing messages have a priority class (bot/domain/delivery.py): replies before
    # pages, pages before reminders, those before documents. Each round of the sender takes
    # the first waiting message of each chat (this index).
    """
    ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
    CREATE INDEX outbox_chat_heads ON outbox(chat_id, id) WHERE status = 'pending';
    """,
    # 21: service requests that are not faults (consultation, upgrade support, training, event
    # support): the ticket's kind, and the customer's preferred time for the work. The monthly
    # summary counts faults only: its covering indexes (14) cover the kind too.
    """
    ALTER TABLE tickets ADD COLUMN kind TEXT NOT NULL DEFAULT 'fault';
    ALTER TABLE tickets ADD COLUMN preferred TEXT NOT NULL DEFAULT '';
    DROP INDEX IF EXISTS tickets_by_project_reported;
    CREATE INDEX tickets_by_project_reported ON tickets(project_key, reported_at, level,
        channel, resolved_at, reopen_count, kind);
    DROP INDEX IF EXISTS tickets_by_project_resolved;
    CREATE INDEX tickets_by_project_resolved ON tickets(project_key, resolved_at, reported_at,
        blocking_reason, kind);
    DROP INDEX IF EXISTS tickets_by_project_closed;
    CREATE INDEX tickets_by_project_closed ON tickets(project_key, closed_at,
        closed_unconfirmed, kind);
    """,
    # 22: the health check's write probe: one row, rewritten by each check (a full disk or a
    # read-only file shows as an unhealthy database, not as the next customer's lost report).
    """
    CREATE TABLE health_probe (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        at TEXT NOT NULL
    );
    """,
    # 23: the equipment register (bot/domain/equipment.py): a project's devices by a code
    # unique across the hotline, each with the random payload of its QR label; a ticket
    # belongs to a device when it was opened from its label or linked to it (/device N CODE).
    """
    CREATE TABLE devices (
        code TEXT PRIMARY KEY,
        project_key TEXT NOT NULL,
        name TEXT NOT NULL,
        model TEXT NOT NULL DEFAULT '',
        serial TEXT NOT NULL DEFAULT '',
        site TEXT NOT NULL DEFAULT '',
        latitude REAL,
        longitude REAL,
        installed_on TEXT,
        warranty_until TEXT,
        notes TEXT NOT NULL DEFAULT '',
        label TEXT NOT NULL UNIQUE,
        added_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX devices_by_project ON devices(project_key, code);
    ALTER TABLE tickets ADD COLUMN device TEXT NOT NULL DEFAULT '';
    CREATE INDEX tickets_by_device ON tickets(device, id) WHERE device != '';
    """,
]
