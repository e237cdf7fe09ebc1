-- Seat holders' InMails, messages and notes (SPEC H1–H4), the admin's
-- writeback choices (W1, W2, W4), and the durable writeback outbox: ticking an
-- item (or sending with "Copy message to CRM" on) inserts its outbox row in
-- the same transaction, so a queued item survives restarts and is never
-- dropped; the writeback worker deletes the row only once the CRM has it.

CREATE TABLE threads (
    id                  TEXT PRIMARY KEY NOT NULL,
    organization_id     TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id           TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind                TEXT NOT NULL CHECK (kind IN ('inmail', 'message')),
    subject             TEXT NOT NULL DEFAULT '',
    counterpart_first   TEXT NOT NULL DEFAULT '',
    counterpart_last    TEXT NOT NULL DEFAULT '',
    counterpart_email   TEXT,
    counterpart_url     TEXT,
    counterpart_company TEXT,
    created_at          INTEGER NOT NULL
);
CREATE INDEX threads_person ON threads (organization_id, person_id);

CREATE TABLE thread_messages (
    id           TEXT PRIMARY KEY NOT NULL,
    thread_id    TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    direction    TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    body         TEXT NOT NULL,
    sent_at      INTEGER NOT NULL,
    unread       INTEGER NOT NULL DEFAULT 0,
    copy_to_crm  INTEGER NOT NULL DEFAULT 0,
    -- not_copied | waiting | copied | unresolved | failed
    crm_state    TEXT NOT NULL DEFAULT 'not_copied'
                 CHECK (crm_state IN ('not_copied', 'waiting', 'copied', 'unresolved', 'failed')),
    crm_id       TEXT,
    crm_reason   TEXT
);
CREATE INDEX thread_messages_thread ON thread_messages (thread_id, sent_at);

-- Notes on a seat holder's saved leads and accounts (H3).
CREATE TABLE notes (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id        TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    subject_kind     TEXT NOT NULL CHECK (subject_kind IN ('lead', 'account')),
    subject_id       TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    copy_to_crm      INTEGER NOT NULL DEFAULT 0,
    crm_state        TEXT NOT NULL DEFAULT 'not_copied'
                     CHECK (crm_state IN ('not_copied', 'waiting', 'copied', 'unresolved', 'failed')),
    crm_id           TEXT,
    crm_reason       TEXT
);
CREATE INDEX notes_person ON notes (organization_id, person_id);

-- W1, W2, W4. No row: writeback off, all item types, no impersonation.
CREATE TABLE writeback_settings (
    organization_id  TEXT PRIMARY KEY NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    enabled          INTEGER NOT NULL DEFAULT 0,
    all_items        INTEGER NOT NULL DEFAULT 1,
    inmails          INTEGER NOT NULL DEFAULT 1,
    messages         INTEGER NOT NULL DEFAULT 1,
    notes            INTEGER NOT NULL DEFAULT 1,
    impersonation    INTEGER NOT NULL DEFAULT 0,
    updated_at       INTEGER NOT NULL
);

-- One row per item waiting for the CRM; `attempts`/`next_attempt_at` drive
-- the backoff while the CRM is down.
CREATE TABLE writeback_outbox (
    item_id          TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    item_kind        TEXT NOT NULL CHECK (item_kind IN ('message', 'note')),
    enqueued_at      INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT
);
CREATE INDEX writeback_outbox_due ON writeback_outbox (organization_id, next_attempt_at);
