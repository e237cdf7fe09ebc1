-- CRM → Navsync sync (SPEC S4, S5, L1): a mirror of the CRM rows the rules
-- need, the change-tracking delta links per table, the lease that keeps one
-- run per organization across server processes, the run history, and the
-- saved rows' CRM fields.

-- One holder at a time per organization; taken with an atomic upsert that only
-- succeeds when the lease is free or expired, renewed while a run lasts.
CREATE TABLE sync_leases (
    organization_id  TEXT PRIMARY KEY NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    holder           TEXT NOT NULL,
    expires_at       INTEGER NOT NULL
);

-- Per organization and CRM table: the delta link of the last complete read,
-- and the `$select` it was made with (a different one needs a full read).
CREATE TABLE sync_tables (
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    table_name       TEXT NOT NULL,
    delta_link       TEXT NOT NULL,
    columns          TEXT NOT NULL,
    PRIMARY KEY (organization_id, table_name)
);

-- Sync state per organization: the rules' fingerprint (settings and seat
-- holders; a change recomputes everyone), the pause after three days of a
-- lasting problem.
CREATE TABLE sync_state (
    organization_id  TEXT PRIMARY KEY NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    rules_fingerprint TEXT NOT NULL DEFAULT '',
    paused           INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sync_runs (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    started_at       INTEGER NOT NULL,
    -- unix milliseconds, for durations
    started_ms       INTEGER NOT NULL,
    finished_at      INTEGER,
    duration_ms      INTEGER,
    full             INTEGER NOT NULL,
    phase            TEXT NOT NULL DEFAULT '',
    progress         REAL,
    rows_read        INTEGER NOT NULL DEFAULT 0,
    rows_changed     INTEGER NOT NULL DEFAULT 0,
    crm_requests     INTEGER NOT NULL DEFAULT 0,
    error            TEXT,
    -- renewed with the lease; a running row whose heartbeat is old was abandoned
    heartbeat_at     INTEGER NOT NULL
);
CREATE INDEX sync_runs_organization ON sync_runs (organization_id, started_ms);

-- The mirror. `seen` is the run that last read the row in a full read, so a
-- full read can drop the rows it did not see (deleted while no delta ran).
CREATE TABLE crm_users (
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    email            TEXT,
    seen             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX crm_users_email ON crm_users (organization_id, email);

CREATE TABLE crm_accounts (
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    name             TEXT NOT NULL DEFAULT '',
    seen             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, id)
);

CREATE TABLE crm_contacts (
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    first_name       TEXT NOT NULL DEFAULT '',
    last_name        TEXT NOT NULL DEFAULT '',
    email            TEXT,
    account_id       TEXT,
    seen             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX crm_contacts_account ON crm_contacts (organization_id, account_id);

CREATE TABLE crm_opportunities (
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id               TEXT NOT NULL,
    state            INTEGER NOT NULL DEFAULT 0,
    stage            INTEGER,
    owner_id         TEXT,
    account_id       TEXT,
    contact_id       TEXT,
    won_value        REAL,
    seen             TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (organization_id, id)
);
CREATE INDEX crm_opportunities_owner ON crm_opportunities (organization_id, owner_id, state);
CREATE INDEX crm_opportunities_account ON crm_opportunities (organization_id, account_id, state);

-- Saved rows: `source` 'crm' while sync brings the row; `saved_by_hand` when the
-- seat holder saved it too (then it stays, as 'manual', when sync drops it).
-- A row with source 'manual' is always hand-saved.
ALTER TABLE saved_accounts ADD COLUMN saved_by_hand INTEGER NOT NULL DEFAULT 0;
ALTER TABLE saved_accounts ADD COLUMN won_value REAL;
ALTER TABLE saved_leads ADD COLUMN saved_by_hand INTEGER NOT NULL DEFAULT 0;
UPDATE saved_accounts SET saved_by_hand = 1 WHERE source = 'manual';
UPDATE saved_leads SET saved_by_hand = 1 WHERE source = 'manual';

CREATE UNIQUE INDEX saved_accounts_crm_id ON saved_accounts (organization_id, person_id, crm_id)
    WHERE crm_id IS NOT NULL;
CREATE UNIQUE INDEX saved_leads_crm_id ON saved_leads (organization_id, person_id, crm_id)
    WHERE crm_id IS NOT NULL;
CREATE INDEX saved_accounts_by_name ON saved_accounts (organization_id, person_id, name COLLATE NOCASE, id);
CREATE INDEX saved_leads_by_name ON saved_leads (organization_id, person_id, last_name COLLATE NOCASE, first_name COLLATE NOCASE, id);
